import { isoDate, parseIsoDate } from './payment-terms.js';

/**
 * Business days per seller country: no dunning run (and so no letter) on a weekend or a public holiday. A country
 * without a calendar here only skips weekends. Sources: NL Algemene termijnenwet art. 3 (the generally recognised
 * holidays, 5 May included); NO lov om helligdager og helligdagsfred § 2 and lov om 1. og 17. mai som høgtidsdager.
 */
const DAY_MS = 86_400_000;

/** Easter Sunday of a Gregorian year (the anonymous algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The day `days` after (before, negative) Easter Sunday. */
const fromEaster = (year: number, days: number) => isoDate(parseIsoDate(easterSunday(year)) + days * DAY_MS);

const HOLIDAYS: Record<string, (year: number) => string[]> = {
  NL: (year) => {
    const easter = (days: number) => fromEaster(year, days);
    const kingsDay = new Date(Date.UTC(year, 3, 27)).getUTCDay() === 0 ? `${year}-04-26` : `${year}-04-27`;
    return [
      `${year}-01-01`,
      easter(1),
      kingsDay,
      `${year}-05-05`,
      easter(39),
      easter(50),
      `${year}-12-25`,
      `${year}-12-26`,
    ];
  },
  NO: (year) => {
    const easter = (days: number) => fromEaster(year, days);
    return [
      `${year}-01-01`,
      easter(-3),
      easter(-2),
      easter(1),
      `${year}-05-01`,
      `${year}-05-17`,
      easter(39),
      easter(50),
      `${year}-12-25`,
      `${year}-12-26`,
    ];
  },
};

export function publicHolidays(country: string, year: number): string[] {
  return (HOLIDAYS[country.toUpperCase()]?.(year) ?? []).sort();
}

export function isBusinessDay(country: string, date: string): boolean {
  const weekday = new Date(parseIsoDate(date)).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidays(country, Number(date.slice(0, 4))).includes(date);
}

/** The moment, or the same time of day on the next business day of the country's calendar. */
export function onBusinessDay(atMs: number, country: string): number {
  let at = atMs;
  while (!isBusinessDay(country, isoDate(at))) at += DAY_MS;
  return at;
}
