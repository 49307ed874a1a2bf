/**
 * The invoice or credit note as a legal document (EN 16931 semantic model): parties, lines, allowances and
 * charges, VAT breakdown and totals, all in integer minor units of the document currency. Pure: the same input
 * always gives the same document, so a document can be rebuilt from its stored input at any time.
 *
 * Rounding follows EN 16931: each line net is rounded once (quantity x price), allowances are whole minor
 * units, VAT is computed once per category and rate on the taxable amount, and every total is an exact sum of
 * already-rounded amounts, so the document always adds up (property tests in test/unit/invoice-document.test.ts).
 */
import { isSupportedCurrency, minorUnitDigits, SUPPORTED_CURRENCIES } from './currency.js';
import { assertSafeInteger } from './money.js';
import { dueDate, parseIsoDate } from './payment-terms.js';
import {
  applyRate,
  BASIS_POINTS,
  checkVatCategory,
  divideRounded,
  EU_MEMBER_STATES,
  ruleFamily,
  type VatBreakdownEntry,
  type VatCategory,
  type VatCategoryCode,
  vatBreakdown,
} from './tax.js';

/**
 * Quantities have three decimals, held as an integer count of thousandths (2.5 hours = 2500, 3 pieces = 3000),
 * so quantity x unit price is an exact integer before the line's single rounding.
 */
export const QUANTITY_SCALE = 1000;

export type DocumentType = 'invoice' | 'credit-note';

export interface PostalAddress {
  readonly street: string;
  readonly additionalStreet?: string;
  readonly city: string;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
}

export interface Party {
  /** Registered legal name (BT-27 / BT-44). */
  readonly name: string;
  readonly address: PostalAddress;
  /** VAT identifier with its country prefix (BT-31 / BT-48), e.g. NL123456789B01, NO974760673MVA. */
  readonly vatId?: string;
  /** Legal registration (BT-30 / BT-47) with its ISO 6523 ICD scheme, e.g. 0106 Dutch KvK, 0192 Norwegian org.nr. */
  readonly legalId?: { readonly id: string; readonly scheme: string };
  /**
   * Seller tax registration identifier (BT-32), a local tax id other than the VAT id. Norwegian companies
   * registered in the register of business enterprises state "Foretaksregisteret" here (Peppol NO-R-002).
   */
  readonly taxRegistration?: string;
  /**
   * Peppol electronic address (BT-34 / BT-49): the participant id and its EAS scheme, e.g. 0106, 0192, 0208, 9944.
   * Every Peppol UBL needs it for both parties; a buyer without one gets the PDF only.
   */
  readonly endpoint?: { readonly id: string; readonly scheme: string };
  readonly contact?: { readonly name?: string; readonly phone?: string; readonly email?: string };
}

/** A discount given as a fixed amount or as a percentage (basis points) of the amount it reduces. */
export type AllowanceInput = (
  | { readonly amount: number; readonly percentBp?: undefined }
  | { readonly percentBp: number; readonly amount?: undefined }
) & {
  readonly reason: string;
  /** UNTDID 5189 allowance reason code, e.g. "95" discount. */
  readonly reasonCode?: string;
};

export interface InvoiceLineInput {
  /** Seller's item identifier (BT-155). */
  readonly sku: string;
  /** Item name (BT-153) as the buyer reads it. */
  readonly description: string;
  /** Thousandths of the unit, see QUANTITY_SCALE. */
  readonly quantityThousandths: number;
  /** UN/ECE Recommendation 20 unit code; C62 ("one") when absent. */
  readonly unitCode?: string;
  /** Net price of one unit in minor units (BT-146). */
  readonly unitPrice: number;
  readonly allowance?: AllowanceInput;
  readonly vat: VatCategory;
}

export type DocumentAllowanceChargeInput = AllowanceInput & {
  readonly kind: 'allowance' | 'charge';
  /** A percentage applies to the line nets of the lines in this same VAT category and rate. */
  readonly vat: VatCategory;
};

export interface InvoiceDocumentInput {
  readonly type: DocumentType;
  readonly number: string;
  readonly issueDate: string;
  readonly currency: string;
  readonly seller: Party;
  readonly buyer: Party;
  /** Peppol needs a buyer reference or an order reference (PEPPOL-EN16931-R003). */
  readonly buyerReference?: string;
  readonly orderReference?: string;
  /** The invoice a credit note corrects (BG-3); required for credit notes. */
  readonly precedingInvoice?: { readonly number: string; readonly issueDate: string };
  readonly paymentTermsDays: number;
  readonly paymentTermsText?: string;
  readonly payment: {
    /** UNTDID 4461: 30 credit transfer, 58 SEPA credit transfer. */
    readonly meansCode: '30' | '58';
    /** Structured payment reference (BT-83) that cash application matches on, e.g. an RF reference or KID. */
    readonly reference: string;
    /** Account to pay into (BT-84): IBAN, or a domestic account number where the scheme allows it. */
    readonly account: { readonly id: string; readonly name?: string; readonly bic?: string };
  };
  /** Actual delivery date (BT-72) and deliver-to country (BT-80); intra-community supplies need both. */
  readonly delivery?: { readonly date?: string; readonly country?: string };
  readonly note?: string;
  readonly lines: readonly InvoiceLineInput[];
  readonly allowancesCharges?: readonly DocumentAllowanceChargeInput[];
  /** Paid in advance (BT-113); deducted from the amount due. */
  readonly prepaidAmount?: number;
  /**
   * Rounding amount (BT-114), added to the amount due; less than one major unit either way. A credit note for an
   * exact amount uses it where VAT, rounded once per document, cannot reach that amount.
   */
  readonly roundingAmount?: number;
}

export interface InvoiceLine extends InvoiceLineInput {
  /** Line number (BT-126), 1-based. */
  readonly id: string;
  /** quantity x unit price, rounded to the minor unit. */
  readonly grossAmount: number;
  readonly allowanceAmount: number;
  /** BT-131 = grossAmount - allowanceAmount. */
  readonly netAmount: number;
}

export type DocumentAllowanceCharge = DocumentAllowanceChargeInput & {
  readonly resolvedAmount: number;
  /** The amount a percentage applied to (BT-93 / BT-100); only for percentages. */
  readonly baseAmount?: number;
};

export interface InvoiceTotals {
  /** BT-106: sum of line net amounts. */
  readonly sumOfLineNets: number;
  /** BT-107. */
  readonly allowanceTotal: number;
  /** BT-108. */
  readonly chargeTotal: number;
  /** BT-109 = BT-106 - BT-107 + BT-108. */
  readonly totalWithoutVat: number;
  /** BT-110 = sum of BT-117. */
  readonly vatTotal: number;
  /** BT-112 = BT-109 + BT-110. */
  readonly totalWithVat: number;
  /** BT-113. */
  readonly prepaidAmount: number;
  /** BT-114. */
  readonly roundingAmount: number;
  /** BT-115 = BT-112 - BT-113 + BT-114. */
  readonly amountDue: number;
}

export interface InvoiceDocument extends Omit<
  InvoiceDocumentInput,
  'lines' | 'allowancesCharges' | 'prepaidAmount' | 'roundingAmount'
> {
  readonly dueDate: string;
  readonly lines: readonly InvoiceLine[];
  readonly allowancesCharges: readonly DocumentAllowanceCharge[];
  readonly vatBreakdown: readonly VatBreakdownEntry[];
  readonly totals: InvoiceTotals;
}

const UNIT_CODE = /^[A-Z0-9]{1,3}$/;
const COUNTRY = /^[A-Z]{2}$/;

function required(value: string | undefined, what: string): void {
  if (value === undefined || value.trim() === '') throw new RangeError(`${what} must not be empty`);
}

function checkParty(p: Party, what: string): void {
  required(p.name, `${what}.name`);
  required(p.address.street, `${what}.address.street`);
  required(p.address.city, `${what}.address.city`);
  required(p.address.postalCode, `${what}.address.postalCode`);
  if (!COUNTRY.test(p.address.country)) {
    throw new RangeError(`${what}.address.country must be an ISO 3166-1 alpha-2 code, got "${p.address.country}"`);
  }
  if (p.vatId !== undefined && !/^[A-Z]{2}[0-9A-Za-z+*.]{2,13}$/.test(p.vatId)) {
    throw new RangeError(`${what}.vatId "${p.vatId}" must be a country prefix and 2..13 characters (BR-CO-09)`);
  }
  if (p.endpoint === undefined) return;
  required(p.endpoint.id, `${what}.endpoint.id`);
  if (!/^\d{4}$/.test(p.endpoint.scheme)) {
    throw new RangeError(
      `${what}.endpoint.scheme must be a 4-digit EAS code (BR-62/BR-63), got "${p.endpoint.scheme}"`,
    );
  }
}

/** The amount an allowance takes off `base`: its fixed amount, or its percentage of base. */
function resolveAllowance(a: AllowanceInput, base: number, what: string): number {
  required(a.reason, `${what}.reason`);
  if (a.percentBp !== undefined) {
    if (!Number.isSafeInteger(a.percentBp) || a.percentBp <= 0 || a.percentBp > BASIS_POINTS) {
      throw new RangeError(`${what}.percentBp must be an integer 1..${BASIS_POINTS}, got ${a.percentBp}`);
    }
    return applyRate(base, a.percentBp);
  }
  if (!Number.isSafeInteger(a.amount) || a.amount <= 0) {
    throw new RangeError(`${what}.amount must be a positive integer in minor units, got ${a.amount}`);
  }
  return a.amount;
}

function priceLine(line: InvoiceLineInput, i: number): InvoiceLine {
  const what = `lines[${i}]`;
  required(line.sku, `${what}.sku`);
  required(line.description, `${what}.description`);
  if (!Number.isSafeInteger(line.quantityThousandths) || line.quantityThousandths <= 0) {
    throw new RangeError(`${what}.quantityThousandths must be a positive integer, got ${line.quantityThousandths}`);
  }
  if (!Number.isSafeInteger(line.unitPrice) || line.unitPrice < 0) {
    throw new RangeError(
      `${what}.unitPrice must be a non-negative integer in minor units (BR-27), got ${line.unitPrice}`,
    );
  }
  if (line.unitCode !== undefined && !UNIT_CODE.test(line.unitCode)) {
    throw new RangeError(`${what}.unitCode "${line.unitCode}" is not a UN/ECE Recommendation 20 code`);
  }
  checkVatCategory(line.vat, `${what}.vat`);
  const product = line.quantityThousandths * line.unitPrice;
  assertSafeInteger(product, `${what} quantity x unitPrice`);
  const grossAmount = divideRounded(product, QUANTITY_SCALE);
  const allowanceAmount =
    line.allowance === undefined ? 0 : resolveAllowance(line.allowance, grossAmount, `${what}.allowance`);
  if (allowanceAmount > grossAmount) {
    throw new RangeError(`${what}.allowance (${allowanceAmount}) exceeds the line amount (${grossAmount})`);
  }
  return { ...line, id: String(i + 1), grossAmount, allowanceAmount, netAmount: grossAmount - allowanceAmount };
}

const sameVat = (a: VatCategory, b: VatCategory): boolean => a.code === b.code && a.rateBp === b.rateBp;

/** Cross-field rules of the VAT categories in use (EN 16931 BR-S/Z/E/AE/IC/G/O-02..04, -11..14). */
function checkCategoryRules(doc: InvoiceDocumentInput, codes: ReadonlySet<VatCategoryCode>): void {
  const { seller, buyer } = doc;
  for (const code of codes) {
    if (code !== 'O' && seller.vatId === undefined) {
      throw new RangeError(`seller.vatId is required when VAT category ${code} is used (BR-${ruleFamily(code)}-02)`);
    }
  }
  if (codes.has('AE') && buyer.vatId === undefined) {
    throw new RangeError('buyer.vatId is required for reverse charge (AE): the buyer accounts for the VAT (BR-AE-02)');
  }
  if (codes.has('K')) {
    if (buyer.vatId === undefined)
      throw new RangeError('buyer.vatId is required for an intra-community supply (K) (BR-IC-02)');
    if (!EU_MEMBER_STATES.has(seller.address.country) || !EU_MEMBER_STATES.has(buyer.address.country)) {
      throw new RangeError('an intra-community supply (K) needs seller and buyer in EU member states');
    }
    if (seller.address.country === buyer.address.country) {
      throw new RangeError(
        `an intra-community supply (K) crosses a border; seller and buyer are both in ${seller.address.country}`,
      );
    }
    if (doc.delivery?.date === undefined)
      throw new RangeError('delivery.date is required for an intra-community supply (K) (BR-IC-11)');
    if (doc.delivery.country === undefined)
      throw new RangeError('delivery.country is required for an intra-community supply (K) (BR-IC-12)');
  }
  if (codes.has('G')) {
    // An EU seller exports only out of the EU; a seller outside it (Norway) exports into it as well.
    const destination = doc.delivery?.country ?? buyer.address.country;
    if (
      destination === seller.address.country ||
      (EU_MEMBER_STATES.has(seller.address.country) && EU_MEMBER_STATES.has(destination))
    ) {
      throw new RangeError(`export (G) needs a destination outside the seller's VAT area, got ${destination}`);
    }
  }
  if (codes.has('O')) {
    if (codes.size > 1)
      throw new RangeError('a document outside the scope of VAT (O) cannot contain other VAT categories (BR-O-11)');
    if (seller.vatId !== undefined || buyer.vatId !== undefined) {
      throw new RangeError('a document outside the scope of VAT (O) must not state seller or buyer VAT ids (BR-O-02)');
    }
  }
}

/** Validates the input and computes lines, VAT breakdown and totals; throws a RangeError naming the field or rule. */
export function buildInvoiceDocument(input: InvoiceDocumentInput): InvoiceDocument {
  required(input.number, 'number');
  parseIsoDate(input.issueDate);
  if (!isSupportedCurrency(input.currency)) {
    throw new RangeError(
      `currency "${input.currency}" is not a supported currency (${SUPPORTED_CURRENCIES.join(', ')})`,
    );
  }
  checkParty(input.seller, 'seller');
  checkParty(input.buyer, 'buyer');
  if (input.buyerReference?.trim() === '' || input.orderReference?.trim() === '') {
    throw new RangeError('buyerReference and orderReference must not be empty when given');
  }
  if (input.buyerReference === undefined && input.orderReference === undefined) {
    throw new RangeError('buyerReference or orderReference is required (PEPPOL-EN16931-R003)');
  }
  if (input.type === 'credit-note' && input.precedingInvoice === undefined) {
    throw new RangeError('a credit note must reference the invoice it corrects (precedingInvoice)');
  }
  if (input.precedingInvoice !== undefined) {
    required(input.precedingInvoice.number, 'precedingInvoice.number');
    parseIsoDate(input.precedingInvoice.issueDate);
  }
  required(input.payment.reference, 'payment.reference');
  required(input.payment.account.id, 'payment.account.id');
  if (input.delivery?.date !== undefined) parseIsoDate(input.delivery.date);
  if (input.delivery?.country !== undefined && !COUNTRY.test(input.delivery.country)) {
    throw new RangeError(`delivery.country must be an ISO 3166-1 alpha-2 code, got "${input.delivery.country}"`);
  }
  if (input.lines.length === 0) throw new RangeError('a document needs at least one line (BR-16)');

  const lines = input.lines.map(priceLine);
  const allowancesCharges = (input.allowancesCharges ?? []).map((ac, i): DocumentAllowanceCharge => {
    const what = `allowancesCharges[${i}]`;
    checkVatCategory(ac.vat, `${what}.vat`);
    if (ac.percentBp === undefined) return { ...ac, resolvedAmount: resolveAllowance(ac, 0, what) };
    const baseAmount = lines.filter((l) => sameVat(l.vat, ac.vat)).reduce((sum, l) => sum + l.netAmount, 0);
    return { ...ac, resolvedAmount: resolveAllowance(ac, baseAmount, what), baseAmount };
  });

  const codes = new Set<VatCategoryCode>([...lines, ...allowancesCharges].map((x) => x.vat.code));
  checkCategoryRules(input, codes);

  const breakdown = vatBreakdown([
    ...lines.map((l) => ({ vat: l.vat, amount: l.netAmount })),
    ...allowancesCharges.map((ac) => ({
      vat: ac.vat,
      amount: ac.kind === 'charge' ? ac.resolvedAmount : -ac.resolvedAmount,
    })),
  ]);
  for (const entry of breakdown) {
    if (entry.taxableAmount < 0) {
      throw new RangeError(
        `document allowances exceed the amount they discount in VAT category ${entry.code} ${entry.rateBp} bp`,
      );
    }
  }

  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  const sumOfLineNets = sum(lines.map((l) => l.netAmount));
  const allowanceTotal = sum(allowancesCharges.filter((ac) => ac.kind === 'allowance').map((ac) => ac.resolvedAmount));
  const chargeTotal = sum(allowancesCharges.filter((ac) => ac.kind === 'charge').map((ac) => ac.resolvedAmount));
  const totalWithoutVat = sumOfLineNets - allowanceTotal + chargeTotal;
  const vatTotal = sum(breakdown.map((b) => b.taxAmount));
  const totalWithVat = totalWithoutVat + vatTotal;
  const prepaidAmount = input.prepaidAmount ?? 0;
  assertSafeInteger(totalWithVat, 'totalWithVat');
  if (!Number.isSafeInteger(prepaidAmount) || prepaidAmount < 0 || prepaidAmount > totalWithVat) {
    throw new RangeError(
      `prepaidAmount must be an integer 0..${totalWithVat} (the total with VAT), got ${prepaidAmount}`,
    );
  }

  const roundingAmount = input.roundingAmount ?? 0;
  if (!Number.isSafeInteger(roundingAmount) || Math.abs(roundingAmount) >= 10 ** minorUnitDigits(input.currency)) {
    throw new RangeError(
      `roundingAmount must be an integer of less than one ${input.currency} either way, got ${roundingAmount}`,
    );
  }

  const { prepaidAmount: _prepaid, roundingAmount: _rounding, ...rest } = input;
  return {
    ...rest,
    dueDate: dueDate(input.issueDate, input.paymentTermsDays),
    lines,
    allowancesCharges,
    vatBreakdown: breakdown,
    totals: {
      sumOfLineNets,
      allowanceTotal,
      chargeTotal,
      totalWithoutVat,
      vatTotal,
      totalWithVat,
      prepaidAmount,
      roundingAmount,
      amountDue: totalWithVat - prepaidAmount + roundingAmount,
    },
  };
}

/**
 * What each line of the document adds to the total with VAT: its VAT group's taxable amount plus VAT, shared out
 * over the group's lines in proportion to their nets (largest remainder), so the lines add up to the total
 * exactly. The credit exposure of goods not yet invoiced is valued so: as the customer will owe them.
 */
export function totalWithVatByLine(document: InvoiceDocument): number[] {
  const shares = document.lines.map(() => 0);
  for (const group of document.vatBreakdown) {
    const members = document.lines.flatMap((l, i) =>
      l.vat.code === group.code && l.vat.rateBp === group.rateBp ? [i] : [],
    );
    const weights = members.map((i) => document.lines[i]!.netAmount);
    allocateByWeight(group.taxableAmount + group.taxAmount, weights).forEach(
      (amount, k) => (shares[members[k]!] = amount),
    );
  }
  return shares;
}

/** `total` split in proportion to `weights` (equal parts when they are all 0); the parts add up to `total`. */
function allocateByWeight(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum === 0 ? total / weights.length : (total * w) / sum));
  const parts = exact.map(Math.floor);
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (rest <= 0) break;
    parts[i]!++;
    rest--;
  }
  return parts;
}
