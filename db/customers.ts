import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from './client.js';
import { customers } from './schema.js';

export type NewCustomer = Omit<typeof customers.$inferInsert, 'id' | 'createdAt'>;
export type Customer = typeof customers.$inferSelect;

export async function createCustomer(db: DbOrTx, input: NewCustomer, id: string = randomUUID()): Promise<Customer> {
  const [created] = await db.insert(customers).values({ ...input, id }).returning();
  return created!;
}

export async function getCustomer(db: DbOrTx, id: string): Promise<Customer | undefined> {
  const [customer] = await db.select().from(customers).where(eq(customers.id, id));
  return customer;
}
