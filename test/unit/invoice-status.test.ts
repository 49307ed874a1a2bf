import { describe, expect, it } from 'vitest';
import { INVOICE_STATUSES, isSettledStatus, settledStatus } from '../../domain/invoice-status.js';

describe('invoice status', () => {
  it('has no edited or void status: corrections are credit notes', () => {
    expect(INVOICE_STATUSES).toEqual(['open', 'paid', 'credited', 'written_off', 'issued']);
  });

  it('calls an invoice settled by credit notes alone credited, a written-off one written_off, any other paid', () => {
    expect(settledStatus({ payments: true, writeOff: false })).toBe('paid');
    expect(settledStatus({ payments: false, writeOff: false })).toBe('credited');
    expect(settledStatus({ payments: true, writeOff: true })).toBe('written_off');
    expect(settledStatus({ payments: false, writeOff: true })).toBe('written_off');
  });

  it('knows which statuses are settled', () => {
    expect(['open', 'paid', 'credited', 'written_off', 'issued', undefined].map(isSettledStatus)).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
