import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../config.js';

describe('configuration', () => {
  it('defaults the credit policy and reads overrides', () => {
    expect(loadEnv({})).toMatchObject({
      CREDIT_OVERDUE_TOLERANCE_DAYS: 14,
      CREDIT_HOLD_RISK_CLASSES: ['high'],
      CREDIT_HARD_LIMIT_PERCENT: 200,
      CREDIT_HOLD_EXPIRY_ACTION: 'cancel',
    });
    expect(loadEnv({ CREDIT_OVERDUE_TOLERANCE_DAYS: '30', CREDIT_HOLD_RISK_CLASSES: 'medium, high' })).toMatchObject({
      CREDIT_OVERDUE_TOLERANCE_DAYS: 30,
      CREDIT_HOLD_RISK_CLASSES: ['medium', 'high'],
    });
  });

  it('refuses an invalid setting, naming the variable and the rule', () => {
    expect(() => loadEnv({ CREDIT_HOLD_RISK_CLASSES: 'severe' })).toThrow(/CREDIT_HOLD_RISK_CLASSES.*expected one of/);
    expect(() => loadEnv({ CREDIT_HARD_LIMIT_PERCENT: '50' })).toThrow(/CREDIT_HARD_LIMIT_PERCENT: Too small/);
    expect(() => loadEnv({ CREDIT_HOLD_EXPIRY_ACTION: 'ignore' })).toThrow(/CREDIT_HOLD_EXPIRY_ACTION/);
    expect(() => loadEnv({ PORT: 'eighty' })).toThrow(/PORT/);
  });
});
