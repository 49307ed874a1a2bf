/**
 * Renders an InvoiceDocument as UBL 2.1 in the Peppol BIS Billing 3.0 profile: an Invoice, or a CreditNote
 * for type 'credit-note'. Element order follows the UBL 2.1 schemas (the validator checks them). Amounts are
 * formatted from integer minor units by string arithmetic, never through floats.
 */
import { isSupportedCurrency, minorUnitDigits } from '../domain/currency.js';
import {
  QUANTITY_SCALE,
  type DocumentAllowanceCharge,
  type InvoiceDocument,
  type InvoiceLine,
  type Party,
} from '../domain/invoice-document.js';
import { BASIS_POINTS, type VatCategory } from '../domain/tax.js';

export const PEPPOL_BIS_BILLING_CUSTOMIZATION_ID =
  'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PEPPOL_BIS_BILLING_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

const NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  'credit-note': 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

/** Escapes text and attribute values; also rejects characters XML 1.0 cannot carry at all. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(text)) {
    throw new RangeError(`text contains a character XML 1.0 cannot represent: ${JSON.stringify(text)}`);
  }
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

/** Decimal string of `value / 10^digits` with exactly `digits` decimals: 12345, 2 -> "123.45". */
function fixed(value: number, digits: number): string {
  const abs = String(Math.abs(value)).padStart(digits + 1, '0');
  const sign = value < 0 ? '-' : '';
  return digits === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/** Like fixed(), without trailing zeros: 2500 thousandths -> "2.5", 2100 bp -> "21". */
function decimal(value: number, scale: number): string {
  const s = fixed(value, String(scale).length - 1);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

type Child = string | false | undefined;

/** One element; children that are false/undefined are left out, so optional fields read as `cond && el(...)`. */
function el(name: string, content: string | readonly Child[], attrs: Readonly<Record<string, string>> = {}): string {
  const attributes = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  const body =
    typeof content === 'string'
      ? escapeXml(content)
      : content.filter((c): c is string => typeof c === 'string').join('');
  return `<${name}${attributes}>${body}</${name}>`;
}

/** Peppol BIS needs both parties' electronic addresses (PEPPOL-EN16931-R010, R020). */
function endpointOf(p: Party, isSeller: boolean): { id: string; scheme: string } {
  if (!p.endpoint)
    throw new RangeError(
      `${isSeller ? 'seller' : 'buyer'}.endpoint: a Peppol UBL needs the party's electronic address`,
    );
  return p.endpoint;
}

function render(doc: InvoiceDocument): string {
  const currency = doc.currency;
  if (!isSupportedCurrency(currency)) throw new RangeError(`currency "${currency}" is not supported`);
  const digits = minorUnitDigits(currency);
  const amount = (name: string, minor: number): string => el(name, fixed(minor, digits), { currencyID: currency });
  const percent = (bp: number): string => decimal(bp, BASIS_POINTS / 100);
  const isInvoice = doc.type === 'invoice';

  const taxScheme = el('cac:TaxScheme', [el('cbc:ID', 'VAT')]);
  // Category O states no rate at all (BR-O-05..07); every other category states its rate, 0 included.
  const category = (tag: string, vat: VatCategory, extra: readonly Child[] = []): string =>
    el(tag, [el('cbc:ID', vat.code), vat.code !== 'O' && el('cbc:Percent', percent(vat.rateBp)), ...extra, taxScheme]);

  const party = (p: Party, isSeller: boolean): string =>
    el('cac:Party', [
      el('cbc:EndpointID', endpointOf(p, isSeller).id, { schemeID: endpointOf(p, isSeller).scheme }),
      el('cac:PostalAddress', [
        el('cbc:StreetName', p.address.street),
        p.address.additionalStreet !== undefined && el('cbc:AdditionalStreetName', p.address.additionalStreet),
        el('cbc:CityName', p.address.city),
        el('cbc:PostalZone', p.address.postalCode),
        el('cac:Country', [el('cbc:IdentificationCode', p.address.country)]),
      ]),
      p.vatId !== undefined && el('cac:PartyTaxScheme', [el('cbc:CompanyID', p.vatId), taxScheme]),
      isSeller &&
        p.taxRegistration !== undefined &&
        el('cac:PartyTaxScheme', [el('cbc:CompanyID', p.taxRegistration), el('cac:TaxScheme', [el('cbc:ID', 'TAX')])]),
      el('cac:PartyLegalEntity', [
        el('cbc:RegistrationName', p.name),
        p.legalId !== undefined && el('cbc:CompanyID', p.legalId.id, { schemeID: p.legalId.scheme }),
      ]),
      p.contact !== undefined &&
        el('cac:Contact', [
          p.contact.name !== undefined && el('cbc:Name', p.contact.name),
          p.contact.phone !== undefined && el('cbc:Telephone', p.contact.phone),
          p.contact.email !== undefined && el('cbc:ElectronicMail', p.contact.email),
        ]),
    ]);

  const allowanceCharge = (
    isCharge: boolean,
    reason: string,
    reasonCode: string | undefined,
    percentBp: number | undefined,
    resolved: number,
    base: number | undefined,
    vat?: VatCategory,
  ): string =>
    el('cac:AllowanceCharge', [
      el('cbc:ChargeIndicator', String(isCharge)),
      reasonCode !== undefined && el('cbc:AllowanceChargeReasonCode', reasonCode),
      el('cbc:AllowanceChargeReason', reason),
      // Peppol puts the percentage itself here (10 for 10 %), with the base it applied to.
      percentBp !== undefined && el('cbc:MultiplierFactorNumeric', percent(percentBp)),
      amount('cbc:Amount', resolved),
      base !== undefined && amount('cbc:BaseAmount', base),
      vat !== undefined && category('cac:TaxCategory', vat),
    ]);

  const documentAllowanceCharge = (ac: DocumentAllowanceCharge): string =>
    allowanceCharge(
      ac.kind === 'charge',
      ac.reason,
      ac.reasonCode,
      ac.percentBp,
      ac.resolvedAmount,
      ac.baseAmount,
      ac.vat,
    );

  const line = (l: InvoiceLine): string =>
    el(isInvoice ? 'cac:InvoiceLine' : 'cac:CreditNoteLine', [
      el('cbc:ID', l.id),
      el(isInvoice ? 'cbc:InvoicedQuantity' : 'cbc:CreditedQuantity', decimal(l.quantityThousandths, QUANTITY_SCALE), {
        unitCode: l.unitCode ?? 'C62',
      }),
      amount('cbc:LineExtensionAmount', l.netAmount),
      l.allowance !== undefined &&
        allowanceCharge(
          false,
          l.allowance.reason,
          l.allowance.reasonCode,
          l.allowance.percentBp,
          l.allowanceAmount,
          l.allowance.percentBp !== undefined ? l.grossAmount : undefined,
        ),
      el('cac:Item', [
        el('cbc:Name', l.description),
        el('cac:SellersItemIdentification', [el('cbc:ID', l.sku)]),
        category('cac:ClassifiedTaxCategory', l.vat),
      ]),
      el('cac:Price', [amount('cbc:PriceAmount', l.unitPrice)]),
    ]);

  const t = doc.totals;
  const root = isInvoice ? 'Invoice' : 'CreditNote';
  return el(
    root,
    [
      el('cbc:CustomizationID', PEPPOL_BIS_BILLING_CUSTOMIZATION_ID),
      el('cbc:ProfileID', PEPPOL_BIS_BILLING_PROFILE_ID),
      el('cbc:ID', doc.number),
      el('cbc:IssueDate', doc.issueDate),
      isInvoice && el('cbc:DueDate', doc.dueDate),
      isInvoice ? el('cbc:InvoiceTypeCode', '380') : el('cbc:CreditNoteTypeCode', '381'),
      doc.note !== undefined && el('cbc:Note', doc.note),
      el('cbc:DocumentCurrencyCode', currency),
      doc.buyerReference !== undefined && el('cbc:BuyerReference', doc.buyerReference),
      doc.orderReference !== undefined && el('cac:OrderReference', [el('cbc:ID', doc.orderReference)]),
      doc.precedingInvoice !== undefined &&
        el('cac:BillingReference', [
          el('cac:InvoiceDocumentReference', [
            el('cbc:ID', doc.precedingInvoice.number),
            el('cbc:IssueDate', doc.precedingInvoice.issueDate),
          ]),
        ]),
      el('cac:AccountingSupplierParty', [party(doc.seller, true)]),
      el('cac:AccountingCustomerParty', [party(doc.buyer, false)]),
      doc.delivery !== undefined &&
        el('cac:Delivery', [
          doc.delivery.date !== undefined && el('cbc:ActualDeliveryDate', doc.delivery.date),
          doc.delivery.country !== undefined &&
            el('cac:DeliveryLocation', [
              el('cac:Address', [el('cac:Country', [el('cbc:IdentificationCode', doc.delivery.country)])]),
            ]),
        ]),
      el('cac:PaymentMeans', [
        el('cbc:PaymentMeansCode', doc.payment.meansCode),
        // A credit note has no document-level due date in UBL; BT-9 goes here instead.
        !isInvoice && el('cbc:PaymentDueDate', doc.dueDate),
        el('cbc:PaymentID', doc.payment.reference),
        el('cac:PayeeFinancialAccount', [
          el('cbc:ID', doc.payment.account.id),
          doc.payment.account.name !== undefined && el('cbc:Name', doc.payment.account.name),
          doc.payment.account.bic !== undefined &&
            el('cac:FinancialInstitutionBranch', [el('cbc:ID', doc.payment.account.bic)]),
        ]),
      ]),
      doc.paymentTermsText !== undefined && el('cac:PaymentTerms', [el('cbc:Note', doc.paymentTermsText)]),
      ...doc.allowancesCharges.map(documentAllowanceCharge),
      el('cac:TaxTotal', [
        amount('cbc:TaxAmount', t.vatTotal),
        ...doc.vatBreakdown.map((b) =>
          el('cac:TaxSubtotal', [
            amount('cbc:TaxableAmount', b.taxableAmount),
            amount('cbc:TaxAmount', b.taxAmount),
            category('cac:TaxCategory', b, [
              b.exemptionReasonCode !== undefined && el('cbc:TaxExemptionReasonCode', b.exemptionReasonCode),
              b.exemptionReason !== undefined && el('cbc:TaxExemptionReason', b.exemptionReason),
            ]),
          ]),
        ),
      ]),
      el('cac:LegalMonetaryTotal', [
        amount('cbc:LineExtensionAmount', t.sumOfLineNets),
        amount('cbc:TaxExclusiveAmount', t.totalWithoutVat),
        amount('cbc:TaxInclusiveAmount', t.totalWithVat),
        t.allowanceTotal !== 0 && amount('cbc:AllowanceTotalAmount', t.allowanceTotal),
        t.chargeTotal !== 0 && amount('cbc:ChargeTotalAmount', t.chargeTotal),
        t.prepaidAmount !== 0 && amount('cbc:PrepaidAmount', t.prepaidAmount),
        t.roundingAmount !== 0 && amount('cbc:PayableRoundingAmount', t.roundingAmount),
        amount('cbc:PayableAmount', t.amountDue),
      ]),
      ...doc.lines.map(line),
    ],
    { xmlns: NS[doc.type], 'xmlns:cac': NS.cac, 'xmlns:cbc': NS.cbc },
  );
}

/** The UBL XML of a document, with an XML declaration, as sent over Peppol. */
export function toUbl(doc: InvoiceDocument): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(doc)}\n`;
}
