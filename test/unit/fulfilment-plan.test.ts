import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planFulfilment, type StockLevel } from '../../domain/fulfilment-plan.js';

const level = (warehouse: string, sku: string, available: number): StockLevel => ({ warehouse, sku, available });

describe('planFulfilment', () => {
  it('uses one warehouse when one can serve the whole order, the first by code', () => {
    const stock = [
      level('oslo', 'A', 10),
      level('oslo', 'B', 10),
      level('ams', 'A', 10),
      level('ams', 'B', 10),
      level('rtm', 'A', 1),
    ];
    expect(
      planFulfilment(
        [
          { sku: 'A', quantity: 3 },
          { sku: 'B', quantity: 2 },
        ],
        stock,
      ),
    ).toEqual({
      shipments: [
        {
          warehouse: 'ams',
          lines: [
            { sku: 'A', quantity: 3 },
            { sku: 'B', quantity: 2 },
          ],
        },
      ],
      shortfall: [],
    });
  });

  it('splits across warehouses, the one covering most first, and reports what nobody has', () => {
    const stock = [level('ams', 'A', 2), level('oslo', 'A', 5), level('oslo', 'B', 1), level('rtm', 'B', 4)];
    expect(
      planFulfilment(
        [
          { sku: 'A', quantity: 6 },
          { sku: 'B', quantity: 4 },
          { sku: 'C', quantity: 1 },
        ],
        stock,
      ),
    ).toEqual({
      shipments: [
        {
          warehouse: 'oslo',
          lines: [
            { sku: 'A', quantity: 5 },
            { sku: 'B', quantity: 1 },
          ],
        },
        { warehouse: 'rtm', lines: [{ sku: 'B', quantity: 3 }] },
        { warehouse: 'ams', lines: [{ sku: 'A', quantity: 1 }] },
      ],
      shortfall: [{ sku: 'C', quantity: 1 }],
    });
  });

  it('adds up repeated lines of one SKU and refuses non-positive quantities', () => {
    expect(
      planFulfilment(
        [
          { sku: 'A', quantity: 1 },
          { sku: 'A', quantity: 2 },
        ],
        [level('ams', 'A', 3)],
      ).shipments,
    ).toEqual([{ warehouse: 'ams', lines: [{ sku: 'A', quantity: 3 }] }]);
    expect(() => planFulfilment([{ sku: 'A', quantity: 0 }], [])).toThrow(/quantity of A must be positive/);
  });

  it('never plans more than is available, and planned + shortfall = demand', () => {
    const sku = fc.constantFrom('A', 'B', 'C', 'D');
    const demand = fc.array(fc.record({ sku, quantity: fc.integer({ min: 1, max: 50 }) }), {
      minLength: 1,
      maxLength: 6,
    });
    const stock = fc.array(
      fc.record({
        warehouse: fc.constantFrom('ams', 'oslo', 'rtm', 'ber'),
        sku,
        available: fc.integer({ min: -5, max: 60 }),
      }),
      { maxLength: 16 },
    );
    fc.assert(
      fc.property(demand, stock, (d, s) => {
        const plan = planFulfilment(d, s);
        const availableAt = (w: string, k: string) =>
          s.filter((x) => x.warehouse === w && x.sku === k).reduce((a, x) => a + Math.max(0, x.available), 0);
        for (const shipment of plan.shipments) {
          for (const line of shipment.lines)
            expect(line.quantity).toBeLessThanOrEqual(availableAt(shipment.warehouse, line.sku));
        }
        for (const k of new Set(d.map((x) => x.sku))) {
          const wanted = d.filter((x) => x.sku === k).reduce((a, x) => a + x.quantity, 0);
          const planned = plan.shipments
            .flatMap((x) => x.lines)
            .filter((l) => l.sku === k)
            .reduce((a, l) => a + l.quantity, 0);
          const short = plan.shortfall.find((x) => x.sku === k)?.quantity ?? 0;
          expect(planned + short).toBe(wanted);
        }
        expect(new Set(plan.shipments.map((x) => x.warehouse)).size).toBe(plan.shipments.length);
      }),
      { numRuns: 500 },
    );
  });
});
