import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueDate, isoDate, parseIsoDate } from '../../domain/payment-terms.js';

describe('payment terms', () => {
  it('adds calendar days across month, year and leap-day boundaries', () => {
    expect(dueDate('2025-01-15', 30)).toBe('2025-02-14');
    expect(dueDate('2025-12-15', 30)).toBe('2026-01-14');
    expect(dueDate('2024-02-15', 14)).toBe('2024-02-29');
    expect(dueDate('2025-02-15', 14)).toBe('2025-03-01');
    expect(dueDate('2025-03-20', 14)).toBe('2025-04-03'); // across the EU DST switch, still whole days
    expect(dueDate('2025-06-01', 0)).toBe('2025-06-01');
  });

  it('rejects malformed or impossible dates and bad day counts', () => {
    expect(() => dueDate('2025-1-5', 30)).toThrow(/YYYY-MM-DD/);
    expect(() => dueDate('2025-02-29', 30)).toThrow(/not a real calendar date/);
    expect(() => dueDate('2025-13-01', 30)).toThrow(/not a real calendar date/);
    expect(() => dueDate('2025-01-01T00:00:00Z', 30)).toThrow(/YYYY-MM-DD/);
    expect(() => dueDate('2025-01-01', -1)).toThrow(/non-negative integer/);
    expect(() => dueDate('2025-01-01', 1.5)).toThrow(/non-negative integer/);
    expect(() => dueDate('9999-12-31', 1)).toThrow(/after 9999-12-31/);
  });

  it('handles years below 100 literally (no 19xx mapping)', () => {
    expect(isoDate(parseIsoDate('0050-01-01'))).toBe('0050-01-01');
    expect(parseIsoDate('0050-01-01')).toBeLessThan(parseIsoDate('1950-01-01'));
    expect(dueDate('0099-12-31', 1)).toBe('0100-01-01');
  });

  it('isoDate takes the UTC calendar date of an instant', () => {
    expect(isoDate(Date.UTC(2025, 2, 9, 23, 59, 59, 999))).toBe('2025-03-09');
    expect(isoDate(0)).toBe('1970-01-01');
    expect(() => isoDate(Number.NaN)).toThrow(RangeError);
    expect(() => isoDate(8.64e15)).toThrow(RangeError);
  });

  it('dueDate is isoDate of parse + days, and is monotonic in days', () => {
    const day = fc.integer({ min: 0, max: 2_000_000 }).map((n) => isoDate(Date.UTC(1900, 0, 1) + n * 86_400_000));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 3650 }), fc.integer({ min: 0, max: 3650 }), (d, a, b) => {
        expect(parseIsoDate(d)).toBe(Date.parse(`${d}T00:00:00Z`));
        expect(dueDate(dueDate(d, a), b)).toBe(dueDate(d, a + b));
        expect((parseIsoDate(dueDate(d, a)) - parseIsoDate(d)) / 86_400_000).toBe(a);
      }),
    );
  });
});
