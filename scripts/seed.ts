import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { putLegalEntity, type LegalEntityInput } from '../db/legal-entities.js';
import { ensureWarehouse } from '../db/products.js';
import { customers, legalEntities, products, stock } from '../db/schema.js';

/**
 * The group's selling companies: a Dutch one (RF references) and a Norwegian one (KID). Identifiers are made
 * up but pass the check-digit rules the Peppol validator applies.
 */
export const DEMO_LEGAL_ENTITIES: Record<string, LegalEntityInput> = {
  NL1: {
    name: 'O2C Demo B.V.',
    country: 'NL',
    vatId: 'NL123456789B01',
    legalId: '12345678',
    legalIdScheme: '0106',
    street: 'Keizersgracht 1',
    city: 'Amsterdam',
    postalCode: '1015 CJ',
    peppolId: '12345678',
    peppolScheme: '0106',
    iban: 'NL91ABNA0417164300',
    bic: 'ABNANL2A',
    paymentReferenceScheme: 'rf',
    invoicePrefix: 'NL1-INV',
    creditNotePrefix: 'NL1-CN',
    timeZone: 'Europe/Amsterdam',
  },
  NO1: {
    name: 'O2C Demo AS',
    country: 'NO',
    vatId: 'NO974760673MVA',
    legalId: '974760673',
    legalIdScheme: '0192',
    taxRegistration: 'Foretaksregisteret',
    street: 'Karl Johans gate 1',
    city: 'Oslo',
    postalCode: '0154',
    peppolId: '974760673',
    peppolScheme: '0192',
    iban: 'NO9386011117947',
    paymentReferenceScheme: 'kid',
    invoicePrefix: 'NO1-INV',
    creditNotePrefix: 'NO1-CN',
    timeZone: 'Europe/Oslo',
  },
};

// Fixed ids, so seeding every start is a no-op after the first and the demo customer ids stay the same.
/** The demo finance clerk `npm start` creates (its password is kept in the data directory). */
export const DEMO_FINANCE_EMAIL = 'finance@demo.o2c.example';

export const DEMO_CUSTOMERS = [
  {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'Bakkerij de Vries B.V.',
    country: 'NL',
    currency: 'EUR',
    email: 'crediteuren@devries.example',
    language: 'nl',
    creditLimit: 5_000_000,
    paymentTermsDays: 30,
    vatId: 'NL987654321B01',
    street: 'Dorpsstraat 5',
    city: 'Utrecht',
    postalCode: '3512 AB',
    legalEntity: 'NL1',
  },
  {
    id: '00000000-0000-4000-8000-000000000002',
    name: 'Nordlys Handel AS',
    country: 'NO',
    currency: 'NOK',
    email: 'faktura@nordlys.example',
    language: 'nb',
    creditLimit: 20_000_000,
    paymentTermsDays: 14,
    vatId: 'NO923609016MVA',
    street: 'Bryggen 2',
    city: 'Bergen',
    postalCode: '5003',
    legalEntity: 'NO1',
  },
  {
    id: '00000000-0000-4000-8000-000000000003',
    name: 'Müller Industriebedarf GmbH',
    country: 'DE',
    currency: 'EUR',
    email: 'buchhaltung@mueller.example',
    language: 'de',
    creditLimit: 200_000,
    paymentTermsDays: 30,
    vatId: 'DE123456789',
    street: 'Rheinuferstraße 3',
    city: 'Düsseldorf',
    postalCode: '40213',
    legalEntity: 'NL1',
  },
];

export const DEMO_PRODUCTS = [
  { sku: 'BASKET-25', name: 'Proofing basket 25cm', unitPrice: 1_250, currency: 'EUR', onHand: 500 },
  { sku: 'MIXER-20L', name: 'Spiral mixer 20 l', unitPrice: 189_900, currency: 'EUR', onHand: 20 },
  {
    sku: 'FLOUR-T65-25KG',
    name: 'Flour T65, 25 kg',
    unitPrice: 2_890,
    currency: 'EUR',
    onHand: 2_000,
    vatRate: 'reduced',
  },
  { sku: 'PALLET-NO', name: 'Euro pallet', unitPrice: 24_900, currency: 'NOK', onHand: 300 },
];

export async function seedDemoData(db: Db): Promise<void> {
  await ensureWarehouse(db, { code: 'main', name: 'Main warehouse', country: 'NL' });
  await seedLegalEntities(db);
  // Demo data from an older version gets the fields it lacked.
  await db
    .insert(customers)
    .values(DEMO_CUSTOMERS)
    .onConflictDoUpdate({
      target: customers.id,
      set: {
        vatId: sql`excluded.vat_id`,
        street: sql`excluded.street`,
        city: sql`excluded.city`,
        postalCode: sql`excluded.postal_code`,
        legalEntity: sql`excluded.legal_entity`,
      },
    });
  for (const { onHand, ...product } of DEMO_PRODUCTS) {
    await db.insert(products).values(product).onConflictDoNothing();
    await db.insert(stock).values({ sku: product.sku, warehouseCode: 'main', onHand }).onConflictDoNothing();
  }
}

/** The demo legal entities, created once (an existing one is left as its admin configured it). */
export async function seedLegalEntities(db: Db): Promise<void> {
  const existing = new Set((await db.select({ code: legalEntities.code }).from(legalEntities)).map((e) => e.code));
  for (const [code, entity] of Object.entries(DEMO_LEGAL_ENTITIES)) {
    if (!existing.has(code)) await putLegalEntity(db, code, entity);
  }
}
