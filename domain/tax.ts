/**
 * VAT per EN 16931: category codes (UNTDID 5305 subset), their rate and exemption rules, and the breakdown per
 * category and rate. Amounts are integer minor units, rates integer basis points (2100 = 21 %).
 * Rule ids in messages (BR-…) are those of EN 16931-1 and its CEN validation artefacts, so a refusal here
 * points at the same rule a Peppol validator would report.
 */
import { assertSafeInteger } from './money.js';

export const VAT_CATEGORY_CODES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'] as const;
/**
 * S standard rated, Z zero rated, E exempt, AE reverse charge, K intra-community supply, G export outside
 * the EU, O outside the scope of VAT.
 */
export type VatCategoryCode = (typeof VAT_CATEGORY_CODES)[number];

export interface VatCategory {
  readonly code: VatCategoryCode;
  /** Basis points; 0 for every category but S (for O it is not printed at all, BR-O-05). */
  readonly rateBp: number;
  /** VATEX code (CEF VAT exemption reason code list), BT-121. */
  readonly exemptionReasonCode?: string;
  /** Free text, BT-120, e.g. the article of the VAT Directive that exempts the supply. */
  readonly exemptionReason?: string;
}

export const BASIS_POINTS = 10_000;

// The categories whose meaning fixes the reason: EN 16931 wants the reason stated ("Reverse charge"),
// and the VATEX code list has exactly one code for each of them.
const DEFAULT_EXEMPTION: Readonly<Partial<Record<VatCategoryCode, { code: string; text: string }>>> = {
  AE: { code: 'VATEX-EU-AE', text: 'Reverse charge' },
  K: { code: 'VATEX-EU-IC', text: 'Intra-Community supply' },
  G: { code: 'VATEX-EU-G', text: 'Export outside the EU' },
  O: { code: 'VATEX-EU-O', text: 'Not subject to VAT' },
};

// VATEX codes that belong to one category only (Peppol rules PEPPOL-EN16931-P0104..P0111).
const VATEX_CATEGORY: Readonly<Record<string, VatCategoryCode>> = {
  'VATEX-EU-AE': 'AE',
  'VATEX-EU-IC': 'K',
  'VATEX-EU-G': 'G',
  'VATEX-EU-O': 'O',
  'VATEX-EU-D': 'E',
  'VATEX-EU-F': 'E',
  'VATEX-EU-I': 'E',
  'VATEX-EU-J': 'E',
};

/** ISO 3166-1 alpha-2 codes of the EU member states (Greece is GR here; its VAT ids use the prefix EL). */
export const EU_MEMBER_STATES: ReadonlySet<string> = new Set([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);

/** Throws unless the category's rate and exemption reason obey EN 16931; `where` names the field. */
export function checkVatCategory(vat: VatCategory, where: string): void {
  if (!(VAT_CATEGORY_CODES as readonly string[]).includes(vat.code)) {
    throw new RangeError(`${where}.code "${vat.code}" is not a VAT category code (${VAT_CATEGORY_CODES.join(', ')})`);
  }
  if (!Number.isSafeInteger(vat.rateBp) || vat.rateBp < 0 || vat.rateBp > BASIS_POINTS) {
    throw new RangeError(`${where}.rateBp must be an integer 0..${BASIS_POINTS} basis points, got ${vat.rateBp}`);
  }
  const hasReason = vat.exemptionReasonCode !== undefined || vat.exemptionReason !== undefined;
  if (vat.code === 'S') {
    if (vat.rateBp === 0) throw new RangeError(`${where}: standard rated (S) needs a rate above zero (BR-S-05)`);
    if (hasReason) throw new RangeError(`${where}: standard rated (S) takes no exemption reason (BR-S-10)`);
    return;
  }
  if (vat.rateBp !== 0)
    throw new RangeError(
      `${where}: category ${vat.code} must have rate 0, got ${vat.rateBp} bp (BR-${ruleFamily(vat.code)}-05)`,
    );
  if (vat.code === 'Z') {
    if (hasReason) throw new RangeError(`${where}: zero rated (Z) takes no exemption reason (BR-Z-10)`);
    return;
  }
  if (vat.exemptionReasonCode !== undefined) {
    if (!/^VATEX-[A-Z0-9-]+$/.test(vat.exemptionReasonCode)) {
      throw new RangeError(`${where}.exemptionReasonCode "${vat.exemptionReasonCode}" is not a VATEX code`);
    }
    const owner = VATEX_CATEGORY[vat.exemptionReasonCode];
    if (owner !== undefined && owner !== vat.code) {
      throw new RangeError(
        `${where}: exemption reason ${vat.exemptionReasonCode} belongs to category ${owner}, not ${vat.code}`,
      );
    }
  }
  if (vat.exemptionReason?.trim() === '') throw new RangeError(`${where}.exemptionReason must not be empty`);
  if (vat.code === 'E' && !hasReason) {
    throw new RangeError(
      `${where}: exempt (E) needs an exemption reason code or text naming the legal basis (BR-E-10)`,
    );
  }
}

/** The exemption reason printed for a category: the one given, else the category's standard one. */
export function exemptionOf(vat: VatCategory): { code?: string; text?: string } {
  if (vat.exemptionReasonCode !== undefined || vat.exemptionReason !== undefined) {
    return { code: vat.exemptionReasonCode, text: vat.exemptionReason };
  }
  return DEFAULT_EXEMPTION[vat.code] ?? {};
}

/** EN 16931 names the rules of category K "IC" (BR-IC-…); all others use the code itself. */
export function ruleFamily(code: VatCategoryCode): string {
  return code === 'K' ? 'IC' : code;
}

/**
 * numerator / denominator rounded to the nearest integer, halves away from zero: EN 16931 rounds amounts
 * "half up" on their magnitude (the CEN artefacts compute round(abs(x))), so a negative amount mirrors its
 * positive counterpart.
 */
export function divideRounded(numerator: number, denominator: number): number {
  assertSafeInteger(numerator, 'numerator');
  if (!Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new RangeError(`denominator must be a positive safe integer, got ${denominator}`);
  }
  const magnitude = Math.abs(numerator);
  const quotient = Math.floor(magnitude / denominator);
  const rounded = (magnitude - quotient * denominator) * 2 >= denominator ? quotient + 1 : quotient;
  // No -0: it would leak into equality checks and formatting (see money.ts).
  return numerator < 0 && rounded !== 0 ? -rounded : rounded;
}

/** basis-point share of an amount, e.g. VAT or a percentage discount, rounded to the minor unit. */
export function applyRate(amount: number, rateBp: number): number {
  const product = amount * rateBp;
  assertSafeInteger(product, `amount ${amount} x ${rateBp} bp`);
  return divideRounded(product, BASIS_POINTS);
}

export interface VatBreakdownEntry {
  readonly code: VatCategoryCode;
  readonly rateBp: number;
  /** BT-116: line nets minus document allowances plus document charges in this category and rate. */
  readonly taxableAmount: number;
  /** BT-117: rounded once per category, never summed from rounded line amounts (BR-CO-17). */
  readonly taxAmount: number;
  readonly exemptionReasonCode?: string;
  readonly exemptionReason?: string;
}

/**
 * Groups signed amounts (line nets and charges positive, document allowances negative) by category and
 * rate, in order of first appearance, and computes each group's VAT. One group carries one exemption
 * reason, so items of a group must agree on it.
 */
export function vatBreakdown(items: readonly { vat: VatCategory; amount: number }[]): VatBreakdownEntry[] {
  const groups = new Map<string, { vat: VatCategory; taxable: number }>();
  items.forEach(({ vat, amount }, i) => {
    assertSafeInteger(amount, `items[${i}].amount`);
    const key = `${vat.code}:${vat.rateBp}`;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { vat, taxable: amount });
      return;
    }
    const a = exemptionOf(group.vat);
    const b = exemptionOf(vat);
    if (a.code !== b.code || a.text !== b.text) {
      throw new RangeError(
        `items[${i}]: category ${vat.code} ${vat.rateBp} bp is used with two different exemption reasons; one VAT breakdown states one`,
      );
    }
    group.taxable += amount;
    assertSafeInteger(group.taxable, `taxable amount of ${key}`);
  });
  return [...groups.values()].map(({ vat, taxable }) => {
    const exemption = exemptionOf(vat);
    return {
      code: vat.code,
      rateBp: vat.rateBp,
      taxableAmount: taxable,
      taxAmount: applyRate(taxable, vat.rateBp),
      ...(exemption.code !== undefined && { exemptionReasonCode: exemption.code }),
      ...(exemption.text !== undefined && { exemptionReason: exemption.text }),
    };
  });
}
