/**
 * SWIFT MT940 customer statements as banks export them, including the Dutch banks' conventions: ABN AMRO's and
 * Rabobank's header lines, the account number with its currency in :25:, and the structured :86: subfields
 * (/TRTP/…/IBAN/…/NAME/…/REMI/…/EREF/…). A file may hold several statements of one account, one after the other
 * (a multi-day export): each from its :20: to its closing balance, each checked against its own balances. The
 * whole file is read and checked before anything is returned.
 */
import { toMinorUnits } from './amounts.js';
import { type BankEntry, type BankStatement, type EntryKind, StatementFormatError } from './bank-statement.js';

interface Field {
  tag: string;
  /** The content after the tag, then each continuation line as written. */
  lines: string[];
}

interface Balance {
  /** Signed minor units: a debit balance is negative. */
  amount: number;
  currency: string;
}

interface Transaction {
  index: number;
  valueDate: string;
  bookingDate: string;
  direction: 'credit' | 'debit';
  reversal: boolean;
  amount: number;
  typeCode: string;
  lineId?: string;
  supplementary?: string;
  /** The :86: that follows the :61:, continuation lines joined. */
  information?: string;
}

const TAG_LINE = /^:(\d{2}[A-Z]?):(.*)$/;
// The end of a message: ABN AMRO's "-" line, or "-}" closing SWIFT block 4 (a {5:…} trailer may follow).
const MESSAGE_END = /^-(\}.*)?$/;

/**
 * Splits the text into its statements' tagged fields: a statement begins at its :20:. Lines before the first tag
 * are the bank's file header (SWIFT blocks {1:}{2:}{4:, Rabobank's ':940:', ABN AMRO's 'ABNANL2A' and '940', ING's
 * '940 00'), lines after the end of a message its trailer or the next message's header; blank lines carry nothing.
 */
function readStatements(text: string): Field[][] {
  const statements: Field[][] = [];
  let fields: Field[] = [];
  let ended = false;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const tagged = TAG_LINE.exec(line);
    if (tagged !== null) {
      if (fields.length > 0 && (ended || tagged[1] === '20')) {
        statements.push(fields);
        fields = [];
      }
      ended = false;
      fields.push({ tag: `:${tagged[1]}:`, lines: [tagged[2] ?? ''] });
    } else if (MESSAGE_END.test(line)) {
      ended = fields.length > 0;
    } else if (!ended && line.trim() !== '') {
      fields.at(-1)?.lines.push(line);
    }
  }
  if (fields.length > 0 || statements.length === 0) statements.push(fields);
  return statements;
}

// ---------------------------------------------------------------------------------------------------------
// Dates and amounts

/** YYYY-MM-DD when the parts make a real calendar date. */
function calendarDate(year: number, month: number, day: number): string | undefined {
  const d = new Date(Date.UTC(year, month - 1, day));
  const real = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
  return real ? d.toISOString().slice(0, 10) : undefined;
}

/** MT940 amounts: digits with a mandatory decimal comma, 15 characters at most ("1234,56", "100,"). */
function mt940Amount(raw: string, currency: string, fail: (why: string) => StatementFormatError): number {
  if (!/^\d+,\d*$/.test(raw) || raw.length > 15) throw fail(`amount "${raw}" is not an MT940 amount like 1234,56`);
  try {
    return toMinorUnits(raw, currency, ',');
  } catch (e) {
    if (e instanceof RangeError) throw fail(e.message);
    throw e;
  }
}

const BALANCE = /^([CD])(\d{2})(\d{2})(\d{2})([A-Z]{3})(.*)$/;

function parseBalance(field: Field): Balance {
  const fail = (why: string): StatementFormatError => new StatementFormatError(`${field.tag} ${why}`, field.tag);
  const raw = field.lines[0]?.trim() ?? '';
  const m = BALANCE.exec(raw);
  if (m === null) throw fail(`"${raw}" is not a balance like C240131EUR1234,56`);
  const [, mark, yy, mm, dd, currency = '', amount = ''] = m;
  if (calendarDate(2000 + Number(yy), Number(mm), Number(dd)) === undefined) {
    throw fail(`date "${yy}${mm}${dd}" is not a calendar date`);
  }
  const minor = mt940Amount(amount, currency, fail);
  return { amount: mark === 'D' && minor !== 0 ? -minor : minor, currency };
}

// ---------------------------------------------------------------------------------------------------------
// :25: account

const MAYBE_IBAN = /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/;

/** ISO 13616 check: country and check digits moved to the end, letters as 10..35, mod 97 must be 1. */
function isIban(s: string): boolean {
  if (!MAYBE_IBAN.test(s)) return false;
  let r = 0;
  for (const ch of s.slice(4) + s.slice(0, 4)) {
    const v = parseInt(ch, 36);
    r = (v < 10 ? r * 10 + v : r * 100 + v) % 97;
  }
  return r === 1;
}

/** "NL91ABNA0417164300", "NL91ABNA0417164300EUR" (Dutch banks), "0800003200000001610722 EUR", "517852257". */
function parseAccount(field: Field): { iban?: string; number?: string; currency?: string } {
  const raw = field.lines[0]?.trim() ?? '';
  if (raw === '') throw new StatementFormatError(':25: account identification is empty', ':25:');
  if (isIban(raw)) return { iban: raw };
  const withCurrency = /^(.+?)\s*([A-Z]{3})$/.exec(raw);
  const [, id = '', currency = ''] = withCurrency ?? [];
  if (isIban(id)) return { iban: id, currency };
  // An account number followed by its currency code; any other id is kept whole.
  if (/\d$/.test(id)) return { number: id, currency };
  return { number: raw };
}

// ---------------------------------------------------------------------------------------------------------
// :61: statement line

// value date, entry date?, mark, funds code?, amount, transaction type, then reference[//bank reference]. ING's
// older files pad a two-letter type with a space ("NOV NONREF").
const LINE_61 = /^(\d{2})(\d{2})(\d{2})(\d{4})?(RC|RD|C|D)([A-Z])?(\d[\d,]*)([NSF][A-Z0-9]{2}[A-Z0-9 ])(.*)$/;

// RC reverses a credit, so the money leaves the account; RD reverses a debit.
const MARKS = {
  C: { direction: 'credit', reversal: false },
  D: { direction: 'debit', reversal: false },
  RC: { direction: 'debit', reversal: true },
  RD: { direction: 'credit', reversal: true },
} as const;

/** The entry date's year is the value date's, unless they straddle New Year (booked Dec 31, value Jan 2). */
function entryYear(valueYear: number, valueMonth: number, entryMonth: number): number {
  if (entryMonth - valueMonth > 6) return valueYear - 1;
  if (valueMonth - entryMonth > 6) return valueYear + 1;
  return valueYear;
}

function entryError(why: string, index: number, ref?: string): StatementFormatError {
  return new StatementFormatError(
    `entry ${index}${ref === undefined ? '' : ` (${ref})`}: :61: ${why}`,
    ':61:',
    index,
    ref,
  );
}

function parseLine61(field: Field, index: number, currency: string): Transaction {
  const first = field.lines[0] ?? '';
  const looseRef = /\/\/([^/]{1,16})/.exec(first)?.[1];
  const fail = (why: string, ref = looseRef): StatementFormatError => entryError(why, index, ref);
  if (field.lines.length > 2) throw fail('more than one line of supplementary details');
  const m = LINE_61.exec(first.trimEnd());
  if (m === null) throw fail(`"${first}" is not a statement line like 2401310131C1234,56NTRFNONREF//bankref`);
  const [, yy = '', mm = '', dd = '', entryMmdd, mark = 'C', , amount = '', typeCode = '', refs = ''] = m;
  const year = 2000 + Number(yy);
  const valueDate = calendarDate(year, Number(mm), Number(dd));
  if (valueDate === undefined) throw fail(`value date "${yy}${mm}${dd}" is not a calendar date`);
  const [ownerRef = '', bankRef] = refs.split(/\/\/(.*)/s);
  const lineId = bankRef?.trim() || undefined;
  if (ownerRef.length === 0 || ownerRef.length > 16 || (lineId?.length ?? 0) > 16) {
    throw fail(`references "${refs}" are not a reference of 1..16 characters with an optional //bank reference`);
  }
  let bookingDate = valueDate;
  if (entryMmdd !== undefined) {
    const em = Number(entryMmdd.slice(0, 2));
    const booked = calendarDate(entryYear(year, Number(mm), em), em, Number(entryMmdd.slice(2)));
    if (booked === undefined) throw fail(`entry date "${entryMmdd}" is not a calendar date`, lineId);
    bookingDate = booked;
  }
  return {
    index,
    valueDate,
    bookingDate,
    ...MARKS[mark as keyof typeof MARKS],
    amount: mt940Amount(amount, currency, (why) => fail(why, lineId)),
    typeCode: typeCode.trimEnd(),
    lineId,
    supplementary: field.lines[1]?.trim() || undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------
// :86: information to account owner

const LINE_WIDTH = 65;

/**
 * Banks wrap :86: at 65 characters, splitting words and values anywhere, so a full line continues without a
 * space; a shorter line ended where the bank chose to break and is joined with one. The first line's 65 do not
 * count the tag.
 */
function joinInformation(lines: string[]): string {
  let text = lines[0] ?? '';
  for (let i = 1; i < lines.length; i++) {
    text += ((lines[i - 1] ?? '').length === LINE_WIDTH ? '' : ' ') + (lines[i] ?? '');
  }
  return text.trim();
}

// Subfield codes of the Dutch banks' SEPA :86: layouts (ABN AMRO, ING, Rabobank). Codes outside this list are not
// split on, so a value may hold any text that does not look like /CODE/ of a listed code.
const SUBFIELD_CODES = [
  'TRTP',
  'IBAN',
  'BIC',
  'NAME',
  'ADDR',
  'ID',
  'CNTP',
  'ORDP',
  'BENM',
  'ULTC',
  'ULTD',
  'ULTB',
  'REMI',
  'EREF',
  'PREF',
  'KREF',
  'MARF',
  'CSID',
  'RTRN',
  'PURP',
  'ISDT',
  'ACCW',
  'SVCL',
];
const SUBFIELD = new RegExp(`/(${SUBFIELD_CODES.join('|')})/`, 'g');
const STRUCTURED = new RegExp(`^/(${SUBFIELD_CODES.join('|')})/`);
// Rabobank writes a party code followed by that party's details (/ORDP//NAME/…, /ULTD//NAME/…); the details of
// the ultimate debtor or creditor are not the counterparty's.
const PARTIES = new Set(['ORDP', 'BENM', 'CNTP', 'ULTC', 'ULTD', 'ULTB']);
const ULTIMATE_PARTIES = new Set(['ULTC', 'ULTD', 'ULTB']);
const PARTY_DETAILS = new Set(['NAME', 'IBAN', 'BIC', 'ADDR', 'ID']);

/** The first value of each code; ING separates subfields with "//", so one trailing slash is not part of a value. */
function subfields(information: string): Map<string, string> {
  const found = [...information.matchAll(SUBFIELD)];
  const values = new Map<string, string>();
  let party = '';
  found.forEach((match, i) => {
    const code = match[1] ?? '';
    const end = (match.index ?? 0) + match[0].length;
    const value = information
      .slice(end, found[i + 1]?.index ?? information.length)
      .trim()
      .replace(/\/$/, '')
      .trim();
    if (PARTIES.has(code)) party = code;
    const ofUltimateParty = ULTIMATE_PARTIES.has(party) && PARTY_DETAILS.has(code);
    if (!ofUltimateParty && !values.has(code)) values.set(code, value);
  });
  return values;
}

/** /REMI/USTD//text, /REMI/STRD/CUR/1234567890123456 (issuer CUR or ISO), or plain text (ABN AMRO, Rabobank). */
function remittance(remi: string | undefined): BankEntry['remittance'] {
  if (remi === undefined || remi === '') return { structured: [] };
  const structured = /^STRD\/[A-Z]*\/(.+)$/s.exec(remi)?.[1]?.trim();
  if (structured) return { structured: [structured] };
  const unstructured = /^USTD\/\/?(.*)$/s.exec(remi)?.[1] ?? remi;
  return { structured: [], unstructured: unstructured.trim() || undefined };
}

type Details = Pick<BankEntry, 'counterparty' | 'remittance' | 'endToEndId' | 'returnReason'>;

function details(information: string | undefined, supplementary: string | undefined): Details {
  // Rabobank writes the counterparty's account as the :61: supplementary details.
  const accountInLine61 = supplementary !== undefined && isIban(supplementary) ? supplementary : undefined;
  if (information === undefined || !STRUCTURED.test(information)) {
    return {
      counterparty: { iban: accountInLine61 },
      remittance: { structured: [], unstructured: information || undefined },
    };
  }
  const fields = subfields(information);
  // ING: /CNTP/IBAN/BIC/name/city/
  const [cntpIban, cntpBic, cntpName] = (fields.get('CNTP') ?? '').split('/').map((s) => s.trim() || undefined);
  const eref = fields.get('EREF');
  return {
    counterparty: {
      name: fields.get('NAME') || cntpName,
      iban: fields.get('IBAN')?.replace(/\s+/g, '') || cntpIban || accountInLine61,
      bic: fields.get('BIC') || cntpBic,
    },
    remittance: remittance(fields.get('REMI')),
    endToEndId: eref && eref !== 'NOTPROVIDED' ? eref : undefined,
    returnReason: fields.get('RTRN')?.split('/')[0]?.trim() || undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Entries and the statement

// The transaction type after its N/S/F letter; codes not listed are bank-specific (ABN AMRO's N654, ...).
const KIND_BY_TYPE: Readonly<Record<string, EntryKind>> = {
  CHG: 'fee',
  DDT: 'direct_debit',
  RTI: 'return',
  TRF: 'transfer',
};

function toEntry(tx: Transaction, currency: string): BankEntry {
  const d = details(tx.information, tx.supplementary);
  const typed = KIND_BY_TYPE[tx.typeCode.slice(1)];
  const kind: EntryKind =
    d.returnReason !== undefined ? 'return' : (typed ?? (tx.direction === 'credit' ? 'transfer' : 'other'));
  return {
    index: tx.index,
    lineId: tx.lineId,
    amount: tx.amount,
    currency,
    direction: tx.direction,
    bookingDate: tx.bookingDate,
    valueDate: tx.valueDate,
    reversal: tx.reversal,
    kind,
    returnReason: d.returnReason,
    counterparty: d.counterparty,
    remittance: d.remittance,
    endToEndId: d.endToEndId,
  };
}

interface Reading {
  /** The file position of the statement's first entry. */
  firstIndex: number;
  reference?: string;
  sequence?: string;
  account?: ReturnType<typeof parseAccount>;
  opening?: Balance;
  closing?: Balance;
  transactions: Transaction[];
  previousTag?: string;
}

const MULTI_LINE_TAGS = new Set([':61:', ':86:']);

function readField(r: Reading, field: Field): void {
  const { tag } = field;
  if (!MULTI_LINE_TAGS.has(tag) && field.lines.length > 1) {
    throw new StatementFormatError(`${tag} unexpected continuation line "${field.lines[1]}"`, tag);
  }
  const value = field.lines[0]?.trim() ?? '';
  switch (tag) {
    case ':20:':
      if (value === '') throw new StatementFormatError(':20: transaction reference is empty', tag);
      r.reference = value;
      return;
    case ':25:':
      r.account = parseAccount(field);
      return;
    case ':28:': // ABN AMRO's older files
    case ':28C:':
      r.sequence = value;
      return;
    case ':60F:':
    case ':60M:':
      r.opening = parseBalance(field);
      return;
    case ':61:': {
      const index = r.firstIndex + r.transactions.length;
      if (r.opening === undefined) throw entryError('no opening balance (:60F:) before it gives the currency', index);
      if (r.closing !== undefined) throw entryError('it follows the closing balance (:62F:)', index);
      r.transactions.push(parseLine61(field, index, r.opening.currency));
      return;
    }
    case ':86:': {
      // Only an :86: right after a :61: describes an entry; one after the closing balance is about the statement.
      const tx = r.previousTag === ':61:' ? r.transactions.at(-1) : undefined;
      if (tx !== undefined) tx.information = joinInformation(field.lines) || undefined;
      return;
    }
    case ':62F:':
    case ':62M:':
      r.closing = parseBalance(field);
      return;
    case ':64:': // closing available balance
    case ':65:': // forward available balance
      parseBalance(field); // not kept, but a malformed one is a malformed file
      return;
    case ':21:': // related reference: nothing to keep
      return;
    default:
      throw new StatementFormatError(`unknown tag ${tag}`, tag);
  }
}

function requireField<T>(value: T | undefined, tag: string, what: string): T {
  if (value === undefined) throw new StatementFormatError(`the statement has no ${tag} (${what})`, tag);
  return value;
}

/** A truncated or altered file shows as a closing balance the entries do not add up to. */
function checkBalances(opening: Balance, closing: Balance, transactions: Transaction[]): void {
  if (closing.currency !== opening.currency) {
    throw new StatementFormatError(
      `:62F: closing balance currency ${closing.currency} differs from the opening balance's ${opening.currency}`,
      ':62F:',
    );
  }
  const expected = transactions.reduce(
    (sum, tx) => sum + (tx.direction === 'credit' ? tx.amount : -tx.amount),
    opening.amount,
  );
  if (expected !== closing.amount) {
    throw new StatementFormatError(
      `:62F: closing balance ${closing.amount} is not the opening balance ${opening.amount} plus the entries (${expected}) in minor units`,
      ':62F:',
    );
  }
}

export function parseMt940(text: string): BankStatement {
  const statements: Statement[] = [];
  let entries = 0;
  for (const [k, fields] of readStatements(text).entries()) {
    try {
      const statement = readStatement(fields, entries);
      statements.push(statement);
      entries += statement.transactions.length;
    } catch (e) {
      if (!(e instanceof StatementFormatError) || k === 0) throw e;
      throw new StatementFormatError(`statement ${k + 1}: ${e.message}`, e.field, e.entryIndex, e.entryRef);
    }
  }
  const [first, ...later] = statements as [Statement, ...Statement[]];
  for (const [k, st] of later.entries()) {
    const same = st.account.iban === first.account.iban && st.account.number === first.account.number;
    if (!same || st.opening.currency !== first.opening.currency) {
      throw new StatementFormatError(
        `statement ${k + 2} is of account ${accountName(st)}, the file's first of ${accountName(first)}: one account per file`,
        ':25:',
      );
    }
  }
  const currency = first.opening.currency;
  return {
    format: 'mt940',
    version: 'MT940',
    statementId: statements.map((st) => (st.sequence ? `${st.reference}/${st.sequence}` : st.reference)).join('+'),
    account: { iban: first.account.iban, number: first.account.number, currency },
    entries: statements.flatMap((st) => st.transactions.map((tx) => toEntry(tx, currency))),
  };
}

interface Statement {
  reference: string;
  sequence: string | undefined;
  account: ReturnType<typeof parseAccount>;
  opening: Balance;
  transactions: Transaction[];
}

const accountName = (st: Statement): string => `${st.account.iban ?? st.account.number} ${st.opening.currency}`;

function readStatement(fields: Field[], firstIndex: number): Statement {
  if (fields[0]?.tag !== ':20:') {
    throw new StatementFormatError('the statement does not begin with :20: (transaction reference)', ':20:');
  }
  const r: Reading = { firstIndex, transactions: [] };
  for (const field of fields) {
    readField(r, field);
    r.previousTag = field.tag;
  }
  const reference = requireField(r.reference, ':20:', 'transaction reference');
  const account = requireField(r.account, ':25:', 'account identification');
  const opening = requireField(r.opening, ':60F:', 'opening balance');
  const closing = requireField(r.closing, ':62F:', 'closing balance');
  if (account.currency !== undefined && account.currency !== opening.currency) {
    throw new StatementFormatError(
      `:25: account currency ${account.currency} differs from the opening balance's ${opening.currency}`,
      ':25:',
    );
  }
  checkBalances(opening, closing, r.transactions);
  return { reference, sequence: r.sequence, account, opening, transactions: r.transactions };
}
