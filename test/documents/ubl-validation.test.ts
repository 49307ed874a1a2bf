/**
 * Every UBL document the engine produces is checked against the official rules a Peppol access point applies:
 * the UBL 2.1 schema, the CEN EN 16931 schematron and the Peppol BIS Billing 3.0 schematron (OpenPeppol release
 * 2026.5), run by the Java validator from scripts/tools/peppol-validator.ts (built on first use; needs a JDK and
 * mvn). All documents go through one validator run, because starting it costs seconds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildInvoiceDocument, type InvoiceDocumentInput } from '../../domain/invoice-document.js';
import { toUbl } from '../../documents/ubl.js';
import { type UblValidation, validateUblBatch } from '../../documents/validate-ubl.js';
import * as fixtures from './fixtures.js';

const matrix: Record<string, InvoiceDocumentInput> = {
  'domestic NL with 21 %, 9 % and 0 %, line and document discounts and a charge': fixtures.domesticNl,
  'domestic NO in NOK with 25 %, 15 % and 12 %': fixtures.domesticNo,
  'reverse charge BE -> NL (AE)': fixtures.reverseChargeBeNl,
  'intra-community supply DE -> NL (K)': fixtures.intraCommunityDeNl,
  'export NL -> US outside the EU (G)': fixtures.exportNlUs,
  'credit note NL referencing the invoice': fixtures.creditNoteNl,
  'awkward rounding: 31 x 0.07 at 9 %, fractional hours, half-cent lines': fixtures.awkwardRounding,
  'outside the scope of VAT (O)': fixtures.outsideScopeNl,
};

const valid = toUbl(buildInvoiceDocument(fixtures.domesticNl));
const amountOf = (xml: string, element: string): string => {
  const m = new RegExp(`<cbc:${element} currencyID="EUR">([0-9.]+)</cbc:${element}>`).exec(xml);
  if (m?.[1] === undefined) throw new Error(`no ${element} in the document`);
  return m[1];
};
const total = amountOf(valid, 'TaxInclusiveAmount');
/** Deliberately broken: the total with VAT is one cent off, the buyer has no Peppol address, a line has no VAT category. */
const broken = {
  wrongTotal: valid.replace(
    `<cbc:TaxInclusiveAmount currencyID="EUR">${total}<`,
    `<cbc:TaxInclusiveAmount currencyID="EUR">${(Number(total) + 0.01).toFixed(2)}<`,
  ),
  noBuyerEndpoint: valid.replace('<cbc:EndpointID schemeID="0106">87654321</cbc:EndpointID>', ''),
  elementsOutOfOrder: valid.replace(
    /(<cbc:IssueDate>[^<]*<\/cbc:IssueDate>)(<cbc:DueDate>[^<]*<\/cbc:DueDate>)/,
    '$2$1',
  ),
};

const xmls = new Map(Object.entries(matrix).map(([name, input]) => [name, toUbl(buildInvoiceDocument(input))]));
let results: Map<string, UblValidation>;

beforeAll(async () => {
  const all = [...xmls.entries(), ...Object.entries(broken)];
  const validations = await validateUblBatch(all.map(([, xml]) => xml));
  results = new Map(all.map(([name], i) => [name, validations[i]!]));
}, 300_000);

/** The fatal findings of one document, as {id, text, location} so a failure shows what the rule said. */
const fatal = (name: string): { id: string; text: string; location: string }[] => {
  const result = results.get(name);
  if (result === undefined) throw new Error(`no validation result for ${name}`);
  return result.errors.filter((e) => e.flag === 'fatal').map(({ id, text, location }) => ({ id, text, location }));
};

describe('Peppol BIS Billing 3.0 validation of generated UBL', () => {
  it.each(Object.keys(matrix))('%s: zero fatal errors', (name) => {
    expect(fatal(name)).toEqual([]);
    expect(results.get(name)?.valid).toBe(true);
  });

  it('keeps what the matrix is about in the XML', () => {
    expect(xmls.get('credit note NL referencing the invoice')).toMatch(
      /<CreditNote [^>]*>.*<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>INV-2026-000101<\/cbc:ID>/s,
    );
    expect(xmls.get('reverse charge BE -> NL (AE)')).toContain(
      '<cbc:TaxExemptionReasonCode>VATEX-EU-AE</cbc:TaxExemptionReasonCode>',
    );
    expect(xmls.get('export NL -> US outside the EU (G)')).toContain('<cbc:ID>G</cbc:ID>');
    expect(valid.match(/<cac:TaxSubtotal>/g)).toHaveLength(3); // domestic NL: 21 %, 9 % and Z
    expect(xmls.get('awkward rounding: 31 x 0.07 at 9 %, fractional hours, half-cent lines')).toContain(
      '<cbc:TaxableAmount currencyID="EUR">2.22</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">0.20</cbc:TaxAmount>',
    );
  });

  it('reports a total that does not add up as invalid (BR-CO-15, BR-CO-16)', () => {
    expect(results.get('wrongTotal')?.valid).toBe(false);
    expect(fatal('wrongTotal').map((e) => e.id)).toEqual(['BR-CO-15', 'BR-CO-16']);
  });

  it('reports a missing buyer electronic address as invalid (PEPPOL-EN16931-R010)', () => {
    expect(results.get('noBuyerEndpoint')?.valid).toBe(false);
    expect(fatal('noBuyerEndpoint').map((e) => e.id)).toEqual(['PEPPOL-EN16931-R010']);
  });

  it('reports elements out of schema order as invalid (UBL 2.1 XSD)', () => {
    expect(results.get('elementsOutOfOrder')?.valid).toBe(false);
    expect(fatal('elementsOutOfOrder').map((e) => e.id)).toContain('XSD');
  });
});
