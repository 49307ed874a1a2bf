/**
 * A bank file as the engine reads it, whatever format the bank sent: ISO 20022 CAMT.053 (statement) or CAMT.054
 * (debit/credit notification), SWIFT MT940, or a bank's CSV export read through a named profile. Every parser
 * reads and validates the whole file before it returns, and throws a StatementFormatError naming the entry and
 * the field on the first thing wrong: a rejected file applies no line.
 *
 * Amounts are integer minor units of the entry's currency, always positive; `direction` says which way the money
 * went. Dates are YYYY-MM-DD.
 */

export const STATEMENT_FORMATS = ['camt.053', 'camt.054', 'mt940', 'csv'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export interface BankStatement {
  format: StatementFormat;
  /** The message version, e.g. camt.053.001.02; the profile name for CSV; "MT940" for MT940. */
  version: string;
  /** The bank's id of this statement or notification (CAMT Stmt/Ntfctn Id; MT940 :20: and :28C:). */
  statementId: string;
  /** Our account the file is about. */
  account: { iban?: string; number?: string; currency: string };
  /** When the bank created the file (ISO 8601 date-time or date), where the file says. */
  createdAt?: string;
  entries: BankEntry[];
}

export const ENTRY_STATUSES = ['BOOK', 'PDNG', 'INFO', 'FUTR'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export const isBooked = (entry: Pick<BankEntry, 'status'>): boolean => (entry.status ?? 'BOOK') === 'BOOK';

export type EntryKind = 'transfer' | 'direct_debit' | 'card' | 'fee' | 'return' | 'other';

export interface BankEntry {
  /** 0-based position of the entry in the file. */
  index: number;
  /** The bank's own reference of the entry: CAMT AcctSvcrRef, MT940 the reference after // in :61:. */
  lineId?: string;
  amount: number;
  currency: string;
  direction: 'credit' | 'debit';
  bookingDate: string;
  valueDate: string;
  /**
   * CAMT Sts: BOOK (booked), PDNG (pending), INFO (for information), FUTR (to be booked later). Only a booked entry
   * moved money; absent means booked (MT940 and CSV statements hold booked entries only).
   */
  status?: EntryStatus;
  /** A reversal of an earlier entry (CAMT RvslInd, MT940 RC/RD). */
  reversal: boolean;
  /** From the bank transaction code where the file has one (CAMT BkTxCd, MT940 transaction type, CSV column). */
  kind: EntryKind;
  /** For a returned payment: the reason code, e.g. a SEPA R-transaction code AC04, MD06 (CAMT RtrInf/Rsn/Cd). */
  returnReason?: string;
  /** Who paid (a credit) or was paid (a debit). */
  counterparty: { name?: string; iban?: string; bic?: string };
  remittance: {
    /** Structured creditor references as written (CAMT CdtrRefInf/Ref, MT940 :86: /REMI/ structured part). */
    structured: string[];
    /** Free remittance text, lines joined with a space. */
    unstructured?: string;
  };
  endToEndId?: string;
}

/** A file that cannot be read as a whole: which entry (if it got that far), its bank reference, which field, and why. */
export class StatementFormatError extends Error {
  constructor(
    message: string,
    readonly field: string,
    readonly entryIndex?: number,
    readonly entryRef?: string,
  ) {
    super(message);
    this.name = 'StatementFormatError';
  }
}
