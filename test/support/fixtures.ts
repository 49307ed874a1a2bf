import { randomUUID } from 'node:crypto';
import type { Stack } from './stack.js';
import { ensureWarehouse } from '../../db/products.js';

/** A customer and a product with stock in warehouse `main`, created through the API as a client would. */
export async function customerWithProduct(
  stack: Stack,
  options: {
    creditLimit?: number;
    unitPrice?: number;
    stock?: number;
    paymentTermsDays?: number;
    /** The seller entity; absent: the default one. */
    legalEntity?: string;
    /** The customer's name, for a test that finds it on a page among others'. */
    name?: string;
  } = {},
) {
  await ensureWarehouse(stack.db, { code: 'main', name: 'Main warehouse', country: 'NL' });
  const customer = await stack.http('POST', '/v1/customers', {
    key: stack.keys.finance,
    body: {
      name: options.name ?? 'Bakkerij de Vries B.V.',
      country: 'NL',
      currency: 'EUR',
      email: `ap-${randomUUID().slice(0, 8)}@devries.example`,
      language: 'nl',
      creditLimit: options.creditLimit ?? 1_000_000,
      paymentTermsDays: options.paymentTermsDays ?? 30,
      vatId: 'NL987654321B01',
      address: { street: 'Dorpsstraat 5', city: 'Utrecht', postalCode: '3512 AB' },
      ...(options.legalEntity ? { legalEntity: options.legalEntity } : {}),
    },
  });
  if (customer.status !== 201) throw new Error(`customer: ${JSON.stringify(customer.body)}`);
  const sku = `SKU-${randomUUID().slice(0, 8)}`;
  const product = await stack.http('POST', '/v1/products', {
    key: stack.keys.integration,
    body: {
      sku,
      name: 'Proofing basket 25cm',
      unitPrice: options.unitPrice ?? 1250,
      currency: 'EUR',
      stock: [{ warehouse: 'main', quantity: options.stock ?? 1000 }],
    },
  });
  if (product.status !== 201) throw new Error(`product: ${JSON.stringify(product.body)}`);
  return { customerId: customer.body.id as string, sku };
}

export const orderBody = (customerId: string, sku: string, quantity = 4) => ({
  customerId,
  lines: [{ sku, quantity }],
});

/** A Dutch seller entity that can issue valid invoices, for tests that keep their invoices in a series of their own. */
export const dutchEntityBody = (name: string, invoicePrefix: string, creditNotePrefix: string) => ({
  name,
  country: 'NL',
  vatId: 'NL123456789B01',
  address: { street: 'Keizersgracht 1', city: 'Amsterdam', postalCode: '1015 CJ' },
  peppol: { scheme: '0106', id: '12345678' },
  iban: 'NL91ABNA0417164300',
  paymentReferenceScheme: 'rf',
  invoicePrefix,
  creditNotePrefix,
});
