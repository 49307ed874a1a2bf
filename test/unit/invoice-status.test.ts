import { describe, expect, it } from 'vitest';
import {
  INVOICE_STATUSES,
  isInvoiceStatus,
  isTerminalInvoiceStatus,
  TERMINAL_INVOICE_STATUSES,
} from '../../domain/invoice-status.js';

describe('invoice status', () => {
  it('has open and paid, paid being terminal', () => {
    expect(INVOICE_STATUSES).toEqual(['open', 'paid']);
    expect(TERMINAL_INVOICE_STATUSES).toEqual(['paid']);
    expect(isTerminalInvoiceStatus('open')).toBe(false);
    expect(isTerminalInvoiceStatus('paid')).toBe(true);
  });

  it('recognises only known statuses', () => {
    expect(isInvoiceStatus('open')).toBe(true);
    expect(isInvoiceStatus('void')).toBe(false);
  });
});
