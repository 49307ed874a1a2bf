import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getCustomer, type Customer } from '../db/customers.js';
import { getLegalEntity } from '../db/legal-entities.js';
import { collectionCaseOf } from '../db/collection-cases.js';
import { chargesOf } from '../db/dunning-charges.js';
import { invoiceDeliveryStatus } from '../db/invoice-documents.js';
import { getInvoiceLines, invoiceViews, listInvoices } from '../db/invoices.js';
import { renderStatementPdf } from '../documents/statement-pdf.js';
import { customerStatement } from '../domain/aging.js';
import { INVOICE_STATUSES } from '../domain/invoice-status.js';
import { totalsByCurrency } from '../domain/money.js';
import { isoDate } from '../domain/payment-terms.js';
import { ANY_ROLE } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { idParams, isoDateString } from './schemas.js';

const listQuery = z.object({
  customerId: z.uuid('must be a UUID').optional(),
  status: z.enum(INVOICE_STATUSES).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.uuid('must be the id of the last invoice of the previous page').optional(),
});

const statementQuery = z.object({
  asOf: isoDateString.optional(),
  legalEntity: z.string().trim().min(1).max(20).optional(),
});

export const invoiceRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/invoices',
      {
        schema: { tags: ['invoices'], querystring: listQuery },
        config: { roles: ANY_ROLE },
      },
      async (request) => listInvoices(deps.db, { ...request.query, today: isoDate(Date.now()) }),
    );

    app.get(
      '/v1/invoices/:id',
      {
        schema: { tags: ['invoices'], params: idParams },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const [invoice] = await invoiceViews(deps.db, { invoiceId: request.params.id });
        if (!invoice) throw new ApiError(404, 'NOT_FOUND', `No invoice with id ${request.params.id}`);
        const [lines, deliveries, handedOver] = await Promise.all([
          getInvoiceLines(deps.db, invoice.id),
          invoiceDeliveryStatus(deps.db, invoice.id),
          collectionCaseOf(deps.db, invoice.id),
        ]);
        // With the agency: its case, without the case file (the agency has that).
        const collectionCase = handedOver && {
          id: handedOver.id,
          status: handedOver.status,
          agencyReference: handedOver.agencyReference,
          handedOverAt: handedOver.handedOverAt,
          outcome: handedOver.outcome,
          closedAt: handedOver.closedAt,
        };
        return {
          ...invoice,
          lines: lines.map(({ invoiceId: _, ...line }) => line),
          deliveries,
          collectionCase: collectionCase ?? null,
        };
      },
    );

    /**
     * Open items with days overdue and aging buckets (current, 1-30, 31-60, 61-90, 90+) per currency, and the open
     * dunning charges apart; of one seller when `legalEntity` is given (invoices without one are the default's).
     */
    const customerOr404 = async (customerId: string) => {
      const customer = await getCustomer(deps.db, customerId);
      if (!customer) throw new ApiError(404, 'NOT_FOUND', `No customer with id ${customerId}`);
      return customer;
    };
    const statementOf = async (customer: Customer, query: z.infer<typeof statementQuery>) => {
      const ofSeller = <T>(entityOf: (row: T) => string | null) =>
        query.legalEntity === undefined
          ? () => true
          : (row: T) => (entityOf(row) ?? deps.invoicing.defaultLegalEntity) === query.legalEntity;
      const open = (await invoiceViews(deps.db, { customerId: customer.id, status: 'open' })).filter(
        ofSeller((i) => i.legalEntity),
      );
      const statement = customerStatement(
        open.map((i) => ({
          invoiceId: i.id,
          invoiceNumber: i.number,
          issueDate: i.issueDate,
          dueDate: i.dueDate,
          total: i.total,
          balance: i.balance,
          currency: i.currency,
          paymentReference: i.paymentReference,
          /** The seller: its statement (and bank account) is where the item is paid. */
          legalEntity: i.legalEntity ?? deps.invoicing.defaultLegalEntity,
        })),
        query.asOf ?? isoDate(Date.now()),
      );
      // Fees and interest of dunning are receivables of their own: listed apart, totalled per currency.
      const charges = (await chargesOf(deps.db, customer.id, { status: 'open' }))
        .filter(ofSeller((c) => c.legalEntity))
        .map((c) => ({
          id: c.id,
          invoiceId: c.invoiceId,
          invoiceNumber: c.invoiceNumber,
          kind: c.kind,
          level: c.level,
          postedOn: c.postedOn,
          amount: c.amount,
          /** What is still owed of it: paid in part, less. */
          owed: c.owed,
          currency: c.currency,
          basis: c.basis,
        }));
      const chargeTotals = totalsByCurrency(charges.map((c) => ({ amount: c.owed, currency: c.currency })));
      return { ...statement, charges, chargeTotals };
    };

    app.get(
      '/v1/customers/:id/statement',
      {
        schema: { tags: ['invoices', 'customers'], params: idParams, querystring: statementQuery },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const customer = await customerOr404(request.params.id);
        const statement = await statementOf(customer, request.query);
        return { customerId: customer.id, customerName: customer.name, ...statement };
      },
    );

    /** The statement as the customer gets it: one seller's letterhead and bank account, so one seller's items. */
    app.get(
      '/v1/customers/:id/statement/pdf',
      {
        schema: { tags: ['invoices', 'customers'], params: idParams, querystring: statementQuery },
        config: { roles: ANY_ROLE },
      },
      async (request, reply) => {
        const customer = await customerOr404(request.params.id);
        const legalEntity = request.query.legalEntity ?? customer.legalEntity ?? deps.invoicing.defaultLegalEntity;
        const seller = await getLegalEntity(deps.db, legalEntity);
        const statement = await statementOf(customer, { ...request.query, legalEntity });
        const pdf = await renderStatementPdf({
          seller,
          customer,
          asOf: statement.asOf,
          language: customer.language,
          lines: statement.lines,
          totals: statement.totals,
          charges: statement.charges,
          chargeTotals: statement.chargeTotals,
        });
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="statement-${legalEntity}-${statement.asOf}.pdf"`)
          .send(pdf);
      },
    );
  };
