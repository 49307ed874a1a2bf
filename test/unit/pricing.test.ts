import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceLines } from '../../domain/pricing.js';

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
