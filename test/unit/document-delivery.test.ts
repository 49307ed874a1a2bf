import { describe, expect, it } from 'vitest';
import { DELIVERY_MOVES_FROM } from '../../domain/document-delivery.js';

describe('document delivery status', () => {
  it('never moves back from delivered, and a late sent does not undo it', () => {
    for (const to of Object.keys(DELIVERY_MOVES_FROM) as (keyof typeof DELIVERY_MOVES_FROM)[]) {
      expect(DELIVERY_MOVES_FROM[to].includes('delivered')).toBe(false);
    }
    expect(DELIVERY_MOVES_FROM.sent).not.toContain('sent');
  });

  it('lets a failed delivery be retried or queued again', () => {
    expect(DELIVERY_MOVES_FROM.sent).toContain('failed');
    expect(DELIVERY_MOVES_FROM.delivered).toContain('failed');
    expect(DELIVERY_MOVES_FROM.queued).toContain('failed');
  });
});
