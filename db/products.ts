import { asc, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from './client.js';
import type { ProductVatRate, SupplyKind } from '../domain/vat-determination.js';
import { DomainError } from '../domain/errors.js';
import { products, stock, warehouses } from './schema.js';

export interface ProductInput {
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
  vatRate?: ProductVatRate;
  supply?: SupplyKind;
  stock: { warehouse: string; quantity: number }[];
}

export interface ProductView {
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
  vatRate: string;
  supply: string;
  stock: { warehouse: string; onHand: number; reserved: number; available: number }[];
}

/** Creates a product with its opening stock; a duplicate SKU is a conflict, an unknown warehouse a 422. */
export async function createProduct(db: Db, input: ProductInput): Promise<ProductView> {
  await db.transaction(async (tx) => {
    const codes = input.stock.map((s) => s.warehouse);
    const known = codes.length
      ? await tx.select({ code: warehouses.code }).from(warehouses).where(inArray(warehouses.code, codes))
      : [];
    const unknown = input.stock.findIndex((s) => !known.some((k) => k.code === s.warehouse));
    if (unknown >= 0)
      throw new DomainError(
        'UNKNOWN_WAREHOUSE',
        `No warehouse with code ${input.stock[unknown]!.warehouse}`,
        `stock.${unknown}.warehouse`,
      );
    const [created] = await tx
      .insert(products)
      .values({
        sku: input.sku,
        name: input.name,
        unitPrice: input.unitPrice,
        currency: input.currency,
        vatRate: input.vatRate ?? 'standard',
        supply: input.supply ?? 'goods',
      })
      .onConflictDoNothing()
      .returning();
    if (!created) throw new DomainError('SKU_EXISTS', `A product with SKU ${input.sku} exists already`, 'sku');
    if (input.stock.length) {
      await tx
        .insert(stock)
        .values(input.stock.map((s) => ({ sku: input.sku, warehouseCode: s.warehouse, onHand: s.quantity })));
    }
  });
  return (await getProduct(db, input.sku))!;
}

export async function getProduct(db: DbOrTx, sku: string): Promise<ProductView | undefined> {
  const [product] = await db.select().from(products).where(eq(products.sku, sku));
  if (!product) return undefined;
  const levels = await db.select().from(stock).where(eq(stock.sku, sku)).orderBy(asc(stock.warehouseCode));
  return {
    sku: product.sku,
    name: product.name,
    unitPrice: product.unitPrice,
    currency: product.currency,
    vatRate: product.vatRate,
    supply: product.supply,
    stock: levels.map((l) => ({
      warehouse: l.warehouseCode,
      onHand: l.onHand,
      reserved: l.reserved,
      available: l.onHand - l.reserved,
    })),
  };
}

export async function ensureWarehouse(
  db: DbOrTx,
  input: { code: string; name: string; country: string },
): Promise<void> {
  await db.insert(warehouses).values(input).onConflictDoNothing();
}

export async function createWarehouse(db: DbOrTx, input: { code: string; name: string; country: string }) {
  const [created] = await db.insert(warehouses).values(input).onConflictDoNothing().returning();
  if (!created) throw new DomainError('WAREHOUSE_EXISTS', `A warehouse with code ${input.code} exists already`, 'code');
  return { code: created.code, name: created.name, country: created.country };
}

export async function listWarehouses(db: DbOrTx) {
  return db
    .select({ code: warehouses.code, name: warehouses.name, country: warehouses.country })
    .from(warehouses)
    .orderBy(asc(warehouses.code));
}
