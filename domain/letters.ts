import { formatMoney } from './money.js';

// Dunning letters in the customer's language. Plain text; the wording escalates with the level.
export const LETTER_LANGUAGES = ['en', 'nl', 'de', 'nb'] as const;
export type LetterLanguage = (typeof LETTER_LANGUAGES)[number];

export interface DunningLetterInput {
  language: string;
  levelName: string;
  customerName: string;
  invoiceNumber: string;
  dueDate: string;
  amountOutstanding: number;
  currency: string;
  paymentReference: string;
}

const subjects: Record<LetterLanguage, Record<string, string>> = {
  en: {
    reminder: 'Payment reminder',
    second_reminder: 'Second payment reminder',
    final_notice: 'Final notice before collection',
    collection_agency: 'Your account has been handed to a collection agency',
  },
  nl: {
    reminder: 'Betalingsherinnering',
    second_reminder: 'Tweede betalingsherinnering',
    final_notice: 'Laatste aanmaning',
    collection_agency: 'Uw dossier is overgedragen aan een incassobureau',
  },
  de: {
    reminder: 'Zahlungserinnerung',
    second_reminder: 'Zweite Zahlungserinnerung',
    final_notice: 'Letzte Mahnung',
    collection_agency: 'Übergabe an ein Inkassounternehmen',
  },
  nb: {
    reminder: 'Betalingspåminnelse',
    second_reminder: 'Andre betalingspåminnelse',
    final_notice: 'Inkassovarsel',
    collection_agency: 'Saken er oversendt til inkasso',
  },
};

const bodies: Record<LetterLanguage, (i: DunningLetterInput, amount: string) => string> = {
  en: (i, a) =>
    `Dear ${i.customerName},\n\nOur records show that invoice ${i.invoiceNumber}, due on ${i.dueDate}, still has ${a} outstanding.\nPlease pay this amount quoting payment reference ${i.paymentReference}.\nIf you have paid in the meantime, please disregard this letter.\n`,
  nl: (i, a) =>
    `Geachte ${i.customerName},\n\nVolgens onze administratie staat van factuur ${i.invoiceNumber}, vervallen op ${i.dueDate}, nog ${a} open.\nWij verzoeken u dit bedrag te betalen onder vermelding van betalingskenmerk ${i.paymentReference}.\nHeeft u inmiddels betaald, dan kunt u deze brief als niet verzonden beschouwen.\n`,
  de: (i, a) =>
    `Sehr geehrte Damen und Herren (${i.customerName}),\n\nzu Rechnung ${i.invoiceNumber}, fällig am ${i.dueDate}, sind noch ${a} offen.\nBitte überweisen Sie den Betrag unter Angabe der Zahlungsreferenz ${i.paymentReference}.\nSollten Sie bereits gezahlt haben, betrachten Sie dieses Schreiben bitte als gegenstandslos.\n`,
  nb: (i, a) =>
    `Til ${i.customerName},\n\nFaktura ${i.invoiceNumber} med forfall ${i.dueDate} har fortsatt ${a} utestående.\nVennligst betal beløpet med referanse ${i.paymentReference}.\nDersom beløpet allerede er betalt, kan du se bort fra dette brevet.\n`,
};

export const isLetterLanguage = (l: string): l is LetterLanguage => (LETTER_LANGUAGES as readonly string[]).includes(l);

export function dunningLetter(input: DunningLetterInput): { subject: string; text: string } {
  const language = isLetterLanguage(input.language) ? input.language : 'en';
  const amount = formatMoney({ amount: input.amountOutstanding, currency: input.currency }, language);
  const title = subjects[language][input.levelName] ?? subjects[language].reminder!;
  return { subject: `${title}: ${input.invoiceNumber}`, text: bodies[language](input, amount) };
}
