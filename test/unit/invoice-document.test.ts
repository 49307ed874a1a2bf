import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildInvoiceDocument,
  totalWithVatByLine,
  type DocumentAllowanceChargeInput,
  type InvoiceDocument,
  type InvoiceDocumentInput,
  type InvoiceLineInput,
  type Party,
} from '../../domain/invoice-document.js';
import type { VatCategory } from '../../domain/tax.js';

const seller: Party = {
  name: 'Noordzee Groothandel B.V.',
  address: { street: 'Keizersgracht 1', city: 'Amsterdam', postalCode: '1015 CJ', country: 'NL' },
  vatId: 'NL123456789B01',
  legalId: { id: '12345678', scheme: '0106' },
  endpoint: { id: '12345678', scheme: '0106' },
};
const buyer: Party = {
  name: 'Bakkerij De Vries B.V.',
  address: { street: 'Dorpsstraat 5', city: 'Utrecht', postalCode: '3512 AB', country: 'NL' },
  vatId: 'NL987654321B01',
  endpoint: { id: '87654321', scheme: '0106' },
};
const beBuyer: Party = { ...buyer, address: { ...buyer.address, country: 'BE' }, vatId: 'BE0123456749' };
const usBuyer: Party = {
  name: 'Acme Inc.',
  address: { street: '1 Main St', city: 'Boston', postalCode: '02110', country: 'US' },
  endpoint: { id: '123456789', scheme: '0060' },
};

const S21: VatCategory = { code: 'S', rateBp: 2100 };
const S9: VatCategory = { code: 'S', rateBp: 900 };

const base: InvoiceDocumentInput = {
  type: 'invoice',
  number: 'INV-2026-000001',
  issueDate: '2026-11-02',
  currency: 'EUR',
  seller,
  buyer,
  buyerReference: 'PO-1',
  paymentTermsDays: 30,
  payment: { meansCode: '58', reference: 'RF18539007547034', account: { id: 'NL91ABNA0417164300' } },
  lines: [{ sku: 'A', description: 'Item A', quantityThousandths: 1000, unitPrice: 1000, vat: S21 }],
};
const withLines = (lines: InvoiceLineInput[], extra: Partial<InvoiceDocumentInput> = {}): InvoiceDocumentInput => ({
  ...base,
  lines,
  ...extra,
});

describe('buildInvoiceDocument: EN 16931 totals', () => {
  it('computes line nets, discounts, charges, VAT per rate and the amount due', () => {
    const doc = buildInvoiceDocument(
      withLines(
        [
          { sku: 'A', description: 'Item A', quantityThousandths: 3000, unitPrice: 1999, vat: S21 },
          {
            sku: 'B',
            description: 'Hours',
            quantityThousandths: 2500,
            unitCode: 'HUR',
            unitPrice: 1000,
            allowance: { percentBp: 1000, reason: 'Discount' },
            vat: S9,
          },
        ],
        {
          allowancesCharges: [
            { kind: 'allowance', amount: 500, reason: 'Loyalty', vat: S21 },
            { kind: 'charge', amount: 750, reason: 'Freight', reasonCode: 'FC', vat: S21 },
          ],
          prepaidAmount: 2000,
        },
      ),
    );
    expect(doc.lines.map((l) => [l.id, l.grossAmount, l.allowanceAmount, l.netAmount])).toEqual([
      ['1', 5997, 0, 5997],
      ['2', 2500, 250, 2250],
    ]);
    expect(doc.vatBreakdown).toEqual([
      { code: 'S', rateBp: 2100, taxableAmount: 6247, taxAmount: 1312 }, // 59.97 - 5.00 + 7.50 = 62.47; x 21 % = 13.1187
      { code: 'S', rateBp: 900, taxableAmount: 2250, taxAmount: 203 }, // 22.50 x 9 % = 2.025 -> 2.03 (half up)
    ]);
    expect(doc.totals).toEqual({
      sumOfLineNets: 8247,
      allowanceTotal: 500,
      chargeTotal: 750,
      totalWithoutVat: 8497,
      vatTotal: 1515,
      totalWithVat: 10012,
      prepaidAmount: 2000,
      roundingAmount: 0,
      amountDue: 8012,
    });
    expect(doc.dueDate).toBe('2026-12-02');
  });

  it('rounds each line net once, halves up', () => {
    const doc = buildInvoiceDocument(
      withLines([
        { sku: 'H', description: 'Advice', quantityThousandths: 1333, unitPrice: 9555, vat: S21 }, // 127.36815
        { sku: 'G', description: 'Gram', quantityThousandths: 500, unitPrice: 1, vat: S21 }, // 0.005
        {
          sku: 'T',
          description: 'Tape',
          quantityThousandths: 333,
          unitPrice: 1001,
          allowance: { percentBp: 1250, reason: 'Discount' },
          vat: S21,
        },
      ]),
    );
    // 0.333 x 10.01 = 3.33333 -> 3.33; 12.5 % of 3.33 = 0.41625 -> 0.42
    expect(doc.lines.map((l) => [l.grossAmount, l.allowanceAmount, l.netAmount])).toEqual([
      [12737, 0, 12737],
      [1, 0, 1],
      [333, 42, 291],
    ]);
  });

  it('applies a document-level percentage to the line nets of its own VAT category and rate', () => {
    const doc = buildInvoiceDocument(
      withLines(
        [
          { sku: 'A', description: 'A', quantityThousandths: 1000, unitPrice: 10_000, vat: S21 },
          { sku: 'B', description: 'B', quantityThousandths: 1000, unitPrice: 5_000, vat: S9 },
        ],
        { allowancesCharges: [{ kind: 'allowance', percentBp: 200, reason: '2 % on food', vat: S9 }] },
      ),
    );
    expect(doc.allowancesCharges[0]).toMatchObject({ resolvedAmount: 100, baseAmount: 5_000 });
    expect(doc.vatBreakdown.map((b) => b.taxableAmount)).toEqual([10_000, 4_900]);
  });

  it('fills in the standard exemption reason of reverse charge', () => {
    const doc = buildInvoiceDocument(
      withLines(
        [
          {
            sku: 'S',
            description: 'Service',
            quantityThousandths: 1000,
            unitPrice: 100_000,
            vat: { code: 'AE', rateBp: 0 },
          },
        ],
        { buyer: beBuyer },
      ),
    );
    expect(doc.vatBreakdown).toEqual([
      {
        code: 'AE',
        rateBp: 0,
        taxableAmount: 100_000,
        taxAmount: 0,
        exemptionReasonCode: 'VATEX-EU-AE',
        exemptionReason: 'Reverse charge',
      },
    ]);
    expect(doc.totals.vatTotal).toBe(0);
  });
});

describe('totalWithVatByLine', () => {
  it('gives each line its share of its VAT group after the document discount, VAT included', () => {
    const doc = buildInvoiceDocument(
      withLines(
        [
          { sku: 'A', description: 'A', quantityThousandths: 1000, unitPrice: 1000, vat: S21 },
          { sku: 'B', description: 'B', quantityThousandths: 2000, unitPrice: 1000, vat: S21 },
          { sku: 'C', description: 'C', quantityThousandths: 1000, unitPrice: 999, vat: S9 },
        ],
        { allowancesCharges: [{ kind: 'allowance', percentBp: 1000, reason: 'Discount', vat: S21 }] },
      ),
    );
    // 21 %: 3,000 less 10 % = 2,700 + 567 VAT = 3,267 split 1:2; 9 %: 999 + 90 = 1,089.
    expect(totalWithVatByLine(doc)).toEqual([1_089, 2_178, 1_089]);
    expect(sum(totalWithVatByLine(doc))).toBe(doc.totals.totalWithVat);
  });
});

describe('buildInvoiceDocument: refusals name the field or rule', () => {
  const line = (vat: VatCategory): InvoiceLineInput => ({
    sku: 'A',
    description: 'A',
    quantityThousandths: 1000,
    unitPrice: 1000,
    vat,
  });
  const K: VatCategory = { code: 'K', rateBp: 0 };
  it.each<[string, InvoiceDocumentInput, RegExp]>([
    ['no lines', withLines([]), /BR-16/],
    ['no buyer or order reference', { ...base, buyerReference: undefined }, /PEPPOL-EN16931-R003/],
    ['unsupported currency', { ...base, currency: 'JPY' }, /currency "JPY"/],
    ['impossible issue date', { ...base, issueDate: '2026-02-30' }, /not a real calendar date/],
    ['credit note without the invoice it corrects', { ...base, type: 'credit-note' }, /precedingInvoice/],
    ['zero quantity', withLines([{ ...line(S21), quantityThousandths: 0 }]), /lines\[0\]\.quantityThousandths/],
    ['fractional price', withLines([{ ...line(S21), unitPrice: 10.5 }]), /lines\[0\]\.unitPrice.*BR-27/],
    ['negative price', withLines([{ ...line(S21), unitPrice: -1 }]), /BR-27/],
    [
      'line allowance above the line',
      withLines([{ ...line(S21), allowance: { amount: 1001, reason: 'x' } }]),
      /exceeds the line amount/,
    ],
    [
      'line allowance without reason',
      withLines([{ ...line(S21), allowance: { amount: 1, reason: '' } }]),
      /lines\[0\]\.allowance\.reason/,
    ],
    [
      'document allowance above its category',
      withLines([line(S21)], { allowancesCharges: [{ kind: 'allowance', amount: 1001, reason: 'x', vat: S21 }] }),
      /exceed/,
    ],
    [
      'reverse charge without buyer VAT id',
      withLines([line({ code: 'AE', rateBp: 0 })], { buyer: { ...beBuyer, vatId: undefined } }),
      /BR-AE-02/,
    ],
    [
      'standard rate without seller VAT id',
      withLines([line(S21)], { seller: { ...seller, vatId: undefined } }),
      /BR-S-02/,
    ],
    [
      'intra-community supply within one country',
      withLines([line(K)], { delivery: { date: '2026-11-01', country: 'NL' } }),
      /both in NL/,
    ],
    [
      'intra-community supply without delivery date',
      withLines([line(K)], { buyer: beBuyer, delivery: { country: 'BE' } }),
      /BR-IC-11/,
    ],
    [
      'intra-community supply without deliver-to country',
      withLines([line(K)], { buyer: beBuyer, delivery: { date: '2026-11-01' } }),
      /BR-IC-12/,
    ],
    ['intra-community supply to outside the EU', withLines([line(K)], { buyer: usBuyer }), /BR-IC-02|EU member states/],
    [
      'export to an EU buyer',
      withLines([line({ code: 'G', rateBp: 0 })], { buyer: beBuyer }),
      /outside the seller's VAT area, got BE/,
    ],
    ['outside scope mixed with VAT', withLines([line({ code: 'O', rateBp: 0 }), line(S21)]), /BR-O-11/],
    ['outside scope with VAT ids', withLines([line({ code: 'O', rateBp: 0 })]), /BR-O-02/],
    [
      'bad endpoint scheme',
      { ...base, buyer: { ...buyer, endpoint: { id: 'x', scheme: 'GLN' } } },
      /buyer\.endpoint\.scheme.*BR-63/,
    ],
    ['VAT id without country prefix', { ...base, buyer: { ...buyer, vatId: '123456789' } }, /BR-CO-09/],
    ['prepaid more than the total', { ...base, prepaidAmount: 1211 }, /prepaidAmount must be an integer 0\.\.1210/],
  ])('%s', (_, input, message) => {
    expect(() => buildInvoiceDocument(input)).toThrow(message);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Property tests: whatever the lines, rates, discounts and charges, the document adds up exactly.

const vatArb: fc.Arbitrary<VatCategory> = fc.oneof(
  fc
    .constantFrom(2100, 900, 600, 1200, 1500, 2500, 1900, 700, 550, 1)
    .map((rateBp): VatCategory => ({ code: 'S', rateBp })),
  fc.constant<VatCategory>({ code: 'Z', rateBp: 0 }),
  fc.constant<VatCategory>({ code: 'E', rateBp: 0, exemptionReasonCode: 'VATEX-EU-132-1G' }),
);

const lineArb: fc.Arbitrary<InvoiceLineInput> = fc
  .record({
    quantityThousandths: fc.integer({ min: 1, max: 10_000_000 }),
    unitPrice: fc.integer({ min: 0, max: 10_000_000 }),
    discount: fc.option(
      fc.oneof(
        fc.integer({ min: 1, max: 10_000 }).map((percentBp) => ({ percentBp })),
        fc.integer({ min: 1, max: 100_000_000 }).map((amount) => ({ amount })),
      ),
    ),
    vat: vatArb,
  })
  .map(({ quantityThousandths, unitPrice, discount, vat }) => {
    const gross = Math.floor((quantityThousandths * unitPrice) / 1000); // never above the rounded line amount
    // A fixed discount is capped at the line so the generated line is always a valid one.
    const allowance =
      discount === null
        ? undefined
        : 'amount' in discount
          ? gross > 0
            ? { amount: Math.min(discount.amount, gross), reason: 'Discount' }
            : undefined
          : { ...discount, reason: 'Discount' };
    return { sku: 'SKU', description: 'Item', quantityThousandths, unitPrice, vat, ...(allowance && { allowance }) };
  });

const documentArb = fc
  .record({
    lines: fc.array(lineArb, { minLength: 1, maxLength: 25 }),
    // Up to three document allowances of at most 30 % each, so a category base never goes negative.
    allowances: fc.array(fc.record({ pick: fc.nat(), percentBp: fc.integer({ min: 1, max: 3_000 }) }), {
      maxLength: 3,
    }),
    charges: fc.array(fc.record({ pick: fc.nat(), amount: fc.integer({ min: 1, max: 1_000_000 }) }), { maxLength: 3 }),
    prepaidShare: fc.integer({ min: 0, max: 100 }),
  })
  .map(({ lines, allowances, charges, prepaidShare }) => {
    const vatOf = (pick: number): VatCategory => lines[pick % lines.length]!.vat;
    const allowancesCharges: DocumentAllowanceChargeInput[] = [
      ...allowances.map((a): DocumentAllowanceChargeInput => ({
        kind: 'allowance',
        percentBp: a.percentBp,
        reason: 'Discount',
        vat: vatOf(a.pick),
      })),
      ...charges.map((c): DocumentAllowanceChargeInput => ({
        kind: 'charge',
        amount: c.amount,
        reason: 'Freight',
        vat: vatOf(c.pick),
      })),
    ];
    return { input: withLines(lines, { allowancesCharges }), prepaidShare };
  });

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const build = (input: InvoiceDocumentInput, prepaidShare: number): InvoiceDocument => {
  const doc = buildInvoiceDocument(input);
  return buildInvoiceDocument({ ...input, prepaidAmount: Math.floor((doc.totals.totalWithVat * prepaidShare) / 100) });
};

describe('invoice arithmetic (property tests)', () => {
  it('shares the total with VAT out over the lines: no line negative, and together exactly the total', () => {
    fc.assert(
      fc.property(documentArb, ({ input, prepaidShare }) => {
        const doc = build(input, prepaidShare);
        const shares = totalWithVatByLine(doc);
        const inLines = doc.vatBreakdown.filter((b) =>
          doc.lines.some((l) => l.vat.code === b.code && l.vat.rateBp === b.rateBp),
        );
        expect(sum(shares)).toBe(sum(inLines.map((b) => b.taxableAmount + b.taxAmount)));
        for (const share of shares) expect(share).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('line nets sum to BT-106 and each line is quantity x price rounded once, less its allowance', () => {
    fc.assert(
      fc.property(documentArb, ({ input, prepaidShare }) => {
        const doc = build(input, prepaidShare);
        expect(doc.totals.sumOfLineNets).toBe(sum(doc.lines.map((l) => l.netAmount)));
        for (const l of doc.lines) {
          expect(Math.abs(l.grossAmount * 1000 - l.quantityThousandths * l.unitPrice) * 2).toBeLessThanOrEqual(1000);
          expect(l.netAmount).toBe(l.grossAmount - l.allowanceAmount);
          expect(l.netAmount).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it('VAT breakdown taxable amounts sum to BT-109, and each is its own lines, allowances and charges', () => {
    fc.assert(
      fc.property(documentArb, ({ input, prepaidShare }) => {
        const doc = build(input, prepaidShare);
        const t = doc.totals;
        expect(t.totalWithoutVat).toBe(t.sumOfLineNets - t.allowanceTotal + t.chargeTotal);
        expect(sum(doc.vatBreakdown.map((b) => b.taxableAmount))).toBe(t.totalWithoutVat);
        for (const b of doc.vatBreakdown) {
          const inGroup = <T extends { vat: VatCategory }>(x: T): boolean =>
            x.vat.code === b.code && x.vat.rateBp === b.rateBp;
          const nets = sum(doc.lines.filter(inGroup).map((l) => l.netAmount));
          const acs = sum(
            doc.allowancesCharges
              .filter(inGroup)
              .map((ac) => (ac.kind === 'charge' ? ac.resolvedAmount : -ac.resolvedAmount)),
          );
          expect(b.taxableAmount).toBe(nets + acs);
        }
      }),
    );
  });

  it('VAT total is the sum of category VAT, each rounded half up once from taxable x rate', () => {
    fc.assert(
      fc.property(documentArb, ({ input, prepaidShare }) => {
        const doc = build(input, prepaidShare);
        expect(doc.totals.vatTotal).toBe(sum(doc.vatBreakdown.map((b) => b.taxAmount)));
        for (const b of doc.vatBreakdown) {
          const exact = b.taxableAmount * b.rateBp; // in 1/10000 of a minor unit
          expect(Math.abs(b.taxAmount * 10_000 - exact) * 2).toBeLessThanOrEqual(10_000);
          if ((exact % 10_000) * 2 === 10_000) expect(b.taxAmount * 10_000).toBeGreaterThan(exact); // a half rounds up
        }
      }),
    );
  });

  it('BT-112 = BT-109 + BT-110, BT-115 = BT-112 - BT-113, and every amount is a safe integer', () => {
    fc.assert(
      fc.property(documentArb, ({ input, prepaidShare }) => {
        const doc = build(input, prepaidShare);
        const t = doc.totals;
        expect(t.totalWithVat).toBe(t.totalWithoutVat + t.vatTotal);
        expect(t.amountDue).toBe(t.totalWithVat - t.prepaidAmount);
        const amounts = [
          ...Object.values(t),
          ...doc.lines.flatMap((l) => [l.grossAmount, l.allowanceAmount, l.netAmount]),
          ...doc.allowancesCharges.map((ac) => ac.resolvedAmount),
          ...doc.vatBreakdown.flatMap((b) => [b.taxableAmount, b.taxAmount]),
        ];
        for (const a of amounts) {
          expect(Number.isSafeInteger(a)).toBe(true);
          expect(Object.is(a, -0)).toBe(false);
        }
      }),
    );
  });

  it('is deterministic: the same input gives the same document', () => {
    fc.assert(
      fc.property(documentArb, ({ input }) => {
        expect(buildInvoiceDocument(input)).toEqual(buildInvoiceDocument(input));
      }),
      { numRuns: 50 },
    );
  });
});
