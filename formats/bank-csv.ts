/**
 * A bank's CSV export read through a named profile that says where each value is and how it is written. CSV
 * files carry no format of their own, so the profile is the format: the same bytes read through the wrong profile
 * fail on the first cell that does not fit rather than import nonsense.
 */
import { createHash } from 'node:crypto';
import { currencyMinorUnitDigits, toMinorUnits } from './amounts.js';
import { type BankEntry, type BankStatement, StatementFormatError } from './bank-statement.js';

/** A header name (in the last header row) or a 0-based column index. */
export type CsvColumnRef = string | number;

const SEPARATORS = [',', ';', '\t'] as const;
const DECIMALS = ['.', ','] as const;
const ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-1'] as const;
const DATE_FORMATS = ['YYYY-MM-DD', 'DD-MM-YYYY', 'DD.MM.YYYY', 'DD/MM/YYYY', 'YYYYMMDD', 'MM/DD/YYYY'] as const;
export type CsvDateFormat = (typeof DATE_FORMATS)[number];

export interface CsvColumns {
  bookingDate: CsvColumnRef;
  /** The booking date when absent or empty. */
  valueDate?: CsvColumnRef;
  amount: CsvColumnRef;
  currency?: CsvColumnRef;
  /** A column saying credit or debit (ING's "Af Bij"); without it the amount's sign says it (negative = debit). */
  direction?: { column: CsvColumnRef; credit: string[]; debit: string[] };
  counterpartyName?: CsvColumnRef;
  counterpartyIban?: CsvColumnRef;
  /** Free text: remittance.unstructured. */
  remittance?: CsvColumnRef;
  /** A structured creditor reference: remittance.structured. */
  reference?: CsvColumnRef;
  lineId?: CsvColumnRef;
  accountIban?: CsvColumnRef;
}

export interface CsvProfile {
  name: string;
  separator: (typeof SEPARATORS)[number];
  decimal: (typeof DECIMALS)[number];
  dateFormat: CsvDateFormat;
  /** 'iso-8859-1' decodes as windows-1252, as the WHATWG Encoding standard (and every browser) does. */
  encoding: (typeof ENCODINGS)[number];
  /** Rows before the data; named columns are looked up in the last of them. */
  headerRows: number;
  /** The entries' currency when no column has it. */
  currency?: string;
  account?: { iban?: string; currency: string };
  columns: CsvColumns;
}

type ColumnKey = keyof CsvColumns;
const COLUMN_KEYS = [
  'bookingDate',
  'valueDate',
  'amount',
  'currency',
  'direction',
  'counterpartyName',
  'counterpartyIban',
  'remittance',
  'reference',
  'lineId',
  'accountIban',
] as const satisfies readonly ColumnKey[];

const compactIban = (s: string): string => s.replace(/\s+/g, '').toUpperCase();

// ---------------------------------------------------------------------------------------------------------
// Profile validation (profiles may come from the API)

// The message starts with the field: the API answers with it as the field at fault.
function fieldError(field: string, why: string): RangeError {
  return new RangeError(`${field} ${why}`);
}

/** An object with only `keys`; `field` is its path, '' for the profile itself. */
function record(value: unknown, field: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fieldError(field || 'profile', 'must be an object');
  }
  const unknown = Object.keys(value).find((k) => !keys.includes(k));
  if (unknown !== undefined)
    throw fieldError(field ? `${field}.${unknown}` : unknown, `is not one of ${keys.join(', ')}`);
  return value as Record<string, unknown>;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw fieldError(field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

function nonEmptyString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw fieldError(field, 'must be a non-empty string');
  return value;
}

function knownCurrency(value: unknown, field: string): string {
  const currency = nonEmptyString(value, field);
  try {
    currencyMinorUnitDigits(currency);
  } catch (e) {
    throw fieldError(field, e instanceof Error ? e.message : String(e));
  }
  return currency;
}

function columnRef(value: unknown, field: string, named: boolean): CsvColumnRef {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    if (!named) throw fieldError(field, 'names a header column but headerRows is 0');
    return value;
  }
  throw fieldError(field, 'must be a header name or a 0-based column index');
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.trim() !== '')) {
    throw fieldError(field, 'must be a non-empty list of non-empty strings');
  }
  return value.map((v: string) => v.trim());
}

function direction(value: unknown, named: boolean): NonNullable<CsvColumns['direction']> {
  const d = record(value, 'columns.direction', ['column', 'credit', 'debit']);
  const credit = stringList(d.credit, 'columns.direction.credit');
  const debit = stringList(d.debit, 'columns.direction.debit');
  const both = credit.find((v) => debit.includes(v));
  if (both !== undefined) throw fieldError('columns.direction', `has "${both}" as both credit and debit`);
  return { column: columnRef(d.column, 'columns.direction.column', named), credit, debit };
}

function columns(value: unknown, named: boolean): CsvColumns {
  const c = record(value, 'columns', COLUMN_KEYS);
  const out: CsvColumns = {
    bookingDate: columnRef(c.bookingDate, 'columns.bookingDate', named),
    amount: columnRef(c.amount, 'columns.amount', named),
  };
  for (const key of COLUMN_KEYS) {
    if (key === 'bookingDate' || key === 'amount' || c[key] === undefined) continue;
    if (key === 'direction') out.direction = direction(c.direction, named);
    else out[key] = columnRef(c[key], `columns.${key}`, named);
  }
  return out;
}

/** Checks an untrusted profile and returns a clean copy; RangeError naming the field at fault. */
export function validateCsvProfile(p: unknown): CsvProfile {
  const keys = ['name', 'separator', 'decimal', 'dateFormat', 'encoding', 'headerRows', 'currency', 'account'];
  const o = record(p, '', [...keys, 'columns']);
  const headerRows = o.headerRows;
  if (typeof headerRows !== 'number' || !Number.isSafeInteger(headerRows) || headerRows < 0) {
    throw fieldError('headerRows', 'must be a whole number >= 0');
  }
  const profile: CsvProfile = {
    name: nonEmptyString(o.name, 'name'),
    separator: oneOf(o.separator, SEPARATORS, 'separator'),
    decimal: oneOf(o.decimal, DECIMALS, 'decimal'),
    dateFormat: oneOf(o.dateFormat, DATE_FORMATS, 'dateFormat'),
    encoding: oneOf(o.encoding, ENCODINGS, 'encoding'),
    headerRows,
    columns: columns(o.columns, headerRows > 0),
  };
  if (o.currency !== undefined) profile.currency = knownCurrency(o.currency, 'currency');
  if (o.account !== undefined) {
    const a = record(o.account, 'account', ['iban', 'currency']);
    profile.account = { currency: knownCurrency(a.currency, 'account.currency') };
    if (a.iban !== undefined) profile.account.iban = compactIban(nonEmptyString(a.iban, 'account.iban'));
  }
  if (profile.columns.currency === undefined && profile.currency === undefined && profile.account === undefined) {
    throw fieldError('currency', 'is needed when no column has the currency (or give account.currency)');
  }
  return profile;
}

// ---------------------------------------------------------------------------------------------------------
// Decoding and RFC 4180 records

interface CsvRecord {
  fields: string[];
  /** 0-based physical line the record starts on (quoted fields may span lines). */
  line: number;
}

type RecordFailure = (why: string, recordIndex: number, line: number) => Error;

/** RFC 4180: quoted fields may hold separators, newlines and doubled quotes; a quote inside a bare field is text. */
function readRecords(text: string, separator: string, fail: RecordFailure): CsvRecord[] {
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false; // the current field began with a quote
  let inQuotes = false;
  let line = 0;
  let start = 0;
  const endField = (): void => {
    fields.push(field);
    field = '';
    quoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') i++;
      else if (ch === '"') {
        inQuotes = false;
        continue;
      } else if (ch === '\n') line++;
      field += ch;
    } else if (ch === separator) {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      out.push({ fields, line: start });
      fields = [];
      start = ++line;
    } else if (quoted) {
      throw fail(`text after the closing quote of field ${fields.length}`, out.length, line);
    } else if (ch === '"' && field === '') {
      quoted = inQuotes = true;
    } else {
      field += ch;
    }
  }
  if (inQuotes) throw fail('a quoted field is not closed before the end of the file', out.length, start);
  if (field !== '' || quoted || fields.length > 0) {
    endField();
    out.push({ fields, line: start });
  }
  const blank = (r: CsvRecord | undefined): boolean => r?.fields.length === 1 && r.fields[0] === '';
  while (blank(out.at(-1))) out.pop();
  return out;
}

// windows-1252 is Latin-1 except for 0x80..0x9F. Node's TextDecoder has decoded windows-1252 as Latin-1 since
// v20.18.3 / v22.13.0 (nodejs/node#56542, #60888), turning 0x80 into U+0080 instead of €, so those 32 bytes are
// mapped here from the WHATWG index; 0x81, 0x8D, 0x8F, 0x90 and 0x9D map to themselves there too.
const WINDOWS_1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/**
 * Bank file bytes as text. UTF-8 is decoded strictly (TypeError on invalid bytes) and loses its BOM; windows-1252,
 * and ISO-8859-1 which the WHATWG Encoding standard (and every browser) reads as windows-1252, cannot fail.
 */
export function decodeBankText(content: Buffer, encoding: CsvProfile['encoding']): string {
  if (encoding === 'utf-8') return new TextDecoder('utf-8', { fatal: true }).decode(content);
  return content.toString('latin1').replace(/[\u0080-\u009F]/g, (c) => WINDOWS_1252_80_9F[c.charCodeAt(0) - 0x80] ?? c);
}

/** The 0-based physical line holding the first invalid UTF-8 (LF is never part of a multi-byte sequence). */
function firstInvalidUtf8Line(content: Buffer): number {
  let line = 0;
  for (let from = 0; from <= content.length; line++) {
    const lf = content.indexOf(0x0a, from);
    const end = lf === -1 ? content.length : lf;
    try {
      decodeBankText(content.subarray(from, end), 'utf-8');
    } catch {
      return line;
    }
    from = end + 1;
  }
  return line;
}

/** Decodes the whole file; invalid UTF-8 fails naming its line and, where the quoting allows, its data row. */
function decode(content: Buffer, profile: CsvProfile): string {
  try {
    return decodeBankText(content, profile.encoding);
  } catch {
    const line = firstInvalidUtf8Line(content);
    let recordIndex: number | undefined;
    try {
      const lossy = new TextDecoder('utf-8').decode(content);
      const records = readRecords(lossy, profile.separator, (why) => new Error(why));
      recordIndex = records.reduce((found, r, i) => (r.line <= line ? i : found), 0);
    } catch {
      // the quoting is broken too: the line number alone has to do
    }
    const row = recordIndex === undefined ? undefined : recordIndex - profile.headerRows;
    throw new StatementFormatError(
      `line ${line + 1}: bytes that are not valid ${profile.encoding}`,
      'encoding',
      row !== undefined && row >= 0 ? row : undefined,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Cells

const DATE_PATTERNS: Readonly<Record<CsvDateFormat, RegExp>> = {
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})$/,
  'DD-MM-YYYY': /^(?<d>\d{2})-(?<m>\d{2})-(?<y>\d{4})$/,
  'DD.MM.YYYY': /^(?<d>\d{2})\.(?<m>\d{2})\.(?<y>\d{4})$/,
  'DD/MM/YYYY': /^(?<d>\d{2})\/(?<m>\d{2})\/(?<y>\d{4})$/,
  YYYYMMDD: /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
  'MM/DD/YYYY': /^(?<m>\d{2})\/(?<d>\d{2})\/(?<y>\d{4})$/,
};

/** YYYY-MM-DD, or undefined unless the cell is a real calendar date in the profile's format. */
function parseDate(cell: string, format: CsvDateFormat): string | undefined {
  const g = DATE_PATTERNS[format].exec(cell)?.groups;
  if (g === undefined) return undefined;
  const [year, month, day] = [Number(g.y), Number(g.m), Number(g.d)];
  const d = new Date(Date.UTC(year, month - 1, day));
  const real = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
  return real ? d.toISOString().slice(0, 10) : undefined;
}

type ColumnIndexes = Partial<Record<ColumnKey, number>>;

function columnIndexes(profile: CsvProfile, header: string[] | undefined, width: number): ColumnIndexes {
  const indexes: ColumnIndexes = {};
  for (const key of COLUMN_KEYS) {
    const ref = key === 'direction' ? profile.columns.direction?.column : profile.columns[key];
    if (ref === undefined) continue;
    const index = typeof ref === 'number' ? ref : (header?.findIndex((h) => h.trim() === ref.trim()) ?? -1);
    if (index < 0 || index >= width) {
      const what = typeof ref === 'number' ? `column ${ref} of ${width}` : `header "${ref}"`;
      throw new StatementFormatError(`profile ${profile.name} has ${key} in ${what}, which the file lacks`, key);
    }
    indexes[key] = index;
  }
  return indexes;
}

// ---------------------------------------------------------------------------------------------------------
// Rows

type RowFailure = (field: string, why: string) => StatementFormatError;

/** Runs `f`, turning its RangeError into the row's StatementFormatError for `field`. */
function asFormatError<T>(field: ColumnKey, fail: RowFailure, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof RangeError ? fail(field, e.message) : e;
  }
}

/** From the direction column when the profile has one, else from the amount's sign. */
function entryDirection(
  signed: number,
  rawAmount: string,
  mark: string | undefined,
  profile: CsvProfile,
  fail: RowFailure,
): BankEntry['direction'] {
  const d = profile.columns.direction;
  if (d === undefined || mark === undefined) return signed < 0 ? 'debit' : 'credit';
  if (/^[+-]/.test(rawAmount)) throw fail('amount', `"${rawAmount}" is signed but the direction column says which way`);
  if (d.credit.includes(mark)) return 'credit';
  if (d.debit.includes(mark)) return 'debit';
  throw fail('direction', `"${mark}" is neither a credit (${d.credit.join(', ')}) nor a debit (${d.debit.join(', ')})`);
}

function toEntry(
  cell: (key: ColumnKey) => string | undefined,
  index: number,
  profile: CsvProfile,
  fail: RowFailure,
): BankEntry {
  const date = (key: 'bookingDate' | 'valueDate', raw: string): string => {
    const iso = parseDate(raw, profile.dateFormat);
    if (iso === undefined) throw fail(key, `${key} "${raw}" is not a ${profile.dateFormat} date`);
    return iso;
  };
  const bookingDate = date('bookingDate', cell('bookingDate') ?? '');
  const rawValueDate = cell('valueDate');
  const currency = (cell('currency') || profile.currency || profile.account?.currency || '').toUpperCase();
  asFormatError('currency', fail, () => currencyMinorUnitDigits(currency));
  const rawAmount = cell('amount') ?? '';
  const signed = asFormatError('amount', fail, () => toMinorUnits(rawAmount, currency, profile.decimal));
  const direction = entryDirection(signed, rawAmount, cell('direction'), profile, fail);
  const reference = cell('reference');
  return {
    index,
    lineId: cell('lineId') || undefined,
    amount: Math.abs(signed),
    currency,
    direction,
    bookingDate,
    valueDate: rawValueDate ? date('valueDate', rawValueDate) : bookingDate,
    reversal: false,
    kind: direction === 'credit' ? 'transfer' : 'other',
    counterparty: {
      name: cell('counterpartyName') || undefined,
      iban: compactIban(cell('counterpartyIban') ?? '') || undefined,
    },
    remittance: { structured: reference ? [reference] : [], unstructured: cell('remittance') || undefined },
  };
}

export function parseBankCsv(content: Buffer, stored: CsvProfile): BankStatement {
  const profile = validateCsvProfile(stored); // typed, but possibly read back from the database as JSON
  const records = readRecords(decode(content, profile), profile.separator, (why, recordIndex, line) => {
    const row = recordIndex - profile.headerRows;
    return new StatementFormatError(`line ${line + 1}: ${why}`, 'quoting', row >= 0 ? row : undefined);
  });
  const header = profile.headerRows > 0 ? records[profile.headerRows - 1]?.fields : undefined;
  const rows = records.slice(profile.headerRows);
  const width = header?.length ?? rows[0]?.fields.length ?? 0;
  // A file with neither header nor rows (no transactions) has no columns to check.
  const cols = header === undefined && rows.length === 0 ? {} : columnIndexes(profile, header, width);
  const cellOf =
    (fields: string[]) =>
    (key: ColumnKey): string | undefined => {
      const i = cols[key];
      // The model's texts are single lines: a line break inside a quoted cell becomes a space.
      return i === undefined ? undefined : (fields[i] ?? '').replace(/\s*[\r\n]+\s*/g, ' ').trim();
    };
  const iban = profile.account?.iban ?? (compactIban(cellOf(rows[0]?.fields ?? [])('accountIban') ?? '') || undefined);

  const entries = rows.map(({ fields, line }, i) => {
    const cell = cellOf(fields);
    const ref = cell('lineId') || undefined;
    const fail: RowFailure = (field, why) => new StatementFormatError(`line ${line + 1}: ${why}`, field, i, ref);
    if (fields.length !== width) throw fail('columns', `${fields.length} columns where the file has ${width}`);
    const entry = toEntry(cell, i, profile, fail);
    // One statement is about one account: a row of another means the wrong file or the wrong profile.
    const rowIban = compactIban(cell('accountIban') ?? '');
    if (rowIban !== '' && rowIban !== iban) {
      throw fail('accountIban', `account ${rowIban} is not the statement's account ${iban}`);
    }
    return entry;
  });

  const currency = profile.account?.currency ?? profile.currency ?? entries[0]?.currency;
  if (currency === undefined) {
    throw new StatementFormatError("a file without rows does not tell the account's currency", 'currency');
  }
  return {
    format: 'csv',
    version: profile.name,
    statementId: `csv:${createHash('sha256').update(content).digest('hex').slice(0, 16)}`,
    account: { iban, currency },
    entries,
  };
}
