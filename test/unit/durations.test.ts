import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeDuration, parseIsoDuration } from '../../domain/durations.js';

const S = 1_000;
const H = 3_600 * S;
const D = 24 * H;

describe('parseIsoDuration', () => {
  it.each([
    ['P7D', 7 * D],
    ['P2W', 14 * D],
    ['PT30S', 30 * S],
    ['PT1.5S', 1_500],
    ['PT0,25S', 250],
    ['P1DT12H', 36 * H],
    ['PT90M', 90 * 60 * S],
    ['P1W2DT3H4M5.006S', 9 * D + 3 * H + 4 * 60 * S + 5 * S + 6],
    ['P0D', 0],
  ])('%s -> %d ms', (s, ms) => {
    expect(parseIsoDuration(s)).toBe(ms);
  });

  it.each(['P1Y', 'P1M', 'P1Y2M3D', 'P2MT1H'])('refuses %s because months/years have no fixed length', (s) => {
    expect(() => parseIsoDuration(s)).toThrow(/no fixed length/);
  });

  it('accepts minutes after T (PT1M is one minute, not a month)', () => {
    expect(parseIsoDuration('PT1M')).toBe(60 * S);
  });

  it.each(['', 'P', 'PT', 'P1DT', '7D', 'P-1D', '-P1D', 'P1.5D', 'PT1H30', 'P1D2W', 'p7d', ' P7D', 'P7DT1S1M'])(
    'rejects malformed %j quoting the input',
    (s) => {
      expect(() => parseIsoDuration(s)).toThrow(`"${s}"`);
    },
  );

  it('rejects sub-millisecond precision and overflow', () => {
    expect(() => parseIsoDuration('PT0.0001S')).toThrow(/sub-millisecond/);
    expect(() => parseIsoDuration('P99999999999999999D')).toThrow(/too long/);
  });

  it('is additive over its components', () => {
    const n = fc.integer({ min: 0, max: 10_000 });
    fc.assert(
      fc.property(n, n, n, n, n, fc.integer({ min: 0, max: 999 }), (w, d, h, m, s, ms) => {
        const text = `P${w}W${d}DT${h}H${m}M${s}.${String(ms).padStart(3, '0')}S`;
        expect(parseIsoDuration(text)).toBe(w * 7 * D + d * D + h * H + m * 60 * S + s * S + ms);
      }),
    );
  });
});

describe('describeDuration', () => {
  it('says a duration in the largest whole unit', () => {
    expect(describeDuration(14 * 86_400_000)).toBe('14 days');
    expect(describeDuration(86_400_000)).toBe('1 day');
    expect(describeDuration(90 * 60_000)).toBe('90 minutes');
    expect(describeDuration(8_000)).toBe('8 seconds');
    expect(describeDuration(1_500)).toBe('1500 ms');
  });
});
