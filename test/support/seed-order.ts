import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { createCustomer } from '../../db/customers.js';
import { createOrder } from '../../db/orders.js';
import { createProduct, ensureWarehouse } from '../../db/products.js';
import { reserveOrderStock } from '../../db/inventory.js';
import { createShipment } from '../../db/shipments.js';
import { createApiKey } from '../../db/api-keys.js';
import { orderWorkflowId } from '../../temporal/workflow-ids.js';

/**
 * An order with a shipment, written straight to Postgres, for tests that start an InvoiceWorkflow (or call
 * activities) without going through the order workflow first.
 */
export async function seedShippedOrder(
  db: Db,
  options: {
    unitPrice?: number;
    quantity?: number;
    paymentTermsDays?: number;
    language?: string;
    ship?: boolean;
    /** Line discount, basis points. */
    discountBp?: number;
    /** Another order of this customer; a new customer otherwise. */
    customer?: Awaited<ReturnType<typeof createCustomer>>;
    /** Fields of the new customer that differ from the Dutch wholesaler's (its products are in its currency). */
    customerFields?: Partial<Parameters<typeof createCustomer>[1]>;
  } = {},
) {
  await ensureWarehouse(db, { code: 'main', name: 'Main warehouse', country: 'NL' });
  const customer =
    options.customer ??
    (await createCustomer(db, {
      name: 'Van Dijk Groothandel B.V.',
      country: 'NL',
      currency: 'EUR',
      email: `ap-${randomUUID().slice(0, 8)}@vandijk.example`,
      language: options.language ?? 'nl',
      creditLimit: 10_000_000,
      paymentTermsDays: options.paymentTermsDays ?? 30,
      vatId: 'NL987654321B01',
      street: 'Dorpsstraat 5',
      city: 'Utrecht',
      postalCode: '3512 AB',
      ...options.customerFields,
    }));
  const sku = `SKU-${randomUUID().slice(0, 8)}`;
  await createProduct(db, {
    sku,
    name: 'Stainless dough scraper',
    unitPrice: options.unitPrice ?? 2500,
    currency: customer.currency,
    stock: [{ warehouse: 'main', quantity: 100 }],
  });
  const apiKey = await createApiKey(db, { name: 'seed', role: 'integration' });
  const { orderId } = await createOrder(db, {
    order: {
      customerId: customer.id,
      lines: [{ sku, quantity: options.quantity ?? 4, discountBp: options.discountBp }],
    },
    apiKeyId: apiKey.id,
    idempotencyKey: randomUUID(),
    newId: randomUUID(),
    workflowIdFor: orderWorkflowId,
    defaultLegalEntity: 'NL1',
  });
  const shipmentId = randomUUID();
  if (options.ship !== false) {
    await reserveOrderStock(db, orderId);
    await createShipment(db, { shipmentId, orderId, warehouseCode: 'main' });
  }
  return { customer, orderId, shipmentId, sku };
}
