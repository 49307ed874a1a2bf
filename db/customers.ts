import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { customers } from './schema.js';

export type NewCustomer = Omit<typeof customers.$inferInsert, 'id' | 'createdAt'>;
export type Customer = typeof customers.$inferSelect;

export async function createCustomer(db: DbOrTx, input: NewCustomer, id: string = randomUUID()): Promise<Customer> {
  const [created] = await db
    .insert(customers)
    .values({ ...input, id })
    .returning();
  return created!;
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
