import { customers } from '../db/schema.js';
import type { Db } from '../db/client.js';
import { ensureWarehouse } from '../db/products.js';
import { products, stock } from '../db/schema.js';

// Fixed ids, so seeding every start is a no-op after the first and the demo customer ids stay the same.
export const DEMO_CUSTOMERS = [
  { id: '00000000-0000-4000-8000-000000000001', name: 'Bakkerij de Vries B.V.', country: 'NL', currency: 'EUR', email: 'crediteuren@devries.example', language: 'nl', creditLimit: 5_000_000, paymentTermsDays: 30 },
  { id: '00000000-0000-4000-8000-000000000002', name: 'Nordlys Handel AS', country: 'NO', currency: 'NOK', email: 'faktura@nordlys.example', language: 'nb', creditLimit: 20_000_000, paymentTermsDays: 14 },
  { id: '00000000-0000-4000-8000-000000000003', name: 'Müller Industriebedarf GmbH', country: 'DE', currency: 'EUR', email: 'buchhaltung@mueller.example', language: 'de', creditLimit: 200_000, paymentTermsDays: 30 },
];

export const DEMO_PRODUCTS = [
  { sku: 'BASKET-25', name: 'Proofing basket 25cm', unitPrice: 1_250, currency: 'EUR', onHand: 500 },
  { sku: 'MIXER-20L', name: 'Spiral mixer 20 l', unitPrice: 189_900, currency: 'EUR', onHand: 20 },
  { sku: 'FLOUR-T65-25KG', name: 'Flour T65, 25 kg', unitPrice: 2_890, currency: 'EUR', onHand: 2_000 },
  { sku: 'PALLET-NO', name: 'Euro pallet', unitPrice: 24_900, currency: 'NOK', onHand: 300 },
];

export async function seedDemoData(db: Db): Promise<void> {
  await ensureWarehouse(db, { code: 'main', name: 'Main warehouse', country: 'NL' });
  await db.insert(customers).values(DEMO_CUSTOMERS).onConflictDoNothing();
  for (const { onHand, ...product } of DEMO_PRODUCTS) {
    await db.insert(products).values(product).onConflictDoNothing();
    await db.insert(stock).values({ sku: product.sku, warehouseCode: 'main', onHand }).onConflictDoNothing();
  }
}
