import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceLines, priceOrder, unitPriceFor } from '../../domain/pricing.js';

describe('priceLines', () => {
  it('extends lines and totals them', () => {
    expect(
      priceLines([
        { sku: 'BOLT-M8', quantity: 100, unitPrice: 12 },
        { sku: 'NUT-M8', quantity: 3, unitPrice: 1999 },
      ]),
    ).toEqual({
      lines: [
        { sku: 'BOLT-M8', quantity: 100, unitPrice: 12, lineTotal: 1200 },
        { sku: 'NUT-M8', quantity: 3, unitPrice: 1999, lineTotal: 5997 },
      ],
      total: 7197,
    });
  });

  it('allows free lines (unit price 0)', () => {
    expect(priceLines([{ sku: 'SAMPLE', quantity: 1, unitPrice: 0 }]).total).toBe(0);
  });

  it('rejects invalid lines naming the field', () => {
    expect(() => priceLines([])).toThrow(/at least one line/);
    expect(() => priceLines([{ sku: 'A', quantity: 0, unitPrice: 1 }])).toThrow(/lines\[0\]\.quantity/);
    expect(() => priceLines([{ sku: 'A', quantity: 1.5, unitPrice: 1 }])).toThrow(/lines\[0\]\.quantity/);
    expect(() =>
      priceLines([
        { sku: 'A', quantity: 1, unitPrice: 1 },
        { sku: 'B', quantity: 1, unitPrice: -1 },
      ]),
    ).toThrow(/lines\[1\]\.unitPrice/);
    expect(() => priceLines([{ sku: 'A', quantity: 1, unitPrice: 0.5 }])).toThrow(/unitPrice/);
    expect(() => priceLines([{ sku: ' ', quantity: 1, unitPrice: 1 }])).toThrow(/lines\[0\]\.sku/);
  });

  it('throws on overflow of a line or of the total', () => {
    expect(() => priceLines([{ sku: 'A', quantity: 2 ** 27, unitPrice: 2 ** 27 }])).toThrow(/lines\[0\]\.lineTotal/);
    expect(() =>
      priceLines([
        { sku: 'A', quantity: 1, unitPrice: Number.MAX_SAFE_INTEGER },
        { sku: 'B', quantity: 1, unitPrice: 1 },
      ]),
    ).toThrow(/order total/);
  });

  it('total equals the exact (bigint) sum of quantity x unitPrice', () => {
    const line = fc.record({
      sku: fc.stringMatching(/^[A-Z0-9-]{1,12}$/),
      quantity: fc.integer({ min: 1, max: 10_000 }),
      unitPrice: fc.integer({ min: 0, max: 10_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), (lines) => {
        const priced = priceLines(lines);
        const exact = lines.reduce((s, l) => s + BigInt(l.quantity) * BigInt(l.unitPrice), 0n);
        expect(BigInt(priced.total)).toBe(exact);
        expect(priced.lines.map((l) => l.lineTotal)).toEqual(lines.map((l) => l.quantity * l.unitPrice));
      }),
    );
  });
});

describe('unitPriceFor', () => {
  const breaks = [
    { minQuantity: 100, unitPrice: 900 },
    { minQuantity: 10, unitPrice: 1100 },
    { minQuantity: 1, unitPrice: 1200 },
  ];

  it('picks the break with the highest minQuantity not above the quantity, in any order', () => {
    expect(unitPriceFor(1250, breaks, 1)).toBe(1200);
    expect(unitPriceFor(1250, breaks, 9)).toBe(1200);
    expect(unitPriceFor(1250, breaks, 10)).toBe(1100);
    expect(unitPriceFor(1250, breaks, 99)).toBe(1100);
    expect(unitPriceFor(1250, breaks, 100)).toBe(900);
    expect(unitPriceFor(1250, breaks, 1_000_000)).toBe(900);
  });

  it('falls back to the list price below the lowest break or without breaks', () => {
    expect(unitPriceFor(1250, [{ minQuantity: 10, unitPrice: 1000 }], 9)).toBe(1250);
    expect(unitPriceFor(1250, [], 500)).toBe(1250);
  });

  it('applies a contract price above the list price', () => {
    expect(unitPriceFor(1000, [{ minQuantity: 1, unitPrice: 1100 }], 5)).toBe(1100);
  });

  it('rejects invalid input naming the field', () => {
    expect(() => unitPriceFor(-1, [], 1)).toThrow(/^listPrice must be a non-negative integer/);
    expect(() => unitPriceFor(1, [], 0)).toThrow(/^quantity must be a positive integer/);
    expect(() => unitPriceFor(1, [{ minQuantity: 0, unitPrice: 1 }], 1)).toThrow(/^breaks\[0\]\.minQuantity/);
    expect(() => unitPriceFor(1, [{ minQuantity: 1, unitPrice: 1.5 }], 1)).toThrow(/^breaks\[0\]\.unitPrice/);
    expect(() =>
      unitPriceFor(
        1,
        [
          { minQuantity: 5, unitPrice: 1 },
          { minQuantity: 5, unitPrice: 2 },
        ],
        1,
      ),
    ).toThrow(/^breaks\[1\]\.minQuantity 5 appears more than once/);
  });
});

describe('priceOrder', () => {
  const line = { sku: 'BOLT-M8', quantity: 3, listPrice: 1999, breaks: [], discountBp: 0 };

  it('prices lines from their breaks, takes line discounts and then the order discount', () => {
    expect(
      priceOrder({
        lines: [
          {
            sku: 'BOLT-M8',
            quantity: 120,
            listPrice: 15,
            breaks: [{ minQuantity: 100, unitPrice: 12 }],
            discountBp: 0,
          },
          { ...line, discountBp: 1000 },
        ],
        discountBp: 250,
      }),
    ).toEqual({
      lines: [
        { sku: 'BOLT-M8', quantity: 120, unitPrice: 12, discountBp: 0, lineTotal: 1440 },
        // 5997 - 599.7 -> 5997 - 600
        { sku: 'BOLT-M8', quantity: 3, unitPrice: 1999, discountBp: 1000, lineTotal: 5397 },
      ],
      linesTotal: 6837,
      discountBp: 250,
      // 170.925 -> 171
      documentDiscount: 171,
      total: 6666,
    });
  });

  it('rounds each discount once, half away from zero', () => {
    // 1 x 5 at 10 %: 0.5 -> 1; order 50 % of 4: exactly 2.
    const priced = priceOrder({ lines: [{ ...line, quantity: 1, listPrice: 5, discountBp: 1000 }], discountBp: 5000 });
    expect(priced).toMatchObject({ lines: [{ lineTotal: 4 }], linesTotal: 4, documentDiscount: 2, total: 2 });
  });

  it('a 100 % discount makes a free line or order, never a negative one', () => {
    expect(priceOrder({ lines: [{ ...line, discountBp: 10_000 }], discountBp: 0 }).total).toBe(0);
    expect(priceOrder({ lines: [line], discountBp: 10_000 })).toMatchObject({
      linesTotal: 5997,
      documentDiscount: 5997,
      total: 0,
    });
  });

  it('rejects invalid input naming the field', () => {
    expect(() => priceOrder({ lines: [], discountBp: 0 })).toThrow(/at least one line/);
    expect(() => priceOrder({ lines: [line], discountBp: 10_001 })).toThrow(
      /^discountBp must be an integer from 0 to 10000/,
    );
    expect(() => priceOrder({ lines: [line], discountBp: -1 })).toThrow(/^discountBp/);
    expect(() => priceOrder({ lines: [line, { ...line, discountBp: 12.5 }], discountBp: 0 })).toThrow(
      /^lines\[1\]\.discountBp must be an integer from 0 to 10000/,
    );
    expect(() => priceOrder({ lines: [{ ...line, quantity: 0 }], discountBp: 0 })).toThrow(/^lines\[0\]\.quantity/);
    expect(() => priceOrder({ lines: [{ ...line, sku: '' }], discountBp: 0 })).toThrow(/^lines\[0\]\.sku/);
    expect(() => priceOrder({ lines: [{ ...line, listPrice: -5 }], discountBp: 0 })).toThrow(/^lines\[0\]\.listPrice/);
    expect(() =>
      priceOrder({ lines: [{ ...line, breaks: [{ minQuantity: 1, unitPrice: -1 }] }], discountBp: 0 }),
    ).toThrow(/^lines\[0\]\.breaks\[0\]\.unitPrice/);
  });

  it('throws on overflow naming the field', () => {
    expect(() => priceOrder({ lines: [{ ...line, quantity: 2 ** 27, listPrice: 2 ** 27 }], discountBp: 0 })).toThrow(
      /lines\[0\]\.lineTotal/,
    );
    expect(() =>
      priceOrder({ lines: [{ ...line, quantity: 1, listPrice: 2 ** 50, discountBp: 10 }], discountBp: 0 }),
    ).toThrow(/lines\[0\]\.discountBp/);
  });

  it('total = sum of line totals - document discount; no line above quantity x unitPrice; the highest applicable break wins', () => {
    const breaks = fc.uniqueArray(
      fc.record({ minQuantity: fc.integer({ min: 1, max: 1_000 }), unitPrice: fc.integer({ min: 0, max: 1_000_000 }) }),
      { selector: (b) => b.minQuantity, maxLength: 6 },
    );
    const lineArb = fc.record({
      sku: fc.stringMatching(/^[A-Z0-9-]{1,12}$/),
      quantity: fc.integer({ min: 1, max: 1_000 }),
      listPrice: fc.integer({ min: 0, max: 1_000_000 }),
      breaks,
      discountBp: fc.integer({ min: 0, max: 10_000 }),
    });
    const bp = fc.integer({ min: 0, max: 10_000 });
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 20 }), bp, (lines, discountBp) => {
        const priced = priceOrder({ lines, discountBp });
        const sum = priced.lines.reduce((s, l) => s + l.lineTotal, 0);
        expect(priced.linesTotal).toBe(sum);
        expect(priced.total).toBe(sum - priced.documentDiscount);
        expect(priced.total).toBeGreaterThanOrEqual(0);
        priced.lines.forEach((l, i) => {
          const input = lines[i]!;
          expect(l.lineTotal).toBeLessThanOrEqual(l.quantity * l.unitPrice);
          expect(l.lineTotal).toBeGreaterThanOrEqual(0);
          const applicable = input.breaks.filter((b) => b.minQuantity <= input.quantity);
          const highest = applicable.reduce<{ minQuantity: number; unitPrice: number } | undefined>(
            (h, b) => (!h || b.minQuantity > h.minQuantity ? b : h),
            undefined,
          );
          expect(l.unitPrice).toBe(highest ? highest.unitPrice : input.listPrice);
        });
      }),
    );
  });
});
