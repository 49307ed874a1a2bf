import type { CsvProfile } from '../../formats/bank-csv.js';

/** An entry of a bank file the tests write, as a bank would fill it. */
export interface TestEntry {
  amount: number; // minor units
  currency?: string;
  direction?: 'credit' | 'debit';
  bookingDate?: string;
  acctSvcrRef: string;
  reference?: string;
  text?: string;
  debtorName?: string;
  debtorIban?: string;
  endToEndId?: string;
  /** A SEPA return of an earlier payment: the R-transaction code. */
  returnReason?: string;
  /** A bank charge rather than a payment. */
  fee?: boolean;
  /** CAMT entry status; BOOK unless given. */
  status?: 'BOOK' | 'PDNG' | 'INFO';
}

const money = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A camt.053.001.08 statement of `account` with these entries, as a Dutch or Norwegian bank sends it. */
export function camt053(options: {
  statementId: string;
  account: string;
  currency?: string;
  entries: readonly TestEntry[];
}): string {
  const ccy = options.currency ?? 'EUR';
  const entries = options.entries.map((e) => {
    const date = e.bookingDate ?? '2026-12-01';
    const direction = e.direction ?? 'credit';
    const family = e.fee
      ? ['ACMT', 'MDOP', 'CHRG']
      : e.returnReason
        ? ['PMNT', 'RCDT', 'RRTN']
        : ['PMNT', 'RCDT', 'ESCT'];
    const party = direction === 'credit' ? 'Dbtr' : 'Cdtr';
    return `
      <Ntry>
        <Amt Ccy="${e.currency ?? ccy}">${money(e.amount)}</Amt>
        <CdtDbtInd>${direction === 'credit' ? 'CRDT' : 'DBIT'}</CdtDbtInd>
        <Sts><Cd>${e.status ?? 'BOOK'}</Cd></Sts>
        <BookgDt><Dt>${date}</Dt></BookgDt>
        <ValDt><Dt>${date}</Dt></ValDt>
        <AcctSvcrRef>${esc(e.acctSvcrRef)}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>${family[0]}</Cd><Fmly><Cd>${family[1]}</Cd><SubFmlyCd>${family[2]}</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs>${e.endToEndId ? `<EndToEndId>${esc(e.endToEndId)}</EndToEndId>` : ''}</Refs>
          ${e.debtorName || e.debtorIban ? `<RltdPties>${e.debtorName ? `<${party}><Pty><Nm>${esc(e.debtorName)}</Nm></Pty></${party}>` : ''}${e.debtorIban ? `<${party}Acct><Id><IBAN>${e.debtorIban}</IBAN></Id></${party}Acct>` : ''}</RltdPties>` : ''}
          ${e.reference || e.text ? `<RmtInf>${e.text ? `<Ustrd>${esc(e.text)}</Ustrd>` : ''}${e.reference ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${esc(e.reference)}</Ref></CdtrRefInf></Strd>` : ''}</RmtInf>` : ''}
          ${e.returnReason ? `<RtrInf><Rsn><Cd>${e.returnReason}</Cd></Rsn></RtrInf>` : ''}
        </TxDtls></NtryDtls>
      </Ntry>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>${esc(options.statementId)}-MSG</MsgId><CreDtTm>2026-12-02T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${esc(options.statementId)}</Id>
      <CreDtTm>2026-12-02T06:00:00</CreDtTm>
      <Acct><Id><IBAN>${options.account}</IBAN></Id><Ccy>${ccy}</Ccy></Acct>
      ${entries.join('')}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}

const mtDate = (iso: string) => iso.slice(2).replace(/-/g, '');
const mtMoney = (minor: number) => `${Math.floor(minor / 100)},${String(minor % 100).padStart(2, '0')}`;

/**
 * An MT940 statement as Rabobank writes it: the bank's reference after `//` in :61:, and :86: in structured subfields
 * (/EREF/, /ORDP//NAME/…/IBAN/…, /REMI/STRD/ISO/<reference> or /REMI/USTD//<text>), balances that add up.
 */
export function mt940(options: { statementId: string; account: string; entries: readonly TestEntry[] }): string {
  let balance = 0;
  const lines = options.entries.flatMap((e) => {
    const date = mtDate(e.bookingDate ?? '2026-12-01');
    const credit = (e.direction ?? 'credit') === 'credit';
    balance += credit ? e.amount : -e.amount;
    const code = e.fee ? 'NCHG' : e.returnReason ? 'NRTI' : 'NTRF';
    const remittance = e.reference ? `/REMI/STRD/ISO/${e.reference}` : e.text ? `/REMI/USTD//${e.text}` : '';
    const party = [e.debtorName ? `/NAME/${e.debtorName}` : '', e.debtorIban ? `/IBAN/${e.debtorIban}` : ''].join('');
    const info = [
      e.endToEndId ? `/EREF/${e.endToEndId}` : '',
      e.returnReason ? `/RTRN/${e.returnReason}` : '',
      party ? `/${credit ? 'ORDP' : 'BENM'}/${party}` : '',
      remittance,
    ].join('');
    // :86: lines are at most 65 characters; the parser joins them again.
    const line61 = `:61:${date}${date.slice(2)}${credit ? 'C' : 'D'}${mtMoney(e.amount)}${code}NONREF//${e.acctSvcrRef}`;
    return info ? [line61, `:86:${info}`.match(/.{1,65}/g)!.join('\n')] : [line61];
  });
  const sign = (n: number) => (n < 0 ? 'D' : 'C');
  return [
    ':20:' + options.statementId,
    ':25:' + options.account,
    ':28C:00001',
    ':60F:C261130EUR0,00',
    ...lines,
    `:62F:${sign(balance)}261201EUR${mtMoney(Math.abs(balance))}`,
    '',
  ].join('\n');
}

/** ING NL's CSV export: ';' separated, unsigned amounts with an "Af Bij" column, YYYYMMDD dates, windows-1252. */
export const ING_NL_CSV_PROFILE: CsvProfile = {
  name: 'ing-nl',
  separator: ';',
  decimal: ',',
  dateFormat: 'YYYYMMDD',
  encoding: 'windows-1252',
  headerRows: 1,
  currency: 'EUR',
  columns: {
    bookingDate: 'Datum',
    amount: 'Bedrag (EUR)',
    direction: { column: 'Af Bij', credit: ['Bij'], debit: ['Af'] },
    counterpartyName: 'Naam / Omschrijving',
    counterpartyIban: 'Tegenrekening',
    remittance: 'Mededelingen',
    accountIban: 'Rekening',
  },
};
