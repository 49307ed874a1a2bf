/**
 * The books of a legal entity keep the local time of its seat: an invoice posted at 00:30 in Amsterdam on
 * 1 January is dated 1 January and numbered in that year's series, whatever UTC says.
 */
const COUNTRY_TIME_ZONES: Readonly<Record<string, string>> = {
  NL: 'Europe/Amsterdam',
  BE: 'Europe/Brussels',
  DE: 'Europe/Berlin',
  NO: 'Europe/Oslo',
  FR: 'Europe/Paris',
  LU: 'Europe/Luxembourg',
  AT: 'Europe/Vienna',
  DK: 'Europe/Copenhagen',
  SE: 'Europe/Stockholm',
  FI: 'Europe/Helsinki',
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  PL: 'Europe/Warsaw',
};

/** The time zone of a country with one, for an entity set up without naming its own. */
export function countryTimeZone(country: string): string | undefined {
  return COUNTRY_TIME_ZONES[country];
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (YYYY-MM-DD) of an instant on the clocks of `timeZone`. */
export function localDate(instant: string, timeZone: string): string {
  const ms = Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`instant "${instant}" is not an ISO 8601 date-time`);
  const parts = new Intl.DateTimeFormat('en', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(ms);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}
