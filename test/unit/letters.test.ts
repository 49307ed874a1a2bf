import { describe, expect, it } from 'vitest';
import { DEFAULT_DUNNING_POLICY } from '../../domain/dunning.js';
import { dunningLetter, LETTER_LANGUAGES, type DunningLetterInput } from '../../domain/letters.js';

const item = (n: number, dueDate: string, amountOutstanding: number, currency = 'EUR') => ({
  invoiceNumber: `NL1-INV-2026-00000${n}`,
  dueDate,
  amountOutstanding,
  currency,
  paymentReference: `RF18539007547034${n}`,
});

const letter = (overrides: Partial<DunningLetterInput> = {}) =>
  dunningLetter({
    language: 'en',
    levelName: 'reminder',
    nextLevelName: 'second_reminder',
    customerName: 'Acme B.V.',
    letterDate: '2026-12-03',
    payBy: '2026-12-17',
    seller: { name: 'O2C Nederland B.V.', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' },
    items: [item(1, '2026-11-01', 12_100), item(2, '2026-11-20', 5_000)],
    ...overrides,
  });

describe('dunning letters', () => {
  it('list every overdue item with its days overdue, amount and reference, and the total', () => {
    const { subject, text } = letter();
    expect(subject).toBe('Payment reminder: 2 overdue invoices');
    expect(text).toContain(
      '- NL1-INV-2026-000001, due on 2026-11-01 (32 days overdue): EUR 121.00, payment reference RF185390075470341',
    );
    expect(text).toContain('- NL1-INV-2026-000002, due on 2026-11-20 (13 days overdue): EUR 50.00');
    expect(text).toContain('Total outstanding: EUR 171.00');
    expect(text).toContain(
      'Please pay by 2026-12-17 to O2C Nederland B.V., IBAN NL91ABNA0417164300 (BIC ABNANL2A), quoting each',
    );
    expect(text).toContain('we will send you a second reminder');
  });

  it("say what part of an item is in dispute and not claimed, in the customer's language", () => {
    const items = [{ ...item(1, '2026-11-01', 10_000), disputedAmount: 2_100 }];
    expect(letter({ items }).text).toContain(
      'EUR 100.00, payment reference RF185390075470341 (EUR 21.00 in dispute is not claimed)',
    );
    expect(letter({ items, language: 'nl' }).text).toContain('(EUR 21,00 in geschil wordt niet gevorderd)');
    expect(letter({ items: [item(1, '2026-11-01', 10_000)] }).text).not.toContain('dispute');
  });

  it('list the fees and interest charged under their item, in every language, and add them to the total', () => {
    const charged = {
      ...item(1, '2026-11-01', 12_100),
      charges: [
        { kind: 'compensation' as const, amount: 4_000 },
        { kind: 'interest' as const, amount: 112 },
      ],
    };
    const { text } = letter({ items: [charged, item(2, '2026-11-20', 5_000)] });
    expect(text).toContain('  + fixed compensation for recovery costs: EUR 40.00\n  + statutory interest: EUR 1.12');
    expect(text).toContain('Total outstanding: EUR 212.12');
    const labels = LETTER_LANGUAGES.map((language) =>
      letter({ language, items: [{ ...charged, charges: [{ kind: 'reminder_fee', amount: 3_500 }] }] })
        .text.split('\n')
        .find((l) => l.startsWith('  + ')),
    );
    expect(labels).toEqual([
      '  + reminder fee: EUR 35.00',
      '  + herinneringskosten: EUR 35,00',
      '  + Mahngebühr: EUR 35,00',
      '  + purregebyr: EUR 35,00',
    ]);
  });

  it('name the single invoice in the subject, and total each currency on its own', () => {
    expect(letter({ items: [item(1, '2026-11-01', 100)] }).subject).toBe('Payment reminder: NL1-INV-2026-000001');
    const { text } = letter({ items: [item(1, '2026-11-01', 12_100), item(2, '2026-11-02', 50_000, 'NOK')] });
    expect(text).toContain('Total outstanding: EUR 121.00 + NOK 500.00');
  });

  it('render every level of the default policy in every language, each saying what comes next', () => {
    const levels = DEFAULT_DUNNING_POLICY.levels;
    const rendered = LETTER_LANGUAGES.map((language) =>
      levels.map((level, i) => letter({ language, levelName: level.name, nextLevelName: levels[i + 1]?.name ?? null })),
    );
    expect(rendered.map((byLevel) => byLevel.map((l) => l.subject.split(':')[0]))).toEqual([
      [
        'Payment reminder',
        'Second payment reminder',
        'Final notice before collection',
        'Your account has been handed to a collection agency',
      ],
      [
        'Betalingsherinnering',
        'Tweede betalingsherinnering',
        'Laatste aanmaning',
        'Uw dossier is overgedragen aan een incassobureau',
      ],
      ['Zahlungserinnerung', 'Zweite Zahlungserinnerung', 'Letzte Mahnung', 'Übergabe an ein Inkassounternehmen'],
      ['Betalingspåminnelse', 'Andre betalingspåminnelse', 'Inkassovarsel', 'Saken er oversendt til inkasso'],
    ]);
    const next = [
      ['second reminder', 'final notice', 'collection agency', 'handed your account to a collection agency'],
      ['tweede herinnering', 'laatste aanmaning', 'dragen wij uw dossier over', 'hebben uw dossier overgedragen'],
      ['zweite Zahlungserinnerung', 'letzte Mahnung', 'übergeben wir die Forderung', 'haben die Forderung'],
      ['ny påminnelse', 'inkassovarsel', 'oversender vi saken til inkasso', 'Saken er oversendt til inkasso'],
    ];
    rendered.forEach((byLevel, l) =>
      byLevel.forEach(({ text }, i) => {
        expect(text).toContain(next[l]![i]!);
        expect(text).toContain('NL91ABNA0417164300'); // where to pay
        expect(text).toContain('RF185390075470341'); // with which reference
        expect(text).toContain('2026-12-17'); // by when
      }),
    );
    // Amounts in the customer's convention: a decimal comma in Dutch, German and Norwegian.
    expect(rendered[1]![0]!.text).toContain('EUR 121,00');
    expect(rendered[3]![0]!.text).toContain('(32 dager over forfall)');
  });

  it('announce nothing after a level with no successor other than the agency, and fall back to English', () => {
    const prepayment = letter({ nextLevelName: null });
    expect(prepayment.text).not.toMatch(/If we have not received|collection agency/);
    expect(letter({ language: 'fr' }).subject).toBe('Payment reminder: 2 overdue invoices');
    expect(letter({ nextLevelName: 'phone_follow_up' }).text).toContain('we will take further steps to collect it');
    expect(() => letter({ items: [] })).toThrow(/at least one item/);
  });
});
