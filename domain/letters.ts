import type { DunningChargeKind } from './dunning-charges.js';
import { formatMoney } from './money.js';

// Dunning letters in the customer's language: one per customer and dunning run, listing every overdue item.
// Plain text; the wording escalates with the level, and each letter says what comes next.
export const LETTER_LANGUAGES = ['en', 'nl', 'de', 'nb'] as const;
/** The wordings a level's letter can take (a level's `template`, else its name; unknown names read as a reminder). */
export const LETTER_TEMPLATES = ['reminder', 'second_reminder', 'final_notice', 'collection_agency'] as const;
export type LetterTemplate = (typeof LETTER_TEMPLATES)[number];
export type LetterLanguage = (typeof LETTER_LANGUAGES)[number];

export interface DunningLetterItem {
  invoiceNumber: string;
  dueDate: string;
  /** What the letter claims: the balance less any amount in dispute. */
  amountOutstanding: number;
  /** Held back while a dispute about it is open; said so, so the customer sees why the amount differs. */
  disputedAmount?: number;
  currency: string;
  paymentReference: string;
  /** Fees and interest charged on it so far and still open, in its currency: listed under it, added to the total. */
  charges?: readonly { kind: DunningChargeKind; amount: number }[];
}

export interface DunningLetterInput {
  language: string;
  /** The wording of the level the letter is at (the highest due among its items): its template, else its name. */
  levelName: string;
  /** The same of the level that follows if the customer does not pay; null: none is announced (the last level). */
  nextLevelName: string | null;
  customerName: string;
  /** The run's date (ISO), from which days overdue count. */
  letterDate: string;
  /** The new payment deadline (ISO date). */
  payBy: string;
  seller: { name: string; iban: string; bic: string | null };
  items: readonly DunningLetterItem[];
}

interface Wording {
  subjects: Record<string, string>;
  invoices: (n: number) => string;
  greeting: (customer: string) => string;
  intro: (date: string) => string;
  item: (i: DunningLetterItem, amount: string, daysOverdue: number) => string;
  disputed: (amount: string) => string;
  charges: Record<DunningChargeKind, string>;
  total: (amounts: string) => string;
  pay: (payBy: string, account: string) => string;
  next: Record<string, (payBy: string) => string>;
  /** The letter of the collection_agency level. */
  handedOver: string;
  disregard: string;
}

const wordings: Record<LetterLanguage, Wording> = {
  en: {
    subjects: {
      reminder: 'Payment reminder',
      second_reminder: 'Second payment reminder',
      final_notice: 'Final notice before collection',
      collection_agency: 'Your account has been handed to a collection agency',
    },
    invoices: (n) => `${n} overdue invoices`,
    greeting: (c) => `Dear ${c},`,
    intro: (d) => `Our records show that the following invoices were still unpaid on ${d}:`,
    item: (i, a, d) =>
      `- ${i.invoiceNumber}, due on ${i.dueDate} (${d} days overdue): ${a}, payment reference ${i.paymentReference}`,
    disputed: (a) => ` (${a} in dispute is not claimed)`,
    charges: {
      compensation: 'fixed compensation for recovery costs',
      interest: 'statutory interest',
      reminder_fee: 'reminder fee',
      collection_costs: 'collection costs',
    },
    total: (a) => `Total outstanding: ${a}`,
    pay: (p, acc) => `Please pay by ${p} to ${acc}, quoting each invoice's payment reference.`,
    next: {
      second_reminder: (p) => `If we have not received your payment by ${p}, we will send you a second reminder.`,
      final_notice: (p) => `If we have not received your payment by ${p}, we will send you a final notice.`,
      collection_agency: (p) =>
        `If we have not received your payment by ${p}, we will hand your account to a collection agency, which will charge you collection costs.`,
      other: (p) => `If we have not received your payment by ${p}, we will take further steps to collect it.`,
    },
    handedOver: 'We have handed your account to a collection agency, which will contact you.',
    disregard: 'If you have paid in the meantime, please disregard this letter.',
  },
  nl: {
    subjects: {
      reminder: 'Betalingsherinnering',
      second_reminder: 'Tweede betalingsherinnering',
      final_notice: 'Laatste aanmaning',
      collection_agency: 'Uw dossier is overgedragen aan een incassobureau',
    },
    invoices: (n) => `${n} openstaande facturen`,
    greeting: (c) => `Geachte ${c},`,
    intro: (d) => `Volgens onze administratie stonden op ${d} de volgende facturen nog open:`,
    item: (i, a, d) =>
      `- ${i.invoiceNumber}, vervallen op ${i.dueDate} (${d} dagen te laat): ${a}, betalingskenmerk ${i.paymentReference}`,
    disputed: (a) => ` (${a} in geschil wordt niet gevorderd)`,
    charges: {
      compensation: 'vaste vergoeding voor invorderingskosten',
      interest: 'wettelijke rente',
      reminder_fee: 'herinneringskosten',
      collection_costs: 'incassokosten',
    },
    total: (a) => `Totaal openstaand: ${a}`,
    pay: (p, acc) =>
      `Wij verzoeken u uiterlijk ${p} te betalen aan ${acc}, onder vermelding van het betalingskenmerk van elke factuur.`,
    next: {
      second_reminder: (p) => `Hebben wij uw betaling op ${p} niet ontvangen, dan sturen wij u een tweede herinnering.`,
      final_notice: (p) => `Hebben wij uw betaling op ${p} niet ontvangen, dan sturen wij u een laatste aanmaning.`,
      collection_agency: (p) =>
        `Hebben wij uw betaling op ${p} niet ontvangen, dan dragen wij uw dossier over aan een incassobureau, dat incassokosten in rekening brengt.`,
      other: (p) =>
        `Hebben wij uw betaling op ${p} niet ontvangen, dan nemen wij verdere maatregelen om de vordering te innen.`,
    },
    handedOver: 'Wij hebben uw dossier overgedragen aan een incassobureau, dat contact met u opneemt.',
    disregard: 'Heeft u inmiddels betaald, dan kunt u deze brief als niet verzonden beschouwen.',
  },
  de: {
    subjects: {
      reminder: 'Zahlungserinnerung',
      second_reminder: 'Zweite Zahlungserinnerung',
      final_notice: 'Letzte Mahnung',
      collection_agency: 'Übergabe an ein Inkassounternehmen',
    },
    invoices: (n) => `${n} offene Rechnungen`,
    greeting: (c) => `Sehr geehrte Damen und Herren (${c}),`,
    intro: (d) => `laut unserer Buchhaltung waren am ${d} folgende Rechnungen noch offen:`,
    item: (i, a, d) =>
      `- ${i.invoiceNumber}, fällig am ${i.dueDate} (${d} Tage überfällig): ${a}, Zahlungsreferenz ${i.paymentReference}`,
    disputed: (a) => ` (${a} in Klärung werden nicht gefordert)`,
    charges: {
      compensation: 'Pauschale für Beitreibungskosten',
      interest: 'gesetzliche Verzugszinsen',
      reminder_fee: 'Mahngebühr',
      collection_costs: 'Inkassokosten',
    },
    total: (a) => `Offener Gesamtbetrag: ${a}`,
    pay: (p, acc) =>
      `Bitte überweisen Sie den Betrag bis spätestens ${p} an ${acc} unter Angabe der Zahlungsreferenz jeder Rechnung.`,
    next: {
      second_reminder: (p) =>
        `Sollte Ihre Zahlung bis ${p} nicht eingegangen sein, erhalten Sie eine zweite Zahlungserinnerung.`,
      final_notice: (p) => `Sollte Ihre Zahlung bis ${p} nicht eingegangen sein, erhalten Sie eine letzte Mahnung.`,
      collection_agency: (p) =>
        `Sollte Ihre Zahlung bis ${p} nicht eingegangen sein, übergeben wir die Forderung einem Inkassounternehmen, das Ihnen Inkassokosten berechnet.`,
      other: (p) => `Sollte Ihre Zahlung bis ${p} nicht eingegangen sein, werden wir weitere Schritte einleiten.`,
    },
    handedOver: 'Wir haben die Forderung einem Inkassounternehmen übergeben, das sich bei Ihnen melden wird.',
    disregard: 'Sollten Sie bereits gezahlt haben, betrachten Sie dieses Schreiben bitte als gegenstandslos.',
  },
  nb: {
    subjects: {
      reminder: 'Betalingspåminnelse',
      second_reminder: 'Andre betalingspåminnelse',
      final_notice: 'Inkassovarsel',
      collection_agency: 'Saken er oversendt til inkasso',
    },
    invoices: (n) => `${n} forfalte fakturaer`,
    greeting: (c) => `Til ${c},`,
    intro: (d) => `Ifølge våre opplysninger var følgende fakturaer ubetalt per ${d}:`,
    item: (i, a, d) =>
      `- ${i.invoiceNumber}, forfall ${i.dueDate} (${d} dager over forfall): ${a}, referanse ${i.paymentReference}`,
    disputed: (a) => ` (${a} under tvist kreves ikke)`,
    charges: {
      compensation: 'standardkompensasjon',
      interest: 'forsinkelsesrente',
      reminder_fee: 'purregebyr',
      collection_costs: 'inkassokostnader',
    },
    total: (a) => `Totalt utestående: ${a}`,
    pay: (p, acc) => `Vennligst betal innen ${p} til ${acc}, og oppgi referansen til hver faktura.`,
    next: {
      second_reminder: (p) => `Har vi ikke mottatt betalingen innen ${p}, sender vi en ny påminnelse.`,
      final_notice: (p) => `Har vi ikke mottatt betalingen innen ${p}, sender vi et inkassovarsel.`,
      collection_agency: (p) =>
        `Har vi ikke mottatt betalingen innen ${p}, oversender vi saken til inkasso, som vil kreve inkassokostnader.`,
      other: (p) =>
        `Har vi ikke mottatt betalingen innen ${p}, vil vi iverksette videre tiltak for å kreve inn beløpet.`,
    },
    handedOver: 'Saken er oversendt til inkasso, som vil kontakte deg.',
    disregard: 'Dersom beløpet allerede er betalt, kan du se bort fra dette brevet.',
  },
};

export const isLetterLanguage = (l: string): l is LetterLanguage => (LETTER_LANGUAGES as readonly string[]).includes(l);

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

export function dunningLetter(input: DunningLetterInput): { subject: string; text: string } {
  if (input.items.length === 0) throw new RangeError('A dunning letter lists at least one item');
  const language = isLetterLanguage(input.language) ? input.language : 'en';
  const w = wordings[language];
  const money = (amount: number, currency: string) => formatMoney({ amount, currency }, language);
  const totals = new Map<string, number>();
  for (const item of input.items) {
    const charged = (item.charges ?? []).reduce((sum, c) => sum + c.amount, 0);
    totals.set(item.currency, (totals.get(item.currency) ?? 0) + item.amountOutstanding + charged);
  }
  const title = w.subjects[input.levelName] ?? w.subjects.reminder!;
  const what = input.items.length === 1 ? input.items[0]!.invoiceNumber : w.invoices(input.items.length);
  const { seller } = input;
  const account = `${seller.name}, IBAN ${seller.iban}${seller.bic ? ` (BIC ${seller.bic})` : ''}`;
  const next =
    input.nextLevelName !== null
      ? (w.next[input.nextLevelName] ?? w.next.other!)(input.payBy)
      : input.levelName === 'collection_agency'
        ? w.handedOver
        : null;
  const text = [
    w.greeting(input.customerName),
    '',
    w.intro(input.letterDate),
    ...input.items.flatMap((i) => [
      w.item(i, money(i.amountOutstanding, i.currency), daysBetween(i.dueDate, input.letterDate)) +
        (i.disputedAmount ? w.disputed(money(i.disputedAmount, i.currency)) : ''),
      ...(i.charges ?? []).map((c) => `  + ${w.charges[c.kind]}: ${money(c.amount, i.currency)}`),
    ]),
    w.total([...totals].map(([currency, amount]) => money(amount, currency)).join(' + ')),
    '',
    w.pay(input.payBy, account),
    ...(next === null ? [] : [next]),
    w.disregard,
    '',
    seller.name,
    '',
  ].join('\n');
  return { subject: `${title}: ${what}`, text };
}
