import { asc, eq } from 'drizzle-orm';
import type { DebtorKind } from '../domain/dunning-charges.js';
import {
  SEGMENT_DUNNING_POLICIES,
  fitPolicyToLaw,
  validateDunningPolicy,
  type CustomerSegment,
  type DunningLevel,
  type DunningPolicy,
} from '../domain/dunning.js';
import { DomainError } from '../domain/errors.js';
import { lawOf } from '../domain/late-payment-law.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { customers, dunningPolicies, invoices, legalEntities } from './schema.js';

export type DunningPolicyTarget = { segment: CustomerSegment } | { customerId: string };

export interface StoredDunningPolicy extends DunningPolicy {
  appliesTo: DunningPolicyTarget;
  updatedBy: string;
  updatedAt: Date;
}

const stored = (row: typeof dunningPolicies.$inferSelect): StoredDunningPolicy => ({
  id: row.id,
  levels: row.levels as DunningLevel[],
  appliesTo: row.customerId ? { customerId: row.customerId } : { segment: row.segment as CustomerSegment },
  updatedBy: row.updatedBy,
  updatedAt: row.updatedAt,
});

/**
 * Creates or replaces a policy and what it applies to, audited with the old and the new. A segment or customer
 * has one policy: another policy's target is refused. Receivables already running keep the policy they started with.
 */
export async function putDunningPolicy(
  db: Db,
  id: string,
  input: { appliesTo: DunningPolicyTarget; levels: unknown[]; reason: string },
  actor: string,
): Promise<{ policy: StoredDunningPolicy; created: boolean }> {
  let policy: DunningPolicy;
  try {
    policy = validateDunningPolicy({ id, levels: input.levels });
  } catch (err) {
    throw new DomainError('INVALID_DUNNING_POLICY', (err as Error).message, 'levels');
  }
  const target =
    'segment' in input.appliesTo
      ? { segment: input.appliesTo.segment, customerId: null }
      : { segment: null, customerId: input.appliesTo.customerId };
  return db.transaction(async (tx) => {
    if (target.customerId) {
      const [customer] = await tx
        .select({ id: customers.id })
        .from(customers)
        .where(eq(customers.id, target.customerId));
      if (!customer) {
        throw new DomainError('UNKNOWN_CUSTOMER', `No customer ${target.customerId}`, 'appliesTo.customerId');
      }
    }
    const [holder] = await tx
      .select({ id: dunningPolicies.id })
      .from(dunningPolicies)
      .where(
        target.customerId
          ? eq(dunningPolicies.customerId, target.customerId)
          : eq(dunningPolicies.segment, target.segment!),
      );
    if (holder && holder.id !== id) {
      throw new DomainError('POLICY_TARGET_TAKEN', `Policy ${holder.id} already applies there`, 'appliesTo');
    }
    const [old] = await tx.select().from(dunningPolicies).where(eq(dunningPolicies.id, id)).for('update');
    const values = { ...target, levels: policy.levels, updatedBy: actor, updatedAt: new Date() };
    const [row] = await tx
      .insert(dunningPolicies)
      .values({ id, ...values })
      .onConflictDoUpdate({ target: dunningPolicies.id, set: values })
      .returning();
    await recordAudit(tx, {
      decisionKey: `dunning-policy:${id}:${row!.updatedAt.toISOString()}`,
      actor,
      action: old ? 'dunning_policy.update' : 'dunning_policy.create',
      entityType: 'dunning_policy',
      entityId: id,
      reason: input.reason,
      details: { old: old ? stored(old) : null, new: stored(row!) },
    });
    return { policy: stored(row!), created: !old };
  });
}

export async function listDunningPolicies(db: DbOrTx): Promise<StoredDunningPolicy[]> {
  return (await db.select().from(dunningPolicies).orderBy(asc(dunningPolicies.id))).map(stored);
}

export async function getDunningPolicy(db: DbOrTx, id: string): Promise<StoredDunningPolicy | undefined> {
  const [row] = await db.select().from(dunningPolicies).where(eq(dunningPolicies.id, id));
  return row && stored(row);
}

/**
 * The policy an invoice is dunned by: its customer's own, else its segment's stored one, else the configured
 * DUNNING_POLICY (when set), else the segment's built-in one; with the notice the seller country's law requires
 * before collection (domain/dunning.ts fitPolicyToLaw), and, with `businessDays`, the seller country's calendar.
 */
export async function dunningPolicyForInvoice(
  db: DbOrTx,
  invoiceId: string,
  options: { configured: DunningPolicy | undefined; defaultLegalEntity: string; businessDays?: boolean },
): Promise<DunningPolicy> {
  const [invoice] = await db
    .select({
      customerId: customers.id,
      segment: customers.segment,
      debtor: customers.kind,
      seller: invoices.legalEntity,
    })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(eq(invoices.id, invoiceId));
  if (!invoice) throw new Error(`Invoice ${invoiceId} does not exist`);
  const [seller] = await db
    .select({ country: legalEntities.country })
    .from(legalEntities)
    .where(eq(legalEntities.code, invoice.seller ?? options.defaultLegalEntity));
  const policy = await policyOf(db, invoice, options.configured);
  const fitted = fitPolicyToLaw(policy, seller && lawOf(seller.country), invoice.debtor as DebtorKind);
  return options.businessDays && seller ? { ...fitted, calendar: seller.country } : fitted;
}

async function policyOf(
  db: DbOrTx,
  invoice: { customerId: string; segment: string },
  configured: DunningPolicy | undefined,
): Promise<DunningPolicy> {
  const segment = invoice.segment as CustomerSegment;
  const [own] = await db.select().from(dunningPolicies).where(eq(dunningPolicies.customerId, invoice.customerId));
  const [bySegment] = own ? [] : await db.select().from(dunningPolicies).where(eq(dunningPolicies.segment, segment));
  const row = own ?? bySegment;
  if (row) return { id: row.id, levels: row.levels as DunningLevel[] };
  return configured ?? SEGMENT_DUNNING_POLICIES[segment];
}
