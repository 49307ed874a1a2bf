import { parseIsoDuration } from './durations.js';

export type KnownDunningLevelName = 'reminder' | 'second_reminder' | 'final_notice' | 'collection_agency';

export interface DunningLevel {
  readonly level: number;
  /** A known name, or a policy-specific one (e.g. "phone_follow_up"); `string & {}` keeps autocompletion. */
  readonly name: KnownDunningLevelName | (string & Record<never, never>);
  /** ISO 8601 duration (fixed-length units only) after the dunning anchor, see dunningAnchorMs. */
  readonly offset: string;
}

export interface DunningPolicy {
  readonly id: string;
  readonly levels: readonly DunningLevel[];
}

const MS_PER_DAY = 86_400_000;

export const DEFAULT_DUNNING_POLICY: DunningPolicy = validateDunningPolicy({
  id: 'default',
  levels: [
    { level: 1, name: 'reminder', offset: 'P7D' },
    { level: 2, name: 'second_reminder', offset: 'P14D' },
    { level: 3, name: 'final_notice', offset: 'P28D' },
    { level: 4, name: 'collection_agency', offset: 'P45D' },
  ],
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
 * Checks an untrusted policy (config, API input): levels numbered 1..n in order, each with a name and a
 * parseable positive offset (a reminder before the due date would be wrong), offsets strictly increasing.
 * Returns a clean copy.
 */
export function validateDunningPolicy(p: unknown): DunningPolicy {
  if (!isRecord(p)) throw new TypeError('dunning policy must be an object');
  const { id, levels } = p;
  if (typeof id !== 'string' || id.trim() === '') throw new TypeError('dunning policy id must be a non-empty string');
  if (!Array.isArray(levels) || levels.length === 0) {
    throw new TypeError(`dunning policy "${id}" must have at least one level`);
  }
  let previousMs = -1;
  const clean = levels.map((raw: unknown, i): DunningLevel => {
    const where = `dunning policy "${id}" level ${i + 1}`;
    if (!isRecord(raw)) throw new TypeError(`${where} must be an object`);
    const { level, name, offset } = raw;
    if (level !== i + 1)
      throw new RangeError(`${where}: levels must be numbered 1..n contiguously, found level ${String(level)}`);
    if (typeof name !== 'string' || name.trim() === '')
      throw new TypeError(`${where}: name must be a non-empty string`);
    if (typeof offset !== 'string') throw new TypeError(`${where}: offset must be an ISO 8601 duration string`);
    let ms: number;
    try {
      ms = parseIsoDuration(offset);
    } catch (e) {
      throw new RangeError(`${where}: ${(e as Error).message}`);
    }
    if (ms <= 0) throw new RangeError(`${where}: offset ${offset} must be after the due date`);
    if (ms <= previousMs)
      throw new RangeError(`${where}: offset ${offset} must be later than the offset of level ${i}`);
    previousMs = ms;
    return { level, name, offset };
  });
  return { id, levels: clean };
}

/**
 * The level that follows `currentLevel` (0 = nothing sent yet) and when it is due, or null when the
 * policy has no further level.
 */
export function nextDunningStep(
  policy: DunningPolicy,
  anchorMs: number,
  currentLevel: number,
): { level: DunningLevel; atMs: number } | null {
  if (!Number.isSafeInteger(currentLevel) || currentLevel < 0) {
    throw new RangeError(`currentLevel must be a non-negative integer (0 = no dunning yet), got ${currentLevel}`);
  }
  const level = policy.levels.find((l) => l.level === currentLevel + 1);
  if (level === undefined) return null;
  return { level, atMs: anchorMs + parseIsoDuration(level.offset) };
}
