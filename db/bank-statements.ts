import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { MatchPolicy } from '../domain/cash-matching.js';
import { DomainError } from '../domain/errors.js';
import { type BankEntry, type BankStatement, isBooked } from '../formats/bank-statement.js';
import { paymentReturnedBy, reversePayment, type TouchedInvoice } from './cash-application.js';
import type { Db, DbOrTx } from './client.js';
import { paymentOutcomes, receivePayments, type IncomingPayment } from './payments.js';
import { bankStatementLines, bankStatements } from './schema.js';

/**
 * Stores a parsed bank file and its entries, all pending, once: the bank's statement id, our account and the file's
 * hash identify it, so the same file again (or twice at once) finds the statement the first import created.
 */
export async function importStatement(
  db: Db,
  statement: BankStatement,
  fileHash: string,
): Promise<{ id: string; created: boolean }> {
  return db.transaction(async (tx) => {
    const id = randomUUID();
    const account = statement.account.iban ?? statement.account.number ?? 'unknown';
    const [inserted] = await tx
      .insert(bankStatements)
      .values({
        id,
        format: statement.format,
        version: statement.version,
        statementId: statement.statementId,
        account,
        fileHash,
        status: 'processing',
        linesTotal: statement.entries.length,
      })
      .onConflictDoNothing()
      .returning({ id: bankStatements.id });
    if (!inserted) {
      const [prior] = await tx
        .select({ id: bankStatements.id })
        .from(bankStatements)
        .where(
          and(
            eq(bankStatements.account, account),
            eq(bankStatements.statementId, statement.statementId),
            eq(bankStatements.fileHash, fileHash),
          ),
        );
      return { id: prior!.id, created: false };
    }
    for (let i = 0; i < statement.entries.length; i += 1000) {
      await tx.insert(bankStatementLines).values(
        statement.entries.slice(i, i + 1000).map((entry) => ({
          statementId: id,
          index: entry.index,
          lineId: entry.lineId ?? null,
          entry,
          status: 'pending',
        })),
      );
    }
    return { id, created: true };
  });
}

/** What the workflow must tell: a receivable per allocation, and the receivables a return reopened. */
export interface BatchOutcome {
  signals: { workflowId: string; paymentId: string }[];
  reopened: TouchedInvoice[];
}

/**
 * Applies the entries [fromIndex, toIndex) of a statement, in one transaction: customer credits become payments
 * (applied by the matcher), returns reverse the payment they give back, the rest is kept as ignored with the
 * reason. Lines applied before are not applied again, and the outcome of the whole range is answered every time,
 * so a retried batch tells the receivables what the first attempt did.
 */
export async function applyStatementBatch(
  db: Db,
  input: { statementId: string; fromIndex: number; toIndex: number },
  policy?: MatchPolicy,
): Promise<BatchOutcome> {
  return db.transaction(async (tx) => {
    const lines = await tx
      .select()
      .from(bankStatementLines)
      .where(
        and(
          eq(bankStatementLines.statementId, input.statementId),
          gte(bankStatementLines.index, input.fromIndex),
          lt(bankStatementLines.index, input.toIndex),
        ),
      )
      .orderBy(asc(bankStatementLines.index))
      .for('update');
    const pending = lines.filter((l) => l.status === 'pending');
    const reopened: TouchedInvoice[] = [];
    const credits: { index: number; payment: IncomingPayment }[] = [];
    for (const line of pending) {
      const entry = line.entry as BankEntry;
      if (isCustomerCredit(entry)) {
        credits.push({ index: line.index, payment: paymentOf(input.statementId, entry) });
        continue;
      }
      const note = await settleNonCredit(tx, entry, reopened);
      await tx
        .update(bankStatementLines)
        .set({ status: note.status, note: note.text, paymentId: note.paymentId ?? null })
        .where(and(eq(bankStatementLines.statementId, input.statementId), eq(bankStatementLines.index, line.index)));
    }
    if (credits.length > 0) {
      const received = await receivePayments(
        tx,
        credits.map((c) => c.payment),
        policy,
      );
      for (const [i, r] of received.entries()) {
        await tx
          .update(bankStatementLines)
          .set({ status: r.matchStatus, paymentId: r.paymentId })
          .where(
            and(eq(bankStatementLines.statementId, input.statementId), eq(bankStatementLines.index, credits[i]!.index)),
          );
      }
    }
    const signals: BatchOutcome['signals'] = [];
    const paid = await tx
      .select({ paymentId: bankStatementLines.paymentId })
      .from(bankStatementLines)
      .where(
        and(
          eq(bankStatementLines.statementId, input.statementId),
          gte(bankStatementLines.index, input.fromIndex),
          lt(bankStatementLines.index, input.toIndex),
          sql`${bankStatementLines.status} in ('matched', 'partially_matched')`,
        ),
      );
    const outcomes = await paymentOutcomes(
      tx,
      paid.map((p) => p.paymentId!),
    );
    for (const [paymentId, outcome] of outcomes) {
      for (const workflowId of outcome.invoiceWorkflowIds) signals.push({ workflowId, paymentId });
    }
    return { signals, reopened };
  });
}

/** A customer credit of the statement, as a payment: one per line, however often the batch runs. */
function paymentOf(statementId: string, entry: BankEntry): IncomingPayment {
  return {
    externalId: `bank:${statementId}:${entry.index}`,
    amount: entry.amount,
    currency: entry.currency,
    method: entry.kind === 'direct_debit' ? 'sepa_direct_debit' : 'sepa_credit_transfer',
    source: 'bank',
    valueDate: entry.valueDate,
    statementId,
    ...(entry.remittance.structured[0] ? { reference: entry.remittance.structured[0] } : {}),
    ...(entry.remittance.unstructured ? { remittance: entry.remittance.unstructured } : {}),
    ...(entry.counterparty.name ? { payerName: entry.counterparty.name } : {}),
    ...(entry.counterparty.iban ? { payerIban: entry.counterparty.iban } : {}),
    ...(entry.endToEndId ? { endToEndId: entry.endToEndId } : {}),
  };
}

/** Booked money from a customer: the lines cash application matches. */
const isCustomerCredit = (entry: BankEntry): boolean =>
  isBooked(entry) && entry.direction === 'credit' && !entry.reversal && entry.kind !== 'fee' && entry.kind !== 'return';

/**
 * Not booked, a debit, fee or return: a return reverses the payment it gives back; the rest is ours to ignore, with
 * why. An entry not booked yet moved no money: the statement that books it is the one to apply.
 */
async function settleNonCredit(
  tx: DbOrTx,
  entry: BankEntry,
  reopened: TouchedInvoice[],
): Promise<{ status: string; text: string; paymentId?: string }> {
  if (!isBooked(entry)) return { status: 'ignored', text: `not booked by the bank (status ${entry.status})` };
  const isReturn =
    entry.kind === 'return' || entry.returnReason !== undefined || (entry.reversal && entry.direction === 'debit');
  if (isReturn) {
    const paymentId = await paymentReturnedBy(tx, {
      ...(entry.endToEndId ? { endToEndId: entry.endToEndId } : {}),
      ...(entry.counterparty.iban ? { payerIban: entry.counterparty.iban } : {}),
      amount: entry.amount,
      currency: entry.currency,
    });
    if (!paymentId)
      return { status: 'ignored', text: 'a return that matches no payment we received: for a person to look at' };
    const reason = `returned by the bank${entry.returnReason ? ` (${entry.returnReason})` : ''}`;
    try {
      reopened.push(...(await reversePayment(tx, { paymentId, reason, actor: 'bank' })));
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'PAYMENT_REFUNDED')) throw err;
      return { status: 'ignored', text: `${reason}, but ${err.message}` };
    }
    return { status: 'reversal', text: reason, paymentId };
  }
  if (entry.kind === 'fee') return { status: 'ignored', text: 'bank fee' };
  return { status: 'ignored', text: entry.direction === 'debit' ? 'a debit of our account' : 'not a customer payment' };
}

export async function completeStatement(db: DbOrTx, statementId: string): Promise<void> {
  await db
    .update(bankStatements)
    .set({ status: 'completed', completedAt: sql`now()` })
    .where(and(eq(bankStatements.id, statementId), eq(bankStatements.status, 'processing')));
}

type StatementRow = typeof bankStatements.$inferSelect;

/** A statement's own fields as the API shows them, with how many of its lines are applied. */
const summaryOf = (statement: StatementRow, done: number) => ({
  id: statement.id,
  status: statement.status,
  ...(statement.note ? { note: statement.note } : {}),
  format: statement.format,
  version: statement.version,
  statementId: statement.statementId,
  account: statement.account,
  receivedAt: statement.createdAt.toISOString(),
  lines: { total: statement.linesTotal, done },
});

async function linesDone(db: DbOrTx, statementIds: string[]): Promise<Map<string, number>> {
  if (statementIds.length === 0) return new Map();
  const rows = await db
    .select({
      statementId: bankStatementLines.statementId,
      done: sql<number>`count(*) filter (where ${bankStatementLines.status} <> 'pending')`.mapWith(Number),
    })
    .from(bankStatementLines)
    .where(inArray(bankStatementLines.statementId, statementIds))
    .groupBy(bankStatementLines.statementId);
  return new Map(rows.map((r) => [r.statementId, r.done]));
}

/** The statements received, newest first, a page at a time (keyset on when it came and its id). */
export async function listStatements(db: DbOrTx, page: { limit: number; after?: string | undefined }) {
  // Compared in SQL: the cursor's time keeps its microseconds, which a JavaScript Date would drop.
  const rows = await db
    .select()
    .from(bankStatements)
    .where(
      page.after
        ? sql`(${bankStatements.createdAt}, ${bankStatements.id}) < (select created_at, id from bank_statements where id = ${page.after})`
        : undefined,
    )
    .orderBy(desc(bankStatements.createdAt), desc(bankStatements.id))
    .limit(page.limit + 1);
  const shown = rows.slice(0, page.limit);
  const done = await linesDone(
    db,
    shown.map((s) => s.id),
  );
  return {
    statements: shown.map((s) => summaryOf(s, done.get(s.id) ?? 0)),
    ...(rows.length > page.limit ? { next: shown.at(-1)!.id } : {}),
  };
}

/** A statement as the API shows it: its progress and (with `entries`) every entry with what became of it. */
export async function statementView(db: DbOrTx, statementId: string, options: { entries: boolean }) {
  const [statement] = await db.select().from(bankStatements).where(eq(bankStatements.id, statementId));
  if (!statement) return undefined;
  const done = await linesDone(db, [statementId]);
  const lines = options.entries
    ? await db
        .select()
        .from(bankStatementLines)
        .where(eq(bankStatementLines.statementId, statementId))
        .orderBy(asc(bankStatementLines.index))
    : [];
  const outcomes = await paymentOutcomes(
    db,
    lines.flatMap((line) => (line.paymentId && line.status !== 'reversal' ? [line.paymentId] : [])),
  );
  const entries = [];
  for (const line of lines) {
    const entry = line.entry as BankEntry;
    const outcome = line.paymentId && line.status !== 'reversal' ? outcomes.get(line.paymentId) : undefined;
    entries.push({
      lineId: line.lineId ?? String(line.index),
      index: line.index,
      amount: entry.amount,
      currency: entry.currency,
      direction: entry.direction,
      valueDate: entry.valueDate,
      status: line.status === 'pending' ? 'pending' : line.status,
      ...(line.note ? { note: line.note } : {}),
      ...(outcome?.customerId ? { customerId: outcome.customerId } : {}),
      ...(line.paymentId ? { paymentId: line.paymentId } : {}),
      allocations: outcome?.allocations ?? [],
      unapplied: outcome?.unapplied ?? 0,
      confidence: outcome?.confidence ?? 0,
      reasons: outcome?.reasons ?? [],
    });
  }
  return { ...summaryOf(statement, done.get(statementId) ?? 0), ...(options.entries ? { entries } : {}) };
}

/** The statement's cash application waits for a person (reason), or runs again (no reason). */
export async function setStatementAttention(db: DbOrTx, statementId: string, reason?: string): Promise<void> {
  await db
    .update(bankStatements)
    .set(reason ? { status: 'needs_attention', note: reason } : { status: 'processing', note: null })
    .where(eq(bankStatements.id, statementId));
}
