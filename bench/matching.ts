// `npm run bench:matching`: the cash-application matcher (domain/cash-matching.ts) on synthetic bank lines whose
// truth is known: how many lines it applies automatically and correctly, how many wrongly, its time and memory.
//   npx tsx bench/matching.ts [--sizes 10000,100000,1000000] [--seed 1] [--threshold 0.9]
// A size N is N lines against 1.2 N open items: the invoices the lines pay plus unpaid ones. Each size runs in a
// fresh child process, so its RSS is its own; matcher time excludes generation. One JSON object on stdout; progress
// on stderr. Per size:
//   precision                 automatic matches that allocate exactly what the line pays / automatic matches
//   recall                    matchable lines matched so, automatically or as the exception's first suggestion
//   autoMatchRateOfMatchable  matchable lines (they pay an invoice) matched automatically and correctly
//   wrongMatches (Rate)       automatic matches allocating what the line does not pay (per line)
//   incompleteMatches         automatic matches allocating part of what the line pays, the rest left unapplied
//   matcherMs, warmMatcherMs  the first call in the process, and the same call again once the code is compiled
//   peakRssMb                 RSS sampled after the call; processPeakRssMb the process's high-water mark (VmHWM,
//                             generation included); inputHeapMb the heap the input takes, resultsHeapMb the results'
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_MATCH_POLICY,
  matchLines,
  type Allocation,
  type KnownCustomer,
  type LineMatch,
  type MatchLine,
  type MatchPolicy,
  type OpenItem,
  type SettledItem,
} from '../domain/cash-matching.js';
import { kidMod10, rfReference } from '../domain/payment-reference.js';
import { cpuSample, cpuUsage, log, machineInfo, round } from './support.js';

// ---------------------------------------------------------------------------------------------------------------
// The noise mix: share of lines by what the payer wrote (percent).

const MIX = {
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
type Category = keyof typeof MIX;
const CATEGORIES = Object.keys(MIX) as Category[];

const NOISE_NOTES = {
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
type Truth = { category: Category; pays: Allocation[] | null };

interface DataSet {
  lines: MatchLine[];
  truth: Truth[];
  openItems: OpenItem[];
  settled: SettledItem[];
  customers: KnownCustomer[];
}

function generate(n: number, seed: number, policy: MatchPolicy): DataSet {
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

// ---------------------------------------------------------------------------------------------------------------
// Scoring

type Verdict = 'correct' | 'incomplete' | 'wrong' | 'exception_right_first' | 'exception' | 'not_applied';

/** incomplete: applied only to invoices the line pays, never more than it pays each, the rest left unapplied. */
function verdict(result: LineMatch, truth: Truth): Verdict {
  const applied = result.status === 'matched' || result.status === 'partially_matched';
  const pays = truth.pays;
  if (!applied) {
    if (pays === null) return 'not_applied';
    const first = result.suggestions[0]?.allocations;
    return first && sameAllocations(first, pays) ? 'exception_right_first' : 'exception';
  }
  if (pays === null) return 'wrong';
  if (sameAllocations(result.allocations, pays)) return 'correct';
  const within = result.allocations.every(
    (a) => a.amount <= (pays.find((p) => p.invoiceId === a.invoiceId)?.amount ?? 0),
  );
  return within && result.unapplied > 0 ? 'incomplete' : 'wrong';
}

function sameAllocations(
  allocations: readonly { invoiceId: string; amount: number }[],
  pays: readonly Allocation[],
): boolean {
  return (
    allocations.length === pays.length &&
    allocations.every((a) => pays.some((p) => p.invoiceId === a.invoiceId && p.amount === a.amount))
  );
}

interface Tally {
  lines: number;
  correct: number;
  incomplete: number;
  wrong: number;
  exceptions: number;
  exceptionsRightFirst: number;
}

const emptyTally = (): Tally => ({
  lines: 0,
  correct: 0,
  incomplete: 0,
  wrong: 0,
  exceptions: 0,
  exceptionsRightFirst: 0,
});

function score(results: readonly LineMatch[], truth: readonly Truth[]) {
  const all = emptyTally();
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, emptyTally()])) as Record<Category, Tally>;
  let matchable = 0;
  results.forEach((result, i) => {
    const t = truth[i]!;
    const v = verdict(result, t);
    if (t.pays !== null) matchable++;
    for (const tally of [all, byCategory[t.category]]) {
      tally.lines++;
      if (v === 'correct') tally.correct++;
      if (v === 'incomplete') tally.incomplete++;
      if (v === 'wrong') tally.wrong++;
      if (result.status === 'exception') tally.exceptions++;
      if (v === 'exception_right_first') tally.exceptionsRightFirst++;
    }
  });
  const applied = all.correct + all.incomplete + all.wrong;
  return {
    precision: round(all.correct / Math.max(1, applied), 4),
    recall: round((all.correct + all.exceptionsRightFirst) / Math.max(1, matchable), 4),
    autoMatchRateOfMatchable: round(all.correct / Math.max(1, matchable), 4),
    wrongMatches: all.wrong,
    wrongMatchRate: round(all.wrong / Math.max(1, results.length), 5),
    incompleteMatches: all.incomplete,
    exceptions: all.exceptions,
    matchable,
    byCategory,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One size, in a child process

declare const gc: (() => void) | undefined;

function peakRssMb(): number | null {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return hwm ? round(Number(hwm[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function runSize(size: number, seed: number, policy: MatchPolicy) {
  const generatedAt = performance.now();
  const data = generate(size, seed, policy);
  const generationMs = performance.now() - generatedAt;
  const context = { settled: data.settled, customers: data.customers };
  if (typeof gc === 'function') gc();
  const rssBeforeMb = process.memoryUsage().rss / 1024 ** 2;
  const heapBeforeMb = process.memoryUsage().heapUsed / 1024 ** 2;
  const cpuBefore = await cpuSample();
  const started = performance.now();
  const results = matchLines(data.lines, data.openItems, context, policy);
  const matcherMs = performance.now() - started;
  const cpuAfter = await cpuSample();
  const rssAfterMb = process.memoryUsage().rss / 1024 ** 2;
  if (typeof gc === 'function') gc();
  const resultsHeapMb = process.memoryUsage().heapUsed / 1024 ** 2 - heapBeforeMb;
  const scores = score(results, data.truth);
  results.length = 0;
  if (typeof gc === 'function') gc();
  // The same call again in the now warm process (compiled code, no first-time JIT): a long-running service's time.
  const again = performance.now();
  matchLines(data.lines, data.openItems, context, policy);
  const warmMatcherMs = performance.now() - again;
  return {
    lines: data.lines.length,
    openItems: data.openItems.length,
    customers: data.customers.length,
    settled: data.settled.length,
    ...scores,
    matcherMs: round(matcherMs),
    warmMatcherMs: round(warmMatcherMs),
    msPerThousandLines: round(matcherMs / (data.lines.length / 1000), 3),
    generationMs: round(generationMs),
    peakRssMb: round(rssAfterMb),
    rssBeforeMatchMb: round(rssBeforeMb),
    inputHeapMb: round(heapBeforeMb),
    resultsHeapMb: round(resultsHeapMb),
    processPeakRssMb: peakRssMb(),
    hostCpuDuringMatch: cpuUsage(cpuBefore, cpuAfter),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Main: one child per size, results in one JSON object

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    seed: { type: 'string', default: '1' },
    threshold: { type: 'string', default: String(DEFAULT_MATCH_POLICY.autoApplyThreshold) },
    child: { type: 'string' },
  },
  strict: true,
});
const seed = Number(values.seed);
const policy: MatchPolicy = { ...DEFAULT_MATCH_POLICY, autoApplyThreshold: Number(values.threshold) };
const sizes = values.sizes.split(',').map(Number);
if (
  !Number.isSafeInteger(seed) ||
  sizes.some((s) => !Number.isSafeInteger(s) || s < 10) ||
  !(policy.autoApplyThreshold >= 0)
) {
  throw new Error(`usage: bench/matching.ts [--sizes 10000,100000] [--seed 1] [--threshold 0.9]`);
}

function inChild(size: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(import.meta.url);
    const args = ['--child', String(size), '--seed', String(seed), '--threshold', String(policy.autoApplyThreshold)];
    const child = fork(script, args, { execArgv: [...process.execArgv, '--expose-gc', '--max-old-space-size=8192'] });
    let result: unknown;
    child.on('message', (m) => (result = m));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && result !== undefined
        ? resolve(result)
        : reject(new Error(`size ${size}: child exited with ${code}`)),
    );
  });
}

if (values.child !== undefined) {
  const result = await runSize(Number(values.child), seed, policy);
  await new Promise<void>((resolve, reject) =>
    process.send!(result, undefined, undefined, (err) => (err ? reject(err) : resolve())),
  );
  process.disconnect();
} else {
  const bySize = [];
  for (const size of sizes) {
    log(`matching: ${size} lines...`);
    const result = await inChild(size);
    log(`matching: ${size} lines: ${JSON.stringify(result)}`);
    bySize.push(result);
  }
  const output = {
    benchmark: 'matching',
    seed,
    policy,
    machine: machineInfo(),
    noiseMixPercent: MIX,
    noise: NOISE_NOTES,
    goals: {
      autoMatchRateOfMatchable: '>= 0.95',
      wrongMatchRate: '<= 0.001',
      matcherMs: '100k lines < 1000, 1M lines < 15000',
      peakRssMb: '1M lines <= 2048',
    },
    sizes: bySize,
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}
