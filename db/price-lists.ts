import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { PriceBreak } from '../domain/pricing.js';
import type { Db, DbOrTx } from './client.js';
import { DomainError } from '../domain/errors.js';
import { priceListPrices, priceLists, products } from './schema.js';

export interface PriceListInput {
  id: string;
  name: string;
  currency: string;
  prices: { sku: string; minQuantity: number; unitPrice: number }[];
}

export type PriceListView = PriceListInput;

/** Refusals that need no database: one price per (sku, minQuantity), else the charge would be ambiguous. */
function checkUnique(prices: PriceListInput['prices']): void {
  const first = new Map<string, number>();
  prices.forEach((p, i) => {
    const key = JSON.stringify([p.sku, p.minQuantity]);
    const earlier = first.get(key);
    if (earlier !== undefined) {
      throw new DomainError(
        'DUPLICATE_PRICE',
        `prices.${i} repeats SKU ${p.sku} from ${p.minQuantity} units (prices.${earlier})`,
        'prices',
      );
    }
    first.set(key, i);
  });
}

/**
 * Creates the price list or replaces it whole (name, currency and every price) in one transaction, so an order
 * never sees half of an update. Every SKU must be a product priced in the list's currency.
 */
export async function putPriceList(
  db: Db,
  input: PriceListInput,
): Promise<{ priceList: PriceListView; created: boolean }> {
  checkUnique(input.prices);
  const created = await db.transaction(async (tx) => {
    const skus = [...new Set(input.prices.map((p) => p.sku))];
    const found = skus.length
      ? await tx
          .select({ sku: products.sku, currency: products.currency })
          .from(products)
          .where(inArray(products.sku, skus))
      : [];
    const currencyOf = new Map(found.map((p) => [p.sku, p.currency]));
    input.prices.forEach((p, i) => {
      const currency = currencyOf.get(p.sku);
      if (!currency) throw new DomainError('UNKNOWN_SKU', `No product with SKU ${p.sku}`, `prices.${i}.sku`);
      if (currency !== input.currency) {
        throw new DomainError(
          'CURRENCY_MISMATCH',
          `SKU ${p.sku} is priced in ${currency}, the price list in ${input.currency}`,
          `prices.${i}.sku`,
        );
      }
    });
    // The upsert takes the row lock first, so concurrent PUTs of one list apply one after the other.
    // xmax = 0 only on a freshly inserted row.
    const [row] = await tx
      .insert(priceLists)
      .values({ id: input.id, name: input.name, currency: input.currency })
      .onConflictDoUpdate({ target: priceLists.id, set: { name: input.name, currency: input.currency } })
      .returning({ inserted: sql<boolean>`xmax = 0` });
    await tx.delete(priceListPrices).where(eq(priceListPrices.priceListId, input.id));
    if (input.prices.length)
      await tx.insert(priceListPrices).values(input.prices.map((p) => ({ priceListId: input.id, ...p })));
    return row!.inserted;
  });
  return { priceList: (await getPriceList(db, input.id))!, created };
}

export async function getPriceList(db: DbOrTx, id: string): Promise<PriceListView | undefined> {
  const [list] = await db.select().from(priceLists).where(eq(priceLists.id, id));
  if (!list) return undefined;
  const prices = await db
    .select({
      sku: priceListPrices.sku,
      minQuantity: priceListPrices.minQuantity,
      unitPrice: priceListPrices.unitPrice,
    })
    .from(priceListPrices)
    .where(eq(priceListPrices.priceListId, id))
    .orderBy(asc(priceListPrices.sku), asc(priceListPrices.minQuantity));
  return { id: list.id, name: list.name, currency: list.currency, prices };
}

/**
 * A price list's currency and its quantity breaks for `skus` (a SKU it does not price has none). One statement,
 * so a concurrent replacement is seen either wholly or not at all.
 */
export async function priceBreaks(
  db: DbOrTx,
  priceListId: string,
  skus: readonly string[],
): Promise<{ currency: string; breaks: Map<string, PriceBreak[]> } | undefined> {
  const rows = await db
    .select({
      currency: priceLists.currency,
      sku: priceListPrices.sku,
      minQuantity: priceListPrices.minQuantity,
      unitPrice: priceListPrices.unitPrice,
    })
    .from(priceLists)
    .leftJoin(
      priceListPrices,
      and(eq(priceListPrices.priceListId, priceLists.id), inArray(priceListPrices.sku, [...skus])),
    )
    .where(eq(priceLists.id, priceListId));
  if (!rows.length) return undefined;
  const breaks = new Map<string, PriceBreak[]>();
  for (const { sku, minQuantity, unitPrice } of rows) {
    if (sku === null || minQuantity === null || unitPrice === null) continue; // the list prices none of the SKUs
    breaks.set(sku, [...(breaks.get(sku) ?? []), { minQuantity, unitPrice }]);
  }
  return { currency: rows[0]!.currency, breaks };
}
