/**
 * Parties and documents for the Peppol validation matrix. Identifiers are made up but pass the check-digit
 * rules the Peppol artefacts apply (Norwegian org.nr MOD11, Belgian enterprise number mod 97, 8-digit KvK).
 */
import type { InvoiceDocumentInput, Party } from '../../domain/invoice-document.js';
import { belgianStructuredCommunication, kidMod10, rfReference } from '../../domain/payment-reference.js';
import { vatRate } from '../../domain/vat-rates.js';

export const nlSeller: Party = {
  name: 'Noordzee Groothandel B.V.',
  address: { street: 'Keizersgracht 1', city: 'Amsterdam', postalCode: '1015 CJ', country: 'NL' },
  vatId: 'NL123456789B01',
  legalId: { id: '12345678', scheme: '0106' },
  endpoint: { id: '12345678', scheme: '0106' },
  contact: { name: 'Debiteurenbeheer', email: 'ar@noordzee.example' },
};

export const nlBuyer: Party = {
  name: 'Bakkerij De Vries & Zn. B.V.',
  address: { street: 'Dorpsstraat 5', city: 'Utrecht', postalCode: '3512 AB', country: 'NL' },
  vatId: 'NL987654321B01',
  legalId: { id: '87654321', scheme: '0106' },
  endpoint: { id: '87654321', scheme: '0106' },
};

export const beSeller: Party = {
  name: 'Schelde Engineering NV',
  address: { street: 'Meir 10', city: 'Antwerpen', postalCode: '2000', country: 'BE' },
  vatId: 'BE0123456749',
  legalId: { id: '0123456749', scheme: '0208' },
  endpoint: { id: '0123456749', scheme: '0208' },
};

export const deSeller: Party = {
  name: 'Rhein Maschinenbau GmbH',
  address: { street: 'Rheinuferstraße 3', city: 'Düsseldorf', postalCode: '40213', country: 'DE' },
  vatId: 'DE123456789',
  endpoint: { id: 'DE123456789', scheme: '9930' },
};

export const noSeller: Party = {
  name: 'Fjord Handel AS',
  address: { street: 'Karl Johans gate 1', city: 'Oslo', postalCode: '0154', country: 'NO' },
  vatId: 'NO974760673MVA',
  legalId: { id: '974760673', scheme: '0192' },
  taxRegistration: 'Foretaksregisteret',
  endpoint: { id: '974760673', scheme: '0192' },
};

export const noBuyer: Party = {
  name: 'Nordlys Kafé AS',
  address: { street: 'Bryggen 2', city: 'Bergen', postalCode: '5003', country: 'NO' },
  vatId: 'NO923609016MVA',
  legalId: { id: '923609016', scheme: '0192' },
  endpoint: { id: '923609016', scheme: '0192' },
};

export const usBuyer: Party = {
  name: 'Acme Bakery Supplies Inc.',
  address: { street: '1 Main Street', city: 'Boston', postalCode: '02110', country: 'US' },
  endpoint: { id: '123456789', scheme: '0060' },
};

const ISSUE = '2026-11-02';
const S = (country: string, kind: 'standard' | 'reduced' | 'second-reduced'): { code: 'S'; rateBp: number } => ({
  code: 'S',
  rateBp: vatRate(country, kind, ISSUE),
});

const nlPayment: InvoiceDocumentInput['payment'] = {
  meansCode: '58',
  reference: rfReference('INV2026000101'),
  account: { id: 'NL91ABNA0417164300', name: 'Noordzee Groothandel B.V.', bic: 'ABNANL2A' },
};

/** Domestic NL, several VAT rates (21 %, 9 %, 0 %), line and document discounts, a freight charge. */
export const domesticNl: InvoiceDocumentInput = {
  type: 'invoice',
  number: 'INV-2026-000101',
  issueDate: ISSUE,
  currency: 'EUR',
  seller: nlSeller,
  buyer: nlBuyer,
  buyerReference: 'PO-4711',
  orderReference: 'SO-2026-0042',
  paymentTermsDays: 30,
  paymentTermsText: 'Betaling binnen 30 dagen',
  payment: nlPayment,
  delivery: { date: '2026-10-30', country: 'NL' },
  note: 'Levering volgens order SO-2026-0042 <spoed> & "fragiel"',
  lines: [
    {
      sku: 'FLOUR-25',
      description: 'Tarwebloem 25 kg',
      quantityThousandths: 12_000,
      unitCode: 'C62',
      unitPrice: 1_895,
      vat: S('NL', 'reduced'),
    },
    {
      sku: 'MIXER-XL',
      description: 'Deegmenger XL',
      quantityThousandths: 1_000,
      unitPrice: 249_900,
      allowance: { percentBp: 750, reason: 'Actiekorting', reasonCode: '95' },
      vat: S('NL', 'standard'),
    },
    {
      sku: 'SOLAR-1',
      description: 'Zonnepaneel dak bakkerij',
      quantityThousandths: 2_000,
      unitPrice: 18_950,
      vat: { code: 'Z', rateBp: 0 },
    },
    {
      sku: 'APRON',
      description: 'Bakkersschort',
      quantityThousandths: 7_000,
      unitPrice: 1_299,
      allowance: { amount: 500, reason: 'Staffelkorting', reasonCode: '95' },
      vat: S('NL', 'standard'),
    },
  ],
  allowancesCharges: [
    { kind: 'allowance', percentBp: 200, reason: 'Betaalkorting klant', reasonCode: '95', vat: S('NL', 'reduced') },
    { kind: 'charge', amount: 4_500, reason: 'Vracht', reasonCode: 'FC', vat: S('NL', 'standard') },
  ],
};

/** Domestic NO in NOK: 25 %, 15 % and 12 %. */
export const domesticNo: InvoiceDocumentInput = {
  type: 'invoice',
  number: 'F-2026-7788',
  issueDate: ISSUE,
  currency: 'NOK',
  seller: noSeller,
  buyer: noBuyer,
  buyerReference: 'Kari Nordmann',
  paymentTermsDays: 14,
  payment: { meansCode: '30', reference: kidMod10('20267788'), account: { id: '86011117947' } },
  lines: [
    {
      sku: 'KAFFE-1',
      description: 'Kaffebønner 1 kg',
      quantityThousandths: 40_000,
      unitPrice: 21_900,
      vat: S('NO', 'reduced'),
    },
    {
      sku: 'MASKIN',
      description: 'Espressomaskin',
      quantityThousandths: 1_000,
      unitPrice: 3_499_000,
      vat: S('NO', 'standard'),
    },
    {
      sku: 'FRAKT-PERS',
      description: 'Persontransport kurs',
      quantityThousandths: 3_000,
      unitPrice: 45_000,
      vat: S('NO', 'second-reduced'),
    },
  ],
};

/** Cross-border services BE -> NL under reverse charge (AE), hours with decimals. */
export const reverseChargeBeNl: InvoiceDocumentInput = {
  type: 'invoice',
  number: 'BE-2026-0099',
  issueDate: ISSUE,
  currency: 'EUR',
  seller: beSeller,
  buyer: nlBuyer,
  orderReference: 'PO-4712',
  paymentTermsDays: 30,
  payment: {
    meansCode: '58',
    reference: belgianStructuredCommunication('2026000099'),
    account: { id: 'BE68539007547034', bic: 'GKCCBEBB' },
  },
  lines: [
    {
      sku: 'ENG-H',
      description: 'Engineering hours',
      quantityThousandths: 37_500,
      unitCode: 'HUR',
      unitPrice: 11_500,
      vat: { code: 'AE', rateBp: 0 },
    },
    {
      sku: 'TRAVEL-H',
      description: 'Travel time',
      quantityThousandths: 4_250,
      unitCode: 'HUR',
      unitPrice: 5_750,
      vat: { code: 'AE', rateBp: 0 },
    },
  ],
};

/** Intra-community supply of goods DE -> NL (K). */
export const intraCommunityDeNl: InvoiceDocumentInput = {
  type: 'invoice',
  number: 'RE-2026-5501',
  issueDate: ISSUE,
  currency: 'EUR',
  seller: deSeller,
  buyer: nlBuyer,
  buyerReference: 'PO-4713',
  paymentTermsDays: 30,
  payment: { meansCode: '58', reference: rfReference('RE20265501'), account: { id: 'DE89370400440532013000' } },
  delivery: { date: '2026-10-28', country: 'NL' },
  lines: [
    {
      sku: 'OVEN-3',
      description: 'Etagenbackofen',
      quantityThousandths: 1_000,
      unitPrice: 1_850_000,
      vat: { code: 'K', rateBp: 0 },
    },
  ],
};

/** Export of goods NL -> US (G) in USD. */
export const exportNlUs: InvoiceDocumentInput = {
  type: 'invoice',
  number: 'INV-2026-000102',
  issueDate: ISSUE,
  currency: 'USD',
  seller: nlSeller,
  buyer: usBuyer,
  orderReference: 'ACME-PO-991',
  paymentTermsDays: 45,
  payment: {
    meansCode: '30',
    reference: rfReference('INV2026000102'),
    account: { id: 'NL91ABNA0417164300', bic: 'ABNANL2A' },
  },
  delivery: { date: '2026-10-25', country: 'US' },
  lines: [
    {
      sku: 'MOLD-SET',
      description: 'Baking mold set',
      quantityThousandths: 250_000,
      unitPrice: 1_475,
      vat: { code: 'G', rateBp: 0 },
    },
  ],
};

/** Credit note NL for part of INV-2026-000101 (the flour was damaged). */
export const creditNoteNl: InvoiceDocumentInput = {
  type: 'credit-note',
  number: 'CN-2026-000007',
  issueDate: '2026-11-10',
  currency: 'EUR',
  seller: nlSeller,
  buyer: nlBuyer,
  buyerReference: 'PO-4711',
  precedingInvoice: { number: 'INV-2026-000101', issueDate: ISSUE },
  paymentTermsDays: 14,
  payment: nlPayment,
  lines: [
    {
      sku: 'FLOUR-25',
      description: 'Tarwebloem 25 kg (beschadigd)',
      quantityThousandths: 3_000,
      unitPrice: 1_895,
      vat: S('NL', 'reduced'),
    },
  ],
};

/**
 * Awkward rounding: fractional quantities and prices whose per-line VAT would round differently from the
 * per-category VAT EN 16931 prescribes (31 lines of 0.07 at 9 %: 0.0063 each), and half-cent line nets.
 */
export const awkwardRounding: InvoiceDocumentInput = {
  ...domesticNl,
  number: 'INV-2026-000103',
  allowancesCharges: [{ kind: 'allowance', percentBp: 333, reason: 'Korting 3,33%', vat: S('NL', 'standard') }],
  lines: [
    ...Array.from({ length: 31 }, (_, i) => ({
      sku: `CANDY-${i + 1}`,
      description: `Snoepje ${i + 1}`,
      quantityThousandths: 1_000,
      unitPrice: 7,
      vat: S('NL', 'reduced'),
    })),
    {
      sku: 'CONSULT',
      description: 'Advies',
      quantityThousandths: 1_333,
      unitCode: 'HUR',
      unitPrice: 9_555,
      vat: S('NL', 'standard'),
    },
    {
      sku: 'BULK-G',
      description: 'Gist per gram',
      quantityThousandths: 1_500,
      unitCode: 'GRM',
      unitPrice: 3,
      vat: S('NL', 'reduced'),
    },
    {
      sku: 'TAPE',
      description: 'Tape',
      quantityThousandths: 333,
      unitPrice: 1_001,
      allowance: { percentBp: 1_250, reason: 'Korting' },
      vat: S('NL', 'standard'),
    },
  ],
};

/** Outside the scope of VAT (O): no VAT ids on the document, the seller identified by its KvK number. */
export const outsideScopeNl: InvoiceDocumentInput = {
  ...domesticNl,
  number: 'INV-2026-000104',
  seller: { ...nlSeller, vatId: undefined },
  buyer: { ...nlBuyer, vatId: undefined },
  allowancesCharges: [],
  lines: [
    {
      sku: 'DONATION',
      description: 'Bijdrage open dag',
      quantityThousandths: 1_000,
      unitPrice: 25_000,
      vat: { code: 'O', rateBp: 0 },
    },
  ],
};
