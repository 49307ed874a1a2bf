import { describe, expect, it } from 'vitest';
import {
  cashForecast,
  countBackDso,
  monthsBack,
  periodEnding,
  receivableKpis,
  standardDso,
} from '../../domain/receivable-kpis.js';

// Each figure worked out by hand from the definitions in domain/receivable-kpis.ts (and the README).
describe('receivable KPIs', () => {
  it('computes DSO, best possible DSO, ADD, CEI and % current over a period', () => {
    // 90 days; 1,000.00 owed before it, 3,000.00 sold in it, 1,500.00 owed at its end of which 900.00 not yet due.
    const kpis = receivableKpis({
      days: 90,
      openingAr: 100_000,
      creditSales: 300_000,
      closingAr: 150_000,
      closingCurrentAr: 90_000,
    });
    expect(kpis).toEqual({
      dso: 45, // 150,000 x 90 / 300,000
      bestPossibleDso: 27, // 90,000 x 90 / 300,000
      averageDaysDelinquent: 18, // 45 - 27
      collectionEffectivenessIndex: 80.6, // (100,000 + 300,000 - 150,000) / (100,000 + 300,000 - 90,000) = 80.645 %
      percentCurrent: 60, // 90,000 / 150,000
    });
  });

  it('gives no ratio where there is nothing to divide by', () => {
    expect(receivableKpis({ days: 30, openingAr: 0, creditSales: 0, closingAr: 0, closingCurrentAr: 0 })).toEqual({
      dso: null,
      bestPossibleDso: null,
      averageDaysDelinquent: null,
      collectionEffectivenessIndex: null,
      percentCurrent: null,
    });
    expect(standardDso(5_000, 0, 30)).toBeNull();
    expect(standardDso(5_000, 10_000, 30)).toBe(15);
  });

  it('counts back through the months, latest first, a fraction of the first month it does not cover', () => {
    const months = [
      { month: '2026-12', days: 4, creditSales: 20_000 },
      { month: '2026-11', days: 30, creditSales: 100_000 },
      { month: '2026-10', days: 31, creditSales: 60_000 },
    ];
    // 150,000: December's 20,000 (4 days), November's 100,000 (30 days), then 30,000 of October's 60,000 (15.5).
    expect(countBackDso(150_000, months)).toBe(49.5);
    expect(countBackDso(10_000, months)).toBe(2); // half of December's 4 days
    expect(countBackDso(0, months)).toBe(0);
    // A month without sales counts all its days; AR beyond every month's sales counts them all (a floor).
    expect(countBackDso(30_000, [{ month: '2026-12', days: 4, creditSales: 0 }, ...months.slice(1)])).toBe(13);
    expect(countBackDso(1_000_000, months)).toBe(65);
  });

  it('lists the months back from a day, its own month counted to that day', () => {
    expect(monthsBack('2026-12-04', 3)).toEqual([
      { month: '2026-12', from: '2026-12-01', to: '2026-12-04', days: 4 },
      { month: '2026-11', from: '2026-11-01', to: '2026-11-30', days: 30 },
      { month: '2026-10', from: '2026-10-01', to: '2026-10-31', days: 31 },
    ]);
    expect(monthsBack('2028-03-31', 2).map((m) => [m.month, m.days])).toEqual([
      ['2028-03', 31],
      ['2028-02', 29],
    ]);
    expect(monthsBack('2027-01-15', 2).map((m) => m.month)).toEqual(['2027-01', '2026-12']);
    expect(periodEnding('2031-06-30', 90)).toEqual({ from: '2031-04-02', dayBefore: '2031-04-01' });
  });

  it('puts every open amount in exactly one forecast bucket: overdue, a week from the day, or later', () => {
    const buckets = cashForecast(
      [
        { dueDate: '2026-12-01', balance: 100 },
        { dueDate: '2026-12-04', balance: 200 },
        { dueDate: '2026-12-10', balance: 300 },
        { dueDate: '2026-12-11', balance: 400 },
        { dueDate: '2026-12-18', balance: 500 },
      ],
      '2026-12-04',
      2,
    );
    expect(buckets).toEqual([
      { bucket: 'overdue', from: null, to: '2026-12-03', amount: 100 },
      { bucket: 'week_1', from: '2026-12-04', to: '2026-12-10', amount: 500 },
      { bucket: 'week_2', from: '2026-12-11', to: '2026-12-17', amount: 400 },
      { bucket: 'later', from: '2026-12-18', to: null, amount: 500 },
    ]);
  });
});
