import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_SEGMENTS,
  DEFAULT_DUNNING_POLICY,
  SEGMENT_DUNNING_POLICIES,
  dunningAnchorMs,
  latestDueLevel,
  nextDunningRunMs,
  nextDunningStep,
  validateDunningPolicy,
  type DunningPolicy,
} from '../../domain/dunning.js';

const DAY = 86_400_000;

describe('dunning', () => {
  it('default policy: reminder, second reminder, final notice, collection agency', () => {
    expect(DEFAULT_DUNNING_POLICY.levels.map((l) => [l.level, l.name, l.offset])).toEqual([
      [1, 'reminder', 'P7D'],
      [2, 'second_reminder', 'P14D'],
      [3, 'final_notice', 'P28D'],
      [4, 'collection_agency', 'P45D'],
    ]);
  });

  it('anchors on the instant the invoice fell due: issue instant plus the payment terms', () => {
    const issuedAt = Date.parse('2025-02-08T10:00:00Z');
    expect(dunningAnchorMs(issuedAt, 30)).toBe(Date.parse('2025-03-10T10:00:00Z'));
    const step = nextDunningStep(DEFAULT_DUNNING_POLICY, dunningAnchorMs(issuedAt, 30), { level: 0 });
    expect(step?.level.name).toBe('reminder');
    expect(new Date(step?.atMs ?? 0).toISOString()).toBe('2025-03-17T10:00:00.000Z');
  });

  it('walks the levels in order and ends with null', () => {
    const anchor = dunningAnchorMs(Date.parse('2025-01-01T00:00:00Z'), 30);
    const steps = [0, 1, 2, 3].map((current) => nextDunningStep(DEFAULT_DUNNING_POLICY, anchor, { level: current }));
    expect(steps.map((s) => s?.level.level)).toEqual([1, 2, 3, 4]);
    expect(steps.map((s) => ((s?.atMs ?? 0) - anchor) / DAY)).toEqual([7, 14, 28, 45]);
    expect(nextDunningStep(DEFAULT_DUNNING_POLICY, anchor, { level: 4 })).toBeNull();
  });

  it('runs a seconds-long policy, as demos and benchmarks use', () => {
    const policy = validateDunningPolicy({
      id: 'fast',
      levels: [
        { level: 1, name: 'reminder', offset: 'PT2S' },
        { level: 2, name: 'final_notice', offset: 'PT4.5S' },
      ],
    });
    expect(nextDunningStep(policy, 1_000, { level: 1 })?.atMs).toBe(5_500);
  });

  it('rejects an invalid current level or anchor', () => {
    expect(() => nextDunningStep(DEFAULT_DUNNING_POLICY, 0, { level: -1 })).toThrow(/level must/);
    expect(() => nextDunningStep(DEFAULT_DUNNING_POLICY, 0, { level: 1.5 })).toThrow(/level must/);
    expect(() => dunningAnchorMs(0, -1)).toThrow(/paymentTermsDays/);
  });

  it('counts a level anchored on the previous level from that level, and keeps its minimum overdue amount', () => {
    const policy = validateDunningPolicy({
      id: 'chained',
      levels: [
        { level: 1, name: 'reminder', offset: 'P7D', minimumOverdue: 500 },
        { level: 2, name: 'second_reminder', offset: 'P10D', anchor: 'previous_level' },
        { level: 3, name: 'final_notice', offset: 'P30D' },
      ],
    });
    expect(policy.levels[0]).toEqual({ level: 1, name: 'reminder', offset: 'P7D', minimumOverdue: 500 });
    const anchor = Date.parse('2025-01-01T00:00:00Z');
    const days = [0, 1, 2].map((n) => (nextDunningStep(policy, anchor, { level: n })!.atMs - anchor) / DAY);
    expect(days).toEqual([7, 17, 30]);
    // Reached late on day 20, the second reminder still leaves the final notice its 13 days: day 33.
    expect((nextDunningStep(policy, anchor, { level: 2, reachedAtMs: anchor + 20 * DAY })!.atMs - anchor) / DAY).toBe(
      33,
    );
    expect(() =>
      validateDunningPolicy({
        id: 'x',
        levels: [
          { level: 1, name: 'a', offset: 'P20D' },
          { level: 2, name: 'b', offset: 'P5D', anchor: 'previous_level' },
          { level: 3, name: 'c', offset: 'P21D' },
        ],
      }),
    ).toThrow(/level 3: offset P21D must put it after level 2, which is due 25 days after the due date/);
    expect(() =>
      validateDunningPolicy({ id: 'x', levels: [{ level: 1, name: 'a', offset: 'P1D', anchor: 'x' }] }),
    ).toThrow(/anchor must be one of due_date, previous_level/);
  });

  it('gives every segment a valid built-in policy, key accounts calls instead of letters', () => {
    expect(Object.keys(SEGMENT_DUNNING_POLICIES)).toEqual([...CUSTOMER_SEGMENTS]);
    expect(SEGMENT_DUNNING_POLICIES.key_account.levels.map((l) => l.name)).not.toContain('collection_agency');
    expect(SEGMENT_DUNNING_POLICIES.key_account.levels.every((l) => l.channel === 'call_task')).toBe(true);
    expect(() =>
      validateDunningPolicy({ id: 'x', levels: [{ level: 1, name: 'a', offset: 'P1D', channel: 'fax' }] }),
    ).toThrow(/channel must be one of email, letter, call_task/);
    expect(SEGMENT_DUNNING_POLICIES.small_business).toBe(DEFAULT_DUNNING_POLICY);
  });

  describe('catch-up after downtime (latest_only)', () => {
    const anchor = Date.parse('2025-01-01T00:00:00Z'); // due; levels at +7, +14, +28, +45 days
    const at = (days: number) => anchor + days * DAY;

    it('sends only the latest level due when the engine was down across several', () => {
      // Down from day 6 to day 30: the reminder, second reminder and final notice all fell due meanwhile.
      expect(latestDueLevel(DEFAULT_DUNNING_POLICY, anchor, { level: 0 }, at(30))?.name).toBe('final_notice');
      expect(latestDueLevel(DEFAULT_DUNNING_POLICY, anchor, { level: 0 }, at(7))?.name).toBe('reminder');
      expect(latestDueLevel(DEFAULT_DUNNING_POLICY, anchor, { level: 0 }, at(6.9))).toBeNull();
    });

    it('gives the next level its full spacing from the late one, never a burst', () => {
      const late = { level: 3, reachedAtMs: at(30) };
      // Final notice (day 28) sent on day 30: the agency (17 days after it) comes on day 47, not day 45.
      expect((nextDunningStep(DEFAULT_DUNNING_POLICY, anchor, late)!.atMs - anchor) / DAY).toBe(47);
      expect(latestDueLevel(DEFAULT_DUNNING_POLICY, anchor, late, at(46))).toBeNull();
      expect(latestDueLevel(DEFAULT_DUNNING_POLICY, anchor, late, at(47))?.name).toBe('collection_agency');
    });

    it('keeps the schedule of a level reached on time', () => {
      const onTime = { level: 1, reachedAtMs: at(7) };
      expect((nextDunningStep(DEFAULT_DUNNING_POLICY, anchor, onTime)!.atMs - anchor) / DAY).toBe(14);
      // Without a known moment (a receivable from before the rule), offsets count from the due date only.
      expect((nextDunningStep(DEFAULT_DUNNING_POLICY, anchor, { level: 1 })!.atMs - anchor) / DAY).toBe(14);
    });

    it('stops at the last level allowed', () => {
      expect(latestDueLevel(DEFAULT_DUNNING_POLICY, anchor, { level: 0 }, at(60), 1)?.name).toBe('reminder');
      expect(latestDueLevel(DEFAULT_DUNNING_POLICY, anchor, { level: 1, reachedAtMs: at(7) }, at(60), 1)).toBeNull();
      expect(latestDueLevel(DEFAULT_DUNNING_POLICY, anchor, { level: 4, reachedAtMs: at(45) }, at(90))).toBeNull();
    });
  });

  describe("on the seller's business days", () => {
    // Due Saturday 18 April 2026, 09:00: the reminder (+7 days) falls on Saturday 25 April.
    const anchor = Date.parse('2026-04-18T09:00:00Z');
    const dutch: DunningPolicy = { ...DEFAULT_DUNNING_POLICY, calendar: 'NL' };
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

    it('moves a level due on a weekend or public holiday to the next business day, same time of day', () => {
      expect(day(nextDunningStep(DEFAULT_DUNNING_POLICY, anchor, { level: 0 })!.atMs)).toBe('2026-04-25');
      const reminder = nextDunningStep(dutch, anchor, { level: 0 })!.atMs;
      // Saturday 25 and Sunday 26 are the weekend, Monday 27 April is King's Day: Tuesday 28 April.
      expect(new Date(reminder).toISOString()).toBe('2026-04-28T09:00:00.000Z');
      expect(latestDueLevel(dutch, anchor, { level: 0 }, Date.parse('2026-04-27T12:00:00Z'))).toBeNull();
      expect(latestDueLevel(dutch, anchor, { level: 0 }, reminder)?.name).toBe('reminder');
    });

    it('spaces the next level from the business day the last one was reached', () => {
      const reachedAtMs = Date.parse('2026-04-28T09:00:00Z');
      // 7 days after the reminder: Tuesday 5 May, Liberation Day (a holiday in the Dutch calendar): Wednesday 6.
      expect(day(nextDunningStep(dutch, anchor, { level: 1, reachedAtMs })!.atMs)).toBe('2026-05-06');
      expect(day(nextDunningStep(DEFAULT_DUNNING_POLICY, anchor, { level: 1, reachedAtMs })!.atMs)).toBe('2026-05-05');
    });

    it('never passes over a level that the calendar pushed onto the day of the next one', () => {
      // Reminder +7 days (Saturday 25 April: Tuesday 28), second reminder +10 days (Tuesday 28 itself). The
      // reminder is not skipped as if the engine had been down; the second keeps its 3 days from it: Friday 1 May.
      const close: DunningPolicy = {
        id: 'close',
        calendar: 'NL',
        levels: [
          { level: 1, name: 'reminder', offset: 'P7D' },
          { level: 2, name: 'second_reminder', offset: 'P10D' },
        ],
      };
      const tuesday = Date.parse('2026-04-28T09:00:00Z');
      expect(latestDueLevel(close, anchor, { level: 0 }, tuesday)?.name).toBe('reminder');
      expect(latestDueLevel(close, anchor, { level: 0 }, Date.parse('2026-05-01T09:00:00Z'))?.name).toBe(
        'second_reminder',
      );
      expect(day(nextDunningStep(close, anchor, { level: 1, reachedAtMs: tuesday })!.atMs)).toBe('2026-05-01');
    });
  });

  it('holds dunning runs at fixed moments, the next one strictly after now', () => {
    const midnight = Date.parse('2025-03-17T00:00:00Z');
    expect(nextDunningRunMs(midnight - 1, DAY)).toBe(midnight);
    expect(nextDunningRunMs(midnight, DAY)).toBe(midnight + DAY);
    expect(nextDunningRunMs(midnight + 10 * 3_600_000, DAY)).toBe(midnight + DAY);
    expect(nextDunningRunMs(12_345, 5_000)).toBe(15_000);
    expect(() => nextDunningRunMs(0, 0)).toThrow(/everyMs/);
  });

  describe('validateDunningPolicy', () => {
    const level = (n: number, offset: string, name = `level_${n}`) => ({ level: n, name, offset });

    it('returns a clean copy of a valid policy', () => {
      const input = { id: 'smb', levels: [{ ...level(1, 'P3D'), extra: true }, level(2, 'P2W')], note: 'x' };
      const expected: DunningPolicy = { id: 'smb', levels: [level(1, 'P3D'), level(2, 'P2W')] };
      expect(validateDunningPolicy(input)).toEqual(expected);
    });

    it.each([
      [null, /must be an object/],
      [{ id: '', levels: [level(1, 'P7D')] }, /id must be a non-empty string/],
      [{ id: 'p', levels: [] }, /"p" must have at least one level/],
      [{ id: 'p', levels: [level(2, 'P7D')] }, /level 1: levels must be numbered 1..n contiguously, found level 2/],
      [{ id: 'p', levels: [level(1, 'P7D'), level(3, 'P14D')] }, /level 2: .*found level 3/],
      [
        { id: 'p', levels: [level(1, 'P7D'), level(2, 'P7D')] },
        /level 2: offset P7D must put it after level 1, which is due 7 days after the due date/,
      ],
      [{ id: 'p', levels: [level(1, 'P14D'), level(2, 'P1W')] }, /level 2: offset P1W must put it after level 1/],
      [{ id: 'p', levels: [level(1, 'P1M')] }, /level 1: .*no fixed length/],
      [{ id: 'p', levels: [level(1, 'seven days')] }, /level 1: duration "seven days" is malformed/],
      [{ id: 'p', levels: [level(1, 'PT0S')] }, /level 1: offset PT0S must be positive/],
      [
        { id: 'p', levels: [{ level: 1, name: 'r', offset: 'P7D', template: 'poem' }] },
        /template must be one of reminder, second_reminder, final_notice, collection_agency/,
      ],
      [{ id: 'p', levels: [{ level: 1, name: '', offset: 'P7D' }] }, /level 1: name must be a non-empty string/],
    ])('rejects %j', (policy, message) => {
      expect(() => validateDunningPolicy(policy)).toThrow(message);
    });
  });
});
