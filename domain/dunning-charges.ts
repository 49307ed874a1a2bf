import {
  collectionCosts,
  figureOn,
  statutoryInterest,
  type InterestPeriod,
  type LatePaymentLaw,
} from './late-payment-law.js';
import { isoDate, parseIsoDate } from './payment-terms.js';

/**
 * What a dunning level may charge, by the law of the seller's country (domain/late-payment-law.ts):
 * - `compensation`: the fixed compensation for recovery costs (EUR 40), once per invoice, business debtors only;
 * - `interest`: statutory interest from the day after the due date, on what is owed now, less what was charged;
 * - `reminder_fee`: the capped fee per reminder where the law has one (NO purregebyr);
 * - `collection_costs`: a consumer's collection costs by the statutory scale (NL WIK), once, after a 14-day letter.
 */
export const DUNNING_CHARGE_KINDS = ['compensation', 'interest', 'reminder_fee', 'collection_costs'] as const;
export type DunningChargeKind = (typeof DUNNING_CHARGE_KINDS)[number];

export const DEBTOR_KINDS = ['business', 'consumer'] as const;
export type DebtorKind = (typeof DEBTOR_KINDS)[number];

export interface PostedCharge {
  readonly kind: DunningChargeKind;
  readonly amount: number;
}

export interface ChargeBasis {
  readonly source: string;
  /** False when a figure used was entered without its publication being read (see LatePaymentLaw). */
  readonly verified: boolean;
  readonly periods?: readonly InterestPeriod[];
  readonly principal?: number;
  /** Interest charged at earlier levels, deducted. */
  readonly chargedBefore?: number;
}

export interface NewCharge {
  readonly kind: DunningChargeKind;
  readonly amount: number;
  readonly basis: ChargeBasis;
}

export interface ChargeContext {
  readonly kinds: readonly DunningChargeKind[];
  readonly level: number;
  /** The day the level is reached: interest runs to it. */
  readonly date: string;
  readonly invoice: { readonly dueDate: string; readonly currency: string; readonly principal: number };
  readonly debtor: DebtorKind;
  readonly law: LatePaymentLaw | undefined;
  /** What this invoice was charged at earlier levels. */
  readonly posted: readonly PostedCharge[];
}

/**
 * The charges a level posts, and why each one asked for is not posted. Pure: the same context gives the same
 * charges, so a retried posting (unique per invoice, level and kind) can only ever write these.
 */
export function chargesForLevel(ctx: ChargeContext): {
  charges: NewCharge[];
  skipped: { kind: DunningChargeKind; reason: string }[];
} {
  const charges: NewCharge[] = [];
  const skipped: { kind: DunningChargeKind; reason: string }[] = [];
  const { law, invoice } = ctx;
  const firstLateDay = isoDate(parseIsoDate(invoice.dueDate) + 86_400_000);
  const postedOf = (kind: DunningChargeKind) => ctx.posted.filter((p) => p.kind === kind);
  for (const kind of new Set(ctx.kinds)) {
    const skip = (reason: string) => skipped.push({ kind, reason });
    if (!law) {
      skip('no late-payment law is configured for the seller country');
      continue;
    }
    if (law.currency !== invoice.currency) {
      skip(`the ${law.country} statutory amounts are in ${law.currency}, the invoice is in ${invoice.currency}`);
      continue;
    }
    if (invoice.principal <= 0) {
      skip('nothing is owed');
      continue;
    }
    if (kind === 'compensation') {
      if (ctx.debtor !== 'business') skip('the fixed compensation applies to business debtors only');
      else if (postedOf(kind).length > 0) skip('charged once per invoice, already charged');
      else {
        const figure = figureOn(law.compensation, firstLateDay);
        if (!figure) skip(`no compensation amount is known for ${firstLateDay}`);
        else charges.push({ kind, amount: figure.value, basis: { source: figure.source, verified: figure.verified } });
      }
    } else if (kind === 'interest') {
      const rates =
        ctx.debtor === 'consumer' ? (law.consumerInterest ?? law.commercialInterest) : law.commercialInterest;
      const chargedBefore = postedOf(kind).reduce((s, p) => s + p.amount, 0);
      try {
        const { amount, periods } = statutoryInterest({
          principal: invoice.principal,
          from: firstLateDay,
          to: ctx.date,
          rates,
          compoundsYearly: law.compoundsYearly,
          compoundFrom: firstLateDay,
        });
        const due = amount - chargedBefore;
        if (due <= 0) skip('no interest accrued since the last charge');
        else
          charges.push({
            kind,
            amount: due,
            basis: {
              source: rates[0]!.source,
              verified: periods.every((p) => p.verified),
              periods,
              principal: invoice.principal,
              chargedBefore,
            },
          });
      } catch (e) {
        skip((e as Error).message);
      }
    } else if (kind === 'reminder_fee') {
      const fee = law.reminderFee;
      const daysOverdue = Math.round((parseIsoDate(ctx.date) - parseIsoDate(invoice.dueDate)) / 86_400_000);
      const figure = fee && figureOn(fee.figures, ctx.date);
      if (!fee || !figure) skip(`${law.country} law sets no reminder fee`);
      else if (postedOf(kind).length >= fee.maxPerInvoice)
        skip(`at most ${fee.maxPerInvoice} reminder fees per invoice`);
      else if (daysOverdue < fee.notBeforeDaysOverdue)
        skip(`a reminder fee only from ${fee.notBeforeDaysOverdue} days after the due date`);
      else charges.push({ kind, amount: figure.value, basis: { source: fee.source, verified: figure.verified } });
    } else {
      const scale = law.consumerCollectionCosts;
      if (ctx.debtor !== 'consumer' || !scale) skip('statutory collection costs apply to consumer debtors only');
      else if (postedOf(kind).length > 0) skip('charged once per invoice, already charged');
      else if (ctx.level < 2) skip('collection costs only after a letter giving the statutory notice');
      else
        charges.push({
          kind,
          amount: collectionCosts(scale, invoice.principal),
          basis: { source: scale.source, verified: true, principal: invoice.principal },
        });
    }
  }
  return { charges, skipped };
}
