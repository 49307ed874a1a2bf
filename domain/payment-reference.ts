/**
 * Structured payment references printed on invoices and matched by cash application. Every scheme here
 * was checked against a published description and published examples (see test/unit/payment-reference.test.ts).
 */

const compact = (s: string): string => s.replace(/\s+/g, '');

// ---------------------------------------------------------------------------------------------------------
// ISO 11649 RF creditor reference: "RF" + 2 check digits + 1..21 alphanumerics (25 characters at most).
// Check digits are ISO 7064 MOD 97-10 as for IBAN: move "RF"+check to the end, letters A=10..Z=35,
// and the whole number mod 97 must be 1.

const RF_MAX_REFERENCE_LENGTH = 21;

/** `r` extended by one character of 0-9A-Z, its value 0..35, mod 97. */
const mod97Step = (r: number, c: number): number => (c <= 57 ? r * 10 + (c - 48) : r * 100 + (c - 55)) % 97;

/** Remainder mod 97 of the number obtained by replacing letters A..Z with 10..35 (digit by digit, no bigint). */
function mod97(alnum: string): number {
  let r = 0;
  for (let i = 0; i < alnum.length; i++) r = mod97Step(r, alnum.charCodeAt(i));
  return r;
}

/** Builds an RF reference from any string: non-alphanumerics are dropped and letters uppercased. */
export function rfReference(base: string): string {
  const ref = base.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  if (ref.length === 0 || ref.length > RF_MAX_REFERENCE_LENGTH) {
    throw new RangeError(
      `RF reference part must have 1..${RF_MAX_REFERENCE_LENGTH} alphanumeric characters (ISO 11649), got ${ref.length} from "${base}"`,
    );
  }
  const check = 98 - mod97(`${ref}RF00`);
  return `RF${String(check).padStart(2, '0')}${ref}`;
}

/**
 * Accepts the electronic form or the print form in groups ("RF18 5390 0754 7034"), any letter case.
 * Check digits outside 02..98 are rejected: ISO 7064 never produces them, and "99" would otherwise pass
 * wherever "02" is correct (they differ by 97).
 */
export function isValidRfReference(ref: string): boolean {
  // Cash application asks this of every candidate in every remittance text: no regex, no string built.
  const s = /^[0-9A-Z]*$/.test(ref) ? ref : compact(ref).toUpperCase();
  if (s.length < 5 || s.length > 4 + RF_MAX_REFERENCE_LENGTH || !s.startsWith('RF')) return false;
  const c2 = s.charCodeAt(2);
  const c3 = s.charCodeAt(3);
  if (!isDigitCode(c2) || !isDigitCode(c3)) return false;
  const check = (c2 - 48) * 10 + (c3 - 48);
  if (check < 2 || check > 98) return false;
  let r = 0;
  for (let i = 4; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigitCode(c) && !(c >= 65 && c <= 90)) return false;
    r = mod97Step(r, c);
  }
  // The reference moved in front of "RF" and the check digits: R = 27, F = 15.
  return mod97Step(mod97Step(mod97Step(mod97Step(r, 82), 70), c2), c3) === 1;
}

const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;

// ---------------------------------------------------------------------------------------------------------
// Norwegian KID (kundeidentifikasjon): 2..25 digits, the last a MOD10 (Luhn) or MOD11 check digit; which
// one is fixed in the payee's OCR agreement with the bank.

const KID_MAX_LENGTH = 25;
export type KidScheme = 'MOD10' | 'MOD11';

function digitsOnly(base: string, what: string, maxLength: number): void {
  if (!new RegExp(`^\\d{1,${maxLength}}$`).test(base)) {
    throw new RangeError(`${what} base must be 1..${maxLength} digits, got "${base}"`);
  }
}

/** Luhn: from the right, double every second digit starting with the one next to the check digit. */
function luhnCheckDigit(base: string): number {
  let sum = 0;
  for (let i = 0; i < base.length; i++) {
    let d = Number(base[base.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * MOD11: weights 2,3,4,5,6,7 repeating from the right; check = 11 - (sum mod 11), 11 -> 0. Remainder 1
 * gives 10, which the KID scheme prints as "-"; we return null for it and never issue or accept such KIDs.
 */
function mod11CheckDigit(base: string): number | null {
  let sum = 0;
  for (let i = 0; i < base.length; i++) sum += Number(base[base.length - 1 - i]) * (2 + (i % 6));
  const r = sum % 11;
  return r === 0 ? 0 : r === 1 ? null : 11 - r;
}

export function kidMod10(base: string): string {
  digitsOnly(base, 'KID', KID_MAX_LENGTH - 1);
  return `${base}${luhnCheckDigit(base)}`;
}

/** Throws for bases whose MOD11 check would be "-"; pick another base (e.g. next sequence number) or use MOD10. */
export function kidMod11(base: string): string {
  digitsOnly(base, 'KID', KID_MAX_LENGTH - 1);
  const check = mod11CheckDigit(base);
  if (check === null)
    throw new RangeError(`KID base "${base}" has MOD11 check digit "-" (remainder 1), which we do not issue`);
  return `${base}${check}`;
}

/** With a scheme, checks only that one; without, accepts a KID valid under either (payee agreement unknown). */
export function isValidKid(kid: string, scheme?: KidScheme): boolean {
  const s = compact(kid);
  if (!new RegExp(`^\\d{2,${KID_MAX_LENGTH}}$`).test(s)) return false;
  const base = s.slice(0, -1);
  const check = Number(s.slice(-1));
  const mod10 = scheme !== 'MOD11' && luhnCheckDigit(base) === check;
  const mod11 = scheme !== 'MOD10' && mod11CheckDigit(base) === check;
  return mod10 || mod11;
}

// ---------------------------------------------------------------------------------------------------------
// Belgian structured communication (OGM/VCS): 10 digits + 2 check digits = base mod 97, where 0 becomes 97.
// Printed as +++ddd/dddd/ddddd+++ (banks also accept *** as delimiters).

export function belgianStructuredCommunication(base10digits: string): string {
  if (!/^\d{10}$/.test(base10digits)) {
    throw new RangeError(`Belgian structured communication base must be exactly 10 digits, got "${base10digits}"`);
  }
  const check = Number(base10digits) % 97 || 97; // 10 digits < 2^53, so Number is exact
  const d = `${base10digits}${String(check).padStart(2, '0')}`;
  return `+++${d.slice(0, 3)}/${d.slice(3, 7)}/${d.slice(7)}+++`;
}

/** Accepts +++ddd/dddd/ddddd+++ or ***ddd/dddd/ddddd*** (slashes optional) or the bare 12 digits; spaces ignored. */
export function isValidBelgianStructuredCommunication(s: string): boolean {
  const c = compact(s);
  const m = /^(\+{3}|\*{3})(\d{3})\/?(\d{4})\/?(\d{5})\1$/.exec(c);
  const digits = m !== null ? m.slice(2).join('') : /^\d{12}$/.test(c) ? c : null;
  return digits !== null && (Number(digits.slice(0, 10)) % 97 || 97) === Number(digits.slice(10));
}

// ---------------------------------------------------------------------------------------------------------
// Dutch betalingskenmerk (acceptgiro / Currence, now Betaalvereniging Nederland), 16-digit form:
// check digit first, then 15 digits. Weighted modulus 11 with weights 2,4,8,5,10,9,7,3,6,1 from the right
// (repeating); C = 11 - (sum mod 11), with 10 -> 1 and 11 -> 0. Source: Betaalvereniging Nederland,
// "Specificaties betalingskenmerk". Only the 16-digit form is issued and validated here; the spec's shorter
// forms (7 digits without check, 9..14 digits with a length code) are not supported.
// Note the 10 -> 1 mapping: remainders 1 and 10 share check digit 1, so, unlike RF/OGM/KID-MOD11, a single
// wrong digit can go undetected when the check digit is 1.

const NL_WEIGHTS = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1] as const;
const NL_BASE_LENGTH = 15;

function dutchCheckDigit(base15: string): number {
  let sum = 0;
  for (let i = 0; i < base15.length; i++) {
    sum += Number(base15[base15.length - 1 - i]) * (NL_WEIGHTS[i % NL_WEIGHTS.length] ?? 0);
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 1 : c === 11 ? 0 : c;
}

/** Builds the 16-digit betalingskenmerk from up to 15 digits, left-padded with zeros as in the spec's example. */
export function dutchPaymentReference(base: string): string {
  digitsOnly(base, 'Dutch payment reference', NL_BASE_LENGTH);
  const base15 = base.padStart(NL_BASE_LENGTH, '0');
  return `${dutchCheckDigit(base15)}${base15}`;
}

/** Accepts the 16 digits with or without spaces (e.g. "5000 0567 8901 2345"). */
export function isValidDutchPaymentReference(ref: string): boolean {
  const s = compact(ref);
  return /^\d{16}$/.test(s) && dutchCheckDigit(s.slice(1)) === Number(s[0]);
}

// ---------------------------------------------------------------------------------------------------------
// The reference an invoice carries, per the seller legal entity's scheme.

export const PAYMENT_REFERENCE_SCHEMES = ['rf', 'kid', 'nl'] as const;
export type PaymentReferenceScheme = (typeof PAYMENT_REFERENCE_SCHEMES)[number];

/**
 * Every scheme from the same numeric base: the entity's reference number, the year and the sequence number
 * (at most 4 + 4 + 7 = 15 digits, the Dutch maximum). Unique by construction: the entity number is unique, year and
 * sequence have fixed widths, and a series numbers each (entity, year) once; the invoice number's prefix plays no
 * part, so no two prefixes can ever give the same reference.
 */
export function invoicePaymentReference(
  scheme: PaymentReferenceScheme,
  invoice: { entityNo: number; year: number; sequence: number },
): string {
  if (!Number.isSafeInteger(invoice.entityNo) || invoice.entityNo < 1 || invoice.entityNo > 9999) {
    throw new RangeError(`entityNo must be 1..9999, got ${invoice.entityNo}`);
  }
  // Fixed widths keep the base unique: a longer year or sequence would shift digits into the entity's part.
  if (!Number.isSafeInteger(invoice.year) || invoice.year < 1000 || invoice.year > 9999) {
    throw new RangeError(`year must have 4 digits, got ${invoice.year}`);
  }
  if (!Number.isSafeInteger(invoice.sequence) || invoice.sequence < 0 || invoice.sequence > 9_999_999) {
    throw new RangeError(`sequence must be 0..9999999 (7 digits), got ${invoice.sequence}`);
  }
  const base = `${invoice.entityNo}${invoice.year}${String(invoice.sequence).padStart(7, '0')}`;
  if (scheme === 'rf') return rfReference(base);
  return scheme === 'kid' ? kidMod10(base) : dutchPaymentReference(base);
}
