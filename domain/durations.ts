const MS = { W: 604_800_000, D: 86_400_000, H: 3_600_000, M: 60_000, S: 1_000 } as const;

// P[nW][nD][T[nH][nM][n[.fff]S]]; weeks may be combined with days (a relaxation of ISO 8601's PnW form).
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d+))?S)?)?$/;

/**
 * Parses an ISO 8601 duration of fixed-length units into milliseconds. Years and months are refused:
 * they have no fixed length (a month is 28-31 days), so a timer built from them would be ambiguous.
 */
export function parseIsoDuration(s: string): number {
  if (/^P[\d.,YMWD]*\d[YM]/.test(s)) {
    throw new RangeError(
      `duration "${s}" uses years or months, which have no fixed length; use weeks (W) or days (D) instead`,
    );
  }
  const m = DURATION.exec(s);
  if (m === null || s === 'P' || s.endsWith('T')) {
    throw new RangeError(`duration "${s}" is malformed; expected ISO 8601 like P7D, P2W, PT30S, PT1.5S or P1DT12H`);
  }
  const [, w, d, h, min, sec, frac] = m;
  if (frac !== undefined && frac.length > 3) {
    throw new RangeError(
      `duration "${s}" has sub-millisecond precision; at most 3 fractional second digits are allowed`,
    );
  }
  const parts: [string | undefined, number][] = [
    [w, MS.W],
    [d, MS.D],
    [h, MS.H],
    [min, MS.M],
    [sec, MS.S],
    [frac?.padEnd(3, '0'), 1],
  ];
  let total = 0;
  for (const [digits, unit] of parts) {
    if (digits === undefined) continue;
    total += Number(digits) * unit;
    if (!Number.isSafeInteger(total)) throw new RangeError(`duration "${s}" is too long to represent in milliseconds`);
  }
  return total;
}

/** A duration as a person reads it in a letter or a status reason: "14 days", "8 seconds". */
export function describeDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms === size ? '' : 's'}`;
  }
  return `${ms} ms`;
}
