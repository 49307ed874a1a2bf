import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidRfReference } from '../../domain/payment-reference.js';
import { customerWithProduct, dutchEntityBody, orderBody } from '../support/fixtures.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

// Number series belong to their legal entity; payment references are unique by construction, whatever the
// prefixes look like.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ dispatchDelayMs: 100 });
});
afterAll(async () => {
  await stack?.close();
});

const tag = () =>
  randomUUID()
    .replace(/[^0-9a-f]/g, '')
    .slice(0, 4)
    .toUpperCase();

const putEntity = (code: string, invoicePrefix: string, creditNotePrefix: string) =>
  stack.http('PUT', `/v1/legal-entities/${code}`, {
    key: stack.keys.admin,
    body: dutchEntityBody(`Test Entity ${code} B.V.`, invoicePrefix, creditNotePrefix),
  });

/** A customer of `entity` and one order for it, invoiced on dispatch; returns the invoice. */
async function invoiceFrom(entity: string) {
  const { customerId, sku } = await customerWithProduct(stack, { legalEntity: entity, stock: 10 });
  const order = await stack.http('POST', '/v1/orders', {
    key: stack.keys.integration,
    headers: { 'idempotency-key': randomUUID() },
    body: orderBody(customerId, sku, 1),
  });
  const invoiced = await eventually(
    async () => (await stack.http('GET', `/v1/orders/${order.body.id}`)).body,
    (o) => o.invoices.length > 0,
    20_000,
  );
  return invoiced.invoices[0];
}

describe('number series and payment references', () => {
  it('gives entities whose prefixes differ only by a dash different payment references', async () => {
    const t = tag();
    const p = t.slice(0, 2); // a part of a prefix has six characters at most
    expect((await putEntity(`D${t}`, `N${p}-INV`, `N${p}-CN`)).status).toBe(201);
    expect((await putEntity(`U${t}`, `N${p}INV`, `N${p}CN`)).status).toBe(201);
    const [a, b] = await Promise.all([invoiceFrom(`D${t}`), invoiceFrom(`U${t}`)]);
    expect(a.number).toMatch(new RegExp(`^N${p}-INV-\\d{4}-000001$`));
    expect(b.number).toMatch(new RegExp(`^N${p}INV-\\d{4}-000001$`));
    expect(a.paymentReference).not.toBe(b.paymentReference);
    expect([isValidRfReference(a.paymentReference), isValidRfReference(b.paymentReference)]).toEqual([true, true]);
  });

  it('gives the longest prefix the API accepts a valid payment reference', async () => {
    const t = tag();
    expect((await putEntity(`L${t}`, `LONG${t.slice(0, 2)}-PREFIX`, `LONG${t.slice(0, 2)}-CREDIT`)).status).toBe(201);
    const invoice = await invoiceFrom(`L${t}`);
    expect(isValidRfReference(invoice.paymentReference)).toBe(true);
  });

  it('refuses a prefix another entity numbers with, and keeps an entity’s prefix once its series has issued a number', async () => {
    const t = tag();
    expect((await putEntity(`A${t}`, `A${t}-INV`, `A${t}-CN`)).status).toBe(201);
    const taken = await putEntity(`B${t}`, `A${t}-INV`, `B${t}-CN`);
    expect(taken).toMatchObject({ status: 422, body: { error: { code: 'PREFIX_TAKEN', field: 'invoicePrefix' } } });

    await invoiceFrom(`A${t}`);
    const renamed = await putEntity(`A${t}`, `A${t}-NEW`, `A${t}-CN`);
    expect(renamed).toMatchObject({ status: 409, body: { error: { code: 'PREFIX_IN_USE', field: 'invoicePrefix' } } });
    expect((await putEntity(`A${t}`, `A${t}-INV`, `A${t}-CN`)).status).toBe(200); // the same prefix is no change
  });

  it('refuses an entity that could not issue a valid invoice, naming the field', async () => {
    const res = await stack.http('PUT', `/v1/legal-entities/U${tag()}`, {
      key: stack.keys.admin,
      body: {
        name: 'Acme Inc.',
        country: 'US',
        vatId: 'US123456789',
        timeZone: 'America/New_York',
        address: { street: '1 Main St', city: 'Boston', postalCode: '02110' },
        peppol: { scheme: '0060', id: '123456789' },
        iban: 'NL91ABNA0417164300',
        invoicePrefix: `U${tag()}-INV`,
        creditNotePrefix: `U${tag()}-CN`,
      },
    });
    expect(res).toMatchObject({ status: 422, body: { error: { code: 'NOT_INVOICEABLE', field: 'country' } } });
    expect(res.body.error.message).toMatch(/no standard VAT rate is configured for country "US"/);
  });
});
