import { describe, expect, it } from 'vitest';
import { easterSunday, isBusinessDay, onBusinessDay, publicHolidays } from '../../domain/business-days.js';

describe('business days', () => {
  it('computes Easter Sunday', () => {
    expect(['2024', '2025', '2026', '2027', '2038'].map((y) => easterSunday(Number(y)))).toEqual([
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2038-04-25',
    ]);
  });

  it('knows the Dutch and Norwegian public holidays of a year', () => {
    expect(publicHolidays('NL', 2026)).toEqual([
      '2026-01-01',
      '2026-04-06', // tweede Paasdag
      '2026-04-27', // Koningsdag
      '2026-05-05', // Bevrijdingsdag
      '2026-05-14', // Hemelvaartsdag
      '2026-05-25', // tweede Pinksterdag
      '2026-12-25',
      '2026-12-26',
    ]);
    expect(publicHolidays('NL', 2025)).toContain('2025-04-26'); // 27 April 2025 is a Sunday
    expect(publicHolidays('NO', 2026)).toEqual([
      '2026-01-01',
      '2026-04-02', // skjærtorsdag
      '2026-04-03', // langfredag
      '2026-04-06', // 2. påskedag
      '2026-05-01',
      '2026-05-14', // Kristi himmelfartsdag
      '2026-05-17',
      '2026-05-25', // 2. pinsedag
      '2026-12-25',
      '2026-12-26',
    ]);
  });

  it('skips weekends everywhere and holidays where it knows them', () => {
    expect(isBusinessDay('NL', '2026-12-04')).toBe(true); // Friday
    expect(isBusinessDay('NL', '2026-12-05')).toBe(false); // Saturday
    expect(isBusinessDay('SE', '2026-12-06')).toBe(false); // Sunday, no calendar
    expect(isBusinessDay('NO', '2026-05-17')).toBe(false);
    expect(isBusinessDay('NL', '2026-05-17')).toBe(false); // a Sunday too
    expect(isBusinessDay('NO', '2026-04-02')).toBe(false);
    expect(isBusinessDay('NL', '2026-04-02')).toBe(true);
  });

  it('moves a run to the same time on the next business day', () => {
    // Thursday 24 Dec 2026: a business day; Friday 25 and Saturday 26 are not, nor Sunday 27: Monday 28.
    expect(new Date(onBusinessDay(Date.parse('2026-12-24T00:00:00Z'), 'NL')).toISOString()).toBe(
      '2026-12-24T00:00:00.000Z',
    );
    expect(new Date(onBusinessDay(Date.parse('2026-12-25T00:00:00Z'), 'NL')).toISOString()).toBe(
      '2026-12-28T00:00:00.000Z',
    );
    // Easter in Norway: Thursday 2 April to Monday 6 April 2026 are all closed.
    expect(new Date(onBusinessDay(Date.parse('2026-04-02T00:00:00Z'), 'NO')).toISOString()).toBe(
      '2026-04-07T00:00:00.000Z',
    );
  });
});
