import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { DomainError } from '../domain/errors.js';
import type { CaseFile } from '../integrations/collection-agency.js';
import type { Db, DbOrTx } from './client.js';
import { invoiceBalance } from './invoices.js';
import { getLegalEntity } from './legal-entities.js';
import {
  allocations,
  collectionCases,
  customers,
  disputes,
  dunningCharges,
  dunningLetters,
  invoices,
  payments,
} from './schema.js';

// Hand-over to a collection agency: the case file is built and recorded once per invoice, then sent (the agency
// takes it once by its case id); its reports (payments, closure) come back through a signed webhook.

export type CollectionCase = typeof collectionCases.$inferSelect;

/** The invoice's case, opened once with its case file: the invoice, the letters that listed it, payments, disputes. */
export async function openCollectionCase(
  db: Db,
  input: { invoiceId: string; defaultLegalEntity: string },
): Promise<CollectionCase> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(collectionCases).where(eq(collectionCases.invoiceId, input.invoiceId));
    if (existing) return existing;
    const [row] = await tx
      .select({ invoice: invoices, customer: customers })
      .from(invoices)
      .innerJoin(customers, eq(customers.id, invoices.customerId))
      .where(eq(invoices.id, input.invoiceId))
      .for('update', { of: invoices });
    if (!row) throw new Error(`Invoice ${input.invoiceId} does not exist`);
    const { invoice, customer } = row;
    const sellerCode = invoice.legalEntity ?? input.defaultLegalEntity;
    const seller = await getLegalEntity(tx, sellerCode);
    const letters = await tx
      .select()
      .from(dunningLetters)
      .where(
        and(
          eq(dunningLetters.customerId, customer.id),
          sql`${dunningLetters.items} @> ${JSON.stringify([{ invoiceId: invoice.id }])}::jsonb`,
        ),
      )
      .orderBy(dunningLetters.runAt);
    const paid = await tx
      .select({ amount: allocations.amount, at: allocations.createdAt, kind: allocations.kind })
      .from(allocations)
      .innerJoin(payments, eq(payments.id, allocations.paymentId))
      .where(eq(allocations.invoiceId, invoice.id))
      .orderBy(allocations.id);
    const disputed = await tx.select().from(disputes).where(eq(disputes.invoiceId, invoice.id));
    const charged = await tx.select().from(dunningCharges).where(eq(dunningCharges.invoiceId, invoice.id));
    const id = randomUUID();
    const caseFile: CaseFile = {
      caseId: id,
      creditor: { legalEntity: sellerCode, name: seller.name, country: seller.country, iban: seller.iban },
      debtor: {
        customerId: customer.id,
        name: customer.name,
        country: customer.country,
        email: customer.email,
        kind: customer.kind,
        vatId: customer.vatId,
      },
      invoice: {
        number: invoice.number,
        issueDate: invoice.issueDate,
        dueDate: invoice.dueDate,
        currency: invoice.currency,
        total: invoice.total,
        outstanding: await invoiceBalance(tx, invoice.id),
        paymentReference: invoice.paymentReference,
      },
      letters: letters.map((l) => ({
        runAt: new Date(l.runAt).toISOString(),
        level: l.level,
        levelName: l.levelName,
        payBy: l.payBy,
        sentTo: l.sentTo,
      })),
      payments: paid.map((p) => ({ amount: p.amount, at: p.at.toISOString(), kind: p.kind })),
      disputes: disputed.map((d) => ({
        reasonCode: d.reasonCode,
        amount: d.amount,
        status: d.status,
        openedAt: new Date(d.openedAt).toISOString(),
      })),
      charges: charged.map((c) => ({ kind: c.kind, amount: c.amount, postedOn: c.postedOn, status: c.status })),
    };
    const [opened] = await tx
      .insert(collectionCases)
      .values({ id, invoiceId: invoice.id, customerId: customer.id, caseFile, status: 'opened' })
      .returning();
    return opened!;
  });
}

export async function markHandedOver(db: DbOrTx, caseId: string, agencyReference: string): Promise<void> {
  await db
    .update(collectionCases)
    .set({ status: 'handed_over', agencyReference, handedOverAt: new Date() })
    .where(and(eq(collectionCases.id, caseId), eq(collectionCases.status, 'opened')));
}

export async function getCollectionCase(db: DbOrTx, caseId: string): Promise<CollectionCase | undefined> {
  const [found] = await db.select().from(collectionCases).where(eq(collectionCases.id, caseId));
  return found;
}

export async function collectionCaseOf(db: DbOrTx, invoiceId: string): Promise<CollectionCase | undefined> {
  const [found] = await db.select().from(collectionCases).where(eq(collectionCases.invoiceId, invoiceId));
  return found;
}

/** The agency closed the case; a repeated report changes nothing. */
export async function closeCollectionCase(
  db: DbOrTx,
  caseId: string,
  input: { outcome: string; note?: string },
): Promise<CollectionCase> {
  const found = await getCollectionCase(db, caseId);
  if (!found) throw new DomainError('NOT_FOUND', `No collection case ${caseId}`, 'caseId');
  if (found.status === 'closed') return found;
  const [closed] = await db
    .update(collectionCases)
    .set({
      status: 'closed',
      outcome: input.outcome,
      outcomeNote: input.note ?? null,
      closedAt: new Date(),
    })
    .where(eq(collectionCases.id, caseId))
    .returning();
  return closed!;
}
