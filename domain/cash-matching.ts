/**
 * Cash application: which open invoices a bank credit pays. Pure and deterministic (the same input gives the same
 * output) and linear: hash indexes over the open items, the settled items and the customers are built once, and
 * each line does a bounded number of lookups.
 *
 * The tiers run in order, each over the lines the earlier ones left, so strong evidence claims an invoice before
 * weak evidence can take it:
 *   0  debits, fees, returns and other non-credits are ignored; a currency no open item has is an exception
 *   1  a structured reference (field or text) with a valid check digit equal to an invoice's payment reference
 *   2  invoice numbers in the text (and in structured references that are not valid ones): exact whatever the
 *      separators, prefix, case and leading zeros; with one wrong or swapped digit only for an equal amount
 *   3  the payer (its IBAN known for a customer, else a similar name) and one of its items with exactly the amount
 *   4  the payer and one set of 2..subsetSumMaxItems of its oldest items adding up to the amount
 * An invoice found by tier 1 or 2 takes a payment short by no more than the tolerance in full (the difference is a
 * deduction), a larger shortfall as a partial payment, and an over-payment up to its balance (the rest is unapplied
 * cash) unless the rest pays other old items of the customer exactly. A possible duplicate is never applied: a line
 * for exactly the total of an invoice settled in this run or listed in `settled`, or for exactly what an earlier line
 * of this run paid the same invoice. A valid reference to an invoice in another currency is an exception; a loose
 * number in the text is not. A tier 1-2 candidate too weak to apply lets the later tiers try; if they find nothing
 * better, it is the exception's suggestion. Tier 3 finds an item by the amount it was open for at the start.
 *
 * Confidence (copied to the README). An invoice identified by reference or number, by how the amount fits it:
 *
 *   identified by            equal   several  short   partial  over   subset
 *   STRUCTURED_REFERENCE     0.99    0.97     0.97    0.95     0.95   0.92
 *   INVOICE_NUMBER_IN_TEXT   0.95    0.93     0.93    0.85     0.85   0.88
 *   FUZZY_INVOICE_NUMBER     0.85    -        -       -        -      -
 *
 *   several: the invoices named in the line add up to the amount; short: SHORT_WITHIN_TOLERANCE;
 *   subset: the named invoices plus other oldest items of the customer add up to the amount (SUBSET_SUM)
 *
 * then, by who paid: +0.06 when the payer's IBAN is known for the invoice's customer (IBAN_KNOWN), else +0.03 when
 * the payer's name is similar to the customer's (NAME_SIMILAR); -0.05 (reference) or -0.15 (number) when the IBAN
 * is known, but only for other customers. A customer identified by the payer, with the amount:
 *
 *   IBAN_KNOWN   + AMOUNT_EQUAL (one open item)    0.90        +0.03 when the name is similar too
 *   IBAN_KNOWN   + SUBSET_SUM                      0.87        +0.03 when the name is similar too
 *   NAME_EQUAL   + AMOUNT_EQUAL                    0.90        the folded names are the same (case, accents,
 *   NAME_EQUAL   + SUBSET_SUM                      0.80        punctuation and legal forms aside)
 *   NAME_SIMILAR + AMOUNT_EQUAL                    0.70-0.80   linear in the similarity, threshold to 1
 *   NAME_SIMILAR + SUBSET_SUM                      0.60-0.70
 *
 * Capped at 0.99. Applied at or above policy.autoApplyThreshold; below it the line is an exception with the
 * candidate as its first suggestion. Several candidates (AMBIGUOUS) are ranked suggestions, each with its confidence
 * divided by their number. A possible duplicate or a currency mismatch keeps the confidence of the identification;
 * an ignored line has 1, a line without any candidate 0.
 */
import { assertSafeInteger } from './money.js';
import {
  isValidBelgianStructuredCommunication,
  isValidDutchPaymentReference,
  isValidKid,
  isValidRfReference,
} from './payment-reference.js';

export interface OpenItem {
  invoiceId: string;
  number: string;
  customerId: string;
  currency: string;
  /** Minor units, > 0. */
  openAmount: number;
  /** YYYY-MM-DD: the oldest items are the ones a payment for several is assumed to cover. */
  dueDate: string;
  paymentReference: string | null;
}

/** Recently settled: to spot a payment booked twice. */
export interface SettledItem {
  invoiceId: string;
  number: string;
  customerId: string;
  currency: string;
  total: number;
  paymentReference: string | null;
}

/** `ibans` are learned from earlier matches and manual resolutions. */
export interface KnownCustomer {
  customerId: string;
  name: string;
  ibans: string[];
}

export interface MatchLine {
  lineIndex: number;
  /** Minor units, >= 0. */
  amount: number;
  currency: string;
  direction: 'credit' | 'debit';
  kind: 'transfer' | 'direct_debit' | 'card' | 'fee' | 'return' | 'other';
  counterpartyName?: string;
  counterpartyIban?: string;
  structuredReferences: string[];
  remittanceText?: string;
}

export interface MatchPolicy {
  /** 0..1: a line is applied automatically at or above this confidence. */
  autoApplyThreshold: number;
  /** A short payment within both limits (minor units; basis points of the open amount) settles the invoice. */
  shortTolerance: { absolute: number; percentBp: number };
  /** At most this many items in one payment found by subset sum (1..6)... */
  subsetSumMaxItems: number;
  /** ...out of the customer's this many oldest open items (1..30). */
  subsetSumMaxCandidates: number;
}

export const DEFAULT_MATCH_POLICY: MatchPolicy = Object.freeze({
  autoApplyThreshold: 0.9,
  shortTolerance: Object.freeze({ absolute: 500, percentBp: 100 }),
  subsetSumMaxItems: 5,
  subsetSumMaxCandidates: 20,
});

export const REASON_CODES = [
  'STRUCTURED_REFERENCE',
  'INVOICE_NUMBER_IN_TEXT',
  'FUZZY_INVOICE_NUMBER',
  'IBAN_KNOWN',
  'NAME_SIMILAR',
  'NAME_EQUAL',
  'AMOUNT_EQUAL',
  'SUBSET_SUM',
  'PARTIAL',
  'OVERPAYMENT',
  'SHORT_WITHIN_TOLERANCE',
  'POSSIBLE_DUPLICATE',
  'NO_CANDIDATE',
  'NOT_A_CUSTOMER_CREDIT',
  'CURRENCY_MISMATCH',
  'AMBIGUOUS',
  /** What was left over paid the dunning fees and interest of the invoices paid (db/charge-payments.ts). */
  'DUNNING_CHARGES',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
const REASON_ORDINAL = new Map<ReasonCode, number>(REASON_CODES.map((code, i) => [code, i + 1]));

export interface Allocation {
  invoiceId: string;
  amount: number;
}

/** For a possible duplicate or a currency mismatch, the invoices concerned with no allocations. */
export interface Suggestion {
  invoiceIds: string[];
  allocations: Allocation[];
  confidence: number;
  reasons: ReasonCode[];
}

export interface LineMatch {
  lineIndex: number;
  status: 'matched' | 'partially_matched' | 'exception' | 'ignored';
  customerId?: string;
  /** Applied automatically; empty unless matched or partially matched. */
  allocations: readonly Allocation[];
  /** To the customer's unapplied cash (over-payment). */
  unapplied: number;
  /** A short payment within tolerance, written off. */
  deduction?: { invoiceId: string; amount: number };
  confidence: number;
  reasons: ReasonCode[];
  /** Ranked, best first, for an exception. */
  suggestions: readonly Suggestion[];
}

export function matchLines(
  lines: readonly MatchLine[],
  openItems: readonly OpenItem[],
  context: { settled: readonly SettledItem[]; customers: readonly KnownCustomer[] },
  policy: MatchPolicy = DEFAULT_MATCH_POLICY,
): LineMatch[] {
  assertPolicy(policy);
  // The message is only built for a bad amount: a string per line and item is garbage the GC pays for at 1M.
  lines.forEach((line, i) => isAmount(line.amount, 0) || assertAmount(line.amount, `lines[${i}].amount`, 0));
  openItems.forEach(
    (item, i) => isAmount(item.openAmount, 1) || assertAmount(item.openAmount, `openItems[${i}].openAmount`, 1),
  );
  return new CashMatcher(openItems, context.settled, context.customers, policy).match(lines);
}

// ---------------------------------------------------------------------------------------------------------------
// Confidence

type Source = 'reference' | 'number' | 'fuzzy';
type Fit = 'equal' | 'several' | 'short' | 'partial' | 'over' | 'subset';

const IDENTIFIED_CONFIDENCE: Record<Source, Partial<Record<Fit, number>>> = {
  reference: { equal: 0.99, several: 0.97, short: 0.97, partial: 0.95, over: 0.95, subset: 0.92 },
  number: { equal: 0.95, several: 0.93, short: 0.93, partial: 0.85, over: 0.85, subset: 0.88 },
  fuzzy: { equal: 0.85 },
};
const SOURCE_REASON: Record<Source, ReasonCode> = {
  reference: 'STRUCTURED_REFERENCE',
  number: 'INVOICE_NUMBER_IN_TEXT',
  fuzzy: 'FUZZY_INVOICE_NUMBER',
};
const FIT_REASON: Record<Fit, ReasonCode> = {
  equal: 'AMOUNT_EQUAL',
  several: 'AMOUNT_EQUAL',
  short: 'SHORT_WITHIN_TOLERANCE',
  partial: 'PARTIAL',
  over: 'OVERPAYMENT',
  subset: 'SUBSET_SUM',
};
const PAYER_IBAN_BONUS = 0.06;
const PAYER_NAME_BONUS = 0.03;
const OTHER_CUSTOMERS_IBAN_PENALTY: Record<Source, number> = { reference: 0.05, number: 0.15, fuzzy: 0.15 };
const CUSTOMER_CONFIDENCE = {
  iban: { equal: 0.9, subset: 0.87 },
  name: { equal: 0.7, subset: 0.6 },
  nameEqual: { equal: 0.9, subset: 0.8 },
} as const;
const NAME_CONFIDENCE_SPAN = 0.1;
const MAX_CONFIDENCE = 0.99;

const confidence = (x: number): number => Math.round(Math.min(MAX_CONFIDENCE, Math.max(0, x)) * 1000) / 1000;

// ---------------------------------------------------------------------------------------------------------------
// Input checks

const MAX_SUBSET_ITEMS = 6;
const MAX_SUBSET_CANDIDATES = 30; // C(30, <=6) subsets at worst per line: bounded, if slow

const isAmount = (n: number, min: number): boolean => Number.isSafeInteger(n) && n >= min;

function assertAmount(n: number, what: string, min: number): void {
  assertSafeInteger(n, what);
  if (n < min) throw new RangeError(`${what} must be >= ${min}, got ${n}`);
}

function assertPolicy(p: MatchPolicy): void {
  if (!(p.autoApplyThreshold >= 0 && p.autoApplyThreshold <= 1)) {
    throw new RangeError(`autoApplyThreshold must be within 0..1, got ${p.autoApplyThreshold}`);
  }
  assertAmount(p.shortTolerance.absolute, 'shortTolerance.absolute', 0);
  assertAmount(p.shortTolerance.percentBp, 'shortTolerance.percentBp', 0);
  assertAmount(p.subsetSumMaxItems, 'subsetSumMaxItems', 1);
  assertAmount(p.subsetSumMaxCandidates, 'subsetSumMaxCandidates', 1);
  if (p.subsetSumMaxItems > MAX_SUBSET_ITEMS || p.subsetSumMaxCandidates > MAX_SUBSET_CANDIDATES) {
    throw new RangeError(
      `subset sum is bounded to ${MAX_SUBSET_ITEMS} items of ${MAX_SUBSET_CANDIDATES} candidates, got ${p.subsetSumMaxItems} of ${p.subsetSumMaxCandidates}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Characters (ASCII only: anything else separates tokens)

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;
const isAlnum = (c: number): boolean => isDigit(c) || isLetter(c);

/** Digits and upper-case letters only: already normalized (checked per line, so without a regex). */
function isUpperAlnum(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c) && !(c >= 65 && c <= 90)) return false;
  }
  return true;
}

function skip(text: string, from: number, accept: (c: number) => boolean): number {
  let i = from;
  while (i < text.length && accept(text.charCodeAt(i))) i++;
  return i;
}

// ---------------------------------------------------------------------------------------------------------------
// References

const MAX_REFERENCE_LENGTH = 25; // RF and KID alike
const BELGIAN_PRINT_FORM = /^(\+{3}|\*{3})(\d{3})\/?(\d{4})\/?(\d{5})\1$/;

/** Uppercase without whitespace; a Belgian +++ddd/dddd/ddddd+++ as its 12 digits. */
function normalizeReference(ref: string): string {
  if (isUpperAlnum(ref)) return ref; // already normalized, as references mostly are
  const s = ref.replace(/\s+/g, '').toUpperCase();
  const belgian = BELGIAN_PRINT_FORM.exec(s);
  return belgian === null ? s : `${belgian[2]}${belgian[3]}${belgian[4]}`;
}

/** A normalized reference whose check digits hold under one of the schemes we issue or read. */
const isTrustedReference = (ref: string): boolean =>
  isValidRfReference(ref) ||
  isValidKid(ref) ||
  isValidDutchPaymentReference(ref) ||
  isValidBelgianStructuredCommunication(ref);

const normalizeIban = (iban: string): string => (isUpperAlnum(iban) ? iban : iban.replace(/\s+/g, '').toUpperCase());

// ---------------------------------------------------------------------------------------------------------------
// Text: number-like tokens, extracted once per line by one linear scan (no regex over the text)

interface TextScan {
  /** Digit groups not separated by letters: "NL1-INV-2026-000123 ok" gives ["1"] and ["2026", "000123"]. */
  digitRuns: string[][];
  /** "RF" + check digits + alphanumerics, cut at every group boundary of the print form ("RF18 5390 …"). */
  rfCandidates: string[];
}

function scanText(text: string): TextScan {
  const scan: TextScan = { digitRuns: [], rfCandidates: [] };
  let run: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      const end = skip(text, i, isDigit);
      run.push(text.slice(i, end));
      i = end;
    } else if (isLetter(c)) {
      if (run.length > 0) scan.digitRuns.push(run);
      run = [];
      const end = skip(text, i, isLetter);
      if (end - i === 2 && isRfStart(text, i)) collectRf(text, i + 2, scan.rfCandidates);
      i = end;
    } else {
      i++;
    }
  }
  if (run.length > 0) scan.digitRuns.push(run);
  return scan;
}

const isRfStart = (text: string, i: number): boolean =>
  (text.charCodeAt(i) | 32) === 114 &&
  (text.charCodeAt(i + 1) | 32) === 102 &&
  isDigit(text.charCodeAt(i + 2)) &&
  isDigit(text.charCodeAt(i + 3));

/** Every prefix of the reference from `from` (the check digits) that ends where a group of the print form ends. */
function collectRf(text: string, from: number, out: string[]): void {
  let ref = 'RF';
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isAlnum(c)) {
      if (ref.length === MAX_REFERENCE_LENGTH) return;
      ref += String.fromCharCode(isLetter(c) ? c & ~32 : c);
      continue;
    }
    if (ref.length > 4) out.push(ref);
    if (c !== 32 || !isAlnum(text.charCodeAt(i + 1))) return;
  }
  if (ref.length > 4) out.push(ref);
}

// ---------------------------------------------------------------------------------------------------------------
// Invoice numbers: the digit groups after the last letter ("NL1-INV-2026-000123" → "2026", "000123") denote a
// number; "2026-000123", "2026000123" and "inv 2026/123" (the groups padded to the widths the open items use) all
// give its key. Keys up to 15 digits are numbers, so one wrong or swapped digit is a few additions away.

type NumberKey = number | string;
const MAX_NUMERIC_KEY = 1e15; // below 2^53: exact, and digit arithmetic on it stays exact
const MIN_FUZZY_DIGITS = 6; // fewer digits: one typo away from too many other numbers
const MAX_FUZZY_LENGTH = 15; // digits of a number below MAX_NUMERIC_KEY
const MAX_FUZZY_SEEDS = 16;
const MAX_NUMBER_GROUPS = 6;

/** Digit groups after the last letter, or null. */
function numericPart(invoiceNumber: string): string[] | null {
  let from = invoiceNumber.length; // after the last letter: one list, not one per letter (1M numbers are indexed)
  while (from > 0 && !isLetter(invoiceNumber.charCodeAt(from - 1))) from--;
  let groups: string[] | null = null;
  let i = from;
  while (i < invoiceNumber.length) {
    if (isDigit(invoiceNumber.charCodeAt(i))) {
      const end = skip(invoiceNumber, i, isDigit);
      (groups ??= []).push(invoiceNumber.slice(i, end));
      i = end;
    } else {
      i++;
    }
  }
  return groups;
}

/** The number a digit string denotes (leading zeros ignored); null for zero. */
function numberKey(digits: string): NumberKey | null {
  const n = Number(digits);
  if (n === 0) return null;
  return n < MAX_NUMERIC_KEY ? n : digits.slice(skip(digits, 0, (c) => c === 48));
}

/** Groups run[from..] padded with leading zeros to `widths`, or null where a group is wider. */
function padGroups(run: readonly string[], from: number, widths: readonly number[]): string | null {
  let out = '';
  for (let k = 0; k < widths.length; k++) {
    const group = run[from + k] ?? '';
    const width = widths[k] ?? 0;
    if (group.length > width) return null;
    out += group.padStart(width, '0');
  }
  return out;
}

/** The keys of every number one wrong digit or one swap of two adjacent digits away from `digits` (<= 15). */
function forEachTypo(digits: string, visit: (key: number) => void): void {
  const n = Number(digits);
  for (let k = 0, pow = 1; k < digits.length; k++, pow *= 10) {
    const d = Math.floor(n / pow) % 10;
    for (let r = 0; r <= 9; r++) if (r !== d) visit(n + (r - d) * pow);
    const left = Math.floor(n / (pow * 10)) % 10;
    if (k + 1 < digits.length && left !== d) visit(n + (left - d) * pow + (d - left) * pow * 10);
  }
}

/** Two numbers of `length` digits (leading zeros included) one digit or one swap of adjacent digits apart. */
function oneTypoApart(a: number, b: number, length: number): boolean {
  let pow = 10 ** (length - 1);
  let i = 0; // from the left, as the digits are written
  while (i < length && Math.floor(a / pow) % 10 === Math.floor(b / pow) % 10) {
    i++;
    pow /= 10;
  }
  if (i === length) return false;
  const rest = pow; // the digits right of position i, below `rest`
  if (a % rest === b % rest) return true;
  if (i + 1 === length) return false;
  const next = rest / 10;
  const a0 = Math.floor(a / rest) % 10;
  const b0 = Math.floor(b / rest) % 10;
  const a1 = Math.floor(a / next) % 10;
  const b1 = Math.floor(b / next) % 10;
  return a0 === b1 && a1 === b0 && a % next === b % next;
}

/** Upper-case letters and digits only, to see whether an invoice number is written out in full. */
function alnumOnly(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isAlnum(c)) out += String.fromCharCode(isLetter(c) ? c & ~32 : c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Names: folded (case, accents, SEPA transliteration, punctuation), legal forms dropped, compared by the Dice
// coefficient of their character trigrams. Candidates come from an index of tokens and token pairs, never from all
// customers.

const NAME_SIMILARITY_THRESHOLD = 0.8;
const MAX_NAME_LENGTH = 140;
// Customers compared per line: keys are taken rarest first (pairs of tokens mostly) until the block has enough;
// a name shares every key with the customer it names, so the rarest key already holds that customer.
const NAME_BLOCK_ENOUGH = 16;
const NAME_BLOCK_LIMIT = 64; // at most; a key more common than this does not block
const LEGAL_FORMS = new Set(
  (
    'bv nv vof cv bvba sprl vzw gmbh mbh ag kg ohg ug ek ev co as asa ans da ks ab oy oyj aps ' +
    'ltd llc plc inc corp sa sas sarl srl spa limited'
  ).split(' '),
);
const NAME_STOPWORDS = new Set('van der den het ter the and und von des les'.split(' '));
// Letters NFD does not decompose; æ and œ as a and o directly, as the fold below turns "ae" and "oe" into them.
const TRANSLITERATION: Record<string, string> = { ß: 'ss', ø: 'o', æ: 'a', œ: 'o', đ: 'd', ł: 'l', þ: 'th' };

interface NameKey {
  tokens: string[];
  /** The tokens joined: two names are equal when these are. */
  folded: string;
  trigrams: Int32Array;
}

/**
 * Lower-case ASCII tokens of a name in one pass: accents dropped (NFD), "e" after a, o or u dropped so that Müller
 * and MUELLER (SEPA has no umlauts) are both "muller", dots dropped (B.V. is bv), a slash after one letter dropped
 * (A/S is as), anything else a separator.
 */
function nameTokens(name: string): string[] {
  const s = name.slice(0, MAX_NAME_LENGTH).toLowerCase().normalize('NFD');
  const tokens: string[] = [];
  let token = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s.charAt(i);
    if (c >= 0x300 && c <= 0x36f) continue; // combining mark
    if (isAlnum(c)) {
      const last = token.charCodeAt(token.length - 1);
      if (c !== 101 || (last !== 97 && last !== 111 && last !== 117)) token += ch;
    } else if (TRANSLITERATION[ch] !== undefined) {
      token += TRANSLITERATION[ch];
    } else if (c !== 46 && !(c === 47 && token.length === 1)) {
      if (token.length > 0) tokens.push(token);
      token = '';
    }
  }
  if (token.length > 0) tokens.push(token);
  return tokens;
}

function nameKey(name: string): NameKey | null {
  const words = nameTokens(name);
  const distinctive = words.filter((w) => !LEGAL_FORMS.has(w));
  const tokens = distinctive.length > 0 ? distinctive : words;
  if (tokens.length === 0) return null;
  const folded = tokens.join(' ');
  return { tokens, folded, trigrams: trigrams(folded) };
}

const MAX_BLOCKING_TOKENS = 6;

/**
 * Index keys of a name: each pair of its distinctive tokens in any order, far rarer than either token (a name of one
 * token: that token). Two names similar enough share a pair, unless one of them is a single word.
 */
function blockingKeys(name: NameKey): string[] {
  const tokens = [...new Set(name.tokens.filter((t) => t.length >= 3 && !NAME_STOPWORDS.has(t)))]
    .slice(0, MAX_BLOCKING_TOKENS)
    .sort();
  if (tokens.length < 2) return tokens;
  const keys: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (let j = i + 1; j < tokens.length; j++) keys.push(`${tokens[i]} ${tokens[j]}`);
  }
  return keys;
}

function trigrams(s: string): Int32Array {
  const padded = ` ${s} `;
  const out = new Int32Array(padded.length - 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = (padded.charCodeAt(i) << 16) | (padded.charCodeAt(i + 1) << 8) | padded.charCodeAt(i + 2);
  }
  return out.sort();
}

function dice(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return (2 * common) / (a.length + b.length);
}

// ---------------------------------------------------------------------------------------------------------------
// Subset sum

const SUBSET_SOLUTION_LIMIT = 3; // one is a match, two are an exception; the third only adds a suggestion

/**
 * Index sets (ascending) of minSize..maxSize of the positive `amounts` adding up to `target`, at most `limit`.
 * With amounts oldest first, the sets come oldest first: by their youngest member, then lexicographically.
 */
function subsetSums(
  amounts: readonly number[],
  target: number,
  minSize: number,
  maxSize: number,
  limit: number,
): number[][] {
  const found: number[][] = [];
  const prefixSum = [0];
  for (const amount of amounts) prefixSum.push(prefixSum[prefixSum.length - 1]! + amount);
  const chosen: number[] = [];
  /** Members below `youngest` adding up to `left`, with room for `room` more. */
  const visit = (from: number, youngest: number, left: number, room: number): void => {
    if (left === 0) {
      if (chosen.length + 1 >= minSize) found.push([...chosen, youngest]);
      return;
    }
    if (room === 0 || prefixSum[youngest]! - prefixSum[from]! < left) return;
    for (let i = from; i < youngest && found.length < limit; i++) {
      const amount = amounts[i]!;
      if (amount > left) continue;
      chosen.push(i);
      visit(i + 1, youngest, left - amount, room - 1);
      chosen.pop();
    }
  };
  for (let youngest = 0; youngest < amounts.length && found.length < limit; youngest++) {
    const left = target - amounts[youngest]!;
    if (left >= 0) visit(0, youngest, left, maxSize - 1);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Indexes

const NONE: readonly number[] = [];

/**
 * A hash index from integer keys (below 2^53) to rows: open addressing over plain arrays of numbers (on the heap:
 * typed arrays of this size are external memory, and each 64 MB of it costs a full GC of the caller's heap).
 * A slot per distinct key, its rows chained (the latest first): a key of many rows (a common price) is one slot,
 * not a run of slots every other probe would have to walk. A slot's key and head, and an entry's row and next,
 * sit side by side: at a million keys every probe is a cache miss, one rather than two. Keys that are strings
 * (numbers too long to be exact) go to a Map.
 */
const MAX_LOAD = 0.75; // linear probing stays short, and big tables stay half the size of a 0.5 load

class NumberIndex {
  /** Per slot s: its key at 2s, its key's latest entry at 2s + 1 (-1: empty slot). */
  private slots: number[];
  private mask: number;
  private distinctKeys = 0;
  /** Per entry e: its row at 2e, the key's previous entry at 2e + 1 (-1: none). */
  private readonly entries: number[];
  private entryCount = 0;
  private readonly long = new Map<string, number[]>();

  /** Sized for `expected` rows up front: growing a big table is what makes the garbage collector work. */
  constructor(expected = 0) {
    let size = 1024;
    while (size * MAX_LOAD < expected) size *= 2;
    this.slots = emptySlots(size);
    this.mask = size - 1;
    this.entries = new Array<number>(2 * expected).fill(0);
  }

  add(key: NumberKey, row: number): void {
    if (typeof key === 'string') {
      const rows = this.long.get(key);
      if (rows) rows.push(row);
      else this.long.set(key, [row]);
      return;
    }
    let slot = this.slot(key);
    if (this.slots[2 * slot + 1] === -1) {
      if (this.distinctKeys + 1 > (this.mask + 1) * MAX_LOAD) {
        this.growSlots();
        slot = this.slot(key);
      }
      this.distinctKeys++;
      this.slots[2 * slot] = key;
    }
    const entry = this.entryCount++; // within the size expected, or appended past it
    this.entries[2 * entry] = row;
    this.entries[2 * entry + 1] = this.slots[2 * slot + 1]!;
    this.slots[2 * slot + 1] = entry;
  }

  /** The key's rows in the order they were added. */
  get(key: NumberKey): readonly number[] {
    if (typeof key === 'string') return this.long.get(key) ?? NONE;
    const head = this.firstEntry(key);
    if (head === -1) return NONE;
    let count = 0;
    for (let entry = head; entry !== -1; entry = this.entryNextOf(entry)) count++;
    const found = new Array<number>(count);
    for (let entry = head; entry !== -1; entry = this.entryNextOf(entry)) found[--count] = this.entryRowOf(entry);
    return found;
  }

  /** The key's latest entry (-1: none); entryNextOf and entryRowOf walk its rows without allocating a list. */
  firstEntry(key: number): number {
    return this.slots[2 * this.slot(key) + 1]!;
  }

  entryNextOf(entry: number): number {
    return this.entries[2 * entry + 1]!;
  }

  entryRowOf(entry: number): number {
    return this.entries[2 * entry]!;
  }

  /** How many rows the key has, counted up to `cap` + 1 only: a common price has thousands. */
  countUpTo(key: NumberKey, cap: number): number {
    if (typeof key === 'string') return Math.min(cap + 1, this.long.get(key)?.length ?? 0);
    let count = 0;
    for (let entry = this.firstEntry(key); entry !== -1 && count <= cap; entry = this.entryNextOf(entry)) count++;
    return count;
  }

  /** The key's slot, or the empty slot where it would go. */
  private slot(key: number): number {
    const { slots, mask } = this;
    let slot = slotOf(key, mask);
    while (slots[2 * slot + 1] !== -1 && slots[2 * slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  private growSlots(): void {
    const old = this.slots;
    this.slots = emptySlots(2 * (this.mask + 1));
    this.mask = 2 * this.mask + 1;
    for (let s = 0; s < old.length; s += 2) {
      if (old[s + 1] === -1) continue;
      const slot = this.slot(old[s]!);
      this.slots[2 * slot] = old[s]!;
      this.slots[2 * slot + 1] = old[s + 1]!;
    }
  }
}

/** `size` empty slots: key 0.5 (never a key, and it keeps the list one of doubles from the start), head -1. */
function emptySlots(size: number): number[] {
  const slots = new Array<number>(2 * size);
  for (let i = 0; i < slots.length; i += 2) {
    slots[i] = 0.5;
    slots[i + 1] = -1;
  }
  return slots;
}

/**
 * A hash index from strings to rows: each string hashed to 53 bits in a NumberIndex, a hit confirmed against the
 * string. Far cheaper than a Map of a million strings to build and to probe.
 */
class StringIndex {
  private readonly byHash: NumberIndex;
  private readonly keys: string[];
  private readonly rows: number[];
  private size = 0;

  constructor(expected = 0) {
    this.byHash = new NumberIndex(expected);
    this.keys = new Array<string>(expected).fill('');
    this.rows = new Array<number>(expected).fill(0);
  }

  add(key: string, row: number): void {
    const entry = this.size++; // within the size expected, or appended past it
    this.byHash.add(hashString(key), entry);
    this.keys[entry] = key;
    this.rows[entry] = row;
  }

  /** The key's rows in the order they were added (the hash chain has the latest first). */
  get(key: string): readonly number[] {
    return this.getUpTo(key, Infinity) ?? NONE;
  }

  /** The key's rows as get() gives them, or null when it has more than `cap`: a common key is not listed. */
  getUpTo(key: string, cap: number): readonly number[] | null {
    const { byHash } = this;
    let found: number[] | undefined;
    for (let e = byHash.firstEntry(hashString(key)); e !== -1; e = byHash.entryNextOf(e)) {
      const entry = byHash.entryRowOf(e);
      if (this.keys[entry] !== key) continue;
      if (found === undefined)
        found = [this.rows[entry]!]; // mostly one row: a list of one, not of a push's 17
      else if (found.length === cap) return null;
      else found.push(this.rows[entry]!);
    }
    return found === undefined ? NONE : found.reverse();
  }

  /** The first row of the key, or undefined. */
  first(key: string): number | undefined {
    const { byHash } = this;
    let first: number | undefined;
    for (let e = byHash.firstEntry(hashString(key)); e !== -1; e = byHash.entryNextOf(e)) {
      const entry = byHash.entryRowOf(e);
      if (this.keys[entry] === key) first = this.rows[entry];
    }
    return first;
  }
}

/** Two FNV-1a hashes of the string in 53 bits: a collision only costs a string comparison. */
function hashString(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + (b >>> 11);
}

/** Mixes both 32-bit halves of an integer key into a table position. */
function slotOf(key: number, mask: number): number {
  let h = Math.imul((key >>> 0) ^ Math.imul(Math.floor(key / 4294967296), 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  return Math.imul(h, 0xc2b2ae35) & mask;
}

const distinct = (rows: readonly number[]): number[] => (rows.length < 2 ? [...rows] : [...new Set(rows)]);

// ---------------------------------------------------------------------------------------------------------------
// The matcher

const CUSTOMER_CREDIT_KINDS: ReadonlySet<MatchLine['kind']> = new Set(['transfer', 'direct_debit', 'card']);
const MAX_SUGGESTIONS = 5;

interface Part {
  row: number;
  amount: number;
}

interface Candidate {
  customer: number;
  parts: Part[];
  unapplied: number;
  deduction: Part | undefined;
  confidence: number;
  reasons: ReasonCode[];
}

/** A final exception about named invoices (possible duplicate, other currency): nothing to allocate. */
interface Flag {
  kind: 'flag';
  reasons: ReasonCode[];
  confidence: number;
  invoiceIds: string[];
  customer: number | undefined;
}

interface Candidates {
  kind: 'candidates';
  candidates: Candidate[];
}

type Outcome = Candidates | Flag;

/** What one reference or invoice number in the line points at. */
interface Mention {
  rows: readonly number[];
  settled: readonly number[];
}

/** What the references or the numbers of a line name, resolved once per tier. */
interface Named {
  source: Source;
  /** Per mention, its open items in the line's currency with a balance left. */
  live: number[][];
  /** Every open item named, whatever its balance and currency. */
  rows: readonly number[];
  settled: readonly number[];
}

type PayerCustomer =
  { customer: number; via: 'iban' } | { customer: number; via: 'name'; similarity: number; equal: boolean };

interface LineNumbers {
  keys: NumberKey[];
  /** Digit strings to look for one typo away from: numbers written with enough digits, possibly padded. */
  fuzzySeeds: string[];
}

/** A line being matched: its fields copied into one shape whatever the caller's objects, and what was read so far. */
interface Work {
  readonly index: number;
  readonly lineIndex: number;
  readonly amount: number;
  /** Row of the currency among the open items' currencies. */
  readonly currency: number;
  readonly text: string;
  readonly references: readonly string[];
  readonly iban: string | undefined;
  readonly payerName: string | undefined;
  alnumText: string | undefined;
  /** The remittance text scanned once, for the reference tier and the number tier alike. */
  scan: TextScan | undefined;
  ibanCustomers: readonly number[] | undefined;
  name: NameKey | null | undefined;
  payers: PayerCustomer[] | undefined;
  /** The best tier 1-2 result too weak to apply, while later tiers try. */
  fallback: Candidates | undefined;
}

interface Tier {
  run: (work: Work) => Outcome | undefined;
  /** A weak result of this tier lets the later tiers try. */
  weakFallsThrough: boolean;
}

const MAX_CURRENCIES = 256; // in an amount key: amount * 256 + currency stays exact below 3.5e13 minor units
const MAX_FUZZY_SCAN = 64; // items with the line's amount compared digit by digit; more: look the typos up

class CashMatcher {
  private readonly remaining: Float64Array;
  /** Per item, the amount of the last line of this run that paid it alone (0: none). */
  private readonly paidInRun: Float64Array;
  private readonly openAmount: Float64Array;
  private readonly itemCustomer: Int32Array;
  private readonly itemCurrency: Int32Array;
  /** Per item, how many digits its number has (more than MAX_FUZZY_LENGTH: one more) and their value. */
  private readonly numberDigits: Uint8Array;
  private readonly numberValue: Float64Array;
  private readonly settledCustomer: Int32Array;
  private readonly settledCurrency: Int32Array;
  private readonly settledTotal: Float64Array;
  private readonly openCurrencies = new Set<string>();
  private readonly currencyRows = new Map<string, number>();
  private readonly byReference: StringIndex;
  private readonly byNumber: NumberIndex;
  private readonly byAmount: NumberIndex;
  private readonly settledByReference: StringIndex;
  private readonly settledByNumber: NumberIndex;
  private readonly settledByAmount: NumberIndex;
  /** Lengths of the all-digit references (KID, Dutch, Belgian): the only digit strings worth looking up. */
  private readonly referenceDigitLengths = new Set<number>();
  /** Group widths of multi-group numeric parts, by group count ([4, 6] for "2026-000123"). */
  private readonly shapesByCount = new Map<number, number[][]>();
  private readonly fuzzyLengths = new Set<number>();
  private maxGroups = 1;

  private readonly customerIds: string[] = [];
  private readonly customerRows: StringIndex;
  private readonly customerNames: (NameKey | null)[] = [];
  private readonly customersByIban: StringIndex;
  private readonly customersByNameKey: StringIndex;
  /** Open items grouped by customer: customer c's are from itemStart[c] to itemStart[c + 1]. */
  private readonly itemsByCustomer: Int32Array;
  private readonly itemStart: Int32Array;
  /** Per customer: whether its items are sorted oldest first yet (done when a subset sum first needs them). */
  private readonly sortedOldestFirst: Uint8Array;
  /** Per customer: how many of its sorted items are settled. */
  private readonly liveFrom: Int32Array;

  constructor(
    private readonly items: readonly OpenItem[],
    private readonly settled: readonly SettledItem[],
    customers: readonly KnownCustomer[],
    private readonly policy: MatchPolicy,
  ) {
    this.openAmount = Float64Array.from(items, (item) => item.openAmount);
    this.remaining = this.openAmount.slice();
    this.paidInRun = new Float64Array(items.length);
    this.itemCustomer = new Int32Array(items.length);
    this.itemCurrency = Int32Array.from(items, (item) => this.currencyRow(item.currency));
    this.numberDigits = new Uint8Array(items.length);
    this.numberValue = new Float64Array(items.length);
    this.settledCustomer = new Int32Array(settled.length);
    this.settledCurrency = Int32Array.from(settled, (item) => this.currencyRow(item.currency));
    this.settledTotal = Float64Array.from(settled, (item) => item.total);
    this.byReference = new StringIndex(items.length);
    this.byNumber = new NumberIndex(items.length);
    this.byAmount = new NumberIndex(items.length);
    this.settledByReference = new StringIndex(settled.length);
    this.settledByNumber = new NumberIndex(settled.length);
    this.settledByAmount = new NumberIndex(settled.length);
    this.customerRows = new StringIndex(customers.length);
    this.customersByIban = new StringIndex(customers.reduce((n, c) => n + c.ibans.length, 0));
    this.customersByNameKey = new StringIndex(3 * customers.length);
    this.indexCustomers(customers);
    [this.itemStart, this.itemsByCustomer] = this.groupItemsByCustomer();
    this.sortedOldestFirst = new Uint8Array(this.customerIds.length);
    this.liveFrom = new Int32Array(this.customerIds.length);
    this.indexOpenItems();
    this.indexSettledItems();
  }

  match(lines: readonly MatchLine[]): LineMatch[] {
    const results = new Array<LineMatch>(lines.length);
    const [first, ...later]: Tier[] = [
      { run: (w) => this.byStructuredReference(w), weakFallsThrough: true },
      { run: (w) => this.byInvoiceNumber(w), weakFallsThrough: true },
      { run: (w) => this.byCustomerAndAmount(w), weakFallsThrough: false },
      { run: (w) => this.bySubsetSum(w), weakFallsThrough: false },
    ];
    // The first tier runs as the lines are read: most are settled there, and their work is garbage at once. A line
    // left for later is its index (and its weak result, if any), its work read again by each later tier: half the
    // lines wait, and their work kept would outlive young-generation GCs by the hundred thousand.
    let pending: number[] = [];
    const fallbacks = new Map<number, Candidates>();
    const decideAndKeep = (work: Work, tier: Tier): LineMatch | undefined => {
      work.fallback = fallbacks.get(work.index);
      const decided = this.decide(work, tier);
      if (decided === undefined && work.fallback !== undefined) fallbacks.set(work.index, work.fallback);
      return decided;
    };
    lines.forEach((line, index) => {
      const triaged = this.triage(line);
      if (triaged !== undefined) {
        results[index] = triaged;
        return;
      }
      const work = this.work(line, index);
      const decided = decideAndKeep(work, first!);
      if (decided === undefined) pending.push(index);
      else results[index] = this.learnPayer(work, decided);
    });
    // What the reference and number tiers taught about payers counts for the payer tiers that follow: each tier
    // reads the payer afresh.
    for (const [i, tier] of later.entries()) {
      const left: number[] = [];
      for (const index of pending) {
        const work = this.work(lines[index]!, index);
        const decided = decideAndKeep(work, tier);
        if (decided === undefined) left.push(index);
        else results[index] = i === 0 ? this.learnPayer(work, decided) : decided;
      }
      pending = left;
    }
    for (const index of pending) {
      const work = this.work(lines[index]!, index);
      const fallback = fallbacks.get(index);
      results[index] = fallback ? this.exception(work, fallback) : this.noCandidate(work);
    }
    return results;
  }

  /**
   * A line applied by reference or invoice number tells whose the payer's IBAN is (as manual resolutions and earlier
   * files do): later lines from that IBAN in the same file are found by the payer tiers. Only an IBAN nobody is
   * known for yet, so a shared or mistaken account never turns into two owners.
   */
  private learnPayer(work: Work, decided: LineMatch): LineMatch {
    const byReference =
      decided.reasons.includes('STRUCTURED_REFERENCE') || decided.reasons.includes('INVOICE_NUMBER_IN_TEXT');
    if (work.iban !== undefined && decided.customerId !== undefined && decided.allocations.length > 0 && byReference) {
      const iban = normalizeIban(work.iban);
      if (this.customersByIban.get(iban).length === 0) {
        this.customersByIban.add(iban, this.customerRow(decided.customerId));
      }
    }
    return decided;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Building the indexes

  private customerRow(customerId: string): number {
    let row = this.customerRows.first(customerId);
    if (row === undefined) {
      row = this.customerIds.length;
      this.customerRows.add(customerId, row);
      this.customerIds.push(customerId);
      this.customerNames.push(null);
    }
    return row;
  }

  private indexCustomers(customers: readonly KnownCustomer[]): void {
    for (const known of customers) {
      const row = this.customerRow(known.customerId);
      for (const iban of known.ibans) this.customersByIban.add(normalizeIban(iban), row);
      if (this.customerNames[row] !== null) continue; // the first entry of a customer listed twice names it
      const name = nameKey(known.name);
      this.customerNames[row] = name;
      for (const key of name === null ? [] : blockingKeys(name)) this.customersByNameKey.add(key, row);
    }
    this.items.forEach((item, row) => (this.itemCustomer[row] = this.customerRow(item.customerId)));
    this.settled.forEach((item, row) => (this.settledCustomer[row] = this.customerRow(item.customerId)));
  }

  /** Counting sort of the items by customer: one array for all, no array per customer. */
  private groupItemsByCustomer(): [Int32Array, Int32Array] {
    const start = new Int32Array(this.customerIds.length + 1);
    for (const customer of this.itemCustomer) start[customer + 1]!++;
    for (let c = 0; c < this.customerIds.length; c++) start[c + 1]! += start[c]!;
    const next = start.slice(0, -1);
    const rows = new Int32Array(this.items.length);
    this.itemCustomer.forEach((customer, row) => (rows[next[customer]!++] = row));
    return [start, rows];
  }

  private itemsOf(customer: number): Int32Array {
    return this.itemsByCustomer.subarray(this.itemStart[customer], this.itemStart[customer + 1]);
  }

  private indexOpenItems(): void {
    const shapes = new Set<number>();
    this.items.forEach((item, row) => {
      this.openCurrencies.add(item.currency);
      this.byAmount.add(this.amountKey(this.itemCurrency[row]!, item.openAmount), row);
      if (item.paymentReference !== null) {
        const ref = normalizeReference(item.paymentReference);
        this.byReference.add(ref, row);
        if (/^\d+$/.test(ref)) this.referenceDigitLengths.add(ref.length);
      }
      const groups = numericPart(item.number);
      if (groups === null) return;
      const digits = groups.join('');
      this.numberDigits[row] = Math.min(digits.length, MAX_FUZZY_LENGTH + 1);
      this.numberValue[row] = Number(digits);
      const key = numberKey(digits);
      if (key === null) return;
      this.byNumber.add(key, row);
      this.learnShape(groups, shapes);
    });
  }

  private learnShape(groups: readonly string[], seen: Set<number>): void {
    let digits = 0;
    let id = groups.length; // widths in base 64 after the count: one number per shape, no string per item
    for (const group of groups) {
      digits += group.length;
      id = id * 64 + Math.min(group.length, 63);
    }
    if (digits >= MIN_FUZZY_DIGITS && digits <= MAX_FUZZY_LENGTH) this.fuzzyLengths.add(digits);
    this.maxGroups = Math.min(MAX_NUMBER_GROUPS, Math.max(this.maxGroups, groups.length));
    if (groups.length < 2 || groups.length > MAX_NUMBER_GROUPS || seen.has(id)) return;
    seen.add(id);
    const widths = groups.map((g) => g.length);
    const sameCount = this.shapesByCount.get(widths.length);
    if (sameCount === undefined) this.shapesByCount.set(widths.length, [widths]);
    else sameCount.push(widths);
  }

  private indexSettledItems(): void {
    this.settled.forEach((item, row) => {
      this.settledByAmount.add(this.amountKey(this.settledCurrency[row]!, item.total), row);
      if (item.paymentReference !== null) this.settledByReference.add(normalizeReference(item.paymentReference), row);
      const groups = numericPart(item.number);
      const key = groups === null ? null : numberKey(groups.join(''));
      if (key !== null) this.settledByNumber.add(key, row);
    });
  }

  private currencyRow(currency: string): number {
    let row = this.currencyRows.get(currency);
    if (row === undefined) {
      row = this.currencyRows.size;
      this.currencyRows.set(currency, row);
    }
    return row;
  }

  /** One number for (currency, amount) while it stays exact, else a string. */
  private amountKey(currency: number, amount: number): NumberKey {
    const key = amount * MAX_CURRENCIES + currency;
    return currency < MAX_CURRENCIES && Number.isSafeInteger(key) ? key : `${currency}:${amount}`;
  }

  /** Due date, then number, then id, then input order: "oldest first" is a total order. */
  private olderFirst(a: number, b: number): number {
    const x = this.items[a]!;
    const y = this.items[b]!;
    if (x.dueDate !== y.dueDate) return x.dueDate < y.dueDate ? -1 : 1;
    if (x.number !== y.number) return x.number < y.number ? -1 : 1;
    if (x.invoiceId !== y.invoiceId) return x.invoiceId < y.invoiceId ? -1 : 1;
    return a - b;
  }

  // -------------------------------------------------------------------------------------------------------------
  // What the line says, read once and only when a tier needs it

  private work(line: MatchLine, index: number): Work {
    return {
      index,
      lineIndex: line.lineIndex,
      amount: line.amount,
      currency: this.currencyRow(line.currency),
      text: line.remittanceText ?? '',
      references: line.structuredReferences,
      iban: line.counterpartyIban,
      payerName: line.counterpartyName,
      alnumText: undefined,
      scan: undefined,
      ibanCustomers: undefined,
      name: undefined,
      payers: undefined,
      fallback: undefined,
    };
  }

  private scanOf(work: Work): TextScan {
    return (work.scan ??= scanText(work.text));
  }

  private alnumTextOf(work: Work): string {
    return (work.alnumText ??= alnumOnly([work.text, ...work.references].join(' ')));
  }

  /** Whether the item's number digits are one typo away from `seed` (<= 15 digits). */
  private oneTypoFrom(seed: string, row: number): boolean {
    return this.numberDigits[row] === seed.length && oneTypoApart(Number(seed), this.numberValue[row]!, seed.length);
  }

  private ibanCustomersOf(work: Work): readonly number[] {
    const iban = work.iban;
    return (work.ibanCustomers ??= iban === undefined ? NONE : this.customersByIban.get(normalizeIban(iban)));
  }

  private nameOf(work: Work): NameKey | null {
    if (work.name === undefined) {
      const name = work.payerName;
      work.name = name === undefined ? null : nameKey(name);
    }
    return work.name;
  }

  private similarityTo(work: Work, customer: number): number {
    const payer = this.nameOf(work);
    const known = this.customerNames[customer];
    return payer && known ? dice(payer.trigrams, known.trigrams) : 0;
  }

  /** Customers the IBAN is known for; without those, customers with a similar name, most similar first. */
  private payersOf(work: Work): PayerCustomer[] {
    if (work.payers) return work.payers;
    const byIban = this.ibanCustomersOf(work);
    if (byIban.length > 0) return (work.payers = byIban.map((customer) => ({ customer, via: 'iban' })));
    const name = this.nameOf(work);
    return (work.payers = name === null ? [] : this.customersNamed(name));
  }

  private customersNamed(name: NameKey): PayerCustomer[] {
    // A key of more customers than the limit never blocks: counted, not listed (a common word has thousands).
    const postings: (readonly number[])[] = [];
    for (const key of blockingKeys(name)) {
      const rows = this.customersByNameKey.getUpTo(key, NAME_BLOCK_LIMIT);
      if (rows !== null) postings.push(rows);
    }
    postings.sort((a, b) => a.length - b.length);
    const block = new Set<number>();
    for (const rows of postings) {
      if (block.size >= NAME_BLOCK_ENOUGH || block.size + rows.length > NAME_BLOCK_LIMIT) break;
      for (const row of rows) block.add(row);
    }
    const similar: Extract<PayerCustomer, { via: 'name' }>[] = [];
    for (const customer of block) {
      const known = this.customerNames[customer]!;
      const similarity = dice(name.trigrams, known.trigrams);
      if (similarity >= NAME_SIMILARITY_THRESHOLD) {
        similar.push({ customer, via: 'name', similarity, equal: known.folded === name.folded });
      }
    }
    return similar.sort((a, b) => b.similarity - a.similarity || a.customer - b.customer);
  }

  /**
   * Keys of the invoice numbers the text and the structured references may contain (an invoice number may stand
   * where a reference should), and the digit strings to try one typo away from.
   */
  private numbersOf(work: Work): LineNumbers {
    const numbers: LineNumbers = { keys: [], fuzzySeeds: [] };
    const seen = new Set<NumberKey>();
    const inText = this.scanOf(work).digitRuns;
    const runs = work.references.length > 0 ? [...inText, ...scanText(work.references.join(' ')).digitRuns] : inText;
    for (const run of runs) {
      for (let i = 0; i < run.length; i++) {
        let digits = '';
        for (let count = 1; count <= this.maxGroups && i + count <= run.length; count++) {
          digits += run[i + count - 1];
          this.addNumber(numbers, seen, digits, digits.length);
          for (const widths of this.shapesByCount.get(count) ?? []) {
            const padded = padGroups(run, i, widths);
            if (padded !== null) this.addNumber(numbers, seen, padded, digits.length);
          }
        }
      }
    }
    return numbers;
  }

  /** A typo is looked for only in numbers written with enough digits, not in ones padded from "12.1.2026". */
  private addNumber(numbers: LineNumbers, seen: Set<NumberKey>, digits: string, written: number): void {
    const key = numberKey(digits);
    if (key === null || seen.has(key)) return;
    seen.add(key);
    numbers.keys.push(key);
    const fuzzy = written >= MIN_FUZZY_DIGITS && this.fuzzyLengths.has(digits.length);
    if (fuzzy && numbers.fuzzySeeds.length < MAX_FUZZY_SEEDS) numbers.fuzzySeeds.push(digits);
  }

  /** Digit strings of the text as long as an all-digit reference: "5000 0567 8901 2345", "+++090/9337/55493+++". */
  private digitReferencesIn(scan: TextScan, out: string[]): void {
    for (const run of scan.digitRuns) {
      for (let i = 0; i < run.length; i++) {
        let length = 0; // the string is only built for a length some reference has
        for (let j = i; j < run.length && length + run[j]!.length <= MAX_REFERENCE_LENGTH; j++) {
          length += run[j]!.length;
          if (this.referenceDigitLengths.has(length)) out.push(run.slice(i, j + 1).join(''));
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Tier 0

  private triage(line: MatchLine): LineMatch | undefined {
    if (line.direction !== 'credit' || !CUSTOMER_CREDIT_KINDS.has(line.kind) || line.amount === 0) {
      return this.lineMatch(line.lineIndex, 'ignored', { confidence: 1, reasons: ['NOT_A_CUSTOMER_CREDIT'] });
    }
    if (!this.openCurrencies.has(line.currency)) {
      return this.lineMatch(line.lineIndex, 'exception', { confidence: 0, reasons: ['CURRENCY_MISMATCH'] });
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Tier 1: structured references

  private byStructuredReference(work: Work): Outcome | undefined {
    const mentions = this.referenceMentions(work);
    if (mentions.length === 0) return undefined;
    const named = this.named(work, mentions, 'reference');
    return (
      this.paidAgain(work, named) ??
      this.confirmedByAmount(work, named) ??
      this.duplicateOf(work, named) ??
      this.unconfirmedAmount(work, named) ??
      this.otherCurrency(work, named)
    );
  }

  /** References in the field or the text that equal an invoice's and have valid check digits. */
  private referenceMentions(work: Work): Mention[] {
    const scan = this.scanOf(work);
    const refs = work.references.map(normalizeReference);
    for (const rf of scan.rfCandidates) refs.push(rf);
    this.digitReferencesIn(scan, refs);
    const mentions: Mention[] = [];
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i]!;
      if (refs.indexOf(ref) < i) continue; // tried already
      const rows = this.byReference.get(ref);
      const settled = rows.length > 0 ? NONE : this.settledByReference.get(ref); // references are unique
      if ((rows.length > 0 || settled.length > 0) && isTrustedReference(ref)) mentions.push({ rows, settled });
    }
    return mentions;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Tier 2: invoice numbers

  private byInvoiceNumber(work: Work): Outcome | undefined {
    const numbers = this.numbersOf(work);
    const mentions: Mention[] = [];
    for (const key of numbers.keys) {
      const mention = { rows: this.byNumber.get(key), settled: this.settledByNumber.get(key) };
      if (mention.rows.length > 0 || mention.settled.length > 0) mentions.push(mention);
    }
    if (mentions.length === 0) return this.byFuzzyNumber(work, NONE, numbers.fuzzySeeds);
    const named = this.named(work, mentions, 'number');
    // A loose number naming an invoice in another currency is no reason for an exception, unlike a reference.
    return (
      this.paidAgain(work, named) ??
      this.confirmedByAmount(work, named) ??
      this.duplicateOf(work, named) ??
      this.byFuzzyNumber(work, named.rows, numbers.fuzzySeeds) ??
      this.unconfirmedAmount(work, named)
    );
  }

  /**
   * One wrong or swapped digit, and exactly the open amount: among the few items with that amount, digit by digit;
   * among many (a common price), by looking every typo of the number up.
   */
  private byFuzzyNumber(work: Work, exact: readonly number[], seeds: readonly string[]): Outcome | undefined {
    if (seeds.length === 0) return undefined;
    const { amount, currency } = work;
    const key = this.amountKey(currency, amount);
    const fits = (row: number): boolean =>
      this.remaining[row] === amount && this.itemCurrency[row] === currency && !exact.includes(row);
    const found =
      this.byAmount.countUpTo(key, MAX_FUZZY_SCAN) <= MAX_FUZZY_SCAN
        ? this.byAmount.get(key).filter((row) => fits(row) && seeds.some((seed) => this.oneTypoFrom(seed, row)))
        : this.typoNeighbours(seeds, fits);
    if (found.length === 0) return undefined;
    return candidates(this.narrow(work, found, 'fuzzy').map((row) => this.identified(work, 'fuzzy', 'equal', [row])));
  }

  /** Items one typo away from a seed that `fits` accepts, each once, in the order they were indexed per key. */
  private typoNeighbours(seeds: readonly string[], fits: (row: number) => boolean): number[] {
    const { byNumber } = this;
    const rows: number[] = [];
    for (const seed of seeds) {
      forEachTypo(seed, (key) => {
        const from = rows.length;
        for (let e = byNumber.firstEntry(key); e !== -1; e = byNumber.entryNextOf(e)) {
          const row = byNumber.entryRowOf(e);
          if (fits(row) && !rows.includes(row)) rows.push(row);
        }
        if (rows.length - from > 1) rows.splice(from, rows.length - from, ...rows.slice(from).reverse());
      });
    }
    return rows;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Tiers 1-2: the named invoices and the amount

  private named(work: Work, mentions: readonly Mention[], source: Source): Named {
    const one = mentions.length === 1 ? mentions[0] : undefined;
    return {
      source,
      live: mentions.map((m) => this.live(work, m.rows)),
      rows: one ? one.rows : distinct(mentions.flatMap((m) => m.rows)),
      settled: one ? one.settled : distinct(mentions.flatMap((m) => m.settled)),
    };
  }

  /** Open items in the line's currency with a balance left. */
  private live(work: Work, rows: readonly number[]): number[] {
    return rows.filter((row) => this.remaining[row]! > 0 && this.itemCurrency[row] === work.currency);
  }

  /** Of several invoices one key names, those of the payer's IBAN, then those whose full number is in the text. */
  private narrow(work: Work, rows: number[], source: Source): number[] {
    if (rows.length < 2) return rows;
    const payers = this.ibanCustomersOf(work);
    const paid = rows.filter((row) => payers.includes(this.itemCustomer[row]!));
    const candidates = paid.length > 0 ? paid : rows;
    if (candidates.length < 2 || source === 'reference') return candidates;
    const text = this.alnumTextOf(work);
    const written = candidates.filter((row) => text.includes(alnumOnly(this.items[row]!.number)));
    return written.length > 0 ? written : candidates;
  }

  /** The invoice each mention names, when it names exactly one after narrowing; and those of the others. */
  private picks(work: Work, named: Named): { rows: number[]; ambiguous: number[] } {
    const rows: number[] = [];
    const ambiguous: number[] = [];
    for (const live of named.live) {
      const narrowed = this.narrow(work, live, named.source);
      if (narrowed.length === 1) rows.push(narrowed[0]!);
      else ambiguous.push(...narrowed);
    }
    return { rows: distinct(rows), ambiguous: distinct(ambiguous) };
  }

  /** Equal to one named invoice, to all of several, to a subset of them, or short within tolerance. */
  private confirmedByAmount(work: Work, named: Named): Outcome | undefined {
    const { source } = named;
    const amount = work.amount;
    const equal: number[] = [];
    for (const live of named.live) {
      for (const row of live) if (this.remaining[row] === amount && !equal.includes(row)) equal.push(row);
    }
    if (equal.length > 0) {
      return candidates(this.narrow(work, equal, source).map((row) => this.identified(work, source, 'equal', [row])));
    }
    const { rows, ambiguous } = this.picks(work, named);
    if (ambiguous.length > 0 || rows.length === 0) return undefined;
    if (rows.length === 1) {
      return this.withinTolerance(this.remaining[rows[0]!]!, amount)
        ? candidates([this.identified(work, source, 'short', rows)])
        : undefined;
    }
    const amounts = rows.map((row) => this.remaining[row]!);
    const sets = subsetSums(amounts, amount, 2, rows.length, SUBSET_SOLUTION_LIMIT);
    if (sets.length === 0) return undefined;
    return candidates(
      sets.map((set) =>
        this.identified(
          work,
          source,
          'several',
          set.map((i) => rows[i]!),
        ),
      ),
    );
  }

  private withinTolerance(open: number, amount: number): boolean {
    const short = open - amount;
    const { absolute, percentBp } = this.policy.shortTolerance;
    return short > 0 && short <= absolute && short * 10_000 <= percentBp * open;
  }

  /**
   * A named invoice an earlier line of this run paid exactly this amount: the same payment booked twice (a second
   * instalment of the same amount in the same file is as rare, and an exception is the safe side).
   */
  private paidAgain(work: Work, named: Named): Outcome | undefined {
    const again = named.rows.filter((row) => this.paidInRun[row] === work.amount);
    if (again.length === 0) return undefined;
    const fitsAnother = named.live.some((live) =>
      live.some((row) => this.remaining[row] === work.amount && !again.includes(row)),
    );
    if (fitsAnother) return undefined; // e.g. the same number in another entity's series, at the same price
    const { source } = named;
    return this.duplicate(again, [], [SOURCE_REASON[source]], IDENTIFIED_CONFIDENCE[source].equal ?? 0);
  }

  /** A named invoice settled in this run or listed as settled, for exactly the amount: the payment came twice. */
  private duplicateOf(work: Work, named: Named): Outcome | undefined {
    const { amount, currency } = work;
    const consumed = named.rows.filter((row) => this.remaining[row] === 0 && this.itemCurrency[row] === currency);
    const total = consumed.reduce((sum, row) => sum + this.openAmount[row]!, 0);
    const paidAgain = consumed.filter((row) => this.openAmount[row]! === amount);
    const open = paidAgain.length > 0 || total !== amount ? paidAgain : consumed;
    const settled = named.settled.filter(
      (row) => this.settledTotal[row] === amount && this.settledCurrency[row] === currency,
    );
    if (open.length === 0 && settled.length === 0) return undefined;
    const { source } = named;
    return this.duplicate(open, settled, [SOURCE_REASON[source]], IDENTIFIED_CONFIDENCE[source].equal ?? 0);
  }

  /** A partial payment (oldest named invoice first), or an over-payment that may also pay other old items. */
  private unconfirmedAmount(work: Work, named: Named): Outcome | undefined {
    const { source } = named;
    const amount = work.amount;
    const { rows, ambiguous } = this.picks(work, named);
    if (ambiguous.length > 0) {
      return candidates(
        distinct([...rows, ...ambiguous]).map((row) =>
          this.identified(work, source, amount < this.remaining[row]! ? 'partial' : 'over', [row]),
        ),
      );
    }
    if (rows.length === 0) return undefined;
    const total = rows.reduce((sum, row) => sum + this.remaining[row]!, 0);
    if (amount < total) return candidates([this.identified(work, source, 'partial', rows)]);
    return (
      this.withOtherOldItems(work, source, rows, amount - total) ??
      candidates([this.identified(work, source, 'over', rows)])
    );
  }

  /** The named invoices plus other oldest items of their customer adding up to the amount. */
  private withOtherOldItems(work: Work, source: Source, named: number[], rest: number): Outcome | undefined {
    const customer = this.itemCustomer[named[0]!]!;
    const maxExtra = this.policy.subsetSumMaxItems - named.length;
    if (maxExtra < 1 || named.some((row) => this.itemCustomer[row] !== customer)) return undefined;
    const pool = this.oldestLive(customer, work.currency).filter((row) => !named.includes(row));
    const amounts = pool.map((row) => this.remaining[row]!);
    const sets = subsetSums(amounts, rest, 1, maxExtra, SUBSET_SOLUTION_LIMIT);
    if (sets.length === 0) return undefined;
    return candidates(
      sets.map((set) => this.identified(work, source, 'subset', [...named, ...set.map((i) => pool[i]!)])),
    );
  }

  /** Named invoices that exist only in another currency. */
  private otherCurrency(work: Work, named: Named): Outcome | undefined {
    const rows = named.rows.filter((row) => this.remaining[row]! > 0 && this.itemCurrency[row] !== work.currency);
    if (rows.length === 0) return undefined;
    return {
      kind: 'flag',
      reasons: [SOURCE_REASON[named.source], 'CURRENCY_MISMATCH'],
      confidence: IDENTIFIED_CONFIDENCE[named.source].equal ?? 0,
      invoiceIds: rows.map((row) => this.items[row]!.invoiceId),
      customer: this.itemCustomer[rows[0]!],
    };
  }

  /** A candidate for invoices a reference or number named, allocated as the fit says, scored by who paid. */
  private identified(work: Work, source: Source, fit: Fit, rows: readonly number[]): Candidate {
    const amount = work.amount;
    const ordered = rows.length > 1 ? [...rows].sort((a, b) => this.olderFirst(a, b)) : rows;
    const first = ordered[0]!;
    const full = ordered.map((row) => ({ row, amount: this.remaining[row]! }));
    let parts = full;
    let deduction: Part | undefined;
    if (fit === 'short') {
      parts = [{ row: first, amount }];
      deduction = { row: first, amount: this.remaining[first]! - amount };
    } else if (fit === 'partial') {
      parts = oldestFirst(full, amount);
    }
    const customer = this.itemCustomer[first]!;
    const sameCustomer = ordered.every((row) => this.itemCustomer[row] === customer);
    const support = sameCustomer ? this.payerSupport(work, customer, source) : { delta: 0, reasons: [] };
    return {
      customer,
      parts,
      unapplied: amount - parts.reduce((sum, p) => sum + p.amount, 0),
      deduction,
      confidence: confidence((IDENTIFIED_CONFIDENCE[source][fit] ?? 0) + support.delta),
      reasons: [SOURCE_REASON[source], ...support.reasons, FIT_REASON[fit]],
    };
  }

  /** How far who paid supports (or contradicts) an invoice of `customer`. */
  private payerSupport(work: Work, customer: number, source: Source): { delta: number; reasons: ReasonCode[] } {
    const byIban = this.ibanCustomersOf(work);
    if (byIban.includes(customer)) return { delta: PAYER_IBAN_BONUS, reasons: ['IBAN_KNOWN'] };
    if (byIban.length > 0) return { delta: -OTHER_CUSTOMERS_IBAN_PENALTY[source], reasons: [] };
    if (this.similarityTo(work, customer) >= NAME_SIMILARITY_THRESHOLD) {
      return { delta: PAYER_NAME_BONUS, reasons: ['NAME_SIMILAR'] };
    }
    return { delta: 0, reasons: [] };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Tiers 3-4: the payer and the amount

  private byCustomerAndAmount(work: Work): Outcome | undefined {
    const { amount, currency } = work;
    const payers = this.payersOf(work);
    const found: Candidate[] = [];
    const consumed: number[] = [];
    for (const payer of payers) {
      for (const row of this.itemsWithAmount(payer.customer, currency, amount)) {
        if (this.remaining[row] === amount) found.push(this.payerCandidate(work, payer, 'equal', [row]));
        else if (this.remaining[row] === 0) consumed.push(row);
      }
    }
    if (found.length > 0) return candidates(found);
    const settled = this.settledByAmount
      .get(this.amountKey(currency, amount))
      .filter((row) => payers.some((payer) => payer.customer === this.settledCustomer[row]));
    if (consumed.length === 0 && settled.length === 0) return undefined;
    const evidence = this.payerEvidence(work, payers[0]!, 'equal');
    return this.duplicate(consumed, settled, evidence.reasons, evidence.confidence);
  }

  /** The customer's items in the currency whose open amount was `amount`, oldest first: the shorter list scanned. */
  private itemsWithAmount(customer: number, currency: number, amount: number): number[] {
    const key = this.amountKey(currency, amount);
    const own = this.itemsOf(customer);
    const rows: number[] = [];
    if (this.byAmount.countUpTo(key, own.length) <= own.length) {
      for (const row of this.byAmount.get(key)) if (this.itemCustomer[row] === customer) rows.push(row);
    } else {
      for (const row of own) if (this.openAmount[row] === amount && this.itemCurrency[row] === currency) rows.push(row);
    }
    return rows.sort((a, b) => this.olderFirst(a, b));
  }

  private bySubsetSum(work: Work): Outcome | undefined {
    const found: Candidate[] = [];
    for (const payer of this.payersOf(work)) {
      const pool = this.oldestLive(payer.customer, work.currency);
      const amounts = pool.map((row) => this.remaining[row]!);
      const limit = SUBSET_SOLUTION_LIMIT - found.length;
      for (const set of subsetSums(amounts, work.amount, 2, this.policy.subsetSumMaxItems, limit)) {
        found.push(
          this.payerCandidate(
            work,
            payer,
            'subset',
            set.map((i) => pool[i]!),
          ),
        );
      }
      if (found.length >= SUBSET_SOLUTION_LIMIT) break;
    }
    return found.length > 0 ? candidates(found) : undefined;
  }

  /** The customer's oldest items in the currency with a balance left, at most subsetSumMaxCandidates. */
  private oldestLive(customer: number, currency: number): number[] {
    const rows = this.itemsOf(customer);
    if (this.sortedOldestFirst[customer] === 0) {
      rows.sort((a, b) => this.olderFirst(a, b));
      this.sortedOldestFirst[customer] = 1;
    }
    let from = this.liveFrom[customer]!;
    while (from < rows.length && this.remaining[rows[from]!] === 0) from++;
    this.liveFrom[customer] = from;
    const pool: number[] = [];
    for (let i = from; i < rows.length && pool.length < this.policy.subsetSumMaxCandidates; i++) {
      const row = rows[i]!;
      if (this.remaining[row]! > 0 && this.itemCurrency[row] === currency) pool.push(row);
    }
    return pool;
  }

  private payerCandidate(work: Work, payer: PayerCustomer, fit: 'equal' | 'subset', rows: number[]): Candidate {
    return {
      customer: payer.customer,
      parts: rows.map((row) => ({ row, amount: this.remaining[row]! })),
      unapplied: 0,
      deduction: undefined,
      ...this.payerEvidence(work, payer, fit),
    };
  }

  /** Confidence and reasons for a customer found by who paid, with one of its items or a subset of them. */
  private payerEvidence(
    work: Work,
    payer: PayerCustomer,
    fit: 'equal' | 'subset',
  ): { confidence: number; reasons: ReasonCode[] } {
    const amountReason: ReasonCode = fit === 'equal' ? 'AMOUNT_EQUAL' : 'SUBSET_SUM';
    if (payer.via === 'name' && payer.equal) {
      return { confidence: CUSTOMER_CONFIDENCE.nameEqual[fit], reasons: ['NAME_EQUAL', amountReason] };
    }
    const base = CUSTOMER_CONFIDENCE[payer.via][fit];
    if (payer.via === 'name') {
      const scaled = (payer.similarity - NAME_SIMILARITY_THRESHOLD) / (1 - NAME_SIMILARITY_THRESHOLD);
      return { confidence: confidence(base + NAME_CONFIDENCE_SPAN * scaled), reasons: ['NAME_SIMILAR', amountReason] };
    }
    return this.similarityTo(work, payer.customer) >= NAME_SIMILARITY_THRESHOLD
      ? { confidence: confidence(base + PAYER_NAME_BONUS), reasons: ['IBAN_KNOWN', 'NAME_SIMILAR', amountReason] }
      : { confidence: confidence(base), reasons: ['IBAN_KNOWN', amountReason] };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Outcomes

  private duplicate(open: number[], settled: number[], evidence: ReasonCode[], certainty: number): Flag {
    const customer = open.length > 0 ? this.itemCustomer[open[0]!] : this.settledCustomer[settled[0]!];
    return {
      kind: 'flag',
      reasons: [...evidence, 'POSSIBLE_DUPLICATE'],
      confidence: certainty,
      invoiceIds: [
        ...open.map((row) => this.items[row]!.invoiceId),
        ...settled.map((row) => this.settled[row]!.invoiceId),
      ],
      customer,
    };
  }

  /** The line's result after this tier, or undefined to let the next tier try. */
  private decide(work: Work, tier: Tier): LineMatch | undefined {
    const outcome = tier.run(work);
    if (outcome === undefined) return undefined;
    if (outcome.kind === 'flag') return this.exception(work, outcome);
    const only = outcome.candidates.length === 1 ? outcome.candidates[0] : undefined;
    if (only && only.confidence >= this.policy.autoApplyThreshold) return this.apply(work, only);
    if (!tier.weakFallsThrough) return this.exception(work, stronger(work.fallback, outcome));
    work.fallback = stronger(work.fallback, outcome);
    return undefined;
  }

  /** Books the candidate: the balances it takes are gone for every later line. */
  private apply(work: Work, c: Candidate): LineMatch {
    for (const part of c.parts) this.take(work, part);
    if (c.deduction) this.take(work, c.deduction);
    if (c.parts.length === 1) this.paidInRun[c.parts[0]!.row] = work.amount;
    const match = this.lineMatch(work.lineIndex, c.unapplied > 0 ? 'partially_matched' : 'matched', {
      customer: c.customer,
      allocations: this.allocations(c.parts),
      unapplied: c.unapplied,
      confidence: c.confidence,
      reasons: c.reasons,
    });
    if (c.deduction)
      match.deduction = { invoiceId: this.items[c.deduction.row]!.invoiceId, amount: c.deduction.amount };
    return match;
  }

  private take(work: Work, part: Part): void {
    const left = this.remaining[part.row]! - part.amount;
    if (left < 0) throw new Error(`internal: line ${work.lineIndex} would over-apply row ${part.row}`);
    this.remaining[part.row] = left;
  }

  private exception(work: Work, outcome: Outcome): LineMatch {
    if (outcome.kind === 'flag') {
      const { confidence, reasons, invoiceIds, customer } = outcome;
      const suggestions = invoiceIds.length > 0 ? [{ invoiceIds, allocations: [], confidence, reasons }] : [];
      return this.lineMatch(work.lineIndex, 'exception', { customer, confidence, reasons, suggestions });
    }
    // Stable sort: equally confident candidates keep their order, the oldest items first.
    const ranked = [...outcome.candidates].sort((a, b) => b.confidence - a.confidence).slice(0, MAX_SUGGESTIONS);
    const share = 1 / outcome.candidates.length;
    const suggestions = ranked.map((c) => this.suggestion(c, confidence(c.confidence * share)));
    const best = ranked[0]!;
    const customer = ranked.every((c) => c.customer === best.customer) ? best.customer : undefined;
    const reasons: ReasonCode[] = share < 1 ? [...best.reasons, 'AMBIGUOUS'] : best.reasons;
    return this.lineMatch(work.lineIndex, 'exception', {
      customer,
      confidence: suggestions[0]!.confidence,
      reasons,
      suggestions,
    });
  }

  private noCandidate(work: Work): LineMatch {
    const byIban = this.ibanCustomersOf(work);
    const customer = byIban.length === 1 ? byIban[0] : undefined;
    return this.lineMatch(work.lineIndex, 'exception', { customer, confidence: 0, reasons: ['NO_CANDIDATE'] });
  }

  private suggestion(c: Candidate, certainty: number): Suggestion {
    const allocations = this.allocations(c.parts);
    return {
      invoiceIds: allocations.map((a) => a.invoiceId),
      allocations,
      confidence: certainty,
      reasons: this.shared(c.reasons),
    };
  }

  /** Results with the same reasons share one array: a few dozen lists instead of one per line. */
  private readonly reasonLists = new Map<number, ReasonCode[]>();

  private shared(reasons: ReasonCode[]): ReasonCode[] {
    let key = 0; // the codes' ordinals as digits: exact for up to 12 reasons, far more than a line gets
    for (const reason of reasons) key = key * (REASON_CODES.length + 1) + REASON_ORDINAL.get(reason)!;
    const known = this.reasonLists.get(key);
    if (known !== undefined) return known;
    this.reasonLists.set(key, reasons);
    return reasons;
  }

  private allocations(parts: readonly Part[]): Allocation[] {
    return parts.map((p) => ({ invoiceId: this.items[p.row]!.invoiceId, amount: p.amount }));
  }

  private lineMatch(
    lineIndex: number,
    status: LineMatch['status'],
    fields: {
      customer?: number | undefined;
      allocations?: Allocation[];
      unapplied?: number;
      confidence: number;
      reasons: ReasonCode[];
      suggestions?: Suggestion[];
    },
  ): LineMatch {
    const match: LineMatch = {
      lineIndex,
      status,
      allocations: fields.allocations ?? NO_ALLOCATIONS,
      unapplied: fields.unapplied ?? 0,
      confidence: fields.confidence,
      reasons: this.shared(fields.reasons),
      suggestions: fields.suggestions ?? NO_SUGGESTIONS,
    };
    if (fields.customer !== undefined) match.customerId = this.customerIds[fields.customer];
    return match;
  }
}

// Most lines have no allocations or no suggestions: one frozen empty list each, not two arrays per line.
const NO_ALLOCATIONS: readonly Allocation[] = Object.freeze([]);
const NO_SUGGESTIONS: readonly Suggestion[] = Object.freeze([]);

const candidates = (list: Candidate[]): Candidates => ({ kind: 'candidates', candidates: list });

/** The stronger of two weak results: the one whose best candidate is more confident (the earlier on a tie). */
function stronger(a: Candidates | undefined, b: Candidates): Candidates {
  if (a === undefined) return b;
  const best = (o: Candidates) => Math.max(...o.candidates.map((c) => c.confidence));
  return best(b) > best(a) ? b : a;
}

/** `amount` over the parts in order, each up to its balance. */
function oldestFirst(full: readonly Part[], amount: number): Part[] {
  const parts: Part[] = [];
  let left = amount;
  for (const { row, amount: open } of full) {
    if (left === 0) break;
    const take = Math.min(open, left);
    parts.push({ row, amount: take });
    left -= take;
  }
  return parts;
}
