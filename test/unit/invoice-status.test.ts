import { describe, expect, it } from 'vitest';
import { INVOICE_STATUSES, settledStatus } from '../../domain/invoice-status.js';

describe('invoice status', () => {
  it('has no edited or void status: corrections are credit notes', () => {
    expect(INVOICE_STATUSES).toEqual(['open', 'paid', 'credited', 'issued']);
  });

  it('calls an invoice settled by credit notes alone credited, any other settled invoice paid', () => {
    expect(settledStatus(true)).toBe('paid');
    expect(settledStatus(false)).toBe('credited');
  });
});
