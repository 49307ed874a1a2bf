import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

// Money columns are integer minor units; bigint in Postgres, `number` in JS (safe-integer checked in domain/).
const minor = (name: string) => bigint(name, { mode: 'number' });
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * A company of the group that sells and invoices: its own number series, VAT registration, bank account and
 * payment reference scheme. Customers are invoiced by one of them.
 */
export const legalEntities = pgTable(
  'legal_entities',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    /** ISO 3166-1 alpha-2; decides the VAT rates and, with the buyer's country, the VAT category. */
    country: text('country').notNull(),
    vatId: text('vat_id').notNull(),
    /** Company registration (KvK, org.nr.) and its ISO 6523 scheme. */
    legalId: text('legal_id'),
    legalIdScheme: text('legal_id_scheme'),
    /** Norway: "Foretaksregisteret" for companies in the register of business enterprises. */
    taxRegistration: text('tax_registration'),
    street: text('street').notNull(),
    city: text('city').notNull(),
    postalCode: text('postal_code').notNull(),
    /** Peppol participant id and EAS scheme. */
    peppolId: text('peppol_id').notNull(),
    peppolScheme: text('peppol_scheme').notNull(),
    iban: text('iban').notNull(),
    bic: text('bic'),
    /** rf (ISO 11649), kid (Norway), nl (Dutch betalingskenmerk): domain/payment-reference.ts */
    paymentReferenceScheme: text('payment_reference_scheme').notNull(),
    /** Number series prefixes, e.g. NL1-INV, NL1-CN; unique across entities, fixed once a number was issued. */
    invoicePrefix: text('invoice_prefix').notNull(),
    creditNotePrefix: text('credit_note_prefix').notNull(),
    /** A small number unique per entity, the first digits of its payment references. */
    referenceNo: integer('reference_no').notNull(),
    /** IANA time zone of the entity's books: decides a document's issue date, and so its year's series. */
    timeZone: text('time_zone').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('legal_entities_reference_no_uq').on(t.referenceNo)],
);

/** Customer-specific prices: per SKU, a unit price from a minimum quantity up (quantity breaks). */
export const priceLists = pgTable('price_lists', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  currency: text('currency').notNull(),
  createdAt: createdAt(),
});

export const priceListPrices = pgTable(
  'price_list_prices',
  {
    priceListId: text('price_list_id')
      .notNull()
      .references(() => priceLists.id),
    sku: text('sku').notNull(),
    minQuantity: integer('min_quantity').notNull(),
    unitPrice: minor('unit_price').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.priceListId, t.sku, t.minQuantity] }),
    check('price_list_prices_min_quantity_positive', sql`${t.minQuantity} > 0`),
    check('price_list_prices_unit_price_non_negative', sql`${t.unitPrice} >= 0`),
  ],
);

export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    country: text('country').notNull(),
    currency: text('currency').notNull(),
    email: text('email').notNull(),
    language: text('language').notNull(),
    creditLimit: minor('credit_limit').notNull(),
    paymentTermsDays: integer('payment_terms_days').notNull(),
    /** low | medium | high; from the daily review's score, or set by finance (riskClassSetBy). */
    riskClass: text('risk_class').notNull().default('medium'),
    /** review | finance: a class finance set holds until riskClassUntil (without one, until finance clears it). */
    riskClassSetBy: text('risk_class_set_by').notNull().default('review'),
    riskClassUntil: date('risk_class_until', { mode: 'string' }),
    /** small_business | corporate | high_risk | key_account: decides its dunning policy (domain/dunning.ts). */
    segment: text('segment').notNull().default('small_business'),
    /** business | consumer: which statutory charges and notices apply when dunning (domain/dunning-charges.ts). */
    kind: text('kind').notNull().default('business'),
    /** A manual credit block: every new order is held until finance lifts it. */
    creditBlocked: boolean('credit_blocked').notNull().default(false),
    /** The last risk score (0-100) and when it was computed. */
    riskScore: integer('risk_score'),
    riskScoredAt: timestamp('risk_scored_at', { withTimezone: true }),
    /** The group company that invoices this customer; null: the default one (config DEFAULT_LEGAL_ENTITY). */
    legalEntity: text('legal_entity').references(() => legalEntities.code),
    /** With its country prefix; makes an intra-EU supply reverse charged / intra-community. */
    vatId: text('vat_id'),
    street: text('street'),
    city: text('city'),
    postalCode: text('postal_code'),
    /** Peppol participant id and EAS scheme; needed for the peppol channel. */
    peppolId: text('peppol_id'),
    peppolScheme: text('peppol_scheme'),
    /** How invoices reach the customer: email (PDF + UBL attached) or peppol. */
    invoiceChannel: text('invoice_channel').notNull().default('email'),
    /** The buyer's own reference to quote on invoices (Peppol BT-10). */
    buyerReference: text('buyer_reference'),
    priceListId: text('price_list_id').references(() => priceLists.id),
    createdAt: createdAt(),
  },
  (t) => [check('customers_credit_limit_non_negative', sql`${t.creditLimit} >= 0`)],
);

export const warehouses = pgTable('warehouses', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  country: text('country').notNull(),
  createdAt: createdAt(),
});

export const products = pgTable('products', {
  sku: text('sku').primaryKey(),
  name: text('name').notNull(),
  unitPrice: minor('unit_price').notNull(),
  currency: text('currency').notNull(),
  /** standard | reduced | second-reduced | zero | exempt: which of the seller country's rates applies. */
  vatRate: text('vat_rate').notNull().default('standard'),
  /** goods | services: decides intra-community supply (K) vs reverse charge (AE) across EU borders. */
  supply: text('supply').notNull().default('goods'),
  createdAt: createdAt(),
});

/** On hand and reserved per SKU and warehouse; available = onHand - reserved, never negative. */
export const stock = pgTable(
  'stock',
  {
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    warehouseCode: text('warehouse_code')
      .notNull()
      .references(() => warehouses.code),
    onHand: integer('on_hand').notNull(),
    reserved: integer('reserved').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.sku, t.warehouseCode] }),
    check('stock_within_bounds', sql`${t.reserved} >= 0 AND ${t.reserved} <= ${t.onHand}`),
  ],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    status: text('status').notNull(),
    currency: text('currency').notNull(),
    total: minor('total').notNull(),
    externalRef: text('external_ref'),
    /** ship_partial: ship what is there, backorder the rest; ship_complete: ship once everything is there. */
    shippingPolicy: text('shipping_policy').notNull().default('ship_partial'),
    /** on_shipment: each shipment is invoiced as it leaves; on_order: the whole order once credit is cleared. */
    invoicing: text('invoicing').notNull().default('on_shipment'),
    /** Discount on the whole order, basis points, shown as a document allowance on its invoices. */
    discountBp: integer('discount_bp').notNull().default(0),
    workflowId: text('workflow_id').notNull(),
    /** Inputs and outcome of the credit check, so any decision can be explained later. */
    creditDecision: jsonb('credit_decision'),
    /** When credit cleared it (the check, or a controller): from then on it counts in the customer's exposure. */
    creditApprovedAt: timestamp('credit_approved_at', { withTimezone: true }),
    statusReason: text('status_reason'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('orders_customer_status_idx').on(t.customerId, t.status)],
);

export const orderLines = pgTable(
  'order_lines',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    lineNo: integer('line_no').notNull(),
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    quantity: integer('quantity').notNull(),
    /** From the customer's price list (quantity break) or the product. */
    unitPrice: minor('unit_price').notNull(),
    /** Line discount, basis points. */
    discountBp: integer('discount_bp').notNull().default(0),
    /** quantity x unit price less the line discount. */
    lineTotal: minor('line_total').notNull(),
    /** What the line will be owed as: after the order discount, VAT included (domain totalWithVatByLine). */
    totalWithVat: minor('total_with_vat').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.lineNo] })],
);

export const stockReservations = pgTable(
  'stock_reservations',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    sku: text('sku').notNull(),
    warehouseCode: text('warehouse_code').notNull(),
    /** 0 for the reservation at order time; n for the n-th stock receipt that filled a backorder of the order. */
    batch: integer('batch').notNull().default(0),
    quantity: integer('quantity').notNull(),
    /** reserved -> consumed (shipped) or released (compensated). */
    status: text('status').notNull().default('reserved'),
    /** The shipment that carries it, once one was created. */
    shipmentId: uuid('shipment_id'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.sku, t.warehouseCode, t.batch] })],
);

/** What an order is still waiting for because no warehouse had it. Filled by stock receipts, oldest order first. */
export const backorders = pgTable(
  'backorders',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    /** Still missing; the row goes when it reaches 0. */
    quantity: integer('quantity').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.sku] }), check('backorders_quantity_positive', sql`${t.quantity} > 0`)],
);

/** Goods received into a warehouse; the receipt id makes a repeated report harmless. */
export const stockReceipts = pgTable('stock_receipts', {
  receiptId: text('receipt_id').primaryKey(),
  warehouseCode: text('warehouse_code')
    .notNull()
    .references(() => warehouses.code),
  lines: jsonb('lines').notNull(),
  createdAt: createdAt(),
});

export const shipments = pgTable(
  'shipments',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    warehouseCode: text('warehouse_code')
      .notNull()
      .references(() => warehouses.code),
    /** domain/shipment-status.ts */
    status: text('status').notNull(),
    /** The ShipmentWorkflow that owns it; null for shipments of orders whose workflow predates them. */
    workflowId: text('workflow_id'),
    trackingNumber: text('tracking_number'),
    requestedAt: timestamp('requested_at', { withTimezone: true }),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /** Raised when the warehouse reported no dispatch in time; cleared by nothing, kept as history. */
    stuckSince: timestamp('stuck_since', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('shipments_order_idx').on(t.orderId)],
);

export const shipmentLines = pgTable(
  'shipment_lines',
  {
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id),
    lineNo: integer('line_no').notNull(),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shipmentId, t.lineNo] })],
);

/** Warehouse/carrier events as received; the unique event id makes webhook redelivery harmless. */
export const shipmentEvents = pgTable('shipment_events', {
  eventId: text('event_id').primaryKey(),
  shipmentId: uuid('shipment_id')
    .notNull()
    .references(() => shipments.id),
  type: text('type').notNull(),
  trackingNumber: text('tracking_number'),
  receivedAt: createdAt(),
});

/**
 * Gapless numbering: a series per legal entity, document kind and year (in the entity's time zone), its row
 * locked in the transaction that posts a document. The prefix is the entity's when the year's series opened.
 */
export const invoiceSeries = pgTable(
  'invoice_series',
  {
    legalEntity: text('legal_entity')
      .notNull()
      .references(() => legalEntities.code),
    /** invoice | credit_note */
    kind: text('kind').notNull(),
    year: integer('year').notNull(),
    prefix: text('prefix').notNull(),
    lastNumber: integer('last_number').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.legalEntity, t.kind, t.year] })],
);

export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey(),
    /** invoice | credit_note */
    type: text('type').notNull().default('invoice'),
    number: text('number').notNull(),
    legalEntity: text('legal_entity'),
    /** A credit note's invoice. */
    correctsInvoiceId: uuid('corrects_invoice_id'),
    /** Why a credit note was issued. */
    reason: text('reason'),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    shipmentId: uuid('shipment_id').references(() => shipments.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    currency: text('currency').notNull(),
    /** Amounts excluding VAT and VAT (null on invoices issued before VAT was computed). */
    netTotal: minor('net_total'),
    vatTotal: minor('vat_total'),
    /** What the customer owes (including VAT); for a credit note, what it credits. */
    total: minor('total').notNull(),
    issueDate: date('issue_date', { mode: 'string' }).notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    /** Structured payment reference; null for credit notes, which nobody pays. */
    paymentReference: text('payment_reference'),
    /** The EN 16931 document input as issued (domain/invoice-document.ts): the PDF and UBL are rebuilt from it. */
    document: jsonb('document'),
    /** open -> paid; the balance itself is derived from allocations, never stored. */
    status: text('status').notNull(),
    dunningLevel: integer('dunning_level').notNull().default(0),
    workflowId: text('workflow_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invoices_number_uq').on(t.number),
    uniqueIndex('invoices_payment_reference_uq').on(t.paymentReference),
    index('invoices_customer_status_idx').on(t.customerId, t.status),
    index('invoices_order_idx').on(t.orderId),
    // Every balance subtracts the invoice's credit notes: without this each one scans all invoices.
    index('invoices_corrects_idx')
      .on(t.correctsInvoiceId)
      .where(sql`${t.correctsInvoiceId} is not null`),
  ],
);

export const invoiceLines = pgTable(
  'invoice_lines',
  {
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    lineNo: integer('line_no').notNull(),
    sku: text('sku').notNull(),
    description: text('description').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: minor('unit_price').notNull(),
    /** Net of the line discount, excluding VAT. */
    lineTotal: minor('line_total').notNull(),
    vatCategory: text('vat_category'),
    vatRateBp: integer('vat_rate_bp'),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.lineNo] })],
);

/** The rendered documents of an invoice or credit note, stored once so every channel gets the same bytes. */
export const invoiceFiles = pgTable(
  'invoice_files',
  {
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    /** pdf | ubl */
    format: text('format').notNull(),
    content: bytea('content').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.format] })],
);

/** Delivery of a document to its customer, per channel: queued -> sent -> delivered, or failed with a reason. */
export const invoiceDeliveries = pgTable(
  'invoice_deliveries',
  {
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    /** email | peppol */
    channel: text('channel').notNull(),
    status: text('status').notNull(),
    recipient: text('recipient').notNull(),
    /** SMTP message id or Peppol transmission id. */
    providerId: text('provider_id'),
    failureReason: text('failure_reason'),
    attempts: integer('attempts').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.channel] })],
);

/** Cash received, as reported by the payment provider or bank; externalId makes a repeat report harmless. */
/**
 * Cash received: from the payment provider (signed webhook), recorded by finance (cheque, cash), or a credit line
 * of a bank statement. `externalId` makes a repeated report harmless. A payment is applied by allocations to
 * invoices, and what is not allocated is unapplied cash of its customer (or, while nobody knows whose it is,
 * suspense); `matchStatus` says how far the matcher got, an `exception` waits for a person.
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey(),
    externalId: text('external_id').notNull(),
    /** Null while the payer is unknown (a bank line nobody could place yet). */
    customerId: uuid('customer_id').references(() => customers.id),
    amount: minor('amount').notNull(),
    currency: text('currency').notNull(),
    method: text('method').notNull(),
    /** provider | manual | bank */
    source: text('source').notNull(),
    /** The bank's value (or booking) date: days late and risk count from it. */
    valueDate: date('value_date', { mode: 'string' }).notNull(),
    /** The invoice number or payment reference the payer gave, as given. */
    invoiceNumber: text('invoice_number'),
    reference: text('reference'),
    remittance: text('remittance'),
    payerName: text('payer_name'),
    payerIban: text('payer_iban'),
    endToEndId: text('end_to_end_id'),
    /** The bank statement line it came from. */
    statementId: uuid('statement_id'),
    /** matched | partially_matched | exception; resolved exceptions keep their status and get resolvedAt. */
    matchStatus: text('match_status').notNull(),
    confidence: integer('confidence_pct'),
    reasons: jsonb('reasons').notNull().default([]),
    suggestions: jsonb('suggestions').notNull().default([]),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** received | reversed (returned by the bank, charged back). */
    status: text('status').notNull().default('received'),
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
    reversalReason: text('reversal_reason'),
    receivedAt: createdAt(),
  },
  (t) => [
    uniqueIndex('payments_external_id_uq').on(t.externalId),
    index('payments_exceptions_idx').on(t.matchStatus, t.receivedAt),
    index('payments_end_to_end_idx').on(t.endToEndId),
    index('payments_customer_idx').on(t.customerId),
    check('payments_amount_positive', sql`${t.amount} > 0`),
  ],
);

/**
 * payment -> invoice (N:M), append-only: an allocation, or its reversal as a negative entry. An invoice's balance =
 * total - allocations - credit notes - write-offs; a payment = allocations + unapplied entries + refunds.
 */
export const allocations = pgTable(
  'allocations',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amount: minor('amount').notNull(),
    /** auto (the matcher or the reference given) | manual (finance) | unapplied (from the customer's cash) | reversal */
    kind: text('kind').notNull(),
    /** One entry per business key, so a retried step writes it once. */
    entryKey: text('entry_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('allocations_entry_key_uq').on(t.entryKey),
    index('allocations_invoice_idx').on(t.invoiceId),
    index('allocations_payment_idx').on(t.paymentId),
    check('allocations_amount_nonzero', sql`${t.amount} <> 0`),
  ],
);

/**
 * Unapplied cash, append-only per payment: received (+), applied to an invoice (-), refunded (-), reversed with its
 * payment (-). A customer's unapplied balance is the sum; entries without a customer are suspense.
 */
export const unappliedCash = pgTable(
  'unapplied_cash',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    customerId: uuid('customer_id').references(() => customers.id),
    amount: minor('amount').notNull(),
    currency: text('currency').notNull(),
    /**
     * received | applied | refunded | reversed | assigned (suspense moved to a customer, one -/+ pair) | charge (paid
     * a dunning charge, charge_payments) | charge_reversed (that payment undone)
     */
    kind: text('kind').notNull(),
    invoiceId: uuid('invoice_id'),
    entryKey: text('entry_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('unapplied_cash_entry_key_uq').on(t.entryKey),
    index('unapplied_cash_customer_idx').on(t.customerId),
    index('unapplied_cash_payment_idx').on(t.paymentId),
  ],
);

/** Small differences written off when a short payment within tolerance settles an invoice (negative: undone with it). */
export const writeOffs = pgTable(
  'write_offs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amount: minor('amount').notNull(),
    reason: text('reason').notNull(),
    paymentId: uuid('payment_id'),
    actor: text('actor').notNull(),
    entryKey: text('entry_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('write_offs_entry_key_uq').on(t.entryKey),
    index('write_offs_invoice_idx').on(t.invoiceId),
    check('write_offs_amount_nonzero', sql`${t.amount} <> 0`),
  ],
);

/**
 * Collections giving up on (part of) an invoice: requested by finance, applied at once up to the approval limit,
 * above it only once a second person (an admin) approved. Applied, it is a write_offs row without a payment.
 */
export const writeOffRequests = pgTable(
  'write_off_requests',
  {
    id: uuid('id').primaryKey(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amount: minor('amount').notNull(),
    currency: text('currency').notNull(),
    /** The VAT in the amount, for the bad-debt relief the seller may claim back from the tax office. */
    vatAmount: minor('vat_amount').notNull(),
    reason: text('reason').notNull(),
    /** pending_approval | applied | rejected */
    status: text('status').notNull(),
    requestedBy: text('requested_by').notNull(),
    approvedBy: text('approved_by'),
    createdAt: createdAt(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [index('write_off_requests_status_idx').on(t.status)],
);

/** A bank file as imported: its statement id, our account and the file's hash identify it. */
export const bankStatements = pgTable(
  'bank_statements',
  {
    id: uuid('id').primaryKey(),
    format: text('format').notNull(),
    version: text('version').notNull(),
    statementId: text('statement_id').notNull(),
    account: text('account').notNull(),
    fileHash: text('file_hash').notNull(),
    /** processing | completed | needs_attention (with the reason in note) */
    status: text('status').notNull(),
    note: text('note'),
    linesTotal: integer('lines_total').notNull(),
    createdAt: createdAt(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('bank_statements_file_uq').on(t.account, t.statementId, t.fileHash)],
);

/** One entry of a bank file, as the bank wrote it, and what became of it. */
export const bankStatementLines = pgTable(
  'bank_statement_lines',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => bankStatements.id),
    index: integer('index').notNull(),
    /** The bank's own reference of the entry (AcctSvcrRef, MT940 bank reference). */
    lineId: text('line_id'),
    entry: jsonb('entry').notNull(),
    /** pending | matched | partially_matched | exception | ignored | reversal */
    status: text('status').notNull(),
    /** Why a line was ignored (a debit, a bank fee, a return nobody could place). */
    note: text('note'),
    paymentId: uuid('payment_id'),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.index] })],
);

/** How to read a bank's CSV export (formats/bank-csv.ts), by name, managed through the API. */
export const bankFileProfiles = pgTable('bank_file_profiles', {
  name: text('name').primaryKey(),
  profile: jsonb('profile').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Payer IBANs we know the customer of: learned from matches by reference and from manual resolutions. */
export const payerAccounts = pgTable('payer_accounts', {
  iban: text('iban').primaryKey(),
  customerId: uuid('customer_id')
    .notNull()
    .references(() => customers.id),
  learnedFrom: text('learned_from').notNull(),
  createdAt: createdAt(),
});

export const dunningEvents = pgTable(
  'dunning_events',
  {
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    level: integer('level').notNull(),
    name: text('name').notNull(),
    policyId: text('policy_id').notNull(),
    amountOutstanding: minor('amount_outstanding').notNull(),
    sentTo: text('sent_to').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.level] })],
);

/**
 * Fees and interest a dunning level charged on an invoice (domain/dunning-charges.ts): a receivable of its own,
 * listed on the statement and the next letter. Unique per invoice, level and kind, so a retried level posts once;
 * the fixed compensation and collection costs once per invoice.
 */
export const dunningCharges = pgTable(
  'dunning_charges',
  {
    id: uuid('id').primaryKey(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    legalEntity: text('legal_entity').notNull(),
    level: integer('level').notNull(),
    /** compensation | interest | reminder_fee | collection_costs */
    kind: text('kind').notNull(),
    amount: minor('amount').notNull(),
    currency: text('currency').notNull(),
    /** How it was computed: the law's source, the rates and days for interest, whether every figure was verified. */
    basis: jsonb('basis').notNull(),
    postedOn: date('posted_on', { mode: 'string' }).notNull(),
    /** open | paid (its charge payments cover it) | waived */
    status: text('status').notNull().default('open'),
    waivedBy: text('waived_by'),
    waivedReason: text('waived_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('dunning_charges_level_uq').on(t.invoiceId, t.level, t.kind),
    uniqueIndex('dunning_charges_once_uq')
      .on(t.invoiceId, t.kind)
      .where(sql`${t.kind} in ('compensation', 'collection_costs')`),
    index('dunning_charges_customer_idx').on(t.customerId, t.status),
    check('dunning_charges_amount_positive', sql`${t.amount} > 0`),
  ],
);

/**
 * Cash applied to a dunning charge, out of the payment's unapplied cash (one negative `charge` entry there per row
 * here, so the payment still adds up); negative rows undo it when the payment is reversed.
 */
export const chargePayments = pgTable(
  'charge_payments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    chargeId: uuid('charge_id')
      .notNull()
      .references(() => dunningCharges.id),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    amount: minor('amount').notNull(),
    /** applied | reversal */
    kind: text('kind').notNull(),
    entryKey: text('entry_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('charge_payments_entry_key_uq').on(t.entryKey),
    index('charge_payments_charge_idx').on(t.chargeId),
    index('charge_payments_payment_idx').on(t.paymentId),
    check('charge_payments_amount_nonzero', sql`${t.amount} <> 0`),
  ],
);

/**
 * An invoice handed to a collection agency (the `agency` channel): the case file as sent, once per invoice; from
 * then on no letter of ours lists it. opened -> handed_over (the agency took it) -> closed (its outcome).
 */
export const collectionCases = pgTable(
  'collection_cases',
  {
    id: uuid('id').primaryKey(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    caseFile: jsonb('case_file').notNull(),
    status: text('status').notNull(),
    agencyReference: text('agency_reference'),
    handedOverAt: timestamp('handed_over_at', { withTimezone: true }),
    /** paid | uncollectable | withdrawn, as the agency reported it. */
    outcome: text('outcome'),
    outcomeNote: text('outcome_note'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('collection_cases_invoice_uq').on(t.invoiceId),
    index('collection_cases_customer_idx').on(t.customerId),
  ],
);

/**
 * One dunning letter per customer, seller and dunning run: the level it was at and the items it listed, as sent
 * (a retried run mails what the first attempt recorded).
 */
export const dunningLetters = pgTable(
  'dunning_letters',
  {
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    legalEntity: text('legal_entity').notNull(),
    runAt: timestamp('run_at', { withTimezone: true, mode: 'string' }).notNull(),
    level: integer('level').notNull(),
    levelName: text('level_name').notNull(),
    /** email | letter (the same, with a PDF attached) */
    channel: text('channel').notNull().default('email'),
    /** What the letter announces if the customer does not pay; null at the policy's last level. */
    nextLevelName: text('next_level_name'),
    /** The wordings used, when the policy names them instead of the levels' own (domain/letters.ts). */
    template: text('template'),
    nextTemplate: text('next_template'),
    /** [{invoiceId, invoiceNumber, level, dueDate, amountOutstanding, currency, paymentReference}] */
    items: jsonb('items').notNull(),
    payBy: date('pay_by', { mode: 'string' }).notNull(),
    sentTo: text('sent_to').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.legalEntity, t.runAt] })],
);

/**
 * A collector's call instead of a letter (a level whose channel is call_task, e.g. key accounts): one per customer,
 * seller and dunning run, listing what the letter would have. Done with the call's outcome.
 */
export const collectionTasks = pgTable(
  'collection_tasks',
  {
    id: uuid('id').primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    legalEntity: text('legal_entity').notNull(),
    runAt: timestamp('run_at', { withTimezone: true, mode: 'string' }).notNull(),
    level: integer('level').notNull(),
    levelName: text('level_name').notNull(),
    items: jsonb('items').notNull(),
    /** open | done */
    status: text('status').notNull(),
    outcome: text('outcome'),
    note: text('note'),
    completedBy: text('completed_by'),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('collection_tasks_run_uq').on(t.customerId, t.legalEntity, t.runAt),
    index('collection_tasks_status_idx').on(t.status),
  ],
);

/** A customer's objection to (part of) an invoice: dunning pauses for its amount until it is resolved. */
export const disputes = pgTable(
  'disputes',
  {
    id: uuid('id').primaryKey(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    /** price | quantity | damaged | not_received | other (domain/collections.ts) */
    reasonCode: text('reason_code').notNull(),
    amount: minor('amount').notNull(),
    /** When disputed by invoice lines: [{lineNo, quantity, sku}]; the amount is theirs, VAT included. */
    lines: jsonb('lines'),
    currency: text('currency').notNull(),
    note: text('note').notNull(),
    owner: text('owner').notNull(),
    /** open | resolved */
    status: text('status').notNull(),
    /** credit_note | revised_invoice | rejected, or settled_with_invoice (domain/collections.ts) */
    resolution: text('resolution'),
    resolutionNote: text('resolution_note'),
    /** The credit note (or the revision's) that resolved it. */
    creditNoteId: uuid('credit_note_id'),
    openedBy: text('opened_by').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true, mode: 'string' }).notNull(),
    slaDueAt: timestamp('sla_due_at', { withTimezone: true, mode: 'string' }).notNull(),
    resolvedBy: text('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    index('disputes_status_idx').on(t.status, t.owner),
    index('disputes_invoice_idx').on(t.invoiceId),
    index('disputes_customer_idx').on(t.customerId),
  ],
);

/** A customer's promise to pay an amount by a date: dunning waits until then plus a grace period. */
export const paymentPromises = pgTable(
  'payment_promises',
  {
    id: uuid('id').primaryKey(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    promisedDate: date('promised_date', { mode: 'string' }).notNull(),
    amount: minor('amount').notNull(),
    currency: text('currency').notNull(),
    note: text('note').notNull(),
    /** Dunning waits until this moment: the end of the promised day plus the grace period. */
    waitUntil: timestamp('wait_until', { withTimezone: true, mode: 'string' }).notNull(),
    /** open | kept | broken | cancelled */
    status: text('status').notNull(),
    recordedBy: text('recorded_by').notNull(),
    createdAt: createdAt(),
    settledAt: timestamp('settled_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    index('payment_promises_invoice_idx').on(t.invoiceId),
    index('payment_promises_customer_idx').on(t.customerId),
  ],
);

/** Dunning policies as data: one per segment or per customer (that customer's overrides its segment's). */
export const dunningPolicies = pgTable(
  'dunning_policies',
  {
    id: text('id').primaryKey(),
    segment: text('segment'),
    customerId: uuid('customer_id').references(() => customers.id),
    /** The levels as domain/dunning.ts validates them. */
    levels: jsonb('levels').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('dunning_policies_segment_uq').on(t.segment),
    uniqueIndex('dunning_policies_customer_uq').on(t.customerId),
    check('dunning_policies_one_target', sql`(${t.segment} is null) <> (${t.customerId} is null)`),
  ],
);

/** Outbound mail, keyed by a business key so a retried send never mails twice. */
export const outboundMessages = pgTable('outbound_messages', {
  messageKey: text('message_key').primaryKey(),
  recipient: text('recipient').notNull(),
  subject: text('subject').notNull(),
  status: text('status').notNull(),
  providerMessageId: text('provider_message_id'),
  createdAt: createdAt(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** A unique key per decision, so a retried activity records it once. */
    decisionKey: text('decision_key').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    reason: text('reason'),
    details: jsonb('details'),
    at: createdAt(),
  },
  (t) => [
    uniqueIndex('audit_log_decision_key_uq').on(t.decisionKey),
    index('audit_log_entity_idx').on(t.entityType, t.entityId),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    /** SHA-256 of the key; the key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.keyHash)],
);

/** People who sign in to the console (finance staff); API clients use api_keys. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    /** Lower-cased: one account per address however it is typed. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** finance | collector | credit_controller | admin (db/api-keys.ts ROLES, integration excepted) */
    role: text('role').notNull(),
    /** argon2id, its parameters and salt in the PHC string. */
    passwordHash: text('password_hash').notNull(),
    /** Failed sign-ins since the last good one; at the limit the account locks for a while. */
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email)],
);

/** A signed-in browser: the cookie holds the token, only its SHA-256 is stored; CSRF token per session. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    signedOutAt: timestamp('signed_out_at', { withTimezone: true }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Scoped per API key, as payment APIs do; requestHash detects a key reused for a different request. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    orderId: uuid('order_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] })],
);
