import { describe, expect, it } from 'vitest';
import {
  isOrderStatus,
  isTerminalOrderStatus,
  ORDER_STATUSES,
  TERMINAL_ORDER_STATUSES,
} from '../../domain/order-status.js';

describe('order status', () => {
  it('terminal statuses are completed, cancelled and rejected', () => {
    expect([...TERMINAL_ORDER_STATUSES].sort()).toEqual(['cancelled', 'completed', 'rejected']);
    expect(ORDER_STATUSES.filter(isTerminalOrderStatus)).toEqual(['completed', 'cancelled', 'rejected']);
  });

  it('recognises only known statuses', () => {
    expect(isOrderStatus('credit_hold')).toBe(true);
    expect(isOrderStatus('CREDIT_HOLD')).toBe(false);
    expect(isOrderStatus('shipped')).toBe(false);
  });
});
