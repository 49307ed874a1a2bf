import { and, asc, eq } from 'drizzle-orm';
import { DomainError } from '../domain/errors.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { invoiceBalance } from './invoices.js';
import { invoices, writeOffRequests, writeOffs } from './schema.js';

export type WriteOffRequest = typeof writeOffRequests.$inferSelect;

/**
 * Asks to write off (part of) an open invoice: applied at once when the amount is within the approval limit of
 * its currency, else waiting for a second person. A repeated request id returns the first request.
 */
export async function requestWriteOff(
  db: Db,
  input: {
    requestId: string;
    invoiceId: string;
    /** Absent: all that is owed. */
    amount?: number;
    reason: string;
    actor: string;
    /** Per currency, the largest amount one person may write off (minor units); a currency absent always needs two. */
    approvalAbove: Readonly<Record<string, number>>;
  },
): Promise<WriteOffRequest> {
  return db.transaction(async (tx) => {
    const [known] = await tx.select().from(writeOffRequests).where(eq(writeOffRequests.id, input.requestId));
    if (known) return known;
    const invoice = await lockOpenInvoice(tx, input.invoiceId);
    const balance = await invoiceBalance(tx, invoice.id);
    const amount = input.amount ?? balance;
    assertWithin(amount, balance, invoice.number);
    const applied = amount <= (input.approvalAbove[invoice.currency] ?? -1);
    const [request] = await tx
      .insert(writeOffRequests)
      .values({
        id: input.requestId,
        invoiceId: invoice.id,
        amount,
        currency: invoice.currency,
        vatAmount: invoice.total > 0 ? Math.round((amount * (invoice.vatTotal ?? 0)) / invoice.total) : 0,
        reason: input.reason,
        status: applied ? 'applied' : 'pending_approval',
        requestedBy: input.actor,
        ...(applied ? { decidedAt: new Date() } : {}),
      })
      .returning();
    await audit(tx, request!, input.actor, 'write_off.request', input.reason);
    if (applied) await apply(tx, request!, input.actor);
    return request!;
  });
}

/** The second person's approval: never the one who asked. Approving an applied request again changes nothing. */
export async function approveWriteOff(
  db: Db,
  input: { requestId: string; actor: string; note?: string },
): Promise<WriteOffRequest> {
  return db.transaction(async (tx) => {
    const [request] = await tx
      .select()
      .from(writeOffRequests)
      .where(eq(writeOffRequests.id, input.requestId))
      .for('update');
    if (!request) throw new DomainError('NOT_FOUND', `No write-off request ${input.requestId}`);
    if (request.status === 'applied') return request;
    if (request.status !== 'pending_approval') {
      throw new DomainError('WRITE_OFF_DECIDED', `The write-off request is ${request.status}`);
    }
    if (request.requestedBy === input.actor) {
      throw new DomainError('FOUR_EYES_REQUIRED', 'A write-off above the limit needs a second person to approve it');
    }
    const invoice = await lockOpenInvoice(tx, request.invoiceId);
    assertWithin(request.amount, await invoiceBalance(tx, invoice.id), invoice.number);
    const [approved] = await tx
      .update(writeOffRequests)
      .set({ status: 'applied', approvedBy: input.actor, decidedAt: new Date() })
      .where(eq(writeOffRequests.id, request.id))
      .returning();
    await audit(tx, approved!, input.actor, 'write_off.approve', input.note ?? null);
    await apply(tx, approved!, input.actor);
    return approved!;
  });
}

export async function getWriteOffRequest(db: DbOrTx, requestId: string): Promise<WriteOffRequest | undefined> {
  const [request] = await db.select().from(writeOffRequests).where(eq(writeOffRequests.id, requestId));
  return request;
}

export async function listWriteOffRequests(db: DbOrTx, status?: string): Promise<WriteOffRequest[]> {
  return db
    .select()
    .from(writeOffRequests)
    .where(and(...(status ? [eq(writeOffRequests.status, status)] : [])))
    .orderBy(asc(writeOffRequests.createdAt));
}

async function lockOpenInvoice(tx: DbOrTx, invoiceId: string) {
  const [invoice] = await tx.select().from(invoices).where(eq(invoices.id, invoiceId)).for('update');
  if (!invoice) throw new DomainError('NOT_FOUND', `No invoice with id ${invoiceId}`);
  if (invoice.type !== 'invoice') throw new DomainError('NOT_AN_INVOICE', `${invoice.number} is a credit note`);
  if (invoice.status !== 'open')
    throw new DomainError('INVOICE_CLOSED', `Invoice ${invoice.number} is ${invoice.status}`);
  return invoice;
}

function assertWithin(amount: number, balance: number, number: string): void {
  if (amount <= 0 || amount > balance) {
    throw new DomainError(
      'WRITE_OFF_EXCEEDS_BALANCE',
      `Invoice ${number} owes ${balance}; a write-off must be positive and at most that`,
      'amount',
    );
  }
}

/** The write-off itself: a ledger entry without a payment, so the invoice closes as written_off. */
async function apply(tx: DbOrTx, request: WriteOffRequest, actor: string): Promise<void> {
  await tx
    .insert(writeOffs)
    .values({
      invoiceId: request.invoiceId,
      amount: request.amount,
      reason: request.reason,
      paymentId: null,
      actor,
      entryKey: `write-off-request:${request.id}`,
    })
    .onConflictDoNothing();
}

async function audit(tx: DbOrTx, request: WriteOffRequest, actor: string, action: string, reason: string | null) {
  await recordAudit(tx, {
    decisionKey: `${action}:${request.id}`,
    actor,
    action,
    entityType: 'invoice',
    entityId: request.invoiceId,
    ...(reason ? { reason } : {}),
    details: {
      writeOffId: request.id,
      amount: request.amount,
      currency: request.currency,
      vatAmount: request.vatAmount,
      status: request.status,
      // The seller may reclaim this VAT once the debt is uncollectable (e.g. NL art. 29 Wet OB, NO mval. § 4-7).
      vatBadDebtRelief: request.vatAmount > 0,
    },
  });
}
