import { onBusinessDay } from './business-days.js';
import { DUNNING_CHARGE_KINDS, type DebtorKind, type DunningChargeKind } from './dunning-charges.js';
import { parseIsoDuration } from './durations.js';
import type { LatePaymentLaw } from './late-payment-law.js';
import { LETTER_TEMPLATES, type LetterTemplate } from './letters.js';

export type KnownDunningLevelName = 'reminder' | 'second_reminder' | 'final_notice' | 'collection_agency';

export const DUNNING_ANCHORS = ['due_date', 'previous_level'] as const;
export type DunningAnchor = (typeof DUNNING_ANCHORS)[number];

/**
 * How a level reaches the customer: a letter in the mail's text (`email`), the same letter also as a PDF attached
 * (`letter`, to file, print or forward), a call task for a collector instead (`call_task`, key accounts), or the
 * hand-over of the invoice to a collection agency (`agency`), after which our letters no longer list it.
 */
export const DUNNING_CHANNELS = ['email', 'letter', 'call_task', 'agency'] as const;
export type DunningChannel = (typeof DUNNING_CHANNELS)[number];

export interface DunningLevel {
  readonly level: number;
  /** A known name, or a policy-specific one (e.g. "phone_follow_up"); `string & {}` keeps autocompletion. */
  readonly name: KnownDunningLevelName | (string & Record<never, never>);
  /** ISO 8601 duration (fixed-length units only) after the anchor. */
  readonly offset: string;
  /** What the offset counts from: the due moment (default, see dunningAnchorMs) or the level before. */
  readonly anchor?: DunningAnchor;
  /** The level is not sent while less than this (minor units) is claimable: a few cents of bank charges are not dunned. */
  readonly minimumOverdue?: number;
  /** `email` by default. */
  readonly channel?: DunningChannel;
  /** Fees and interest the level posts, as the seller country's law allows (domain/dunning-charges.ts). */
  readonly charges?: readonly DunningChargeKind[];
  /**
   * ISO 8601 duration: the level is not sent sooner than this after the level before it, and never reached by
   * passing over that level after downtime. The law's notice before collection sets it (fitPolicyToLaw).
   */
  readonly notice?: string;
  /** The letter's wording (domain/letters.ts); absent: the one named like the level, else a reminder's. */
  readonly template?: LetterTemplate;
}

export interface DunningPolicy {
  readonly id: string;
  readonly levels: readonly DunningLevel[];
  /**
   * The seller country whose business days a level falls on: one due on a weekend or public holiday is reached
   * the next business day, and the next level is spaced from then. Set when the policy is resolved for an invoice.
   */
  readonly calendar?: string;
}

/** Customer segments, each with its own dunning policy (stored ones first, see db/dunning-policies.ts). */
export const CUSTOMER_SEGMENTS = ['small_business', 'corporate', 'high_risk', 'key_account'] as const;
export type CustomerSegment = (typeof CUSTOMER_SEGMENTS)[number];

const MS_PER_DAY = 86_400_000;

export const DEFAULT_DUNNING_POLICY: DunningPolicy = validateDunningPolicy({
  id: 'default',
  levels: [
    { level: 1, name: 'reminder', offset: 'P7D' },
    { level: 2, name: 'second_reminder', offset: 'P14D' },
    { level: 3, name: 'final_notice', offset: 'P28D' },
    { level: 4, name: 'collection_agency', offset: 'P45D', channel: 'agency' },
  ],
});

/**
 * The built-in policy of each segment, for a segment nobody stored one for (and DUNNING_POLICY unset). House
 * defaults, not statutory figures: corporates pay in slower runs and get more time; high-risk customers are
 * chased sooner; key accounts are called by a collector instead of getting letters, and never handed to an agency.
 * The last level of the others hands the invoice to the collection agency (the `agency` channel).
 */
export const SEGMENT_DUNNING_POLICIES: Readonly<Record<CustomerSegment, DunningPolicy>> = Object.freeze({
  small_business: DEFAULT_DUNNING_POLICY,
  corporate: validateDunningPolicy({
    id: 'corporate',
    levels: [
      { level: 1, name: 'reminder', offset: 'P10D' },
      { level: 2, name: 'second_reminder', offset: 'P24D' },
      { level: 3, name: 'final_notice', offset: 'P38D' },
      { level: 4, name: 'collection_agency', offset: 'P60D', channel: 'agency' },
    ],
  }),
  high_risk: validateDunningPolicy({
    id: 'high_risk',
    levels: [
      { level: 1, name: 'reminder', offset: 'P3D' },
      { level: 2, name: 'second_reminder', offset: 'P10D' },
      { level: 3, name: 'final_notice', offset: 'P17D' },
      { level: 4, name: 'collection_agency', offset: 'P31D', channel: 'agency' },
    ],
  }),
  key_account: validateDunningPolicy({
    id: 'key_account',
    levels: [
      { level: 1, name: 'reminder', offset: 'P14D', channel: 'call_task' },
      { level: 2, name: 'second_reminder', offset: 'P30D', channel: 'call_task' },
      { level: 3, name: 'final_notice', offset: 'P45D', channel: 'call_task' },
    ],
  }),
});

/**
 * Anchoring rule: offsets count from the moment the invoice fell due, i.e. the issue instant plus the payment
 * terms. "P7D" on an invoice issued 2025-02-08T10:00Z with 30 days' terms fires 2025-03-17T10:00Z, 7 days after
 * the due date. Using the instant rather than a calendar day lets a demo or benchmark run a seconds-long policy
 * with zero-day terms, and keeps day-long policies on the expected calendar day.
 */
export function dunningAnchorMs(issuedAtMs: number, paymentTermsDays: number): number {
  if (!Number.isSafeInteger(issuedAtMs))
    throw new RangeError(`issuedAtMs must be an integer epoch time, got ${issuedAtMs}`);
  if (!Number.isSafeInteger(paymentTermsDays) || paymentTermsDays < 0) {
    throw new RangeError(`paymentTermsDays must be a non-negative integer, got ${paymentTermsDays}`);
  }
  return issuedAtMs + paymentTermsDays * MS_PER_DAY;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks an untrusted policy (config, API input): levels numbered 1..n in order, each with a name, a parseable
 * positive offset (a reminder before the due date would be wrong) and, optionally, its anchor and minimum overdue
 * amount; each level due strictly after the one before. Returns a clean copy.
 */
export function validateDunningPolicy(p: unknown): DunningPolicy {
  if (!isRecord(p)) throw new TypeError('dunning policy must be an object');
  const { id, levels } = p;
  if (typeof id !== 'string' || id.trim() === '') throw new TypeError('dunning policy id must be a non-empty string');
  if (!Array.isArray(levels) || levels.length === 0) {
    throw new TypeError(`dunning policy "${id}" must have at least one level`);
  }
  let previousMs = 0;
  const clean = levels.map((raw: unknown, i): DunningLevel => {
    const where = `dunning policy "${id}" level ${i + 1}`;
    if (!isRecord(raw)) throw new TypeError(`${where} must be an object`);
    const { level, name, offset, anchor, minimumOverdue, channel, charges, notice, template } = raw;
    if (level !== i + 1)
      throw new RangeError(`${where}: levels must be numbered 1..n contiguously, found level ${String(level)}`);
    if (typeof name !== 'string' || name.trim() === '')
      throw new TypeError(`${where}: name must be a non-empty string`);
    if (typeof offset !== 'string') throw new TypeError(`${where}: offset must be an ISO 8601 duration string`);
    if (anchor !== undefined && !(DUNNING_ANCHORS as readonly unknown[]).includes(anchor)) {
      throw new RangeError(`${where}: anchor must be one of ${DUNNING_ANCHORS.join(', ')}`);
    }
    if (channel !== undefined && !(DUNNING_CHANNELS as readonly unknown[]).includes(channel)) {
      throw new RangeError(`${where}: channel must be one of ${DUNNING_CHANNELS.join(', ')}`);
    }
    if (minimumOverdue !== undefined && (!Number.isSafeInteger(minimumOverdue) || (minimumOverdue as number) < 0)) {
      throw new RangeError(`${where}: minimumOverdue must be a non-negative integer amount in minor units`);
    }
    if (template !== undefined && !(LETTER_TEMPLATES as readonly unknown[]).includes(template)) {
      throw new RangeError(`${where}: template must be one of ${LETTER_TEMPLATES.join(', ')}`);
    }
    if (
      charges !== undefined &&
      (!Array.isArray(charges) || charges.some((c) => !(DUNNING_CHARGE_KINDS as readonly unknown[]).includes(c)))
    ) {
      throw new RangeError(`${where}: charges must be a list of ${DUNNING_CHARGE_KINDS.join(', ')}`);
    }
    const duration = (field: string, value: string) => {
      try {
        return parseIsoDuration(value);
      } catch (e) {
        throw new RangeError(`${where}: ${field === 'offset' ? '' : `${field}: `}${(e as Error).message}`);
      }
    };
    if (notice !== undefined && (typeof notice !== 'string' || duration('notice', notice) <= 0)) {
      throw new RangeError(`${where}: notice must be a positive ISO 8601 duration`);
    }
    if (i === 0 && (notice !== undefined || isCollectionStep({ name, channel, charges } as DunningLevel))) {
      throw new RangeError(`${where}: collection needs a letter before it; the first level cannot collect`);
    }
    const ms = duration('offset', offset);
    if (ms <= 0) throw new RangeError(`${where}: offset ${offset} must be positive`);
    const dueMs = anchor === 'previous_level' ? previousMs + ms : ms;
    if (dueMs <= previousMs)
      throw new RangeError(
        `${where}: offset ${offset} must put it after level ${i}, which is due ${previousMs / MS_PER_DAY} days after the due date`,
      );
    previousMs = dueMs;
    return {
      level,
      name,
      offset,
      ...(anchor !== undefined ? { anchor: anchor as DunningAnchor } : {}),
      ...(minimumOverdue !== undefined ? { minimumOverdue: minimumOverdue as number } : {}),
      ...(channel !== undefined ? { channel: channel as DunningChannel } : {}),
      ...(charges !== undefined ? { charges: [...new Set(charges as DunningChargeKind[])] } : {}),
      ...(notice !== undefined ? { notice } : {}),
      ...(template !== undefined ? { template: template as LetterTemplate } : {}),
    };
  });
  return { id, levels: clean };
}

/** When each level is scheduled, counted from the due moment (index 0: the due moment itself). */
function scheduleMs(policy: DunningPolicy): number[] {
  const schedule = [0];
  for (const level of policy.levels) {
    const offset = parseIsoDuration(level.offset);
    schedule.push(level.anchor === 'previous_level' ? schedule[schedule.length - 1]! + offset : offset);
  }
  return schedule;
}

/** Where an invoice stands in its policy: the level reached (0 = nothing yet) and the moment it was reached. */
export interface DunningPosition {
  readonly level: number;
  /** Absent before the first level, and for receivables started before the catch-up rule (no spacing known). */
  readonly reachedAtMs?: number;
}

/**
 * The level that follows the position and when it is due, or null when the policy has no further level. A level
 * falls due at its offset after the due date, and never sooner after the level before it than the policy spaces
 * them: a level reached late (the engine was down) pushes the next one back by as much, so every notice period
 * is given in full.
 */
export function nextDunningStep(
  policy: DunningPolicy,
  anchorMs: number,
  position: DunningPosition,
): { level: DunningLevel; atMs: number } | null {
  const current = position.level;
  if (!Number.isSafeInteger(current) || current < 0) {
    throw new RangeError(`level must be a non-negative integer (0 = no dunning yet), got ${current}`);
  }
  const level = policy.levels[current];
  if (level === undefined) return null;
  return {
    level,
    atMs: dueAtMs(policy, scheduleMs(policy), anchorMs, position, current + 1),
  };
}

/**
 * Catch-up after downtime, rule `latest_only`: of the levels due at `nowMs`, only the latest is sent; the ones it
 * passes over are never sent late, in a burst minutes apart. The next level then keeps its full spacing from now
 * (see nextDunningStep). `lastLevel` caps it (a prepayment invoice is only reminded).
 */
export function latestDueLevel(
  policy: DunningPolicy,
  anchorMs: number,
  position: DunningPosition,
  nowMs: number,
  lastLevel = policy.levels.length,
): DunningLevel | null {
  const schedule = scheduleMs(policy);
  let due: DunningLevel | null = null;
  for (let n = position.level + 1; n <= Math.min(lastLevel, policy.levels.length); n++) {
    const level = policy.levels[n - 1]!;
    // A level that needs notice is never reached by passing over the letter that gives it.
    if (level.notice !== undefined && n > position.level + 1) break;
    if (dueAtMs(policy, schedule, anchorMs, position, n) > nowMs) break;
    due = level;
  }
  return due;
}

/**
 * When level `n` falls due, on the policy's calendar. A level the calendar moved later moves the ones after it
 * by as much: it is the letter that gives their notice, so it is never passed over as if the engine had been down.
 */
function dueAtMs(
  policy: DunningPolicy,
  schedule: readonly number[],
  anchorMs: number,
  position: DunningPosition,
  n: number,
): number {
  const scheduled = anchorMs + schedule[n]!;
  const notice = policy.levels[n - 1]!.notice;
  const earliest =
    n > position.level + 1
      ? dueAtMs(policy, schedule, anchorMs, position, n - 1) + schedule[n]! - schedule[n - 1]!
      : position.reachedAtMs === undefined
        ? scheduled
        : Math.max(
            position.reachedAtMs + schedule[n]! - schedule[position.level]!,
            notice !== undefined ? position.reachedAtMs + parseIsoDuration(notice) : -Infinity,
          );
  const atMs = Math.max(scheduled, earliest);
  return policy.calendar ? onBusinessDay(atMs, policy.calendar) : atMs;
}

/** A level that collects: hands the debt to an agency (or announces it) or charges collection costs. The law may require notice first. */
export function isCollectionStep(level: Pick<DunningLevel, 'name' | 'channel' | 'charges'>): boolean {
  return (
    level.channel === 'agency' ||
    level.name === 'collection_agency' ||
    (level.charges ?? []).includes('collection_costs')
  );
}

/**
 * The policy as the seller country's law requires it for this debtor: every collecting level waits at least the
 * statutory notice after the letter before it, plus the day the letter's deadline runs (its payment deadline is
 * LETTER_PAYMENT_DAYS from the run's date, so the next run after that notice is past it). A longer notice the
 * policy itself sets is kept.
 */
export function fitPolicyToLaw(
  policy: DunningPolicy,
  law: LatePaymentLaw | undefined,
  debtor: DebtorKind,
): DunningPolicy {
  const rule = law?.noticeBeforeCollection;
  if (!rule || (rule.debtors === 'consumers' && debtor !== 'consumer')) return policy;
  const statutoryMs = (Math.max(rule.days, LETTER_PAYMENT_DAYS) + 1) * MS_PER_DAY;
  return {
    ...policy,
    levels: policy.levels.map((level, i) => {
      if (i === 0 || !isCollectionStep(level)) return level;
      if (level.notice !== undefined && parseIsoDuration(level.notice) >= statutoryMs) return level;
      return { ...level, notice: `P${statutoryMs / MS_PER_DAY}D` };
    }),
  };
}

/**
 * Letters go out in dunning runs, not the moment a level falls due: a run every `everyMs` (a day by default, at
 * 00:00 UTC, before the business day starts in Europe), so all of a customer's levels that fell due since the
 * last run are in one letter. The run after `nowMs`, strictly.
 */
export function nextDunningRunMs(nowMs: number, everyMs: number): number {
  if (!Number.isSafeInteger(everyMs) || everyMs <= 0) throw new RangeError(`everyMs must be positive, got ${everyMs}`);
  return (Math.floor(nowMs / everyMs) + 1) * everyMs;
}

/** The payment deadline a letter gives: 14 days, the notice Norway requires before collection and the Dutch WIK letter gives. */
export const LETTER_PAYMENT_DAYS = 14;
