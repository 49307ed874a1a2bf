import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MATCH_POLICY,
  matchLines,
  type KnownCustomer,
  type LineMatch,
  type MatchLine,
  type MatchPolicy,
  type OpenItem,
  type SettledItem,
} from '../../domain/cash-matching.js';
import {
  belgianStructuredCommunication,
  dutchPaymentReference,
  kidMod10,
  rfReference,
} from '../../domain/payment-reference.js';

const printForm = (ref: string): string => ref.replace(/(.{4})/g, '$1 ').trim();

const RF_123 = rfReference('120260000123');
const KID_456 = kidMod10('220260000456');
const NL_124 = dutchPaymentReference('120260000124');
const BE_125 = belgianStructuredCommunication('1202600125');

const IBAN_DE_VRIES = 'NL91ABNA0417164300';
const IBAN_FJORD = 'NO9386011117947';
const IBAN_UNKNOWN = 'NL20INGB0001234567';

const CUSTOMERS: KnownCustomer[] = [
  { customerId: 'C1', name: 'Bakkerij de Vries B.V.', ibans: [IBAN_DE_VRIES] },
  { customerId: 'C2', name: 'Fjord Bygg AS', ibans: [IBAN_FJORD] },
  { customerId: 'C3', name: 'Müller Maschinenbau GmbH', ibans: [] },
];

function item(invoiceId: string, fields: Partial<OpenItem> = {}): OpenItem {
  return {
    invoiceId,
    number: `NL1-INV-2026-${invoiceId.replace(/\D/g, '').padStart(6, '0')}`,
    customerId: 'C1',
    currency: 'EUR',
    openAmount: 10_000,
    dueDate: '2026-01-31',
    paymentReference: null,
    ...fields,
  };
}

function line(fields: Partial<MatchLine> = {}): MatchLine {
  return {
    lineIndex: 0,
    amount: 10_000,
    currency: 'EUR',
    direction: 'credit',
    kind: 'transfer',
    structuredReferences: [],
    ...fields,
  };
}

/** The ledger most tests use: one invoice per reference scheme, over three customers. */
const ITEMS: OpenItem[] = [
  item('inv123', { openAmount: 12_100, paymentReference: RF_123 }),
  item('inv456', {
    number: 'NO1-INV-2026-000456',
    customerId: 'C2',
    currency: 'NOK',
    openAmount: 50_000,
    paymentReference: KID_456,
  }),
  item('inv124', { openAmount: 30_000, paymentReference: NL_124, dueDate: '2026-02-28' }),
  item('inv125', { openAmount: 7_500, paymentReference: BE_125, customerId: 'C3', dueDate: '2026-03-31' }),
];

function match1(
  l: Partial<MatchLine>,
  options: { items?: OpenItem[]; settled?: SettledItem[]; customers?: KnownCustomer[]; policy?: MatchPolicy } = {},
): LineMatch {
  const [result] = matchLines(
    [line(l)],
    options.items ?? ITEMS,
    { settled: options.settled ?? [], customers: options.customers ?? CUSTOMERS },
    options.policy,
  );
  return result!;
}

const policy = (fields: Partial<MatchPolicy>): MatchPolicy => ({ ...DEFAULT_MATCH_POLICY, ...fields });

describe('matchLines, tier 0: what is not a customer credit', () => {
  it('ignores debits, fees, returns and other non-credits', () => {
    for (const l of [
      line({ direction: 'debit', structuredReferences: [RF_123], amount: 12_100 }),
      line({ kind: 'fee' }),
      line({ kind: 'return', structuredReferences: [RF_123], amount: 12_100 }),
      line({ kind: 'other' }),
    ]) {
      const [result] = matchLines([l], ITEMS, { settled: [], customers: CUSTOMERS });
      expect(result).toMatchObject({ status: 'ignored', reasons: ['NOT_A_CUSTOMER_CREDIT'], allocations: [] });
    }
  });

  it('makes a currency no open item has an exception', () => {
    const result = match1({ currency: 'SEK', structuredReferences: [RF_123], amount: 12_100 });
    expect(result).toMatchObject({ status: 'exception', reasons: ['CURRENCY_MISMATCH'], allocations: [] });
  });

  it('flags a reference to an invoice in another currency', () => {
    const result = match1({ currency: 'NOK', structuredReferences: [RF_123], amount: 12_100 });
    expect(result.status).toBe('exception');
    expect(result.reasons).toEqual(['STRUCTURED_REFERENCE', 'CURRENCY_MISMATCH']);
    expect(result.suggestions[0]?.invoiceIds).toEqual(['inv123']);
  });
});

describe('matchLines, tier 1: structured references', () => {
  it('matches a valid RF reference in print form with the amount equal', () => {
    const result = match1({ structuredReferences: [printForm(RF_123).toLowerCase()], amount: 12_100 });
    expect(result).toMatchObject({
      status: 'matched',
      customerId: 'C1',
      allocations: [{ invoiceId: 'inv123', amount: 12_100 }],
      unapplied: 0,
      confidence: 0.99,
    });
    expect(result.reasons).toEqual(['STRUCTURED_REFERENCE', 'AMOUNT_EQUAL']);
  });

  it('matches a KID', () => {
    const result = match1({ structuredReferences: [KID_456], amount: 50_000, currency: 'NOK' });
    expect(result).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv456', amount: 50_000 }] });
    expect(result.reasons).toContain('STRUCTURED_REFERENCE');
  });

  it('finds a Dutch payment reference and a Belgian structured communication in the text', () => {
    const dutch = match1({ remittanceText: `Betaling kenmerk ${printForm(NL_124)} dank u`, amount: 30_000 });
    expect(dutch).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv124', amount: 30_000 }] });
    expect(dutch.reasons).toContain('STRUCTURED_REFERENCE');
    const belgian = match1({ remittanceText: `mededeling ${BE_125}`, amount: 7_500 });
    expect(belgian).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv125', amount: 7_500 }] });
  });

  it('finds an RF reference written in the text', () => {
    const result = match1({ remittanceText: `Ref: ${printForm(RF_123)} thanks`, amount: 12_100 });
    expect(result).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv123', amount: 12_100 }] });
    expect(result.reasons).toContain('STRUCTURED_REFERENCE');
  });

  it('does not trust an RF reference with a wrong check digit, but still reads it as text', () => {
    // A legacy item carrying a reference that fails ISO 11649: equal strings are not enough.
    const body = RF_123.slice(4);
    const wrong = `RF${String((Number(RF_123.slice(2, 4)) % 97) + 1).padStart(2, '0')}${body}`;
    const items = [item('inv123', { openAmount: 12_100, paymentReference: wrong })];
    const untrusted = match1({ structuredReferences: [wrong], amount: 12_100 }, { items });
    expect(untrusted.status).toBe('exception');
    expect(untrusted.reasons).not.toContain('STRUCTURED_REFERENCE');

    const asText = match1({ structuredReferences: ['NL1-INV-2026-000123'], amount: 12_100 }, { items });
    expect(asText).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv123', amount: 12_100 }] });
    expect(asText.reasons).toContain('INVOICE_NUMBER_IN_TEXT');
  });
});

describe('matchLines, tier 2: invoice numbers in the text', () => {
  it.each([
    'NL1-INV-2026-000123',
    'nl1/inv/2026/000123',
    'Factuur nr. INV 2026-123 dank u',
    'invoice 2026000123',
    'NL1INV2026000123',
    'Rechnung 2026.000123 vom 12.01.2026',
  ])('finds %s whatever the separators, prefix, case and leading zeros', (text) => {
    const result = match1({ remittanceText: text, amount: 12_100, counterpartyIban: IBAN_UNKNOWN });
    expect(result).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv123', amount: 12_100 }] });
    expect(result.reasons).toEqual(['INVOICE_NUMBER_IN_TEXT', 'AMOUNT_EQUAL']);
    expect(result.confidence).toBe(0.95);
  });

  it('finds a number with one wrong digit or one adjacent swap only with an equal amount', () => {
    for (const typo of ['NL1-INV-2026-000128', 'NL1-INV-2026-000132']) {
      const fuzzy = match1({ remittanceText: typo, amount: 12_100, counterpartyIban: IBAN_DE_VRIES });
      expect(fuzzy).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv123', amount: 12_100 }] });
      expect(fuzzy.reasons).toEqual(['FUZZY_INVOICE_NUMBER', 'IBAN_KNOWN', 'AMOUNT_EQUAL']);
      expect(fuzzy.confidence).toBeCloseTo(0.91);

      const otherAmount = match1({ remittanceText: typo, amount: 12_000, counterpartyIban: IBAN_DE_VRIES });
      expect(otherAmount.reasons).not.toContain('FUZZY_INVOICE_NUMBER');
      expect(otherAmount.allocations).toEqual([]);
    }
  });

  it('finds a typo by lookups when many open items share the amount', () => {
    // 600 invoices at one price: the typo's variants are looked up rather than each invoice compared.
    const items = Array.from({ length: 600 }, (_, i) =>
      item(`inv${i + 1}`, { customerId: 'C2', openAmount: 4_900, dueDate: '2026-03-01' }),
    );
    const l = { remittanceText: 'NL1-INV-2026-001354', amount: 4_900, counterpartyIban: IBAN_FJORD };
    const result = match1(l, { items });
    expect(result).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv354', amount: 4_900 }] });
    expect(result.reasons).toEqual(['FUZZY_INVOICE_NUMBER', 'IBAN_KNOWN', 'AMOUNT_EQUAL']);
  });

  it('does not make a number of an invoice in another currency an exception', () => {
    // 2026-000456 is the NOK invoice; the EUR line is paid by IBAN and amount.
    const l = { remittanceText: 'order 2026-000456', amount: 30_000, counterpartyIban: IBAN_DE_VRIES };
    const result = match1(l);
    expect(result).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv124', amount: 30_000 }] });
  });

  it('pays several invoices named in one text when their amounts add up', () => {
    const result = match1({ remittanceText: 'Facturen 2026-000123 en 2026-000124', amount: 42_100 });
    expect(result).toMatchObject({
      status: 'matched',
      allocations: [
        { invoiceId: 'inv123', amount: 12_100 },
        { invoiceId: 'inv124', amount: 30_000 },
      ],
    });
    expect(result.reasons).toEqual(['INVOICE_NUMBER_IN_TEXT', 'AMOUNT_EQUAL']);
  });

  it('lets a number whose amount does not fit give way to the payer and the amount', () => {
    // The text names inv900 of another customer and amount; the known IBAN and the exact amount point at inv124.
    const items = [...ITEMS, item('inv900', { customerId: 'C3', openAmount: 5_000 })];
    const l = { remittanceText: 'order 2026-000900', amount: 30_000, counterpartyIban: IBAN_DE_VRIES };
    const result = match1(l, { items });
    expect(result).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv124', amount: 30_000 }] });
    expect(result.reasons).toEqual(['IBAN_KNOWN', 'AMOUNT_EQUAL']);
  });
});

describe('matchLines, tier 3: the payer and the amount', () => {
  it('matches by a known IBAN and one open item with exactly the amount', () => {
    const result = match1({ counterpartyIban: 'nl91 abna 0417 1643 00', amount: 30_000 });
    expect(result).toMatchObject({
      status: 'matched',
      customerId: 'C1',
      allocations: [{ invoiceId: 'inv124', amount: 30_000 }],
      confidence: 0.9,
      reasons: ['IBAN_KNOWN', 'AMOUNT_EQUAL'],
    });
  });

  it('learns a payer’s IBAN from a line of the same file that paid by reference, for the lines after it', () => {
    const results = matchLines(
      [
        line({ lineIndex: 0, amount: 12_100, structuredReferences: [RF_123], counterpartyIban: IBAN_UNKNOWN }),
        line({ lineIndex: 1, amount: 30_000, counterpartyIban: IBAN_UNKNOWN }),
      ],
      ITEMS,
      { settled: [], customers: CUSTOMERS },
    );
    expect(results[1]).toMatchObject({
      status: 'matched',
      customerId: 'C1',
      allocations: [{ invoiceId: 'inv124', amount: 30_000 }],
      reasons: ['IBAN_KNOWN', 'AMOUNT_EQUAL'],
    });
    // Alone, the same line has no known payer.
    expect(match1({ amount: 30_000, counterpartyIban: IBAN_UNKNOWN })).toMatchObject({ status: 'exception' });
  });

  it('applies a payment from the customer’s own name, folded, with exactly one open item’s amount', () => {
    const byName = match1({ counterpartyName: 'BAKKERIJ DE VRIES', counterpartyIban: IBAN_UNKNOWN, amount: 30_000 });
    expect(byName).toMatchObject({
      status: 'matched',
      customerId: 'C1',
      confidence: 0.9,
      reasons: ['NAME_EQUAL', 'AMOUNT_EQUAL'],
      allocations: [{ invoiceId: 'inv124', amount: 30_000 }],
    });
  });

  it('finds the customer by a similar name despite capitals, accents and legal forms', () => {
    const byName = match1({
      counterpartyName: 'BAKKERIJ DE VRIES HOORN',
      counterpartyIban: IBAN_UNKNOWN,
      amount: 30_000,
    });
    expect(byName).toMatchObject({ status: 'exception', customerId: 'C1', allocations: [] });
    expect(byName.confidence).toBeGreaterThanOrEqual(0.7);
    expect(byName.confidence).toBeLessThan(0.8);
    expect(byName.reasons).toEqual(['NAME_SIMILAR', 'AMOUNT_EQUAL']);
    expect(byName.suggestions[0]?.allocations).toEqual([{ invoiceId: 'inv124', amount: 30_000 }]);

    const lower = policy({ autoApplyThreshold: 0.75 });
    const transliterated = match1({ counterpartyName: 'MUELLER MASCHINENBAU', amount: 7_500 }, { policy: lower });
    expect(transliterated).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv125', amount: 7_500 }] });
    const danish = match1({ counterpartyName: 'fjord bygg a/s', amount: 50_000, currency: 'NOK' }, { policy: lower });
    expect(danish).toMatchObject({ status: 'matched', customerId: 'C2' });
  });

  it('does not take a name that is merely alike', () => {
    const result = match1({ counterpartyName: 'Bakkerij Jansen', amount: 30_000 });
    expect(result).toMatchObject({ status: 'exception', reasons: ['NO_CANDIDATE'], suggestions: [] });
  });

  it('makes two open items with the same amount an ambiguous exception with both suggested', () => {
    const items = [item('inv1', { dueDate: '2026-01-10' }), item('inv2', { dueDate: '2026-01-20' })];
    const result = match1({ counterpartyIban: IBAN_DE_VRIES }, { items });
    expect(result).toMatchObject({ status: 'exception', customerId: 'C1', allocations: [] });
    expect(result.reasons).toEqual(['IBAN_KNOWN', 'AMOUNT_EQUAL', 'AMBIGUOUS']);
    expect(result.suggestions.map((s) => s.invoiceIds)).toEqual([['inv1'], ['inv2']]);
    expect(result.suggestions.map((s) => s.confidence)).toEqual([0.45, 0.45]);
  });
});

describe('matchLines, tier 4: one payment for several invoices', () => {
  const items = [
    item('inv1', { openAmount: 1_000, dueDate: '2026-01-01' }),
    item('inv2', { openAmount: 2_500, dueDate: '2026-01-02' }),
    item('inv3', { openAmount: 4_000, dueDate: '2026-01-03' }),
    item('inv4', { openAmount: 9_999, dueDate: '2026-01-04' }),
  ];

  it('finds the unique subset of 3 of the oldest items adding up to the amount', () => {
    const l = { counterpartyIban: IBAN_DE_VRIES, amount: 7_500 };
    const result = match1(l, { items, policy: policy({ autoApplyThreshold: 0.85 }) });
    expect(result).toMatchObject({
      status: 'matched',
      confidence: 0.87,
      reasons: ['IBAN_KNOWN', 'SUBSET_SUM'],
      allocations: [
        { invoiceId: 'inv1', amount: 1_000 },
        { invoiceId: 'inv2', amount: 2_500 },
        { invoiceId: 'inv3', amount: 4_000 },
      ],
    });
    // At the default threshold the same evidence is a suggestion...
    const suggested = match1(l, { items });
    expect(suggested.status).toBe('exception');
    expect(suggested.suggestions[0]?.invoiceIds).toEqual(['inv1', 'inv2', 'inv3']);
    // ...unless the payer's name agrees with the account's customer too.
    const named = match1({ ...l, counterpartyName: 'Bakkerij de Vries' }, { items });
    expect(named).toMatchObject({
      status: 'matched',
      confidence: 0.9,
      reasons: ['IBAN_KNOWN', 'NAME_SIMILAR', 'SUBSET_SUM'],
    });
  });

  it('only suggests when several subsets fit, the oldest first', () => {
    const more = [...items, item('inv5', { openAmount: 1_500, dueDate: '2026-01-05' })];
    const result = match1(
      { counterpartyIban: IBAN_DE_VRIES, amount: 5_000 },
      { items: more, policy: policy({ autoApplyThreshold: 0.5 }) },
    );
    expect(result.status).toBe('exception');
    expect(result.reasons).toContain('AMBIGUOUS');
    // inv1 + inv3 is older than inv1 + inv2 + inv5: its youngest item is.
    expect(result.suggestions.map((s) => s.invoiceIds)).toEqual([
      ['inv1', 'inv3'],
      ['inv1', 'inv2', 'inv5'],
    ]);
  });

  it('looks only at subsetSumMaxCandidates oldest items', () => {
    const result = match1(
      { counterpartyIban: IBAN_DE_VRIES, amount: 10_999 },
      { items, policy: policy({ autoApplyThreshold: 0.5, subsetSumMaxCandidates: 3 }) },
    );
    expect(result.reasons).toEqual(['NO_CANDIDATE']);
  });
});

describe('matchLines, partial, short and over-payments of an identified invoice', () => {
  it('allocates less than the open amount as a partial payment', () => {
    const result = match1({ structuredReferences: [RF_123], amount: 6_000 });
    expect(result).toMatchObject({
      status: 'matched',
      allocations: [{ invoiceId: 'inv123', amount: 6_000 }],
      unapplied: 0,
      confidence: 0.95,
      reasons: ['STRUCTURED_REFERENCE', 'PARTIAL'],
    });
    expect(result.deduction).toBeUndefined();
  });

  it('settles a payment short within both tolerances in full with a deduction', () => {
    // 12,100 open: 1% is 121, within the 500 absolute.
    const result = match1({ structuredReferences: [RF_123], amount: 11_979 });
    expect(result).toMatchObject({
      status: 'matched',
      allocations: [{ invoiceId: 'inv123', amount: 11_979 }],
      deduction: { invoiceId: 'inv123', amount: 121 },
      reasons: ['STRUCTURED_REFERENCE', 'SHORT_WITHIN_TOLERANCE'],
    });
  });

  it('takes a payment just outside either tolerance as partial', () => {
    const byPercent = match1({ structuredReferences: [RF_123], amount: 11_978 }); // 122 > 1% of 12,100
    expect(byPercent.reasons).toContain('PARTIAL');
    expect(byPercent.deduction).toBeUndefined();
    const items = [item('inv9', { openAmount: 100_000, paymentReference: RF_123 })];
    const withinPercent = match1({ structuredReferences: [RF_123], amount: 99_500 }, { items });
    expect(withinPercent.deduction).toEqual({ invoiceId: 'inv9', amount: 500 });
    const byAbsolute = match1({ structuredReferences: [RF_123], amount: 99_499 }, { items }); // 501 > 500
    expect(byAbsolute.reasons).toContain('PARTIAL');
    expect(byAbsolute.deduction).toBeUndefined();
  });

  it('applies an over-payment up to the balance and leaves the rest unapplied', () => {
    const result = match1({ structuredReferences: [RF_123], amount: 15_000 });
    expect(result).toMatchObject({
      status: 'partially_matched',
      allocations: [{ invoiceId: 'inv123', amount: 12_100 }],
      unapplied: 2_900,
      reasons: ['STRUCTURED_REFERENCE', 'OVERPAYMENT'],
    });
  });

  it('takes the rest of an over-payment for other old items it pays exactly', () => {
    const result = match1({ structuredReferences: [RF_123], amount: 42_100, counterpartyIban: IBAN_DE_VRIES });
    expect(result).toMatchObject({
      status: 'matched',
      allocations: [
        { invoiceId: 'inv123', amount: 12_100 },
        { invoiceId: 'inv124', amount: 30_000 },
      ],
      reasons: ['STRUCTURED_REFERENCE', 'IBAN_KNOWN', 'SUBSET_SUM'],
    });
  });
});

describe('matchLines, duplicates', () => {
  it('flags the second of the same payment booked twice in one file', () => {
    const l = line({ structuredReferences: [RF_123], amount: 12_100 });
    const [first, second] = matchLines([l, { ...l, lineIndex: 1 }], ITEMS, { settled: [], customers: CUSTOMERS });
    expect(first).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv123', amount: 12_100 }] });
    expect(second).toMatchObject({ lineIndex: 1, status: 'exception', allocations: [], unapplied: 0 });
    expect(second?.reasons).toEqual(['STRUCTURED_REFERENCE', 'POSSIBLE_DUPLICATE']);
    expect(second?.suggestions[0]).toMatchObject({ invoiceIds: ['inv123'], allocations: [] });
  });

  it('flags a payment of an invoice already settled', () => {
    const settled: SettledItem[] = [
      {
        invoiceId: 'inv77',
        number: 'NL1-INV-2026-000077',
        customerId: 'C1',
        currency: 'EUR',
        total: 4_200,
        paymentReference: null,
      },
    ];
    const result = match1({ remittanceText: 'Factuur NL1-INV-2026-000077', amount: 4_200 }, { settled });
    expect(result).toMatchObject({ status: 'exception', customerId: 'C1', allocations: [] });
    expect(result.reasons).toEqual(['INVOICE_NUMBER_IN_TEXT', 'POSSIBLE_DUPLICATE']);
  });

  it('flags the same partial payment booked twice', () => {
    const l = line({ structuredReferences: [RF_123], amount: 5_000 });
    const [first, second] = matchLines([l, { ...l, lineIndex: 1 }], ITEMS, { settled: [], customers: CUSTOMERS });
    expect(first).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv123', amount: 5_000 }] });
    expect(second).toMatchObject({ status: 'exception', allocations: [] });
    expect(second?.reasons).toEqual(['STRUCTURED_REFERENCE', 'POSSIBLE_DUPLICATE']);
  });

  it('pays the same number of two entities at the same price without calling the second a duplicate', () => {
    const items = [
      item('nl200', { number: 'NL1-INV-2026-000200', openAmount: 4_900 }),
      item('de200', { number: 'DE1-INV-2026-000200', openAmount: 4_900, customerId: 'C3' }),
    ];
    const lines = [
      line({ lineIndex: 0, remittanceText: 'NL1-INV-2026-000200', amount: 4_900 }),
      line({ lineIndex: 1, remittanceText: 'DE1-INV-2026-000200', amount: 4_900 }),
    ];
    const results = matchLines(lines, items, { settled: [], customers: CUSTOMERS });
    expect(results.map((r) => r.allocations)).toEqual([
      [{ invoiceId: 'nl200', amount: 4_900 }],
      [{ invoiceId: 'de200', amount: 4_900 }],
    ]);
  });

  it('flags the second IBAN-only payment of the same amount', () => {
    const l = line({ counterpartyIban: IBAN_DE_VRIES, amount: 30_000 });
    const [, second] = matchLines([l, { ...l, lineIndex: 1 }], ITEMS, { settled: [], customers: CUSTOMERS });
    expect(second?.reasons).toEqual(['IBAN_KNOWN', 'AMOUNT_EQUAL', 'POSSIBLE_DUPLICATE']);
  });
});

describe('matchLines, confidence and order', () => {
  it('makes a candidate below the threshold an exception with it as the first suggestion', () => {
    const result = match1({ remittanceText: 'NL1-INV-2026-000132', amount: 12_100 });
    expect(result).toMatchObject({ status: 'exception', confidence: 0.85, allocations: [], unapplied: 0 });
    expect(result.reasons).toEqual(['FUZZY_INVOICE_NUMBER', 'AMOUNT_EQUAL']);
    expect(result.suggestions).toEqual([
      {
        invoiceIds: ['inv123'],
        allocations: [{ invoiceId: 'inv123', amount: 12_100 }],
        confidence: 0.85,
        reasons: ['FUZZY_INVOICE_NUMBER', 'AMOUNT_EQUAL'],
      },
    ]);
  });

  it('ranks the suggestions of an ambiguous name, most similar first', () => {
    const customers = [...CUSTOMERS, { customerId: 'C4', name: 'Bakkerij de Vries & Zonen B.V.', ibans: [] }];
    const items = [item('inv1', { customerId: 'C4' }), item('inv2', { customerId: 'C1' })];
    const result = match1({ counterpartyName: 'BAKKERIJ DE VRIES', amount: 10_000 }, { items, customers });
    expect(result.status).toBe('exception');
    expect(result.reasons).toEqual(['NAME_EQUAL', 'AMOUNT_EQUAL', 'AMBIGUOUS']);
    expect(result.suggestions.map((s) => s.invoiceIds[0])).toEqual(['inv2', 'inv1']);
    expect(result.suggestions[0]!.confidence).toBeGreaterThan(result.suggestions[1]!.confidence);
  });

  it('lets a structured reference claim an invoice before an earlier line matched by IBAN and amount', () => {
    const byIban = line({ lineIndex: 0, counterpartyIban: IBAN_DE_VRIES, amount: 12_100 });
    const byReference = line({ lineIndex: 1, structuredReferences: [RF_123], amount: 12_100 });
    const [first, second] = matchLines([byIban, byReference], ITEMS, { settled: [], customers: CUSTOMERS });
    expect(second).toMatchObject({ status: 'matched', allocations: [{ invoiceId: 'inv123', amount: 12_100 }] });
    expect(first?.status).toBe('exception');
    expect(first?.reasons).toContain('POSSIBLE_DUPLICATE');
  });

  it('rejects amounts that are not minor units and an out-of-range policy', () => {
    expect(() => matchLines([line({ amount: 1.5 })], ITEMS, { settled: [], customers: [] })).toThrow(/amount/);
    expect(() => matchLines([], [item('x', { openAmount: 0 })], { settled: [], customers: [] })).toThrow(/openAmount/);
    expect(() => matchLines([], [], { settled: [], customers: [] }, policy({ autoApplyThreshold: 2 }))).toThrow(
      /autoApplyThreshold/,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties, over small ledgers where references, numbers, amounts and payers collide often.

const AMOUNTS = [500, 1_000, 1_500, 2_500, 10_000];
const REFERENCES = Array.from({ length: 8 }, (_, i) => rfReference(`12026000010${i}`));

const arbItems = fc.uniqueArray(
  fc.record({
    seq: fc.integer({ min: 100, max: 107 }),
    customer: fc.constantFrom('C1', 'C2', 'C3'),
    currency: fc.constantFrom('EUR', 'EUR', 'NOK'),
    openAmount: fc.constantFrom(...AMOUNTS),
    day: fc.integer({ min: 10, max: 28 }),
    hasReference: fc.boolean(),
  }),
  { selector: (i) => i.seq, maxLength: 8 },
);

const arbSettled = fc.array(
  fc.record({ seq: fc.integer({ min: 100, max: 109 }), total: fc.constantFrom(...AMOUNTS) }),
  { maxLength: 3 },
);

const arbLine = fc.record({
  amount: fc.oneof(fc.constantFrom(...AMOUNTS, 3_500, 4_000, 11_000, 0), fc.integer({ min: 1, max: 30_000 })),
  currency: fc.constantFrom('EUR', 'EUR', 'NOK', 'SEK'),
  direction: fc.constantFrom('credit', 'credit', 'credit', 'debit'),
  kind: fc.constantFrom('transfer', 'transfer', 'direct_debit', 'card', 'fee', 'return', 'other'),
  iban: fc.constantFrom(undefined, IBAN_DE_VRIES, IBAN_FJORD, IBAN_UNKNOWN),
  name: fc.constantFrom(undefined, 'BAKKERIJ DE VRIES', 'Fjord Bygg', 'someone else'),
  references: fc.array(fc.constantFrom(...REFERENCES, 'RF00123', 'garbage'), { maxLength: 2 }),
  text: fc.array(
    fc.oneof(
      fc.integer({ min: 98, max: 110 }).map((n) => `NL1-INV-2026-000${n}`),
      fc.integer({ min: 98, max: 110 }).map((n) => `inv 2026/${n}`),
      fc.constantFrom('thanks', '12.01.2026', 'order 4711'),
    ),
    { maxLength: 3 },
  ),
});

type ArbLine = typeof arbLine extends fc.Arbitrary<infer T> ? T : never;

function ledger(
  raw: { seq: number; customer: string; currency: string; openAmount: number; day: number; hasReference: boolean }[],
): OpenItem[] {
  return raw.map((r) => ({
    invoiceId: `inv${r.seq}`,
    number: `NL1-INV-2026-000${r.seq}`,
    customerId: r.customer,
    currency: r.currency,
    openAmount: r.openAmount,
    dueDate: `2026-01-${r.day}`,
    paymentReference: r.hasReference ? (REFERENCES[r.seq - 100] ?? null) : null,
  }));
}

const toLine = (l: ArbLine, lineIndex: number): MatchLine => ({
  lineIndex,
  amount: l.amount,
  currency: l.currency,
  direction: l.direction,
  kind: l.kind,
  structuredReferences: l.references,
  remittanceText: l.text.join(' '),
  ...(l.iban === undefined ? {} : { counterpartyIban: l.iban }),
  ...(l.name === undefined ? {} : { counterpartyName: l.name }),
});

const arbCase = fc.record({
  items: arbItems,
  settled: arbSettled,
  lines: fc.array(arbLine, { maxLength: 12 }),
  threshold: fc.constantFrom(0.9, 0.8, 0.5, 0),
});

function run(c: typeof arbCase extends fc.Arbitrary<infer T> ? T : never) {
  const items = ledger(c.items);
  const settled: SettledItem[] = c.settled.map((s) => ({
    invoiceId: `old${s.seq}`,
    number: `NL1-INV-2026-000${s.seq}`,
    customerId: 'C1',
    currency: 'EUR',
    total: s.total,
    paymentReference: REFERENCES[s.seq - 100] ?? null,
  }));
  const lines = c.lines.map(toLine);
  const results = matchLines(
    lines,
    items,
    { settled, customers: CUSTOMERS },
    policy({ autoApplyThreshold: c.threshold }),
  );
  return { items, settled, lines, results };
}

const sum = (ns: readonly number[]): number => ns.reduce((a, b) => a + b, 0);

describe('matchLines, properties', () => {
  it('answers every line once, in order, with a confidence within 0..1', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const { lines, results } = run(c);
        expect(results.map((r) => r.lineIndex)).toEqual(lines.map((l) => l.lineIndex));
        for (const r of results) {
          expect(r.confidence).toBeGreaterThanOrEqual(0);
          expect(r.confidence).toBeLessThanOrEqual(1);
          if (r.status === 'matched' || r.status === 'partially_matched') {
            expect(r.confidence).toBeGreaterThanOrEqual(c.threshold);
          }
        }
      }),
    );
  });

  it('never allocates more than a line brings or an item has open, and no cent appears or disappears', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const { items, lines, results } = run(c);
        const taken = new Map<string, number>();
        results.forEach((r, i) => {
          const amount = lines[i]!.amount;
          const allocated = sum(r.allocations.map((a) => a.amount));
          if (r.status === 'matched' || r.status === 'partially_matched') {
            expect(allocated + r.unapplied).toBe(amount);
            expect(r.allocations.length).toBeGreaterThan(0);
            expect(r.allocations.every((a) => Number.isSafeInteger(a.amount) && a.amount > 0)).toBe(true);
            expect(r.unapplied).toBeGreaterThanOrEqual(0);
            expect(r.status === 'partially_matched').toBe(r.unapplied > 0);
          } else {
            expect(r.allocations).toEqual([]);
            expect(r.unapplied).toBe(0);
            expect(r.deduction).toBeUndefined();
          }
          expect(allocated).toBeLessThanOrEqual(amount);
          for (const a of [...r.allocations, ...(r.deduction ? [r.deduction] : [])]) {
            taken.set(a.invoiceId, (taken.get(a.invoiceId) ?? 0) + a.amount);
          }
        });
        for (const it of items) expect(taken.get(it.invoiceId) ?? 0).toBeLessThanOrEqual(it.openAmount);
        for (const id of taken.keys()) expect(items.some((it) => it.invoiceId === id)).toBe(true);
      }),
    );
  });

  it('settles an invoice in full when it writes a shortfall off', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const { items, results } = run(c);
        for (const r of results.filter((x) => x.deduction)) {
          const { invoiceId, amount } = r.deduction!;
          const open = items.find((it) => it.invoiceId === invoiceId)!.openAmount;
          const paid = sum(r.allocations.filter((a) => a.invoiceId === invoiceId).map((a) => a.amount));
          expect(amount).toBeGreaterThan(0);
          expect(paid + amount).toBeLessThanOrEqual(open);
          expect(r.reasons).toContain('SHORT_WITHIN_TOLERANCE');
        }
      }),
    );
  });

  it('is deterministic: the same input gives the same output', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const first = run(c).results;
        expect(run(structuredClone(c)).results).toEqual(first);
      }),
    );
  });
});
