import { and, eq, lt } from 'drizzle-orm';
import type { Db } from './client.js';
import { invoiceBalance } from './invoices.js';
import { customers, dunningEvents, invoices } from './schema.js';

export interface DunningRecord {
  /** False when the invoice was settled meanwhile: nothing recorded, nothing to send. */
  recorded: boolean;
  amountOutstanding: number;
}

/**
 * Records that the invoice reached a dunning level, once per (invoice, level), with the balance at that moment.
 * Checks the balance inside the transaction, so a payment that landed just before the timer fired wins.
 */
export async function recordDunningLevel(
  db: Db,
  input: { invoiceId: string; level: number; name: string; policyId: string },
): Promise<DunningRecord> {
  return db.transaction(async (tx) => {
    const [invoice] = await tx
      .select({ invoice: invoices, email: customers.email })
      .from(invoices)
      .innerJoin(customers, eq(customers.id, invoices.customerId))
      .where(eq(invoices.id, input.invoiceId))
      .for('update', { of: invoices });
    if (!invoice) throw new Error(`Invoice ${input.invoiceId} does not exist`);
    const amountOutstanding = await invoiceBalance(tx, input.invoiceId);
    const [already] = await tx
      .select()
      .from(dunningEvents)
      .where(and(eq(dunningEvents.invoiceId, input.invoiceId), eq(dunningEvents.level, input.level)));
    if (already) return { recorded: true, amountOutstanding: already.amountOutstanding };
    if (amountOutstanding <= 0) return { recorded: false, amountOutstanding };
    await tx.insert(dunningEvents).values({ ...input, amountOutstanding, sentTo: invoice.email });
    await tx
      .update(invoices)
      .set({ dunningLevel: input.level })
      .where(and(eq(invoices.id, input.invoiceId), lt(invoices.dunningLevel, input.level)));
    return { recorded: true, amountOutstanding };
  });
}
