import { assertSafeInteger } from './money.js';

export const SHIPPING_POLICIES = ['ship_partial', 'ship_complete'] as const;
export type ShippingPolicy = (typeof SHIPPING_POLICIES)[number];

export interface Demand {
  sku: string;
  quantity: number;
}

export interface StockLevel {
  warehouse: string;
  sku: string;
  available: number;
}

export interface PlannedShipment {
  warehouse: string;
  lines: Demand[];
}

export interface FulfilmentPlan {
  shipments: PlannedShipment[];
  /** What no warehouse has now. */
  shortfall: Demand[];
}

/**
 * Where to take an order's goods from. The rule, in order:
 * 1. one warehouse when one can serve the whole order (the first by code, so the choice is stable);
 * 2. otherwise split: warehouses that can cover more of the order's units go first (ties by code), each taking
 *    what it has of what is still missing, which keeps the number of shipments small;
 * 3. what nobody has is the shortfall (backorder or refusal is the caller's policy).
 * Never plans more of a SKU in a warehouse than is available there.
 */
export function planFulfilment(demand: readonly Demand[], stock: readonly StockLevel[]): FulfilmentPlan {
  const wanted = new Map<string, number>();
  for (const { sku, quantity } of demand) {
    assertSafeInteger(quantity, `quantity of ${sku}`);
    if (quantity <= 0) throw new RangeError(`quantity of ${sku} must be positive, got ${quantity}`);
    wanted.set(sku, (wanted.get(sku) ?? 0) + quantity);
  }
  const available = new Map<string, Map<string, number>>();
  for (const level of stock) {
    if (!wanted.has(level.sku) || level.available <= 0) continue;
    const bySku = available.get(level.warehouse) ?? new Map<string, number>();
    bySku.set(level.sku, (bySku.get(level.sku) ?? 0) + level.available);
    available.set(level.warehouse, bySku);
  }
  const coverage = (warehouse: string) =>
    [...wanted].reduce((sum, [sku, qty]) => sum + Math.min(qty, available.get(warehouse)?.get(sku) ?? 0), 0);
  const totalWanted = [...wanted.values()].reduce((a, b) => a + b, 0);
  const warehouses = [...available.keys()].sort();

  const whole = warehouses.find((w) => coverage(w) === totalWanted);
  if (whole)
    return {
      shipments: [{ warehouse: whole, lines: [...wanted].map(([sku, quantity]) => ({ sku, quantity })) }],
      shortfall: [],
    };

  const byCoverage = [...warehouses].sort((a, b) => coverage(b) - coverage(a) || (a < b ? -1 : 1));
  const missing = new Map(wanted);
  const shipments: PlannedShipment[] = [];
  for (const warehouse of byCoverage) {
    const lines: Demand[] = [];
    for (const [sku, qty] of missing) {
      const take = Math.min(qty, available.get(warehouse)?.get(sku) ?? 0);
      if (take <= 0) continue;
      lines.push({ sku, quantity: take });
      missing.set(sku, qty - take);
    }
    if (lines.length > 0) shipments.push({ warehouse, lines });
  }
  return { shipments, shortfall: [...missing].filter(([, q]) => q > 0).map(([sku, quantity]) => ({ sku, quantity })) };
}
