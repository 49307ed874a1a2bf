/**
 * Every word the invoice PDF prints, per customer language (the same four the dunning letters speak). One object
 * per language with the same keys; test/documents/pdf.test.ts checks that no key is missing or empty anywhere.
 * Templates use {placeholders} that documents/pdf.ts fills in.
 *
 * Legal wording, and why:
 * - German credit note title "Rechnungskorrektur", not "Gutschrift": since 2013 § 14 Abs. 4 Satz 1 Nr. 10 UStG
 *   reserves "Gutschrift" for self-billing (the customer invoices itself, § 14 Abs. 2 Satz 2 UStG). A seller's
 *   corrective document called "Gutschrift" invites confusion with that (and the § 14c UStG risk German tax
 *   advisers warn about), so German B2B practice calls it "Rechnungskorrektur" (or "Stornorechnung" for a full
 *   reversal). The document is still a credit note (UNTDID 1001 code 381) in the UBL.
 * - Reverse charge (VAT Directive art. 226(11a) asks for the mention "Reverse charge"): nl "Btw verlegd"
 *   (art. 35a Wet OB 1968), de "Steuerschuldnerschaft des Leistungsempfängers" (§ 14a Abs. 5 UStG), nb "Omvendt
 *   avgiftsplikt".
 * - Exemptions (art. 226(11)): a text that says the supply is exempt; pdf.ts adds the article of Directive
 *   2006/112/EC for K and G when the seller is in the EU, and for E when the VATEX code names one.
 *
 * Dates: nl dd-mm-yyyy, de and nb dd.mm.yyyy (the national conventions), en yyyy-mm-dd (ISO 8601: an English
 * invoice goes to readers on both sides of the Atlantic, and 02/11/2026 would be read two ways).
 */

export const PDF_LANGUAGES = ['nl', 'en', 'nb', 'de'] as const;
export type PdfLanguage = (typeof PDF_LANGUAGES)[number];

export type DateOrder = 'dd-mm-yyyy' | 'dd.mm.yyyy' | 'yyyy-mm-dd';

/** Categories that need a printed reason on the document (EN 16931 BR-AE/IC/G/E/O-10, VAT Directive art. 226). */
export type NotedVatCategory = 'AE' | 'K' | 'G' | 'E' | 'O';

export interface PdfLabels {
  /** Locale for formatMoney (group and decimal separators). */
  readonly locale: string;
  readonly dateOrder: DateOrder;
  /** Between a number and "%": "21%" (nl, en) or "19 %" (de, nb). */
  readonly percentSpace: boolean;
  readonly title: { readonly invoice: string; readonly creditNote: string };
  readonly number: { readonly invoice: string; readonly creditNote: string };
  readonly issueDate: { readonly invoice: string; readonly creditNote: string };
  readonly deliveryDate: string;
  readonly deliveryCountry: string;
  readonly dueDate: string;
  readonly buyerReference: string;
  readonly orderReference: string;
  readonly currency: string;
  /** Label of the corrected invoice on a credit note (BG-3), and how its number and date read. */
  readonly correctsInvoice: string;
  readonly precedingInvoice: string;
  readonly customer: string;
  readonly vatId: string;
  /** BT-32 when it is an identifier (a German Steuernummer); a plain word like "Foretaksregisteret" prints alone. */
  readonly taxRegistration: string;
  /** BT-30 / BT-47 by ISO 6523 ICD scheme, and for any other scheme. */
  readonly registration: {
    readonly '0106': string;
    readonly '0192': string;
    readonly '0208': string;
    readonly other: string;
  };
  readonly phone: string;
  readonly email: string;
  readonly note: string;
  readonly continued: string;
  readonly page: string;
  readonly amountsIn: string;
  readonly table: {
    readonly description: string;
    readonly quantity: string;
    readonly unit: string;
    readonly unitPrice: string;
    readonly discount: string;
    readonly vat: string;
    readonly net: string;
    readonly sku: string;
  };
  readonly allowancesCharges: string;
  readonly percentOf: string;
  readonly totals: {
    readonly sumOfLines: string;
    readonly allowances: string;
    readonly charges: string;
    readonly totalWithoutVat: string;
    readonly vat: string;
    readonly totalWithVat: string;
    readonly prepaid: string;
    readonly rounding: string;
    readonly amountDue: { readonly invoice: string; readonly creditNote: string };
  };
  readonly vatBreakdown: {
    readonly heading: string;
    readonly category: string;
    readonly taxable: string;
    readonly vat: string;
  };
  /** Short names in the VAT breakdown; S is printed as its rate alone, Z with its rate. */
  readonly vatCategory: { readonly Z: string } & Readonly<Record<NotedVatCategory, string>>;
  /** The statement printed under the VAT breakdown for each category that needs a reason (no final period). */
  readonly exemption: Readonly<Record<NotedVatCategory, string>>;
  /** How the Directive is cited: "{article}" is e.g. "138" or "132(1)(g)". */
  readonly directiveArticle: string;
  readonly payment: {
    readonly heading: { readonly invoice: string; readonly creditNote: string };
    readonly terms: string;
    readonly termsDays: string;
    readonly termsImmediate: string;
    readonly iban: string;
    readonly bic: string;
    readonly account: string;
    readonly accountHolder: string;
    readonly reference: string;
    readonly kid: string;
    readonly instruction: { readonly invoice: string; readonly creditNote: string };
  };
  /** UN/ECE Recommendation 20 units as printed; other codes print as the code. */
  readonly units: Readonly<Record<(typeof UNIT_CODES)[number], string>>;
  /** ISO 3166-1 alpha-2 names; other codes print as the code. */
  readonly countries: Readonly<Record<(typeof COUNTRY_CODES)[number], string>>;
}

export const UNIT_CODES = [
  'C62',
  'H87',
  'EA',
  'HUR',
  'DAY',
  'MON',
  'KGM',
  'GRM',
  'TNE',
  'MTR',
  'MTK',
  'MTQ',
  'LTR',
  'KWH',
  'SET',
  'PK',
] as const;

export const COUNTRY_CODES = [
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
  'NO',
  'IS',
  'LI',
  'CH',
  'GB',
  'US',
] as const;

const en: PdfLabels = {
  locale: 'en',
  dateOrder: 'yyyy-mm-dd',
  percentSpace: false,
  title: { invoice: 'Invoice', creditNote: 'Credit note' },
  number: { invoice: 'Invoice number', creditNote: 'Credit note number' },
  issueDate: { invoice: 'Invoice date', creditNote: 'Credit note date' },
  deliveryDate: 'Delivery date',
  deliveryCountry: 'Delivered to',
  dueDate: 'Due date',
  buyerReference: 'Your reference',
  orderReference: 'Order reference',
  currency: 'Currency',
  correctsInvoice: 'Corrects invoice',
  precedingInvoice: '{number} of {date}',
  customer: 'Customer',
  vatId: 'VAT no.',
  taxRegistration: 'Tax no.',
  registration: { '0106': 'KvK no.', '0192': 'Org. no.', '0208': 'Enterprise no.', other: 'Registration no.' },
  phone: 'Tel.',
  email: 'Email',
  note: 'Note',
  continued: 'continued',
  page: 'Page {page} of {pages}',
  amountsIn: 'Amounts in {currency}',
  table: {
    description: 'Description',
    quantity: 'Qty',
    unit: 'Unit',
    unitPrice: 'Unit price',
    discount: 'Discount',
    vat: 'VAT',
    net: 'Amount',
    sku: 'Item',
  },
  allowancesCharges: 'Discounts and charges on the total',
  percentOf: '{percent} of {base}',
  totals: {
    sumOfLines: 'Sum of lines',
    allowances: 'Discounts',
    charges: 'Charges',
    totalWithoutVat: 'Total excl. VAT',
    vat: 'VAT',
    totalWithVat: 'Total incl. VAT',
    prepaid: 'Paid in advance',
    rounding: 'Rounding',
    amountDue: { invoice: 'Amount due', creditNote: 'Amount credited' },
  },
  vatBreakdown: { heading: 'VAT summary', category: 'VAT rate', taxable: 'Taxable amount', vat: 'VAT amount' },
  vatCategory: {
    Z: 'zero-rated',
    AE: 'Reverse charge',
    K: 'Intra-Community supply',
    G: 'Export',
    E: 'Exempt',
    O: 'Not subject to VAT',
  },
  exemption: {
    AE: 'Reverse charge: the customer accounts for the VAT',
    K: 'Intra-Community supply of goods, exempt from VAT',
    G: 'Export, exempt from VAT',
    E: 'Exempt from VAT',
    O: 'Not subject to VAT',
  },
  directiveArticle: 'Article {article} of Directive 2006/112/EC',
  payment: {
    heading: { invoice: 'Payment', creditNote: 'Settlement' },
    terms: 'Payment terms',
    termsDays: 'Payment within {days} days of the invoice date',
    termsImmediate: 'Payable immediately',
    iban: 'IBAN',
    bic: 'BIC',
    account: 'Account number',
    accountHolder: 'Account holder',
    reference: 'Payment reference',
    kid: 'KID',
    instruction: {
      invoice: 'Please pay {amount} by {date}, quoting the payment reference {reference}.',
      creditNote: 'The amount will be set off against open invoices or refunded to you.',
    },
  },
  units: {
    C62: 'pcs',
    H87: 'pcs',
    EA: 'each',
    HUR: 'h',
    DAY: 'day',
    MON: 'month',
    KGM: 'kg',
    GRM: 'g',
    TNE: 't',
    MTR: 'm',
    MTK: 'm²',
    MTQ: 'm³',
    LTR: 'l',
    KWH: 'kWh',
    SET: 'set',
    PK: 'pack',
  },
  countries: {
    AT: 'Austria',
    BE: 'Belgium',
    BG: 'Bulgaria',
    CY: 'Cyprus',
    CZ: 'Czechia',
    DE: 'Germany',
    DK: 'Denmark',
    EE: 'Estonia',
    ES: 'Spain',
    FI: 'Finland',
    FR: 'France',
    GR: 'Greece',
    HR: 'Croatia',
    HU: 'Hungary',
    IE: 'Ireland',
    IT: 'Italy',
    LT: 'Lithuania',
    LU: 'Luxembourg',
    LV: 'Latvia',
    MT: 'Malta',
    NL: 'Netherlands',
    PL: 'Poland',
    PT: 'Portugal',
    RO: 'Romania',
    SE: 'Sweden',
    SI: 'Slovenia',
    SK: 'Slovakia',
    NO: 'Norway',
    IS: 'Iceland',
    LI: 'Liechtenstein',
    CH: 'Switzerland',
    GB: 'United Kingdom',
    US: 'United States',
  },
};

const nl: PdfLabels = {
  locale: 'nl',
  dateOrder: 'dd-mm-yyyy',
  percentSpace: false,
  title: { invoice: 'Factuur', creditNote: 'Creditnota' },
  number: { invoice: 'Factuurnummer', creditNote: 'Creditnotanummer' },
  issueDate: { invoice: 'Factuurdatum', creditNote: 'Creditnotadatum' },
  deliveryDate: 'Leverdatum',
  deliveryCountry: 'Geleverd in',
  dueDate: 'Vervaldatum',
  buyerReference: 'Uw referentie',
  orderReference: 'Orderreferentie',
  currency: 'Valuta',
  correctsInvoice: 'Correctie op factuur',
  precedingInvoice: '{number} van {date}',
  customer: 'Klant',
  vatId: 'Btw-nummer',
  taxRegistration: 'Fiscaal nummer',
  registration: { '0106': 'KvK-nummer', '0192': 'Org.nr.', '0208': 'Ondernemingsnr.', other: 'Registratienummer' },
  phone: 'Tel.',
  email: 'E-mail',
  note: 'Opmerking',
  continued: 'vervolg',
  page: 'Pagina {page} van {pages}',
  amountsIn: 'Bedragen in {currency}',
  table: {
    description: 'Omschrijving',
    quantity: 'Aantal',
    unit: 'Eenheid',
    unitPrice: 'Prijs',
    discount: 'Korting',
    vat: 'Btw',
    net: 'Bedrag',
    sku: 'Art.nr.',
  },
  allowancesCharges: 'Kortingen en toeslagen op het totaal',
  percentOf: '{percent} van {base}',
  totals: {
    sumOfLines: 'Totaal regels',
    allowances: 'Kortingen',
    charges: 'Toeslagen',
    totalWithoutVat: 'Totaal excl. btw',
    vat: 'Btw',
    totalWithVat: 'Totaal incl. btw',
    prepaid: 'Reeds betaald',
    rounding: 'Afronding',
    amountDue: { invoice: 'Te betalen', creditNote: 'Te crediteren' },
  },
  vatBreakdown: { heading: 'Btw-specificatie', category: 'Btw-tarief', taxable: 'Grondslag', vat: 'Btw-bedrag' },
  vatCategory: {
    Z: 'nultarief',
    AE: 'Btw verlegd',
    K: 'Intracommunautaire levering',
    G: 'Export',
    E: 'Vrijgesteld',
    O: 'Niet onderworpen aan btw',
  },
  exemption: {
    AE: 'Btw verlegd: de afnemer voldoet de btw',
    K: 'Intracommunautaire levering van goederen, vrijgesteld van btw',
    G: 'Export, vrijgesteld van btw',
    E: 'Vrijgesteld van btw',
    O: 'Niet onderworpen aan btw',
  },
  directiveArticle: 'artikel {article} Btw-richtlijn 2006/112/EG',
  payment: {
    heading: { invoice: 'Betaling', creditNote: 'Verrekening' },
    terms: 'Betalingsvoorwaarden',
    termsDays: 'Betaling binnen {days} dagen na factuurdatum',
    termsImmediate: 'Direct te voldoen',
    iban: 'IBAN',
    bic: 'BIC',
    account: 'Rekeningnummer',
    accountHolder: 'Ten name van',
    reference: 'Betalingskenmerk',
    kid: 'KID',
    instruction: {
      invoice: 'Gelieve {amount} uiterlijk {date} over te maken onder vermelding van betalingskenmerk {reference}.',
      creditNote: 'Het bedrag wordt verrekend met openstaande facturen of aan u terugbetaald.',
    },
  },
  units: {
    C62: 'st.',
    H87: 'st.',
    EA: 'st.',
    HUR: 'uur',
    DAY: 'dag',
    MON: 'mnd',
    KGM: 'kg',
    GRM: 'g',
    TNE: 't',
    MTR: 'm',
    MTK: 'm²',
    MTQ: 'm³',
    LTR: 'l',
    KWH: 'kWh',
    SET: 'set',
    PK: 'pak',
  },
  countries: {
    AT: 'Oostenrijk',
    BE: 'België',
    BG: 'Bulgarije',
    CY: 'Cyprus',
    CZ: 'Tsjechië',
    DE: 'Duitsland',
    DK: 'Denemarken',
    EE: 'Estland',
    ES: 'Spanje',
    FI: 'Finland',
    FR: 'Frankrijk',
    GR: 'Griekenland',
    HR: 'Kroatië',
    HU: 'Hongarije',
    IE: 'Ierland',
    IT: 'Italië',
    LT: 'Litouwen',
    LU: 'Luxemburg',
    LV: 'Letland',
    MT: 'Malta',
    NL: 'Nederland',
    PL: 'Polen',
    PT: 'Portugal',
    RO: 'Roemenië',
    SE: 'Zweden',
    SI: 'Slovenië',
    SK: 'Slowakije',
    NO: 'Noorwegen',
    IS: 'IJsland',
    LI: 'Liechtenstein',
    CH: 'Zwitserland',
    GB: 'Verenigd Koninkrijk',
    US: 'Verenigde Staten',
  },
};

const de: PdfLabels = {
  locale: 'de',
  dateOrder: 'dd.mm.yyyy',
  percentSpace: true,
  title: { invoice: 'Rechnung', creditNote: 'Rechnungskorrektur' },
  number: { invoice: 'Rechnungsnummer', creditNote: 'Korrekturnummer' },
  issueDate: { invoice: 'Rechnungsdatum', creditNote: 'Datum' },
  deliveryDate: 'Liefer-/Leistungsdatum',
  deliveryCountry: 'Lieferland',
  dueDate: 'Fällig am',
  buyerReference: 'Ihre Referenz',
  orderReference: 'Bestellreferenz',
  currency: 'Währung',
  correctsInvoice: 'Korrektur zu Rechnung',
  precedingInvoice: '{number} vom {date}',
  customer: 'Kunde',
  vatId: 'USt-IdNr.',
  taxRegistration: 'Steuernummer',
  registration: { '0106': 'KvK-Nr.', '0192': 'Org.-Nr.', '0208': 'Unternehmensnr.', other: 'Registernummer' },
  phone: 'Tel.',
  email: 'E-Mail',
  note: 'Hinweis',
  continued: 'Fortsetzung',
  page: 'Seite {page} von {pages}',
  amountsIn: 'Beträge in {currency}',
  table: {
    description: 'Beschreibung',
    quantity: 'Menge',
    unit: 'Einheit',
    unitPrice: 'Einzelpreis',
    discount: 'Rabatt',
    vat: 'USt.',
    net: 'Betrag',
    sku: 'Art.-Nr.',
  },
  allowancesCharges: 'Nachlässe und Zuschläge auf den Gesamtbetrag',
  percentOf: '{percent} von {base}',
  totals: {
    sumOfLines: 'Summe Positionen',
    allowances: 'Nachlässe',
    charges: 'Zuschläge',
    totalWithoutVat: 'Gesamt netto',
    vat: 'Umsatzsteuer',
    totalWithVat: 'Gesamt brutto',
    prepaid: 'Bereits gezahlt',
    rounding: 'Rundung',
    amountDue: { invoice: 'Zahlbetrag', creditNote: 'Korrekturbetrag' },
  },
  vatBreakdown: { heading: 'Umsatzsteuer', category: 'Steuersatz', taxable: 'Nettobetrag', vat: 'Steuerbetrag' },
  vatCategory: {
    Z: 'Nullsatz',
    AE: 'Steuerschuldnerschaft des Leistungsempfängers',
    K: 'Innergemeinschaftliche Lieferung',
    G: 'Ausfuhrlieferung',
    E: 'Steuerfrei',
    O: 'Nicht steuerbar',
  },
  exemption: {
    AE: 'Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)',
    K: 'Steuerfreie innergemeinschaftliche Lieferung',
    G: 'Steuerfreie Ausfuhrlieferung',
    E: 'Steuerfreier Umsatz',
    O: 'Nicht steuerbarer Umsatz',
  },
  directiveArticle: 'Art. {article} MwStSystRL 2006/112/EG',
  payment: {
    heading: { invoice: 'Zahlung', creditNote: 'Verrechnung' },
    terms: 'Zahlungsbedingungen',
    termsDays: 'Zahlbar innerhalb von {days} Tagen ab Rechnungsdatum ohne Abzug',
    termsImmediate: 'Sofort zahlbar ohne Abzug',
    iban: 'IBAN',
    bic: 'BIC',
    account: 'Kontonummer',
    accountHolder: 'Kontoinhaber',
    reference: 'Zahlungsreferenz',
    kid: 'KID',
    instruction: {
      invoice: 'Bitte überweisen Sie {amount} bis zum {date} unter Angabe der Zahlungsreferenz {reference}.',
      creditNote: 'Der Betrag wird mit offenen Rechnungen verrechnet oder Ihnen erstattet.',
    },
  },
  units: {
    C62: 'Stk.',
    H87: 'Stk.',
    EA: 'Stk.',
    HUR: 'Std.',
    DAY: 'Tag',
    MON: 'Monat',
    KGM: 'kg',
    GRM: 'g',
    TNE: 't',
    MTR: 'm',
    MTK: 'm²',
    MTQ: 'm³',
    LTR: 'l',
    KWH: 'kWh',
    SET: 'Satz',
    PK: 'Pkg.',
  },
  countries: {
    AT: 'Österreich',
    BE: 'Belgien',
    BG: 'Bulgarien',
    CY: 'Zypern',
    CZ: 'Tschechien',
    DE: 'Deutschland',
    DK: 'Dänemark',
    EE: 'Estland',
    ES: 'Spanien',
    FI: 'Finnland',
    FR: 'Frankreich',
    GR: 'Griechenland',
    HR: 'Kroatien',
    HU: 'Ungarn',
    IE: 'Irland',
    IT: 'Italien',
    LT: 'Litauen',
    LU: 'Luxemburg',
    LV: 'Lettland',
    MT: 'Malta',
    NL: 'Niederlande',
    PL: 'Polen',
    PT: 'Portugal',
    RO: 'Rumänien',
    SE: 'Schweden',
    SI: 'Slowenien',
    SK: 'Slowakei',
    NO: 'Norwegen',
    IS: 'Island',
    LI: 'Liechtenstein',
    CH: 'Schweiz',
    GB: 'Vereinigtes Königreich',
    US: 'Vereinigte Staaten',
  },
};

const nb: PdfLabels = {
  locale: 'nb',
  dateOrder: 'dd.mm.yyyy',
  percentSpace: true,
  title: { invoice: 'Faktura', creditNote: 'Kreditnota' },
  number: { invoice: 'Fakturanummer', creditNote: 'Kreditnotanummer' },
  issueDate: { invoice: 'Fakturadato', creditNote: 'Kreditnotadato' },
  deliveryDate: 'Leveringsdato',
  deliveryCountry: 'Levert til',
  dueDate: 'Forfallsdato',
  buyerReference: 'Deres referanse',
  orderReference: 'Ordrereferanse',
  currency: 'Valuta',
  correctsInvoice: 'Krediterer faktura',
  precedingInvoice: '{number} datert {date}',
  customer: 'Kunde',
  vatId: 'MVA-nr.',
  taxRegistration: 'Skattenr.',
  registration: { '0106': 'KvK-nr.', '0192': 'Org.nr.', '0208': 'Foretaksnr.', other: 'Registreringsnr.' },
  phone: 'Tlf.',
  email: 'E-post',
  note: 'Merknad',
  continued: 'fortsettelse',
  page: 'Side {page} av {pages}',
  amountsIn: 'Beløp i {currency}',
  table: {
    description: 'Beskrivelse',
    quantity: 'Antall',
    unit: 'Enhet',
    unitPrice: 'Enhetspris',
    discount: 'Rabatt',
    vat: 'MVA',
    net: 'Beløp',
    sku: 'Varenr.',
  },
  allowancesCharges: 'Rabatter og tillegg på totalen',
  percentOf: '{percent} av {base}',
  totals: {
    sumOfLines: 'Sum linjer',
    allowances: 'Rabatter',
    charges: 'Tillegg',
    totalWithoutVat: 'Sum ekskl. MVA',
    vat: 'MVA',
    totalWithVat: 'Sum inkl. MVA',
    prepaid: 'Forskuddsbetalt',
    rounding: 'Øreavrunding',
    amountDue: { invoice: 'Å betale', creditNote: 'Kreditert beløp' },
  },
  vatBreakdown: { heading: 'MVA-spesifikasjon', category: 'MVA-sats', taxable: 'Grunnlag', vat: 'MVA-beløp' },
  vatCategory: {
    Z: 'fritatt',
    AE: 'Omvendt avgiftsplikt',
    K: 'Leveranse innenfor EU',
    G: 'Utførsel',
    E: 'Unntatt',
    O: 'Utenfor merverdiavgiftsloven',
  },
  exemption: {
    AE: 'Omvendt avgiftsplikt: kjøper beregner og betaler merverdiavgiften',
    K: 'Varelevering til et annet EU-land, fritatt for merverdiavgift',
    G: 'Utførsel, fritatt for merverdiavgift',
    E: 'Unntatt fra merverdiavgift',
    O: 'Utenfor merverdiavgiftsloven',
  },
  directiveArticle: 'artikkel {article} i direktiv 2006/112/EF',
  payment: {
    heading: { invoice: 'Betaling', creditNote: 'Oppgjør' },
    terms: 'Betalingsbetingelser',
    termsDays: '{days} dager netto fra fakturadato',
    termsImmediate: 'Betales umiddelbart',
    iban: 'IBAN',
    bic: 'BIC',
    account: 'Kontonummer',
    accountHolder: 'Kontoinnehaver',
    reference: 'Betalingsreferanse',
    kid: 'KID',
    instruction: {
      invoice: 'Vennligst betal {amount} innen {date} og oppgi {reference} ved betaling.',
      creditNote: 'Beløpet blir motregnet mot åpne fakturaer eller tilbakebetalt til dere.',
    },
  },
  units: {
    C62: 'stk',
    H87: 'stk',
    EA: 'stk',
    HUR: 't',
    DAY: 'dag',
    MON: 'mnd',
    KGM: 'kg',
    GRM: 'g',
    TNE: 'tonn',
    MTR: 'm',
    MTK: 'm²',
    MTQ: 'm³',
    LTR: 'l',
    KWH: 'kWh',
    SET: 'sett',
    PK: 'pk',
  },
  countries: {
    AT: 'Østerrike',
    BE: 'Belgia',
    BG: 'Bulgaria',
    CY: 'Kypros',
    CZ: 'Tsjekkia',
    DE: 'Tyskland',
    DK: 'Danmark',
    EE: 'Estland',
    ES: 'Spania',
    FI: 'Finland',
    FR: 'Frankrike',
    GR: 'Hellas',
    HR: 'Kroatia',
    HU: 'Ungarn',
    IE: 'Irland',
    IT: 'Italia',
    LT: 'Litauen',
    LU: 'Luxembourg',
    LV: 'Latvia',
    MT: 'Malta',
    NL: 'Nederland',
    PL: 'Polen',
    PT: 'Portugal',
    RO: 'Romania',
    SE: 'Sverige',
    SI: 'Slovenia',
    SK: 'Slovakia',
    NO: 'Norge',
    IS: 'Island',
    LI: 'Liechtenstein',
    CH: 'Sveits',
    GB: 'Storbritannia',
    US: 'USA',
  },
};

export const PDF_LABELS: Readonly<Record<PdfLanguage, PdfLabels>> = { nl, en, nb, de };

export function isPdfLanguage(language: string): language is PdfLanguage {
  return (PDF_LANGUAGES as readonly string[]).includes(language);
}
