/**
 * ISO 20022 bank-to-customer cash management messages: camt.053 (statement, Stmt blocks) and camt.054 (debit/credit
 * notification, Ntfctn blocks), message versions .001.02 to .001.10, read into a BankStatement. The entry structure
 * (Ntry, NtryDtls/TxDtls) is the same across these versions except for the party shape (.02 Dbtr/Nm, .08 Dbtr/Pty/Nm)
 * and agent BIC (.02 BIC, .04+ BICFI), which are both read.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseIsoDate } from '../domain/payment-terms.js';
import { toMinorUnits } from './amounts.js';
import {
  type BankEntry,
  type BankStatement,
  ENTRY_STATUSES,
  type EntryKind,
  type EntryStatus,
  StatementFormatError,
} from './bank-statement.js';

const MESSAGES = {
  'camt.053': { root: 'BkToCstmrStmt', block: 'Stmt' },
  'camt.054': { root: 'BkToCstmrDbtCdtNtfctn', block: 'Ntfctn' },
} as const;
type CamtFormat = keyof typeof MESSAGES;

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.(?:0[2-9]|10)$/;

const DATE = /^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/;

// Bank transaction code (BkTxCd/Domn) families and sub-families, from the ISO 20022 external code list.
const FAMILY_KINDS: Readonly<Record<string, EntryKind>> = {
  RCDT: 'transfer',
  ICDT: 'transfer',
  RDDT: 'direct_debit',
  IDDT: 'direct_debit',
  CCRD: 'card',
  MCRD: 'card',
};
const FEE_SUBFAMILIES = new Set(['CHRG', 'FEES', 'COMM']);
const RETURN_SUBFAMILIES = new Set(['RRTN', 'UPDD']);

// Elements read as lists must always come back as arrays, even when the file has just one.
const REPEATING = new Set(['Stmt', 'Ntfctn', 'Bal', 'Ntry', 'NtryDtls', 'TxDtls', 'Strd', 'CdtrRefInf', 'Ustrd']);

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  processEntities: false,
  parseTagValue: false, // amounts and ids stay the strings the bank wrote: "0012", "100.10"
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name, _path, _isLeaf, isAttribute) => !isAttribute && REPEATING.has(name),
  // With entity processing off even &amp; stays raw; without a DTD only the predefined and numeric ones can occur.
  tagValueProcessor: (_name, value) => decodeReferences(value),
  attributeValueProcessor: (_name, value) => decodeReferences(value),
});

/** Where in the file an error is: the entry's 0-based output index and its bank reference, when known. */
interface At {
  index: number;
  ref?: string | undefined;
}

/** Reads and validates the whole file; throws StatementFormatError on the first thing wrong. */
export function parseCamt(xml: string): BankStatement {
  const { format, version, message } = readDocument(xml);
  const blocks = list(message, MESSAGES[format].block);
  if (blocks.length === 0) fail(`${version} has no ${MESSAGES[format].block}`, MESSAGES[format].block);
  const account = readAccount(blocks);
  const entries: BankEntry[] = [];
  for (const block of blocks) {
    for (const ntry of list(block, 'Ntry')) entries.push(...readEntry(ntry, entries.length, account.iban));
  }
  const firstBalance = list(blocks[0], 'Bal')[0];
  const currency = account.currency ?? entries[0]?.currency ?? attribute(child(firstBalance, 'Amt'), 'Ccy');
  if (currency === undefined) fail('account currency missing (Acct/Ccy) and no entry to take it from', 'Acct/Ccy');
  return {
    format,
    version,
    statementId: blocks.map((block) => required(block, 'Id', `${MESSAGES[format].block}/Id`)).join('+'),
    account: { ...account, currency },
    createdAt: text(message, 'GrpHdr', 'CreDtTm'),
    entries,
  };
}

function readDocument(xml: string): { format: CamtFormat; version: string; message: unknown } {
  // Refused before any parsing: a DTD is how XXE and entity-expansion (billion laughs) attacks get in.
  if (/<!(?:DOCTYPE|ENTITY)/i.test(xml)) fail('DOCTYPE and ENTITY declarations are not accepted', 'Document');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    fail(`malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`, 'Document');
  }
  const namespace = rootNamespace(xml) ?? '';
  const match = NAMESPACE.exec(namespace);
  if (match === null) fail(`not a camt.053 or camt.054 Document (namespace "${namespace}")`, 'Document');
  const format = match[1] as CamtFormat;
  const message = child(parseXml(xml), 'Document', MESSAGES[format].root);
  if (message === undefined) fail(`${format} Document without ${MESSAGES[format].root}`, 'Document');
  return { format, version: namespace.slice(namespace.lastIndexOf(':') + 1), message };
}

/** The namespace of the root Document element, read from its start tag: removeNSPrefix drops xmlns attributes. */
function rootNamespace(xml: string): string | undefined {
  const root = /^\s*(?:(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->)\s*)*<([^\s/>]+)([^>]*)>/.exec(xml);
  const [, name = '', attributes = ''] = root ?? [];
  const colon = name.indexOf(':');
  if (name.slice(colon + 1) !== 'Document') return undefined;
  const declaration = colon < 0 ? 'xmlns' : `xmlns:${name.slice(0, colon)}`;
  for (const [, attr, , value] of attributes.matchAll(/([^\s=]+)\s*=\s*(["'])(.*?)\2/g)) {
    if (attr === declaration) return value;
  }
  return undefined;
}

function parseXml(xml: string): unknown {
  try {
    return parser.parse(xml);
  } catch (e) {
    // The validator does not enforce the parser's own limits, e.g. nesting depth.
    return fail(`unreadable XML: ${e instanceof Error ? e.message : String(e)}`, 'Document');
  }
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes in one pass, so "&amp;lt;" becomes "&lt;", not "<". */
function decodeReferences(value: string): string {
  return value.replace(
    /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g,
    (ref, dec?: string, hex?: string, name?: string) => {
      if (name !== undefined) return PREDEFINED_ENTITIES[name] ?? ref;
      const codePoint = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
      return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : ref;
    },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Account and entries

type Account = { iban?: string; number?: string; currency?: string | undefined };

/** Every block must be about the same account: the statement model holds one. */
function readAccount(blocks: unknown[]): Account {
  const accounts = blocks.map((block): Account => {
    const account = child(block, 'Acct');
    const iban = text(account, 'Id', 'IBAN');
    const number = text(account, 'Id', 'Othr', 'Id');
    const id = iban !== undefined ? { iban } : number !== undefined ? { number } : undefined;
    if (id === undefined) fail('account without Id/IBAN or Id/Othr/Id', 'Acct/Id');
    return { ...id, currency: text(account, 'Ccy') };
  });
  const [first] = accounts as [Account, ...Account[]];
  const same = (a: Account) => a.iban === first.iban && a.number === first.number && a.currency === first.currency;
  if (!accounts.every(same)) fail('the file reports more than one account', 'Acct');
  return first;
}

/** What every BankEntry made from one Ntry shares. */
interface EntryBase {
  amount: number;
  currency: string;
  direction: BankEntry['direction'];
  status: EntryStatus;
  bookingDate: string;
  valueDate: string;
  reversal: boolean;
  bankTransactionCode: unknown;
}

/** One Ntry: one BankEntry, or one per TxDtls for a batch booking. */
function readEntry(ntry: unknown, index: number, ownIban: string | undefined): BankEntry[] {
  const ref = text(ntry, 'AcctSvcrRef');
  const at: At = { index, ref };
  const amount = readAmount(child(ntry, 'Amt'), 'Amt', at);
  const direction = readDirection(text(ntry, 'CdtDbtInd'), 'CdtDbtInd', at);
  const status = readStatus(text(ntry, 'Sts', 'Cd') ?? text(ntry, 'Sts'), at);
  // A pending entry may have no booking date yet: its value date stands in.
  const dateField = status !== 'BOOK' && child(ntry, 'BookgDt') === undefined ? 'ValDt' : 'BookgDt';
  const bookingDate = readDate(ntry, dateField, at);
  const base: EntryBase = {
    ...amount,
    direction,
    status,
    bookingDate,
    valueDate: child(ntry, 'ValDt') === undefined ? bookingDate : readDate(ntry, 'ValDt', at),
    reversal: readBoolean(text(ntry, 'RvslInd'), 'RvslInd', at),
    bankTransactionCode: child(ntry, 'BkTxCd'),
  };
  const transactions = list(ntry, 'NtryDtls').flatMap((details) => list(details, 'TxDtls'));
  if (transactions.length <= 1) {
    const tx = transactions[0];
    return [toBankEntry(base, tx, index, ref ?? text(tx, 'Refs', 'AcctSvcrRef'), ownIban)];
  }
  const parts = transactions.map((tx, i) => {
    const lineId = text(tx, 'Refs', 'AcctSvcrRef') ?? (ref === undefined ? undefined : `${ref}#${i + 1}`);
    return toBankEntry(batchPart(base, tx, { index: index + i, ref: lineId }), tx, index + i, lineId, ownIban);
  });
  checkBatchTotal(base, parts, at);
  return parts;
}

/** A batch booking's transaction carries its own amount (and, from .04, its own direction). */
function batchPart(base: EntryBase, tx: unknown, at: At): EntryBase {
  const amountNode = child(tx, 'Amt') ?? child(tx, 'AmtDtls', 'TxAmt', 'Amt');
  const part = { ...base, ...readAmount(amountNode, 'TxDtls/Amt', at) };
  if (part.currency !== base.currency) {
    fail(`batch transaction in ${part.currency}, entry in ${base.currency}`, 'TxDtls/Amt', at);
  }
  const direction = text(tx, 'CdtDbtInd');
  return direction === undefined ? part : { ...part, direction: readDirection(direction, 'TxDtls/CdtDbtInd', at) };
}

/** The parts of a batch must add up to what was booked, or cash application would apply money that never moved. */
function checkBatchTotal(base: EntryBase, parts: BankEntry[], at: At): void {
  const signed = (e: { amount: number; direction: string }) => (e.direction === base.direction ? e.amount : -e.amount);
  const total = parts.reduce((sum, part) => sum + signed(part), 0);
  if (total !== base.amount) {
    fail(`batch transactions add up to ${total}, the entry books ${base.amount} (minor units)`, 'TxDtls/Amt', at);
  }
}

function toBankEntry(
  base: EntryBase,
  tx: unknown,
  index: number,
  lineId: string | undefined,
  ownIban: string | undefined,
): BankEntry {
  const { bankTransactionCode, ...fields } = base;
  const returnInfo = child(tx, 'RtrInf');
  const endToEndId = text(tx, 'Refs', 'EndToEndId');
  return {
    index,
    lineId,
    ...fields,
    kind: entryKind(child(tx, 'BkTxCd') ?? bankTransactionCode, returnInfo !== undefined, base.direction),
    returnReason: text(returnInfo, 'Rsn', 'Cd'),
    counterparty: counterparty(tx, base.direction, ownIban),
    remittance: remittance(child(tx, 'RmtInf')),
    endToEndId: endToEndId === 'NOTPROVIDED' ? undefined : endToEndId,
  };
}

function entryKind(code: unknown, hasReturnInfo: boolean, direction: BankEntry['direction']): EntryKind {
  const family = text(code, 'Domn', 'Fmly', 'Cd');
  const subFamily = text(code, 'Domn', 'Fmly', 'SubFmlyCd') ?? '';
  if (family === 'CHRG' || FEE_SUBFAMILIES.has(subFamily)) return 'fee';
  if (hasReturnInfo || RETURN_SUBFAMILIES.has(subFamily)) return 'return';
  if (code === undefined) return direction === 'credit' ? 'transfer' : 'other';
  return FAMILY_KINDS[family ?? ''] ?? 'other'; // other families, and a proprietary code alone, map to nothing
}

/**
 * The debtor of a credit, the creditor of a debit. Returns repeat the original payment's parties, so for a returned
 * direct debit the "creditor" is our own account: then the other side is the counterparty.
 */
function counterparty(
  tx: unknown,
  direction: BankEntry['direction'],
  ownIban: string | undefined,
): BankEntry['counterparty'] {
  const debtor = party(tx, 'Dbtr');
  const creditor = party(tx, 'Cdtr');
  const [theirs, ours] = direction === 'credit' ? [debtor, creditor] : [creditor, debtor];
  return theirs.iban !== undefined && theirs.iban === ownIban ? ours : theirs;
}

function party(tx: unknown, role: 'Dbtr' | 'Cdtr'): BankEntry['counterparty'] {
  const parties = child(tx, 'RltdPties');
  const agent = child(tx, 'RltdAgts', `${role}Agt`, 'FinInstnId');
  return {
    name: text(parties, role, 'Nm') ?? text(parties, role, 'Pty', 'Nm'),
    iban: text(parties, `${role}Acct`, 'Id', 'IBAN'),
    bic: text(agent, 'BICFI') ?? text(agent, 'BIC'),
  };
}

function remittance(rmtInf: unknown): BankEntry['remittance'] {
  const references = list(rmtInf, 'Strd').flatMap((strd) => list(strd, 'CdtrRefInf'));
  const lines = list(rmtInf, 'Ustrd')
    .map((line) => text(line))
    .filter((line) => line !== undefined);
  return {
    structured: references.map((ref) => text(ref, 'Ref')).filter((ref) => ref !== undefined),
    unstructured: lines.length > 0 ? lines.join(' ') : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Values

function readAmount(node: unknown, field: string, at: At): { amount: number; currency: string } {
  const value = text(node);
  const currency = attribute(node, 'Ccy');
  if (value === undefined) fail(`missing ${field}`, field, at);
  if (currency === undefined) fail(`${field} "${value}" has no currency (Ccy)`, field, at);
  if (/^[+-]/.test(value))
    fail(`${field} "${value}" is signed (negative or +); CdtDbtInd gives the direction`, field, at);
  try {
    return { amount: toMinorUnits(value, currency, '.'), currency };
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    fail(`${field}: ${err.message}`, field, at);
  }
}

function readDirection(value: string | undefined, field: string, at: At): BankEntry['direction'] {
  if (value === 'CRDT') return 'credit';
  if (value === 'DBIT') return 'debit';
  return fail(value === undefined ? `missing ${field}` : `${field} "${value}" is not CRDT or DBIT`, field, at);
}

/** Sts, a code (.02) or Sts/Cd (.08 on); mandatory in the schema, read as booked when a bank leaves it out. */
function readStatus(value: string | undefined, at: At): EntryStatus {
  if (value === undefined) return 'BOOK';
  if ((ENTRY_STATUSES as readonly string[]).includes(value)) return value as EntryStatus;
  return fail(`Sts "${value}" is not an entry status (${ENTRY_STATUSES.join(', ')})`, 'Sts', at);
}

function readBoolean(value: string | undefined, field: string, at: At): boolean {
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  return fail(`${field} "${value}" is not a boolean`, field, at);
}

/** BookgDt/ValDt hold a Dt or a DtTm; the date part is kept as written. */
function readDate(ntry: unknown, field: string, at: At): string {
  const dt = text(ntry, field, 'Dt');
  const value = dt ?? text(ntry, field, 'DtTm');
  if (value === undefined) fail(`missing ${field}`, field, at);
  const date = (dt !== undefined ? DATE : DATE_TIME).exec(value)?.[1];
  if (date === undefined || !isCalendarDate(date)) fail(`${field} "${value}" is not a valid date`, field, at);
  return date;
}

function isCalendarDate(date: string): boolean {
  try {
    parseIsoDate(date);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading the parsed tree

/** The element at `path` below `node`; undefined where any step is missing or not an element. */
function child(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const name of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
}

/** A repeating element (see REPEATING) as a list, empty when absent. */
function list(node: unknown, name: string): unknown[] {
  const value = child(node, name);
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** The text of the element at `path`, undefined when absent or empty. */
function text(node: unknown, ...path: string[]): string | undefined {
  const element = child(node, ...path);
  const value = typeof element === 'object' && element !== null ? child(element, '#text') : element;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function attribute(node: unknown, name: string): string | undefined {
  const value = child(node, `@_${name}`);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function required(node: unknown, name: string, field: string): string {
  return text(node, name) ?? fail(`missing ${field}`, field);
}

function fail(message: string, field: string, at?: At): never {
  const where = at === undefined ? '' : `entry ${at.index}${at.ref === undefined ? '' : ` (AcctSvcrRef ${at.ref})`}: `;
  throw new StatementFormatError(`${where}${message}`, field, at?.index, at?.ref);
}
