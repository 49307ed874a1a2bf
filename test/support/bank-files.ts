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
        <Sts><Cd>BOOK</Cd></Sts>
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
