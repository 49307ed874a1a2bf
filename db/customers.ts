import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { customerDocuments, type CustomerDocument } from '../domain/electronic-address.js';
import { DomainError } from '../domain/errors.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { customers, legalEntities, priceLists } from './schema.js';

export type NewCustomer = Omit<typeof customers.$inferInsert, 'id' | 'createdAt'>;
export type Customer = typeof customers.$inferSelect;

export async function createCustomer(db: DbOrTx, input: NewCustomer, id: string = randomUUID()): Promise<Customer> {
  const [created] = await db
    .insert(customers)
    .values({ ...input, id })
    .returning();
  return created!;
}

/** A customer as the API shows it: with the documents its invoices come as (a PDF, and a UBL where it can take one). */
export const customerView = (customer: Customer): Customer & { documents: CustomerDocument[] } => ({
  ...customer,
  documents: customerDocuments(customer),
});

/** The legal entity and price list a customer names exist, and the price list bills in its currency. */
export async function checkCustomerReferences(
  db: DbOrTx,
  refs: { legalEntity?: string | undefined; priceListId?: string | undefined; currency?: string },
): Promise<void> {
  if (refs.legalEntity) {
    const [entity] = await db
      .select({ code: legalEntities.code })
      .from(legalEntities)
      .where(eq(legalEntities.code, refs.legalEntity));
    if (!entity)
      throw new DomainError('UNKNOWN_LEGAL_ENTITY', `legalEntity: no legal entity ${refs.legalEntity}`, 'legalEntity');
  }
  if (refs.priceListId) {
    const [list] = await db
      .select({ currency: priceLists.currency })
      .from(priceLists)
      .where(eq(priceLists.id, refs.priceListId));
    if (!list)
      throw new DomainError('UNKNOWN_PRICE_LIST', `priceListId: no price list ${refs.priceListId}`, 'priceListId');
    if (refs.currency && list.currency !== refs.currency) {
      throw new DomainError(
        'CURRENCY_MISMATCH',
        `priceListId: price list ${refs.priceListId} is in ${list.currency}, the customer in ${refs.currency}`,
        'priceListId',
      );
    }
  }
}

export type CustomerMatch = Pick<Customer, 'id' | 'name' | 'country' | 'currency' | 'email' | 'vatId'>;

/**
 * Customers whose name or e-mail contains the text, or whose VAT id or id it is, names starting with it first: how a
 * clerk finds who paid when the bank line names them in words. A scan of the table: fine for the thousands of
 * accounts a B2B ledger has; a trigram index is the step up.
 */
export async function searchCustomers(db: DbOrTx, text: string, limit: number): Promise<CustomerMatch[]> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const compact = text.replace(/[\s.-]/g, '').toUpperCase();
  return db
    .select({
      id: customers.id,
      name: customers.name,
      country: customers.country,
      currency: customers.currency,
      email: customers.email,
      vatId: customers.vatId,
    })
    .from(customers)
    .where(
      sql`${customers.name} ilike ${pattern} or ${customers.email} ilike ${pattern}
        or upper(replace(${customers.vatId}, ' ', '')) = ${compact} or ${customers.id}::text = ${text.toLowerCase()}`,
    )
    .orderBy(sql`${customers.name} ilike ${pattern.slice(1)} desc`, asc(customers.name), asc(customers.id))
    .limit(limit);
}

export async function getCustomer(db: DbOrTx, id: string): Promise<Customer | undefined> {
  const [customer] = await db.select().from(customers).where(eq(customers.id, id));
  return customer;
}

export type InvoicingDetails = Pick<
  NewCustomer,
  | 'street'
  | 'city'
  | 'postalCode'
  | 'vatId'
  | 'peppolId'
  | 'peppolScheme'
  | 'invoiceChannel'
  | 'legalEntity'
  | 'buyerReference'
>;

/** Replaces how a customer is invoiced; the audit log keeps the old and the new details, who and why. */
export async function updateInvoicingDetails(
  db: Db,
  input: { customerId: string; details: InvoicingDetails; reason: string; actor: string; decisionKey: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, input.customerId)).for('update');
    if (!customer) return;
    const old = Object.fromEntries(Object.keys(input.details).map((k) => [k, customer[k as keyof InvoicingDetails]]));
    await tx.update(customers).set(input.details).where(eq(customers.id, input.customerId));
    await recordAudit(tx, {
      decisionKey: input.decisionKey,
      actor: input.actor,
      action: 'customer.invoicing.update',
      entityType: 'customer',
      entityId: input.customerId,
      reason: input.reason,
      details: { old, new: input.details },
    });
  });
}
