import { assertSafeInteger } from './money.js';
import { applyRate, BASIS_POINTS } from './tax.js';

export interface PricedLine {
  sku: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

/** A customer price list entry: `unitPrice` applies from `minQuantity` units of the SKU on one order line. */
export interface PriceBreak {
  readonly minQuantity: number;
  readonly unitPrice: number;
}

export interface LineToPrice {
  readonly sku: string;
  readonly quantity: number;
  /** The product's own unit price, charged when no break applies. */
  readonly listPrice: number;
  /** The customer's price list entries for this SKU, in any order; empty without a price list. */
  readonly breaks: readonly PriceBreak[];
  /** Line discount in basis points (10000 = 100 %). */
  readonly discountBp: number;
}

export interface PricedOrderLine extends PricedLine {
  discountBp: number;
}

export interface PricedOrder {
  lines: PricedOrderLine[];
  /** Sum of the line totals (net of line discounts). */
  linesTotal: number;
  discountBp: number;
  /** The order discount, taken once off linesTotal. */
  documentDiscount: number;
  /** linesTotal - documentDiscount; excludes VAT. */
  total: number;
}

// Field checks shared by both pricing entry points; `prefix` is '' or e.g. 'lines[2].'.
function checkSku(sku: string, prefix: string): void {
  if (sku.trim() === '') throw new RangeError(`${prefix}sku must not be empty`);
}

function checkQuantity(quantity: number, prefix: string): void {
  if (!Number.isSafeInteger(quantity) || quantity <= 0) {
    throw new RangeError(`${prefix}quantity must be a positive integer, got ${quantity}`);
  }
}

function checkPrice(price: number, field: string): void {
  if (!Number.isSafeInteger(price) || price < 0) {
    throw new RangeError(`${field} must be a non-negative integer in minor units, got ${price}`);
  }
}

function checkBasisPoints(bp: number, field: string): void {
  if (!Number.isSafeInteger(bp) || bp < 0 || bp > BASIS_POINTS) {
    throw new RangeError(`${field} must be an integer from 0 to ${BASIS_POINTS} basis points, got ${bp}`);
  }
}

/** applyRate, with an overflow reported against the field the rate came from. */
function discountOf(amount: number, bp: number, field: string): number {
  assertSafeInteger(amount * bp, `${field} (amount ${amount} x ${bp} bp)`);
  return applyRate(amount, bp);
}

function selectUnitPrice(listPrice: number, breaks: readonly PriceBreak[], quantity: number, prefix: string): number {
  checkPrice(listPrice, `${prefix}listPrice`);
  checkQuantity(quantity, prefix);
  const seen = new Set<number>();
  let best: PriceBreak | undefined;
  breaks.forEach((b, j) => {
    if (!Number.isSafeInteger(b.minQuantity) || b.minQuantity <= 0) {
      throw new RangeError(`${prefix}breaks[${j}].minQuantity must be a positive integer, got ${b.minQuantity}`);
    }
    checkPrice(b.unitPrice, `${prefix}breaks[${j}].unitPrice`);
    // Two prices for one threshold would make the charge depend on row order.
    if (seen.has(b.minQuantity))
      throw new RangeError(`${prefix}breaks[${j}].minQuantity ${b.minQuantity} appears more than once`);
    seen.add(b.minQuantity);
    if (b.minQuantity <= quantity && (!best || b.minQuantity > best.minQuantity)) best = b;
  });
  return best ? best.unitPrice : listPrice;
}

/**
 * The unit price charged for `quantity` units: the break with the highest minQuantity <= quantity, else the
 * product's list price. A price list is a contract, so its price applies even where it is above the list price.
 */
export function unitPriceFor(listPrice: number, breaks: readonly PriceBreak[], quantity: number): number {
  return selectUnitPrice(listPrice, breaks, quantity, '');
}

/**
 * Prices an order in integer minor units of its currency. Each line: unit price from its breaks (unitPriceFor),
 * lineTotal = quantity x unitPrice - applyRate(quantity x unitPrice, line discountBp), rounded once, half away
 * from zero. The order discount is taken once off the sum of the line totals (an EN 16931 document allowance),
 * never spread over lines, so the invoice shows the same amounts. Validation names the offending field.
 */
export function priceOrder(order: { lines: readonly LineToPrice[]; discountBp: number }): PricedOrder {
  if (order.lines.length === 0) throw new RangeError('priceOrder: an order needs at least one line');
  checkBasisPoints(order.discountBp, 'discountBp');
  let linesTotal = 0;
  const lines = order.lines.map((line, i): PricedOrderLine => {
    const prefix = `lines[${i}].`;
    checkSku(line.sku, prefix);
    const unitPrice = selectUnitPrice(line.listPrice, line.breaks, line.quantity, prefix);
    checkBasisPoints(line.discountBp, `${prefix}discountBp`);
    const gross = line.quantity * unitPrice;
    assertSafeInteger(gross, `${prefix}lineTotal`);
    const lineTotal = gross - discountOf(gross, line.discountBp, `${prefix}discountBp`);
    linesTotal += lineTotal;
    assertSafeInteger(linesTotal, 'order total');
    return { sku: line.sku, quantity: line.quantity, unitPrice, discountBp: line.discountBp, lineTotal };
  });
  const documentDiscount = discountOf(linesTotal, order.discountBp, 'discountBp');
  return { lines, linesTotal, discountBp: order.discountBp, documentDiscount, total: linesTotal - documentDiscount };
}

/**
 * Extends each line with quantity x unitPrice (no discounts) and sums them, all in integer minor units of the
 * order currency. Validation names the offending field (lines[i].quantity) so the API can surface it as-is.
 */
export function priceLines(lines: readonly { sku: string; quantity: number; unitPrice: number }[]): {
  lines: PricedLine[];
  total: number;
} {
  if (lines.length === 0) throw new RangeError('priceLines: an order needs at least one line');
  let total = 0;
  const priced = lines.map(({ sku, quantity, unitPrice }, i) => {
    const prefix = `lines[${i}].`;
    checkSku(sku, prefix);
    checkQuantity(quantity, prefix);
    checkPrice(unitPrice, `${prefix}unitPrice`);
    const lineTotal = quantity * unitPrice;
    assertSafeInteger(lineTotal, `${prefix}lineTotal`);
    total += lineTotal;
    assertSafeInteger(total, 'order total');
    return { sku, quantity, unitPrice, lineTotal };
  });
  return { lines: priced, total };
}
