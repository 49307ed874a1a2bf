// The labelled data of `npm run bench:matching`: customers, open and settled invoices, and bank lines carrying the
// noise real remittances carry, each line with what it really pays. Seeded: the same size and seed, the same data.
import type {
  Allocation,
  KnownCustomer,
  MatchLine,
  MatchPolicy,
  OpenItem,
  SettledItem,
} from '../domain/cash-matching.js';
import { kidMod10, rfReference } from '../domain/payment-reference.js';

// ---------------------------------------------------------------------------------------------------------------
// The noise mix: share of lines by what the payer wrote (percent).

export const MIX = {
  reference: 40, // a valid RF or KID: structured field (electronic or print form) or written in the text
  number: 20, // the invoice number in the text: separators, prefixes, lower case, leading zeros dropped
  typo: 8, // the number with one wrong digit or two adjacent digits swapped
  iban: 8, // only the payer's (known) IBAN and the exact amount
  name: 6, // only the payer's name (capitals, SEPA transliteration, no legal form, cut, a typo) from a new IBAN
  multi: 5, // one payment for 2-4 of the customer's 10 oldest open invoices; the text names none, some or all
  partial: 5, // 20-80% of the open amount, with the reference or the number
  short: 3, // short by 1 minor unit up to the tolerance (bank charges), with the reference or the number
  duplicate: 2, // the same payment twice: half a second line in the file, half an invoice already settled
  unknown: 3, // a payer who owes nothing: unknown name and IBAN, any amount, sometimes an invoice-like number
} as const;
export type Category = keyof typeof MIX;
export const CATEGORIES = Object.keys(MIX) as Category[];

export const NOISE_NOTES = {
  payer:
    'every line but "iban" carries the payer name (as registered, in capitals, in capitals without legal form, ' +
    'cut at 18 characters, or with one letter wrong); ' +
    'a customer has 1-2 IBANs, each learned (known) with probability 0.85',
  ledger:
    'customers = N/10 (Dutch, German, Norwegian; invoices per customer skewed), open items = 1.2 N, ' +
    'amounts log-uniform 10-20,000 (5% at five subscription prices), entities NL1/DE1 (EUR, RF) and NO1 (NOK, KID) ' +
    'with overlapping invoice sequences, settled items = 5% of N plus the settled duplicates',
  text: 'remittance text mixes greetings, customer numbers, PO numbers and dates; 5% of lines an order number',
  input: 'lines, items and customers are cloned after generation, as plain objects with flat strings (as parsed)',
};

const KNOWN_IBAN_SHARE = 0.85;
const OPEN_ITEMS_PER_LINE = 1.2;

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32)

interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: (xs) => xs[int(xs.length)]!, chance: (p) => next() < p };
}

function shuffle<T>(xs: T[], r: Rng): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

const digits = (n: number, r: Rng): string => Array.from({ length: n }, () => r.int(10)).join('');

// ---------------------------------------------------------------------------------------------------------------
// Companies

interface Country {
  code: 'NL' | 'DE' | 'NO';
  share: number;
  entity: { prefix: string; entityNo: number; currency: string; scheme: 'rf' | 'kid' };
  trades: string[];
  roots: string[];
  suffixes: string[];
  places: string[];
  legalForms: string[];
}

const COUNTRIES: Country[] = [
  {
    code: 'NL',
    share: 0.5,
    entity: { prefix: 'NL1', entityNo: 1, currency: 'EUR', scheme: 'rf' },
    trades:
      'Bakkerij Installatiebedrijf Transport Bouwbedrijf Drukkerij Autobedrijf Hoveniersbedrijf Schildersbedrijf Kaashandel Groothandel Metaalbewerking Adviesbureau Slagerij Loodgietersbedrijf Timmerfabriek Elektrotechniek Logistiek Vishandel Tegelhandel Zonwering'.split(
        ' ',
      ),
    roots:
      'Berg Veld Hoek Broek Dijk Meer Bosch Kamp Horst Water Laan Beek Wijk Dam Hof Steen Bruin Groot Klein Smit Vries Jans Bakker Visser Mulder Kok Boer Meijer'.split(
        ' ',
      ),
    suffixes: ['man', 'sen', 'stra', 'ink', 'ma', 'hout', 'kamp', 'veld', 'berg', 'huis', 'dijk', 'hof', 's', 'ers'],
    places:
      'Utrecht Amersfoort Zwolle Leiden Delft Breda Tilburg Almere Haarlem Arnhem Nijmegen Enschede Venlo Alkmaar Assen Emmen Gouda Hoorn Deventer Zeist'.split(
        ' ',
      ),
    legalForms: ['B.V.', 'B.V.', 'BV', 'N.V.', 'V.O.F.', ''],
  },
  {
    code: 'DE',
    share: 0.25,
    entity: { prefix: 'DE1', entityNo: 3, currency: 'EUR', scheme: 'rf' },
    trades:
      'Maschinenbau Logistik Bäckerei Elektrotechnik Metallbau Haustechnik Druckerei Autohaus Baustoffe Gartenbau Fleischerei Holzbau Spedition Feinmechanik Kältetechnik'.split(
        ' ',
      ),
    roots:
      'Müller Schröder Schäfer Köhler Weiß Groß Krüger Böhm Wagner Becker Hoffmann Schulz Koch Richter Wolf Neumann Zimmermann Braun Hartmann Lange Schmitt Werner Krause Meier Lehmann Schmid Maier Köster Vogel Jäger'.split(
        ' ',
      ),
    suffixes: ['', '', 'mann', 'er', 'hof', 'feld', 'bach', 'berg', 'stein', 'haus', 'dorf'],
    places:
      'Köln Düsseldorf Essen Dortmund Münster Bielefeld Hannover Kassel Mainz Bonn Aachen Krefeld Bochum Wuppertal Siegen'.split(
        ' ',
      ),
    legalForms: ['GmbH', 'GmbH', 'GmbH & Co. KG', 'AG', 'e.K.', 'KG'],
  },
  {
    code: 'NO',
    share: 0.25,
    entity: { prefix: 'NO1', entityNo: 2, currency: 'NOK', scheme: 'kid' },
    trades:
      'Bygg Elektro Rør Transport Maskin Regnskap Eiendom Fisk Tre Data Entreprenør Snekkeri Bilverksted Maling Handel'.split(
        ' ',
      ),
    roots: 'Fjord Nord Berg Dal Vik Strand Lien Haug Bakke Skog Øst Sjø Fjell Holm Nes Sol Stein Lund Bø Å'.split(' '),
    suffixes: ['sen', 'stad', 'land', 'heim', 'rud', 'vik', 'dal', 'berg', 'lie', 'gård', 'nes', 'by', 'set', 'bø'],
    places: 'Oslo Bergen Trondheim Stavanger Tromsø Bodø Ålesund Drammen Hamar Molde Harstad Arendal Gjøvik'.split(' '),
    legalForms: ['AS', 'AS', 'AS', 'ASA', 'A/S', 'ANS', 'DA'],
  },
];

interface Customer {
  id: string;
  country: Country;
  /** Without the legal form. */
  base: string;
  name: string;
  ibans: string[];
  knownIbans: string[];
}

/** A company name no other company has: trade and a surname, in either order, sometimes a place. */
function companyBase(country: Country, r: Rng, taken: Set<string>): string {
  for (;;) {
    const surname = `${r.pick(country.roots)}${r.pick(country.suffixes)}`;
    const trade = r.pick(country.trades);
    const core = r.chance(0.5) ? `${trade} ${surname}` : `${surname} ${trade}`;
    const base = r.chance(0.5) ? `${core} ${r.pick(country.places)}` : core;
    if (!taken.has(base.toLowerCase())) {
      taken.add(base.toLowerCase());
      return base;
    }
  }
}

/** An IBAN with valid ISO 7064 check digits. */
function iban(country: Country['code'], r: Rng): string {
  const bban =
    country === 'NL'
      ? `${r.pick(['ABNA', 'INGB', 'RABO', 'SNSB', 'TRIO'])}${digits(10, r)}`
      : digits(country === 'DE' ? 18 : 11, r);
  let rem = 0;
  for (const ch of `${bban}${country}00`) {
    const v = parseInt(ch, 36);
    rem = (v < 10 ? rem * 10 + v : rem * 100 + v) % 97;
  }
  return `${country}${String(98 - rem).padStart(2, '0')}${bban}`;
}

function pickCountry(r: Rng): Country {
  const u = r.next();
  let acc = 0;
  for (const c of COUNTRIES) if (u < (acc += c.share)) return c;
  return COUNTRIES[0]!;
}

// ---------------------------------------------------------------------------------------------------------------
// How payers write things

const SEPA_CHARSET: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ø: 'o', æ: 'ae', å: 'a', é: 'e' };
const sepaUpper = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[äöüßøæåé]/g, (c) => SEPA_CHARSET[c] ?? c)
    .toUpperCase();

/** As registered, in SEPA capitals, without the legal form; 20% cut at 18 characters or with one letter wrong. */
function payerName(c: Customer, r: Rng): string {
  const u = r.next();
  if (u < 0.35) return c.name;
  if (u < 0.6) return sepaUpper(c.name);
  if (u < 0.8) return sepaUpper(c.base);
  const name = sepaUpper(c.name);
  if (u < 0.9) return name.slice(0, 18).trimEnd();
  const at = r.int(name.length);
  return /[A-Z]/.test(name[at]!) ? `${name.slice(0, at)}${name[at] === 'X' ? 'Y' : 'X'}${name.slice(at + 1)}` : name;
}

const GREETINGS = [
  '',
  '',
  'Betaling',
  'Payment',
  'Zahlung',
  'Thank you',
  'Dank u wel',
  'Vielen Dank',
  'Takk',
  'Betaling faktura',
];

function noise(r: Rng): string {
  const parts = [r.pick(GREETINGS)];
  if (r.chance(0.15)) parts.push(`klantnr ${10_000 + r.int(90_000)}`);
  if (r.chance(0.1)) parts.push(`PO 45000${digits(5, r)}`);
  if (r.chance(0.1)) parts.push(`${1 + r.int(28)}.${1 + r.int(12)}.2026`);
  if (r.chance(0.05)) parts.push(`order 2026-${r.int(10_000)}`);
  return parts.filter((p) => p !== '').join(' ');
}

/** The invoice number as payers write it; `numeric` replaces year + sequence (10 digits) for a typo. */
function writeNumber(number: string, r: Rng, numeric?: string): string {
  const [prefix, inv, year0, seq0] = number.split('-') as [string, string, string, string];
  const year = numeric?.slice(0, 4) ?? year0;
  const seq = numeric?.slice(4) ?? seq0;
  const forms = [
    `${prefix}-${inv}-${year}-${seq}`,
    `${prefix}-${inv}-${year}-${seq}`.toLowerCase(),
    `${prefix} ${inv} ${year} ${seq}`,
    `${prefix}/${inv}/${year}/${seq}`,
    `${prefix}${inv}${year}${seq}`,
    `${prefix}.${inv}.${year}.${seq}`,
    `${inv}-${year}-${seq}`,
    `${year}-${seq}`,
    `${year}${seq}`,
    `${inv} ${year}-${Number(seq)}`,
  ];
  const written = r.pick(forms);
  const frame = r.pick([
    '{}',
    'Factuur {}',
    'factuurnr {}',
    'Invoice no. {}',
    'Rechnung Nr. {}',
    'Faktura {}',
    'RE: {}',
  ]);
  return [frame.replace('{}', written), noise(r)].filter((p) => p !== '').join(' ');
}

/** One wrong digit or one swap of two different adjacent digits. */
function typo(numeric: string, r: Rng): string {
  const d = numeric.split('');
  for (;;) {
    const p = r.int(d.length);
    if (r.chance(0.5)) {
      const was = d[p]!;
      let to = String(r.int(10));
      while (to === was) to = String(r.int(10));
      d[p] = to;
      return d.join('');
    }
    if (p + 1 < d.length && d[p] !== d[p + 1]) {
      [d[p], d[p + 1]] = [d[p + 1]!, d[p]!];
      return d.join('');
    }
  }
}

const printForm = (ref: string): string => ref.replace(/(.{4})/g, '$1 ').trim();

// ---------------------------------------------------------------------------------------------------------------
// The data set

interface Invoice extends OpenItem {
  paymentReference: string;
  customer: Customer;
}

/** What a line really pays; null for a line that should not be applied. */
export type Truth = { category: Category; pays: Allocation[] | null };

export interface DataSet {
  lines: MatchLine[];
  truth: Truth[];
  openItems: OpenItem[];
  settled: SettledItem[];
  customers: KnownCustomer[];
}

export function generate(n: number, seed: number, policy: MatchPolicy): DataSet {
  const r = rng(seed * 1_000_003 + n);
  const customers = makeCustomers(Math.max(10, Math.round(n / 10)), r);
  const numbering = new Map<string, number>();
  const newInvoice = (customer: Customer): Invoice => makeInvoice(customer, numbering, r);
  const invoices = Array.from({ length: Math.round(n * OPEN_ITEMS_PER_LINE) }, () =>
    newInvoice(customers[Math.floor(customers.length * r.next() ** 1.5)]!),
  );
  const settled: SettledItem[] = [];
  const settle = (inv: Invoice): void => {
    const { invoiceId, number, customerId, currency, openAmount, paymentReference } = inv;
    settled.push({ invoiceId, number, customerId, currency, total: openAmount, paymentReference });
  };
  const made = makeLines(n, invoices, customers, newInvoice, settle, r, policy);
  // As a bank file parser or the database hands them over: fresh plain objects and flat strings, not the
  // generator's objects and pieces of concatenated strings. One part at a time, its originals dropped once copied:
  // the generator's objects and all their copies at once would make generation, not matching, the child's peak RSS.
  const truth = made.map((m) => m.truth);
  const lines = structuredClone(made.map((m, lineIndex): MatchLine => ({ ...m.line, lineIndex })));
  made.length = 0;
  const openItems = structuredClone(invoices.map(({ customer: _customer, ...item }): OpenItem => item));
  invoices.length = 0;
  return {
    lines,
    openItems,
    ...structuredClone({
      settled,
      customers: customers.map((c): KnownCustomer => ({ customerId: c.id, name: c.name, ibans: c.knownIbans })),
    }),
    truth,
  };
}

/** The settled items, then the lines in file order with what each really pays; the ledger is garbage on return. */
function makeLines(
  n: number,
  invoices: Invoice[],
  customers: Customer[],
  newInvoice: (customer: Customer) => Invoice,
  settle: (inv: Invoice) => void,
  r: Rng,
  policy: MatchPolicy,
): { line: MatchLine; truth: Truth }[] {
  const book = new Ledger(invoices, r);
  for (let i = 0; i < Math.round(n * 0.05); i++) settle(newInvoice(r.pick(customers)));
  const categories = Array.from({ length: n }, () => pickCategory(r));
  const made: { line: MatchLine; truth: Truth }[] = [];
  for (const category of categories.filter((c) => c !== 'duplicate')) {
    made.push(category === 'unknown' ? unknownPayer(r) : paying(category, book, r, policy));
  }
  const payingLines = made.filter((m) => m.truth.pays !== null);
  const duplicates = categories.filter((c) => c === 'duplicate').length;
  for (let i = 0; i < duplicates; i++) {
    if (r.chance(0.5)) {
      const original = r.pick(payingLines);
      made.push({ line: { ...original.line }, truth: { category: 'duplicate', pays: original.truth.pays } });
    } else {
      const inv = newInvoice(r.pick(customers));
      settle(inv);
      const again = paying(r.chance(0.5) ? 'reference' : 'number', new Ledger([inv], r), r, policy);
      made.push({ line: again.line, truth: { category: 'duplicate', pays: null } });
    }
  }
  shuffle(made, r);
  labelInFileDuplicates(made);
  return made;
}

function makeCustomers(count: number, r: Rng): Customer[] {
  const taken = new Set<string>();
  return Array.from({ length: count }, (_, i) => {
    const country = pickCountry(r);
    const base = companyBase(country, r, taken);
    const legal = r.pick(country.legalForms);
    const ibans = Array.from({ length: r.chance(0.2) ? 2 : 1 }, () => iban(country.code, r));
    return {
      id: `cus_${String(i + 1).padStart(7, '0')}`,
      country,
      base,
      name: legal === '' ? base : `${base} ${legal}`,
      ibans,
      knownIbans: ibans.filter(() => r.chance(KNOWN_IBAN_SHARE)),
    };
  });
}

const SUBSCRIPTION_PRICES = [4_900, 9_900, 14_900, 25_000, 49_900];

function makeInvoice(customer: Customer, numbering: Map<string, number>, r: Rng): Invoice {
  const { prefix, entityNo, currency, scheme } = customer.country.entity;
  const year = r.chance(0.2) ? 2025 : 2026;
  const series = `${prefix}-${year}`;
  const sequence = (numbering.get(series) ?? 0) + 1;
  numbering.set(series, sequence);
  const base = `${entityNo}${year}${String(sequence).padStart(7, '0')}`;
  const scale = currency === 'NOK' ? 10 : 1;
  const amount = r.chance(0.05)
    ? r.pick(SUBSCRIPTION_PRICES)
    : Math.round(1_000 * Math.exp(r.next() * Math.log(2_000)));
  const month = year === 2025 ? 10 + r.int(3) : 1 + r.int(3);
  return {
    invoiceId: `inv_${prefix}_${year}_${sequence}`,
    number: `${prefix}-INV-${year}-${String(sequence).padStart(6, '0')}`,
    customerId: customer.id,
    currency,
    openAmount: amount * scale,
    dueDate: `${year}-${String(month).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}`,
    paymentReference: scheme === 'rf' ? rfReference(base) : kidMod10(base),
    customer,
  };
}

function pickCategory(r: Rng): Category {
  let u = r.next() * 100;
  for (const c of CATEGORIES) if ((u -= MIX[c]) < 0) return c;
  return 'reference';
}

/** Invoices not yet paid by a generated line: drawn at random, or a customer's oldest. */
class Ledger {
  private readonly pool: Invoice[];
  private readonly used = new Set<Invoice>();
  private readonly byCustomer = new Map<Customer, Invoice[]>();

  constructor(
    invoices: Invoice[],
    private readonly r: Rng,
  ) {
    this.pool = shuffle([...invoices], r);
    for (const inv of invoices) {
      const list = this.byCustomer.get(inv.customer);
      if (list) list.push(inv);
      else this.byCustomer.set(inv.customer, [inv]);
    }
    for (const list of this.byCustomer.values())
      list.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
  }

  draw(accept: (inv: Invoice) => boolean = () => true): Invoice {
    for (let tries = 0; this.pool.length > 0; tries++) {
      const inv = this.pool.pop()!;
      if (this.used.has(inv)) continue;
      if (accept(inv) || tries > 50) return this.take(inv);
      this.putBack(inv);
    }
    throw new Error('generator: ran out of open invoices');
  }

  /** At a random place, so that the next draw is another one. */
  private putBack(inv: Invoice): void {
    const { pool } = this;
    const at = this.r.int(pool.length + 1);
    pool.push(inv);
    [pool[at], pool[pool.length - 1]] = [pool[pool.length - 1]!, pool[at]!];
  }

  /** `count` of the 10 oldest open invoices of a customer with at least two (fewer if it has fewer). */
  drawOldestOfSomeone(count: number): Invoice[] {
    const someone = this.draw((inv) => this.oldestOpen(inv.customer, 2).length >= 2);
    this.used.delete(someone); // it only chose the customer
    return shuffle(this.oldestOpen(someone.customer, 10), this.r)
      .slice(0, count)
      .map((inv) => this.take(inv));
  }

  private oldestOpen(customer: Customer, count: number): Invoice[] {
    const open: Invoice[] = [];
    for (const inv of this.byCustomer.get(customer) ?? []) {
      if (open.length === count) break;
      if (!this.used.has(inv)) open.push(inv);
    }
    return open;
  }

  private take(inv: Invoice): Invoice {
    this.used.add(inv);
    return inv;
  }
}

/** A line from one of the customer's payers paying invoices of the ledger, as the category says. */
function paying(category: Category, book: Ledger, r: Rng, policy: MatchPolicy): { line: MatchLine; truth: Truth } {
  const { absolute, percentBp } = policy.shortTolerance;
  const accept: Partial<Record<Category, (inv: Invoice) => boolean>> = {
    iban: (inv) => inv.customer.knownIbans.length > 0,
    short: (inv) => Math.min(absolute, Math.floor((inv.openAmount * percentBp) / 10_000)) >= 1,
  };
  const invoices = category === 'multi' ? book.drawOldestOfSomeone(2 + r.int(3)) : [book.draw(accept[category])];
  const first = invoices[0]!;
  const customer = first.customer;
  const pays = invoices.map((inv) => ({ invoiceId: inv.invoiceId, amount: inv.openAmount }));
  const line: MatchLine = {
    lineIndex: 0,
    amount: pays.reduce((sum, p) => sum + p.amount, 0),
    currency: first.currency,
    direction: 'credit',
    kind: 'transfer',
    structuredReferences: [],
    counterpartyIban: r.pick(customer.ibans),
    counterpartyName: payerName(customer, r),
  };
  const byReferenceOrNumber = (): void => {
    if (r.chance(0.5)) writeReference(line, first, r);
    else line.remittanceText = writeNumber(first.number, r);
  };
  switch (category) {
    case 'reference':
      writeReference(line, first, r);
      break;
    case 'number':
      line.remittanceText = writeNumber(first.number, r);
      break;
    case 'typo':
      line.remittanceText = writeNumber(first.number, r, typo(first.number.split('-').slice(2).join(''), r));
      break;
    case 'iban':
      line.counterpartyIban = r.pick(customer.knownIbans);
      delete line.counterpartyName;
      line.remittanceText = noise(r);
      break;
    case 'name':
      line.counterpartyIban = iban(customer.country.code, r);
      line.remittanceText = noise(r);
      break;
    case 'multi':
      line.remittanceText = nameSome(invoices, r);
      break;
    case 'partial': {
      line.amount = Math.max(1, Math.floor(first.openAmount * (0.2 + 0.6 * r.next())));
      pays[0]!.amount = line.amount;
      byReferenceOrNumber();
      break;
    }
    case 'short': {
      const most = Math.min(absolute, Math.floor((first.openAmount * percentBp) / 10_000));
      line.amount = first.openAmount - (1 + r.int(most));
      pays[0]!.amount = line.amount;
      byReferenceOrNumber();
      break;
    }
  }
  return { line, truth: { category, pays } };
}

function nameSome(invoices: Invoice[], r: Rng): string {
  const u = r.next();
  const named = u < 1 / 3 ? [] : u < 2 / 3 ? invoices.slice(0, 1 + r.int(invoices.length - 1)) : invoices;
  if (named.length === 0) return noise(r);
  return `${r.pick(['Facturen', 'Invoices', 'Rechnungen', 'Faktura'])} ${named.map((inv) => inv.number).join(r.pick([', ', ' ', ' + ']))}`;
}

function writeReference(line: MatchLine, inv: Invoice, r: Rng): void {
  const ref = inv.paymentReference;
  const written = ref.startsWith('RF') && r.chance(0.4) ? printForm(ref) : ref;
  if (r.chance(0.7)) {
    line.structuredReferences = [written];
    line.remittanceText = noise(r);
  } else {
    line.remittanceText =
      `${r.pick(['Ref', 'Betalingskenmerk', 'KID', 'Referanse', 'Ref.'])} ${written} ${noise(r)}`.trim();
  }
}

function unknownPayer(r: Rng): { line: MatchLine; truth: Truth } {
  const country = pickCountry(r);
  const text = r.chance(0.3) ? `INV-2026-${digits(6, r)} ${noise(r)}` : noise(r);
  return {
    line: {
      lineIndex: 0,
      amount: Math.round(1_000 * Math.exp(r.next() * Math.log(2_000))) * (country.code === 'NO' ? 10 : 1),
      currency: country.entity.currency,
      direction: 'credit',
      kind: 'transfer',
      structuredReferences: [],
      counterpartyIban: iban(country.code, r),
      counterpartyName: `${r.pick(country.trades)} ${r.pick(country.roots)}${r.pick(country.roots).toLowerCase()}`,
      remittanceText: text,
    },
    truth: { category: 'unknown', pays: null },
  };
}

/** Of identical lines, the first in the file pays (as the original's category); the later ones are duplicates. */
function labelInFileDuplicates(made: { line: MatchLine; truth: Truth }[]): void {
  const categoryOf = new Map<Allocation[], Category>();
  for (const { truth } of made)
    if (truth.pays && truth.category !== 'duplicate') categoryOf.set(truth.pays, truth.category);
  const seen = new Set<Allocation[]>();
  for (const m of made) {
    const pays = m.truth.pays;
    if (pays === null) continue;
    m.truth = seen.has(pays) ? { category: 'duplicate', pays: null } : { category: categoryOf.get(pays)!, pays };
    seen.add(pays);
  }
}
