import { assertSafeInteger } from './money.js';

export interface PricedLine {
  sku: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

/**
 * Extends each line with quantity x unitPrice and sums the order, all in integer minor units of the order
 * currency. Validation names the offending field (lines[i].quantity) so the API can surface it as-is.
 */
export function priceLines(lines: readonly { sku: string; quantity: number; unitPrice: number }[]): {
  lines: PricedLine[];
  total: number;
} {
  if (lines.length === 0) throw new RangeError('priceLines: an order needs at least one line');
  let total = 0;
  const priced = lines.map(({ sku, quantity, unitPrice }, i) => {
    if (sku.trim() === '') throw new RangeError(`lines[${i}].sku must not be empty`);
    if (!Number.isSafeInteger(quantity) || quantity <= 0) {
      throw new RangeError(`lines[${i}].quantity must be a positive integer, got ${quantity}`);
    }
    if (!Number.isSafeInteger(unitPrice) || unitPrice < 0) {
      throw new RangeError(`lines[${i}].unitPrice must be a non-negative integer in minor units, got ${unitPrice}`);
    }
    const lineTotal = quantity * unitPrice;
    assertSafeInteger(lineTotal, `lines[${i}].lineTotal`);
    total += lineTotal;
    assertSafeInteger(total, 'order total');
    return { sku, quantity, unitPrice, lineTotal };
  });
  return { lines: priced, total };
}
