import { describe, expect, it } from 'vitest';
import { buildInvoiceDocument, type InvoiceDocumentInput } from '../../domain/invoice-document.js';
import { escapeXml, PEPPOL_BIS_BILLING_CUSTOMIZATION_ID, toUbl } from '../../documents/ubl.js';

// Schema and business-rule validity of the output is checked by the official Peppol rules in
// test/documents/ubl-validation.test.ts; these tests pin the formatting that needs no validator.

const input: InvoiceDocumentInput = {
  type: 'invoice',
  number: 'INV-1 <&>',
  issueDate: '2026-11-02',
  currency: 'EUR',
  seller: {
    name: 'Jansen & Zn. "De Molen"',
    address: { street: 'Molenweg 1', city: 'Zaandam', postalCode: '1500 AA', country: 'NL' },
    vatId: 'NL123456789B01',
    endpoint: { id: '12345678', scheme: '0106' },
  },
  buyer: {
    name: "O'Brien Ltd",
    address: { street: '1 Quay', city: 'Dublin', postalCode: 'D01', country: 'IE' },
    vatId: 'IE1234567T',
    endpoint: { id: 'IE1234567T', scheme: '9935' },
  },
  orderReference: 'PO-9',
  paymentTermsDays: 14,
  payment: { meansCode: '58', reference: 'RF18539007547034', account: { id: 'NL91ABNA0417164300' } },
  lines: [
    {
      sku: 'X',
      description: 'Gram',
      quantityThousandths: 2500,
      unitCode: 'GRM',
      unitPrice: 5,
      vat: { code: 'S', rateBp: 550 },
    },
    {
      sku: 'Y',
      description: 'Part',
      quantityThousandths: 1000,
      unitPrice: 123_456_789,
      vat: { code: 'S', rateBp: 550 },
    },
  ],
};

describe('UBL rendering', () => {
  const xml = toUbl(buildInvoiceDocument(input));

  it('escapes markup and quotes in text and attributes', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(xml).toContain('<cbc:ID>INV-1 &lt;&amp;&gt;</cbc:ID>');
    expect(xml).toContain('<cbc:RegistrationName>Jansen &amp; Zn. &quot;De Molen&quot;</cbc:RegistrationName>');
    expect(xml).toContain('<cbc:RegistrationName>O&apos;Brien Ltd</cbc:RegistrationName>');
  });

  it('refuses characters XML 1.0 cannot carry', () => {
    expect(() => escapeXml('bell\u0007')).toThrow(/XML 1\.0/);
  });

  it('formats amounts from minor units, quantities from thousandths and rates from basis points', () => {
    expect(xml).toContain('<cbc:InvoicedQuantity unitCode="GRM">2.5</cbc:InvoicedQuantity>');
    expect(xml).toContain('<cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>');
    expect(xml).toContain('<cbc:PriceAmount currencyID="EUR">0.05</cbc:PriceAmount>');
    expect(xml).toContain('<cbc:LineExtensionAmount currencyID="EUR">0.13</cbc:LineExtensionAmount>'); // 0.125 -> 0.13
    expect(xml).toContain('<cbc:PriceAmount currencyID="EUR">1234567.89</cbc:PriceAmount>');
    expect(xml).toContain('<cbc:Percent>5.5</cbc:Percent>');
    expect(xml).not.toMatch(/\d[eE][+-]?\d|NaN|undefined/); // no float exponent leaks into the XML
  });

  it('writes the Peppol BIS Billing 3.0 identifiers and the credit note form', () => {
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"',
      ),
    ).toBe(true);
    expect(xml).toContain(`<cbc:CustomizationID>${PEPPOL_BIS_BILLING_CUSTOMIZATION_ID}</cbc:CustomizationID>`);
    expect(xml).toContain('<cbc:DueDate>2026-11-16</cbc:DueDate>');
    const cn = toUbl(
      buildInvoiceDocument({
        ...input,
        type: 'credit-note',
        precedingInvoice: { number: 'INV-0', issueDate: '2026-10-01' },
      }),
    );
    expect(cn).toContain('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"');
    expect(cn).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(cn).toContain('<cbc:CreditedQuantity unitCode="GRM">2.5</cbc:CreditedQuantity>');
    expect(cn).toContain('<cbc:PaymentDueDate>2026-11-16</cbc:PaymentDueDate>');
    expect(cn).not.toContain('<cbc:DueDate>');
  });

  it('writes a rounding amount before the amount due, and refuses a buyer without an electronic address', () => {
    const rounded = toUbl(buildInvoiceDocument({ ...input, roundingAmount: 1 }));
    expect(rounded).toMatch(
      /<cbc:PayableRoundingAmount currencyID="EUR">0\.01<\/cbc:PayableRoundingAmount><cbc:PayableAmount/,
    );
    const { endpoint: _endpoint, ...buyer } = input.buyer;
    expect(() => toUbl(buildInvoiceDocument({ ...input, buyer }))).toThrow(/buyer\.endpoint/);
  });

  it('states no rate for a document outside the scope of VAT (BR-O-05)', () => {
    const o = toUbl(
      buildInvoiceDocument({
        ...input,
        seller: { ...input.seller, vatId: undefined },
        buyer: { ...input.buyer, vatId: undefined },
        lines: [
          {
            sku: 'D',
            description: 'Donation',
            quantityThousandths: 1000,
            unitPrice: 100,
            vat: { code: 'O', rateBp: 0 },
          },
        ],
      }),
    );
    expect(o).not.toContain('<cbc:Percent>');
    expect(o).toContain('<cbc:TaxExemptionReasonCode>VATEX-EU-O</cbc:TaxExemptionReasonCode>');
  });
});
