/**
 * Turns what the engine knows (the seller legal entity, the customer, the priced lines of an order or a
 * shipment) into the EN 16931 document input of domain/invoice-document.ts, and derives credit notes from an
 * issued invoice's stored input, so a credit note repeats exactly the prices, discounts and VAT it corrects.
 */
import { customerElectronicAddress } from './electronic-address.js';
import {
  QUANTITY_SCALE,
  type DocumentAllowanceChargeInput,
  type InvoiceDocumentInput,
  type InvoiceLineInput,
  type Party,
} from './invoice-document.js';
import { applyRate, type VatCategory } from './tax.js';
import { vatCategoryFor, type ProductVatRate, type SupplyKind } from './vat-determination.js';

export interface SellerEntity {
  name: string;
  country: string;
  vatId: string;
  legalId?: string | null;
  legalIdScheme?: string | null;
  taxRegistration?: string | null;
  street: string;
  city: string;
  postalCode: string;
  peppolId: string;
  peppolScheme: string;
  iban: string;
  bic?: string | null;
}

export interface BuyerCustomer {
  name: string;
  country: string;
  email: string;
  vatId?: string | null;
  street?: string | null;
  city?: string | null;
  postalCode?: string | null;
  peppolId?: string | null;
  peppolScheme?: string | null;
  buyerReference?: string | null;
  paymentTermsDays: number;
}

export interface DraftLine {
  sku: string;
  description: string;
  quantity: number;
  unitPrice: number;
  /** Line discount in basis points. */
  discountBp: number;
  vatRate: ProductVatRate;
  supply: SupplyKind;
}

export interface InvoiceDraftInput {
  number: string;
  issueDate: string;
  currency: string;
  seller: SellerEntity;
  buyer: BuyerCustomer;
  lines: readonly DraftLine[];
  /** Order discount in basis points: one document allowance per VAT category and rate. */
  discountBp: number;
  paymentReference: string;
  orderReference: string;
  /** When the goods left (BT-72); absent for an invoice issued before anything shipped. */
  deliveryDate?: string | undefined;
}

const DISCOUNT = { reason: 'Discount', reasonCode: '95' } as const;

function sellerParty(s: SellerEntity): Party {
  return {
    name: s.name,
    address: { street: s.street, city: s.city, postalCode: s.postalCode, country: s.country },
    vatId: s.vatId,
    ...(s.legalId && s.legalIdScheme ? { legalId: { id: s.legalId, scheme: s.legalIdScheme } } : {}),
    ...(s.taxRegistration ? { taxRegistration: s.taxRegistration } : {}),
    endpoint: { id: s.peppolId, scheme: s.peppolScheme },
  };
}

function buyerParty(b: BuyerCustomer): Party {
  const endpoint = customerElectronicAddress(b);
  if (!b.street || !b.city || !b.postalCode)
    throw new RangeError('buyer.address: the customer has no postal address (street, city, postal code)');
  return {
    name: b.name,
    address: { street: b.street, city: b.city, postalCode: b.postalCode, country: b.country },
    ...(b.vatId ? { vatId: b.vatId } : {}),
    ...(endpoint ? { endpoint } : {}),
    contact: { email: b.email },
  };
}

/** A document outside the scope of VAT (O) states no VAT ids (BR-O-02). */
function withoutVatIds(party: Party): Party {
  const { vatId: _vatId, ...rest } = party;
  return rest;
}

export function draftInvoice(input: InvoiceDraftInput): InvoiceDocumentInput {
  const situation = {
    sellerCountry: input.seller.country,
    buyerCountry: input.buyer.country,
    buyerVatId: input.buyer.vatId ?? undefined,
    date: input.issueDate,
  };
  const lines: InvoiceLineInput[] = input.lines.map((line) => ({
    sku: line.sku,
    description: line.description,
    quantityThousandths: line.quantity * QUANTITY_SCALE,
    unitPrice: line.unitPrice,
    ...(line.discountBp > 0 ? { allowance: { percentBp: line.discountBp, ...DISCOUNT } } : {}),
    vat: vatCategoryFor(situation, line),
  }));
  const outsideScope = lines.every((l) => l.vat.code === 'O');
  if (!outsideScope && lines.some((l) => l.vat.code === 'O')) {
    throw new RangeError(
      'lines: services outside the scope of VAT (O) cannot share an invoice with other supplies (BR-O-11); invoice them separately',
    );
  }
  const seller = sellerParty(input.seller);
  const buyer = buyerParty(input.buyer);
  return {
    type: 'invoice',
    number: input.number,
    issueDate: input.issueDate,
    currency: input.currency,
    seller: outsideScope ? withoutVatIds(seller) : seller,
    buyer: outsideScope ? withoutVatIds(buyer) : buyer,
    ...(input.buyer.buyerReference ? { buyerReference: input.buyer.buyerReference } : {}),
    orderReference: input.orderReference,
    paymentTermsDays: input.buyer.paymentTermsDays,
    payment: {
      meansCode: input.currency === 'EUR' ? '58' : '30',
      reference: input.paymentReference,
      account: {
        id: input.seller.iban,
        name: input.seller.name,
        ...(input.seller.bic ? { bic: input.seller.bic } : {}),
      },
    },
    delivery: { ...(input.deliveryDate ? { date: input.deliveryDate } : {}), country: input.buyer.country },
    lines,
    allowancesCharges: orderDiscounts(lines, input.discountBp),
  };
}

/**
 * An invoice the entity would issue to a domestic business customer: if it does not build, the entity cannot
 * invoice at all (a VAT id of the wrong form, a country without VAT rates), and is refused at set-up rather than
 * after its first goods shipped.
 */
export function sampleInvoice(
  seller: SellerEntity & { country: string; invoicePrefix: string },
  date: string,
): InvoiceDocumentInput {
  return draftInvoice({
    number: `${seller.invoicePrefix}-${date.slice(0, 4)}-000001`,
    issueDate: date,
    currency: 'EUR',
    seller,
    buyer: {
      name: 'Sample customer',
      country: seller.country,
      email: 'ap@example.com',
      street: 'Street 1',
      city: 'City',
      postalCode: '1000',
      paymentTermsDays: 30,
    },
    lines: [
      {
        sku: 'SAMPLE',
        description: 'Sample',
        quantity: 1,
        unitPrice: 100,
        discountBp: 0,
        vatRate: 'standard',
        supply: 'goods',
      },
    ],
    discountBp: 0,
    paymentReference: 'RF18539007547034',
    orderReference: 'SAMPLE',
  });
}

/** The order discount as one allowance per VAT category and rate, since each must be taxed in its own group. */
function orderDiscounts(lines: readonly InvoiceLineInput[], discountBp: number): DocumentAllowanceChargeInput[] {
  if (discountBp <= 0) return [];
  const groups = new Map<string, VatCategory>();
  for (const line of lines) groups.set(`${line.vat.code}:${line.vat.rateBp}`, line.vat);
  return [...groups.values()].map((vat) => ({ kind: 'allowance', percentBp: discountBp, ...DISCOUNT, vat }));
}

export type CreditSelection =
  | { lines: readonly { lineNo: number; quantity: number }[]; amount?: undefined }
  | { amount: number; lines?: undefined };

/**
 * A credit note for part or all of an invoice, from the invoice's document input: by lines (quantities of
 * invoice lines, at the invoice's prices, discounts and VAT), or by an amount including VAT, which needs an
 * invoice with a single VAT category and rate.
 */
export function draftCreditNote(
  invoice: InvoiceDocumentInput,
  credit: { number: string; issueDate: string; reason: string; selection: CreditSelection },
): InvoiceDocumentInput {
  const base = {
    ...invoice,
    type: 'credit-note' as const,
    number: credit.number,
    issueDate: credit.issueDate,
    precedingInvoice: { number: invoice.number, issueDate: invoice.issueDate },
    note: credit.reason,
  };
  const { selection } = credit;
  if (selection.lines) {
    const seen = new Set<number>();
    const lines = selection.lines.map(({ lineNo, quantity }, i) => {
      const original = invoice.lines[lineNo - 1];
      if (!original) throw new RangeError(`lines[${i}].lineNo: the invoice has no line ${lineNo}`);
      if (seen.has(lineNo)) throw new RangeError(`lines[${i}].lineNo: line ${lineNo} is listed twice`);
      seen.add(lineNo);
      if (quantity * QUANTITY_SCALE > original.quantityThousandths) {
        throw new RangeError(
          `lines[${i}].quantity: ${quantity} is more than the ${original.quantityThousandths / QUANTITY_SCALE} invoiced`,
        );
      }
      return { ...original, quantityThousandths: quantity * QUANTITY_SCALE };
    });
    const kept = (invoice.allowancesCharges ?? []).filter(
      (ac) =>
        ac.percentBp !== undefined && lines.some((l) => l.vat.code === ac.vat.code && l.vat.rateBp === ac.vat.rateBp),
    );
    return { ...base, lines, allowancesCharges: kept };
  }
  const vats = new Map(invoice.lines.map((l) => [`${l.vat.code}:${l.vat.rateBp}`, l.vat]));
  if (vats.size !== 1) throw new RangeError('amount: this invoice has several VAT rates; credit it by lines');
  const vat = [...vats.values()][0]!;
  // Exactly the amount asked: where VAT rounding cannot reach it, the minor unit missing is a rounding amount.
  const net = netForGross(selection.amount, vat.rateBp);
  const rounding = selection.amount - (net + applyRate(net, vat.rateBp));
  return {
    ...base,
    lines: [{ sku: 'CREDIT', description: credit.reason, quantityThousandths: QUANTITY_SCALE, unitPrice: net, vat }],
    allowancesCharges: [],
    ...(rounding !== 0 ? { roundingAmount: rounding } : {}),
  };
}

/**
 * The largest net amount whose VAT brings it to `gross` or less. VAT rounding can make `gross` unreachable (net +
 * VAT jumps from 4,536 to 4,538): then the net of the nearest amount below.
 */
export function netForGross(gross: number, rateBp: number): number {
  const grossOf = (net: number) => net + applyRate(net, rateBp);
  let net = Math.round((gross * 10_000) / (10_000 + rateBp));
  while (grossOf(net) > gross) net -= 1;
  while (grossOf(net + 1) <= gross) net += 1;
  return net;
}

export interface LineRevision {
  lineNo: number;
  /** 0 drops the line. */
  quantity?: number;
  unitPrice?: number;
  /** Line discount in basis points; 0 removes it. */
  discountBp?: number;
}

/**
 * The replacement of an invoice in a revision (a full credit note plus this new invoice): the invoice's lines
 * with the corrections applied, a new number, date and payment reference, and the invoice it replaces as its
 * preceding invoice (BG-3). Parties, VAT and the order discount stay as they were.
 */
export function draftRevisedInvoice(
  invoice: InvoiceDocumentInput,
  revision: {
    number: string;
    issueDate: string;
    paymentReference: string;
    reason: string;
    changes: readonly LineRevision[];
  },
): InvoiceDocumentInput {
  const byLine = new Map<number, LineRevision>();
  revision.changes.forEach((change, i) => {
    if (!invoice.lines[change.lineNo - 1])
      throw new RangeError(`lines[${i}].lineNo: the invoice has no line ${change.lineNo}`);
    if (byLine.has(change.lineNo)) throw new RangeError(`lines[${i}].lineNo: line ${change.lineNo} is listed twice`);
    byLine.set(change.lineNo, change);
  });
  const lines = invoice.lines.flatMap((line, i): InvoiceLineInput[] => {
    const change = byLine.get(i + 1);
    if (!change) return [line];
    if (change.quantity === 0) return [];
    const discountBp = change.discountBp ?? line.allowance?.percentBp ?? 0;
    const { allowance: _allowance, ...rest } = line;
    return [
      {
        ...rest,
        ...(change.quantity !== undefined ? { quantityThousandths: change.quantity * QUANTITY_SCALE } : {}),
        ...(change.unitPrice !== undefined ? { unitPrice: change.unitPrice } : {}),
        ...(discountBp > 0 ? { allowance: { percentBp: discountBp, ...DISCOUNT } } : {}),
      },
    ];
  });
  if (lines.length === 0)
    throw new RangeError('lines: a revision cannot drop every line; credit the invoice in full instead');
  const kept = (invoice.allowancesCharges ?? []).filter((ac) =>
    lines.some((l) => l.vat.code === ac.vat.code && l.vat.rateBp === ac.vat.rateBp),
  );
  return {
    ...invoice,
    number: revision.number,
    issueDate: revision.issueDate,
    precedingInvoice: { number: invoice.number, issueDate: invoice.issueDate },
    note: revision.reason,
    payment: { ...invoice.payment, reference: revision.paymentReference },
    lines,
    allowancesCharges: kept,
  };
}
