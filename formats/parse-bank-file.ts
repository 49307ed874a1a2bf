/**
 * One entry point for every bank file: the format is the caller's word or read from the content, the bytes are
 * decoded as that format expects, and the format's parser reads and checks the whole file.
 */
import { type CsvProfile, decodeBankText, parseBankCsv } from './bank-csv.js';
import { type BankStatement, type StatementFormat, StatementFormatError } from './bank-statement.js';
import { parseCamt } from './camt.js';
import { parseMt940 } from './mt940.js';

// Detection needs only the start of the file. latin1 maps each byte to one character and never fails, and every
// marker looked for is ASCII.
const SNIFF_BYTES = 4096;
const UTF8_BOM_AS_LATIN1 = '\u00EF\u00BB\u00BF';

function head(content: Buffer): string {
  const text = content.subarray(0, SNIFF_BYTES).toString('latin1');
  return (text.startsWith(UTF8_BOM_AS_LATIN1) ? text.slice(UTF8_BOM_AS_LATIN1.length) : text).trimStart();
}

/** The namespace of the root element, skipping the XML declaration, comments, processing instructions and DOCTYPE. */
function rootNamespace(xml: string): string | undefined {
  const root = /^(?:\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>))*\s*<([A-Za-z_][\w.-]*(?::[\w.-]+)?)([^>]*)>/.exec(
    xml,
  );
  if (root === null) return undefined;
  const prefix = root[1]?.includes(':') ? `:${root[1].split(':')[0]}` : '';
  return new RegExp(`\\sxmlns${prefix}\\s*=\\s*["']([^"']*)["']`).exec(root[2] ?? '')?.[1];
}

function xmlFormat(xml: string): 'camt.053' | 'camt.054' {
  const ns = rootNamespace(xml);
  const camt = /:camt\.(053|054)\./.exec(ns ?? '')?.[1];
  if (camt === undefined) {
    throw new StatementFormatError(
      `an XML file whose root namespace is ${ns === undefined ? 'missing' : `"${ns}"`}, not camt.053 or camt.054`,
      'format',
    );
  }
  return camt === '053' ? 'camt.053' : 'camt.054';
}

/** A SWIFT block header, or :20: with :25: or :61: among the first lines (a statement may have no :61:). */
function looksLikeMt940(text: string): boolean {
  const lines = text
    .split(/\r\n|\r|\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, 10);
  if (lines.some((l) => l.startsWith('{1:'))) return true;
  return lines.some((l) => l.startsWith(':20:')) && lines.some((l) => /^:(25|61):/.test(l));
}

/**
 * The format by content: an XML root in the camt.053 or camt.054 namespace, MT940 tags or a SWIFT block, and
 * otherwise CSV (which then needs a profile). XML of any other message is refused rather than read as CSV.
 */
export function detectFormat(content: Buffer): 'camt.053' | 'camt.054' | 'mt940' | 'csv' {
  const text = head(content);
  if (text.startsWith('<')) return xmlFormat(text);
  return looksLikeMt940(text) ? 'mt940' : 'csv';
}

// Declared encodings read besides UTF-8; ISO-8859-1 is decoded as its superset windows-1252 (WHATWG Encoding).
const LATIN_ENCODINGS = new Set(['iso-8859-1', 'iso_8859-1', 'latin1', 'windows-1252', 'cp1252']);

function decodeXml(content: Buffer): string {
  const declared = /^<\?xml[^>]*?\sencoding\s*=\s*["']([^"']+)["']/.exec(head(content))?.[1]?.toLowerCase();
  if (declared !== undefined && LATIN_ENCODINGS.has(declared)) return decodeBankText(content, 'windows-1252');
  if (declared !== undefined && declared !== 'utf-8' && declared !== 'utf8') {
    throw new StatementFormatError(
      `the XML declares encoding "${declared}"; UTF-8, ISO-8859-1 and windows-1252 are read`,
      'encoding',
    );
  }
  try {
    return decodeBankText(content, 'utf-8');
  } catch {
    throw new StatementFormatError('the XML is not valid UTF-8 and declares no other encoding', 'encoding');
  }
}

/** MT940 is ASCII by the standard; banks' exports are UTF-8 or, for the older ones, windows-1252. */
function decodeMt940(content: Buffer): string {
  try {
    return decodeBankText(content, 'utf-8');
  } catch {
    return decodeBankText(content, 'windows-1252');
  }
}

export function parseBankFile(
  content: Buffer,
  options: { format?: StatementFormat; profile?: CsvProfile },
): BankStatement {
  const format = options.format ?? detectFormat(content);
  switch (format) {
    case 'camt.053':
    case 'camt.054': {
      const statement = parseCamt(decodeXml(content));
      if (statement.format !== format) {
        throw new StatementFormatError(`the file is a ${statement.format}, not the ${format} asked for`, 'format');
      }
      return statement;
    }
    case 'mt940':
      return parseMt940(decodeMt940(content));
    case 'csv':
      if (options.profile === undefined) {
        throw new StatementFormatError(
          'a CSV bank file needs a named profile saying how to read it (separator, columns, date format)',
          'profile',
        );
      }
      return parseBankCsv(content, options.profile);
  }
}
