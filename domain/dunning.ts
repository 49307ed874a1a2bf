import { parseIsoDuration } from './durations.js';
import { parseIsoDate } from './payment-terms.js';

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
 * Anchoring rule: offsets count from the due date at 00:00:00 UTC, so "P7D" fires 7 days after the due
 * date (due 2025-03-10 -> 2025-03-17T00:00Z). An invoice is payable through the whole due date, so it is
 * first overdue at anchor + P1D; hence validateDunningPolicy requires every offset to be at least P1D.
 * To re-anchor after a partial payment, pass the new reference date as the due date.
 */
export function dunningAnchorMs(dueDate: string): number {
  return parseIsoDate(dueDate);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks an untrusted policy (config, API input): levels numbered 1..n in order, each with a name and a
 * parseable offset of at least P1D, offsets strictly increasing. Returns a clean copy.
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
    if (level !== i + 1) throw new RangeError(`${where}: levels must be numbered 1..n contiguously, found level ${String(level)}`);
    if (typeof name !== 'string' || name.trim() === '') throw new TypeError(`${where}: name must be a non-empty string`);
    if (typeof offset !== 'string') throw new TypeError(`${where}: offset must be an ISO 8601 duration string`);
    let ms: number;
    try {
      ms = parseIsoDuration(offset);
    } catch (e) {
      throw new RangeError(`${where}: ${(e as Error).message}`);
    }
    if (ms < MS_PER_DAY) throw new RangeError(`${where}: offset ${offset} is before the invoice is overdue; it must be at least P1D`);
    if (ms <= previousMs) throw new RangeError(`${where}: offset ${offset} must be later than the offset of level ${i}`);
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
  dueDate: string,
  currentLevel: number,
): { level: DunningLevel; atMs: number } | null {
  if (!Number.isSafeInteger(currentLevel) || currentLevel < 0) {
    throw new RangeError(`currentLevel must be a non-negative integer (0 = no dunning yet), got ${currentLevel}`);
  }
  const level = policy.levels.find((l) => l.level === currentLevel + 1);
  if (level === undefined) return null;
  return { level, atMs: dunningAnchorMs(dueDate) + parseIsoDuration(level.offset) };
}
