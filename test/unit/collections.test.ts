import { describe, expect, it } from 'vitest';
import {
  disputeAge,
  promiseKept,
  promiseWaitUntilMs,
  taskPriority,
  undisputedAmount,
} from '../../domain/collections.js';

describe('collections rules', () => {
  it('wait for a promise until the end of the promised day plus the grace period', () => {
    expect(new Date(promiseWaitUntilMs('2026-12-10', 'P3D')).toISOString()).toBe('2026-12-14T00:00:00.000Z');
    expect(new Date(promiseWaitUntilMs('2026-12-10', 'PT0S')).toISOString()).toBe('2026-12-11T00:00:00.000Z');
  });

  it('call a promise kept when the balance fell by at least the promised amount', () => {
    const promise = { amount: 5_000, balanceAtPromise: 12_100 };
    expect(promiseKept(promise, 7_100)).toBe(true);
    expect(promiseKept(promise, 0)).toBe(true);
    expect(promiseKept(promise, 7_101)).toBe(false); // a cent short
    expect(promiseKept(promise, 12_100)).toBe(false);
  });

  it('claim only the undisputed rest of a balance', () => {
    expect(undisputedAmount(12_100, [2_000, 100])).toBe(10_000);
    expect(undisputedAmount(12_100, [])).toBe(12_100);
    expect(undisputedAmount(1_000, [2_000])).toBe(0); // partly paid after the dispute: nothing left to claim
  });

  it('age a dispute in whole days against its SLA', () => {
    const dispute = { openedAt: '2026-12-01T10:00:00Z', slaDueAt: '2026-12-08T10:00:00Z' };
    expect(disputeAge(dispute, Date.parse('2026-12-03T09:00:00Z'))).toEqual({ ageDays: 1, overdue: false });
    expect(disputeAge(dispute, Date.parse('2026-12-08T10:00:01Z'))).toEqual({ ageDays: 7, overdue: true });
  });

  it('ranks call tasks by overdue amount x risk x days overdue', () => {
    expect(taskPriority({ overdueAmount: 100_000, riskClass: 'high', oldestDaysOverdue: 30 })).toBe(90_000);
    expect(taskPriority({ overdueAmount: 100_000, riskClass: 'low', oldestDaysOverdue: 30 })).toBe(30_000);
    expect(taskPriority({ overdueAmount: 100_000, riskClass: 'medium', oldestDaysOverdue: 0 })).toBe(2_000);
  });
});
