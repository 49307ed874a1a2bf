import { and, asc, eq, gte, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import { SETTLED_WITH_INVOICE, type DisputeOutcome, type DisputeReason } from '../domain/collections.js';
import { DomainError } from '../domain/errors.js';
import { buildInvoiceDocument, type InvoiceDocumentInput } from '../domain/invoice-document.js';
import { draftCreditNote } from '../domain/invoice-draft.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { customers, disputes, invoices, shipments } from './schema.js';

export type Dispute = typeof disputes.$inferSelect;

export interface DisputedLine {
  lineNo: number;
  quantity: number;
  sku: string;
}

export interface OpenDisputeInput {
  disputeId: string;
  invoiceId: string;
  reasonCode: DisputeReason;
  /** VAT included; for a dispute by lines, what those lines come to. */
  amount: number;
  lines?: DisputedLine[];
  note: string;
  owner: string;
  actor: string;
  openedAt: string;
  slaDueAt: string;
}

/** Opens a dispute once (a repeated id returns the first), audited with who raised it and why. */
export async function openDispute(db: Db, input: OpenDisputeInput): Promise<Dispute> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(disputes).where(eq(disputes.id, input.disputeId));
    if (existing) return existing;
    const [invoice] = await tx.select().from(invoices).where(eq(invoices.id, input.invoiceId));
    if (!invoice) throw new Error(`Invoice ${input.invoiceId} does not exist`);
    const [dispute] = await tx
      .insert(disputes)
      .values({
        id: input.disputeId,
        invoiceId: input.invoiceId,
        customerId: invoice.customerId,
        reasonCode: input.reasonCode,
        amount: input.amount,
        lines: input.lines ?? null,
        currency: invoice.currency,
        note: input.note,
        owner: input.owner,
        status: 'open',
        openedBy: input.actor,
        openedAt: input.openedAt,
        slaDueAt: input.slaDueAt,
      })
      .returning();
    await recordAudit(tx, {
      decisionKey: `dispute:${input.disputeId}:open`,
      actor: input.actor,
      action: 'dispute.open',
      entityType: 'dispute',
      entityId: input.disputeId,
      reason: input.note,
      details: { invoiceId: input.invoiceId, reasonCode: input.reasonCode, amount: input.amount, owner: input.owner },
    });
    return dispute!;
  });
}

export interface ResolveDisputeInput {
  disputeId: string;
  resolution: DisputeOutcome;
  note: string;
  actor: string;
  resolvedAt: string;
  creditNoteId?: string;
}

/** Resolves an open dispute once; resolving it again returns it as it was resolved. */
export async function resolveDispute(db: Db, input: ResolveDisputeInput): Promise<Dispute> {
  return db.transaction(async (tx) => {
    const [resolved] = await tx
      .update(disputes)
      .set({
        status: 'resolved',
        resolution: input.resolution,
        resolutionNote: input.note,
        creditNoteId: input.creditNoteId ?? null,
        resolvedBy: input.actor,
        resolvedAt: input.resolvedAt,
      })
      .where(and(eq(disputes.id, input.disputeId), eq(disputes.status, 'open')))
      .returning();
    if (resolved) {
      await recordAudit(tx, {
        decisionKey: `dispute:${input.disputeId}:resolve`,
        actor: input.actor,
        action: 'dispute.resolve',
        entityType: 'dispute',
        entityId: input.disputeId,
        reason: input.note,
        details: { resolution: input.resolution, creditNoteId: input.creditNoteId ?? null },
      });
      return resolved;
    }
    const [existing] = await tx.select().from(disputes).where(eq(disputes.id, input.disputeId));
    if (!existing) throw new Error(`Dispute ${input.disputeId} does not exist`);
    return existing;
  });
}

/**
 * Closes the disputes still open on an invoice that was settled meanwhile (the customer paid after all, a credit
 * note or a write-off cleared it): nothing is left to decide, so they leave the queue, audited, with the status.
 */
export async function closeDisputesOfSettledInvoice(
  tx: DbOrTx,
  input: { invoiceId: string; invoiceStatus: string; closedAt: string },
): Promise<void> {
  const closed = await tx
    .update(disputes)
    .set({
      status: 'resolved',
      resolution: SETTLED_WITH_INVOICE,
      resolutionNote: `The invoice was settled (${input.invoiceStatus}) while the dispute was open`,
      resolvedBy: 'system',
      resolvedAt: input.closedAt,
    })
    .where(and(eq(disputes.invoiceId, input.invoiceId), eq(disputes.status, 'open')))
    .returning({ id: disputes.id });
  for (const { id } of closed) {
    await recordAudit(tx, {
      decisionKey: `dispute:${id}:resolve`,
      actor: 'system',
      action: 'dispute.resolve',
      entityType: 'dispute',
      entityId: id,
      reason: `invoice ${input.invoiceStatus}`,
      details: { resolution: SETTLED_WITH_INVOICE },
    });
  }
}

/** Hands an open dispute to another owner, audited; refused once it is resolved. */
export async function assignDispute(
  db: Db,
  input: { disputeId: string; owner: string; reason: string; actor: string },
): Promise<Dispute> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(disputes).where(eq(disputes.id, input.disputeId)).for('update');
    if (!before) throw new DomainError('NOT_FOUND', `No dispute with id ${input.disputeId}`);
    if (before.status !== 'open') throw new DomainError('DISPUTE_NOT_OPEN', `Dispute ${input.disputeId} is resolved`);
    if (before.owner === input.owner) return before;
    const [after] = await tx
      .update(disputes)
      .set({ owner: input.owner })
      .where(eq(disputes.id, input.disputeId))
      .returning();
    await recordAudit(tx, {
      decisionKey: `dispute:${input.disputeId}:assign:${before.owner}:${input.owner}`,
      actor: input.actor,
      action: 'dispute.assign',
      entityType: 'dispute',
      entityId: input.disputeId,
      reason: input.reason,
      details: { from: before.owner, to: input.owner },
    });
    return after!;
  });
}

export async function getDispute(db: DbOrTx, disputeId: string): Promise<Dispute | undefined> {
  const [dispute] = await db.select().from(disputes).where(eq(disputes.id, disputeId));
  return dispute;
}

/** The disputes queue, oldest first. */
/** The queue: disputes with the invoice number and customer name a person looks for, oldest first. */
export async function listDisputes(
  db: DbOrTx,
  filter: { status?: string; owner?: string; reasonCode?: string; invoiceId?: string; customerId?: string },
): Promise<(Dispute & { invoiceNumber: string; customerName: string })[]> {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(disputes.status, filter.status));
  if (filter.owner) conditions.push(eq(disputes.owner, filter.owner));
  if (filter.reasonCode) conditions.push(eq(disputes.reasonCode, filter.reasonCode));
  if (filter.invoiceId) conditions.push(eq(disputes.invoiceId, filter.invoiceId));
  if (filter.customerId) conditions.push(eq(disputes.customerId, filter.customerId));
  const rows = await db
    .select({ dispute: disputes, invoiceNumber: invoices.number, customerName: customers.name })
    .from(disputes)
    .innerJoin(invoices, eq(invoices.id, disputes.invoiceId))
    .innerJoin(customers, eq(customers.id, disputes.customerId))
    .where(and(...conditions))
    .orderBy(asc(disputes.openedAt));
  return rows.map(({ dispute, invoiceNumber, customerName }) => ({ ...dispute, invoiceNumber, customerName }));
}

export interface DisputeReportRow {
  /** The reason code, or the warehouse that shipped what was invoiced (`none` for invoices of a whole order). */
  key: string;
  currency: string;
  opened: number;
  amount: number;
  resolved: number;
  /** Mean days from opening to resolution, of those resolved (null: none yet). */
  meanCycleDays: number | null;
  byResolution: Record<string, number>;
}

/**
 * Disputes opened in [from, to) by reason and by shipping warehouse (counts, amounts, resolutions and cycle time),
 * and by product for those raised by lines,
 * so the cause can be fixed where it arises (a warehouse that damages, a price list that is wrong).
 */
export async function disputeReport(
  db: DbOrTx,
  period: { from: string; to: string },
): Promise<{
  byReason: DisputeReportRow[];
  byWarehouse: DisputeReportRow[];
  byProduct: { sku: string; disputes: number; quantity: number }[];
}> {
  const group = async (key: SQL<string>) => {
    const rows = await db
      .select({
        key,
        currency: disputes.currency,
        resolution: disputes.resolution,
        count: sql<number>`count(*)`.mapWith(Number),
        amount: sql<number>`sum(${disputes.amount})`.mapWith(Number),
        cycleDays: sql<
          number | null
        >`sum(extract(epoch from (${disputes.resolvedAt} - ${disputes.openedAt}))) / 86400`.mapWith(
          (v: string | null) => (v === null ? null : Number(v)),
        ),
      })
      .from(disputes)
      .innerJoin(invoices, eq(invoices.id, disputes.invoiceId))
      .leftJoin(shipments, eq(shipments.id, invoices.shipmentId))
      .where(and(gte(disputes.openedAt, period.from), lt(disputes.openedAt, period.to)))
      .groupBy(key, disputes.currency, disputes.resolution)
      .orderBy(key, disputes.currency);
    const out = new Map<string, DisputeReportRow & { cycleSum: number }>();
    for (const r of rows) {
      const id = `${r.key}|${r.currency}`;
      const row = out.get(id) ?? {
        key: r.key,
        currency: r.currency,
        opened: 0,
        amount: 0,
        resolved: 0,
        meanCycleDays: null,
        byResolution: {},
        cycleSum: 0,
      };
      row.opened += r.count;
      row.amount += r.amount;
      if (r.resolution !== null) {
        row.resolved += r.count;
        row.byResolution[r.resolution] = r.count;
        row.cycleSum += r.cycleDays ?? 0;
      }
      out.set(id, row);
    }
    return [...out.values()].map(({ cycleSum, ...row }) => ({
      ...row,
      meanCycleDays: row.resolved > 0 ? Math.round((cycleSum / row.resolved) * 10) / 10 : null,
    }));
  };
  // Only disputes raised by lines name products.
  const byLines = await db
    .select({ lines: disputes.lines })
    .from(disputes)
    .where(and(gte(disputes.openedAt, period.from), lt(disputes.openedAt, period.to), isNotNull(disputes.lines)));
  const products = new Map<string, { sku: string; disputes: number; quantity: number }>();
  for (const { lines } of byLines) {
    for (const line of lines as DisputedLine[]) {
      const p = products.get(line.sku) ?? { sku: line.sku, disputes: 0, quantity: 0 };
      p.disputes += 1;
      p.quantity += line.quantity;
      products.set(line.sku, p);
    }
  }
  return {
    byReason: await group(sql<string>`${disputes.reasonCode}`),
    byWarehouse: await group(sql<string>`coalesce(${shipments.warehouseCode}, 'none')`),
    byProduct: [...products.values()].sort((a, b) => b.disputes - a.disputes || (a.sku < b.sku ? -1 : 1)),
  };
}

/**
 * What disputing these lines of the invoice amounts to, VAT included: the credit note those lines would get, so
 * a credit-note resolution credits exactly what was disputed.
 */
export async function disputedLinesOf(
  db: DbOrTx,
  invoiceId: string,
  lines: readonly { lineNo: number; quantity: number }[],
): Promise<{ amount: number; lines: DisputedLine[] }> {
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  if (!invoice?.document) throw new DomainError('NOT_AN_INVOICE', `Invoice ${invoiceId} has no lines to dispute`);
  const document = invoice.document as InvoiceDocumentInput;
  try {
    const draft = draftCreditNote(document, {
      number: `${invoice.number}-DISPUTE`,
      issueDate: document.issueDate,
      reason: 'dispute',
      selection: { lines },
    });
    return {
      amount: buildInvoiceDocument(draft).totals.amountDue,
      lines: lines.map((l) => ({ ...l, sku: document.lines[l.lineNo - 1]!.sku })),
    };
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new DomainError('INVALID_DISPUTE', err.message, err.message.split(':')[0]!.replace(/\[(\d+)\]/g, '.$1'));
  }
}
