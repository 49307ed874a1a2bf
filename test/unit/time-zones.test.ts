import { describe, expect, it } from 'vitest';
import { countryTimeZone, isTimeZone, localDate } from '../../domain/time-zones.js';

describe('local dates of legal entities', () => {
  it('dates 00:30 on New Year in Amsterdam and Oslo in the new year, which UTC still calls the old one', () => {
    expect(localDate('2026-12-31T23:30:00Z', 'Europe/Amsterdam')).toBe('2027-01-01');
    expect(localDate('2026-12-31T23:30:00Z', 'Europe/Oslo')).toBe('2027-01-01');
    expect(localDate('2026-12-31T22:30:00Z', 'Europe/Amsterdam')).toBe('2026-12-31');
  });

  it('follows summer time', () => {
    expect(localDate('2026-07-31T22:30:00Z', 'Europe/Amsterdam')).toBe('2026-08-01'); // 00:30 CEST
    expect(localDate('2026-07-31T21:30:00Z', 'Europe/Amsterdam')).toBe('2026-07-31');
  });

  it('knows the zones of the countries entities are set up in, and refuses nonsense', () => {
    expect(countryTimeZone('NO')).toBe('Europe/Oslo');
    expect(countryTimeZone('XX')).toBeUndefined();
    expect(isTimeZone('Europe/Amsterdam')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(() => localDate('yesterday', 'Europe/Oslo')).toThrow(RangeError);
  });
});
