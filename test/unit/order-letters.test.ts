import { describe, expect, it } from 'vitest';
import { LETTER_LANGUAGES } from '../../domain/letters.js';
import { expectedDispatchDate, orderNotification } from '../../domain/order-letters.js';

describe('order notifications', () => {
  it('are written in every customer language, and fall back to English', () => {
    const subjects = LETTER_LANGUAGES.map(
      (language) =>
        orderNotification({
          kind: 'confirmed',
          language,
          customerName: 'X',
          orderReference: 'PO-1',
          expectedDispatchDate: '2026-11-23',
        }).subject,
    );
    expect(subjects).toEqual([
      'Order confirmation: PO-1',
      'Orderbevestiging: PO-1',
      'Auftragsbestätigung: PO-1',
      'Ordrebekreftelse: PO-1',
    ]);
    expect(
      orderNotification({
        kind: 'dispatched',
        language: 'fr',
        customerName: 'X',
        orderReference: 'PO-1',
        trackingNumber: 'TRK9',
      }).text,
    ).toContain('Tracking number: TRK9');
    expect(
      orderNotification({
        kind: 'cancelled',
        language: 'nl',
        customerName: 'X',
        orderReference: 'PO-1',
        reason: 'dubbel besteld',
      }).text,
    ).toContain('Reden: dubbel besteld');
  });

  it('expects dispatch on the next working day', () => {
    expect(expectedDispatchDate('2026-11-19')).toBe('2026-11-20'); // Thursday -> Friday
    expect(expectedDispatchDate('2026-11-20')).toBe('2026-11-23'); // Friday -> Monday
    expect(expectedDispatchDate('2026-11-22')).toBe('2026-11-23'); // Sunday -> Monday
    expect(() => expectedDispatchDate('22-11-2026')).toThrow(/YYYY-MM-DD/);
  });
});
