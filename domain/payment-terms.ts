const MS_PER_DAY = 86_400_000;
// Dates are kept to four-digit years so every date round-trips through "YYYY-MM-DD".
const MIN_MS = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const MAX_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Calendar date (UTC) of an epoch-millisecond instant, as YYYY-MM-DD. */
export function isoDate(epochMs: number): string {
  if (!Number.isSafeInteger(epochMs) || epochMs < MIN_MS || epochMs > MAX_MS) {
    throw new RangeError(`epochMs must be an integer between years 0000 and 9999, got ${epochMs}`);
  }
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Epoch ms of 00:00:00Z on a YYYY-MM-DD date; rejects impossible dates such as 2025-02-29. */
export function parseIsoDate(date: string): number {
  const m = ISO_DATE.exec(date);
  if (m === null) throw new RangeError(`date "${date}" must have the form YYYY-MM-DD`);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const ms = new Date(0).setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (isoDate(ms) !== date) throw new RangeError(`date "${date}" is not a real calendar date`);
  return ms;
}

/**
 * Due date = issue date + N calendar days ("net N"), counted in UTC so the result never depends on the
 * server's time zone or daylight-saving shifts. Net 0 means due on the issue date.
 */
export function dueDate(issueDate: string, paymentTermsDays: number): string {
  if (!Number.isSafeInteger(paymentTermsDays) || paymentTermsDays < 0) {
    throw new RangeError(`paymentTermsDays must be a non-negative integer, got ${paymentTermsDays}`);
  }
  const due = parseIsoDate(issueDate) + paymentTermsDays * MS_PER_DAY;
  if (!Number.isSafeInteger(due) || due > MAX_MS) {
    throw new RangeError(`due date of ${issueDate} + ${paymentTermsDays} days is after 9999-12-31`);
  }
  return isoDate(due);
}
