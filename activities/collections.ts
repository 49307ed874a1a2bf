import { Context } from '@temporalio/activity';
import { markHandedOver, openCollectionCase } from '../db/collection-cases.js';
import { getCustomer } from '../db/customers.js';
import { openDispute, resolveDispute, type OpenDisputeInput, type ResolveDisputeInput } from '../db/disputes.js';
import { dunningPolicyForInvoice } from '../db/dunning-policies.js';
import {
  recordDunningLevel,
  recordDunningRun,
  type DunningLevelReached,
  type DunningNotice,
  type DunningRecord,
} from '../db/dunning.js';
import { invoiceViews } from '../db/invoices.js';
import { getLegalEntity } from '../db/legal-entities.js';
import { recordPromise, settlePromise } from '../db/payment-promises.js';
import { LETTER_PAYMENT_DAYS, type DunningPolicy } from '../domain/dunning.js';
import { DomainError } from '../domain/errors.js';
import { dunningLetter } from '../domain/letters.js';
import { isoDate } from '../domain/payment-terms.js';
import { tellCustomerAccount } from '../temporal/starts.js';
import { renderLetterPdf } from '../documents/letter-pdf.js';
import type { CaseFile } from '../integrations/collection-agency.js';
import { sendMailOnce } from './mail-outbox.js';
import type { ActivityDeps } from './deps.js';

const DAY_MS = 86_400_000;

export function createCollectionsActivities(deps: ActivityDeps) {
  const { db } = deps;
  // Business days are a daily notion: runs every few seconds (a demo) are held, and levels reached, on any day.
  const keepsBusinessDays = () =>
    deps.collections.businessDays === true && deps.collections.dunningRunEveryMs >= DAY_MS;
  return {
    /** The policy the invoice is dunned by: its customer's, its segment's, the configured one, or the built-in. */
    async dunningPolicyFor(input: { invoiceId: string }): Promise<DunningPolicy> {
      return dunningPolicyForInvoice(db, input.invoiceId, {
        configured: deps.collections.configuredPolicy,
        defaultLegalEntity: deps.invoicing.defaultLegalEntity,
        businessDays: keepsBusinessDays(),
      });
    },
    /** Records the level reached and posts its charges (once), unless the invoice was settled meanwhile. */
    async recordDunningLevel(input: DunningLevelReached): Promise<DunningRecord> {
      const record = await recordDunningLevel(db, input, deps.invoicing.defaultLegalEntity);
      for (const { kind, reason } of record.skippedCharges ?? []) {
        Context.current().log.info('Dunning charge not posted', {
          invoiceId: input.invoiceId,
          level: input.level,
          kind,
          reason,
        });
      }
      return record;
    },
    async openDispute(input: OpenDisputeInput): Promise<void> {
      await openDispute(db, input);
    },
    async resolveDispute(input: ResolveDisputeInput): Promise<void> {
      await resolveDispute(db, input);
    },
    async recordPromise(input: Parameters<typeof recordPromise>[1]): Promise<void> {
      await recordPromise(db, input);
    },
    async settlePromise(input: Parameters<typeof settlePromise>[1]): Promise<void> {
      await settlePromise(db, input);
    },
    /**
     * Hands the invoice to the collection agency: its case file recorded once, sent once (the agency takes a case
     * id once, so a retry after a lost answer is harmless). From then on no letter of ours lists it.
     */
    async handOverToAgency(input: { invoiceId: string }): Promise<{ caseId: string; agencyReference: string }> {
      if (!deps.agency) {
        throw new DomainError('NO_COLLECTION_AGENCY', 'No collection agency is configured (AGENCY_URL)');
      }
      const opened = await openCollectionCase(db, {
        invoiceId: input.invoiceId,
        defaultLegalEntity: deps.invoicing.defaultLegalEntity,
      });
      if (opened.agencyReference) return { caseId: opened.id, agencyReference: opened.agencyReference };
      const { agencyReference } = await deps.agency.handOver(opened.caseFile as CaseFile);
      await markHandedOver(db, opened.id, agencyReference);
      return { caseId: opened.id, agencyReference };
    },
    /** Puts the level an invoice reached into its customer's next dunning run (see customerAccountWorkflow). */
    async reportDunningLevel(notice: DunningNotice): Promise<void> {
      const [invoice] = await invoiceViews(db, { invoiceId: notice.invoiceId });
      if (!invoice) throw new Error(`Invoice ${notice.invoiceId} does not exist`);
      const { client, info } = Context.current();
      const runEveryMs = deps.collections.dunningRunEveryMs;
      const calendar = keepsBusinessDays()
        ? (await getLegalEntity(db, invoice.legalEntity ?? deps.invoicing.defaultLegalEntity)).country
        : undefined;
      await tellCustomerAccount(
        { temporal: client, taskQueue: info.taskQueue },
        { customerId: invoice.customerId, runEveryMs, ...(calendar ? { calendar } : {}) },
        notice,
      );
    },
    /**
     * A customer's dunning run: records its letters (or call tasks) once, one per seller, and mails each letter
     * once, in the customer's language, however often retried.
     */
    async sendDunningRun(input: { customerId: string; runAt: string; notices: DunningNotice[] }): Promise<void> {
      const { letters } = await recordDunningRun(db, {
        ...input,
        defaultLegalEntity: deps.invoicing.defaultLegalEntity,
      });
      const customer = await getCustomer(db, input.customerId);
      for (const letter of letters) {
        const seller = await getLegalEntity(db, letter.legalEntity);
        const { subject, text } = dunningLetter({
          language: customer!.language,
          levelName: letter.template ?? letter.levelName,
          nextLevelName: letter.nextTemplate ?? letter.nextLevelName,
          customerName: customer!.name,
          letterDate: letter.runAt.slice(0, 10),
          payBy: letter.payBy,
          seller: { name: seller.name, iban: seller.iban, bic: seller.bic },
          items: letter.items,
        });
        const date = letter.runAt.slice(0, 10);
        const pdf =
          letter.channel === 'letter'
            ? await renderLetterPdf({
                seller: { name: seller.name, street: seller.street, postalCode: seller.postalCode, city: seller.city },
                recipient: customer!,
                date,
                subject,
                text,
                language: customer!.language,
              })
            : undefined;
        await sendMailOnce(deps, {
          messageKey: `dunning-letter:${letter.customerId}:${letter.legalEntity}:${letter.runAt}`,
          to: letter.sentTo,
          subject,
          text,
          ...(pdf
            ? {
                attachments: [
                  { filename: `${subject.split(':')[0]} ${date}.pdf`, content: pdf, contentType: 'application/pdf' },
                ],
              }
            : {}),
        });
      }
    },
    /**
     * One letter per invoice and level, for receivables started before letters were consolidated per customer
     * (workflows/invoice.ts, patch `customer-account-dunning`). Remove with that patch's old branch.
     */
    async sendDunningLetter(input: {
      invoiceId: string;
      level: number;
      name: string;
      amountOutstanding: number;
    }): Promise<void> {
      const [invoice] = await invoiceViews(db, { invoiceId: input.invoiceId });
      if (!invoice) throw new Error(`Invoice ${input.invoiceId} does not exist`);
      const customer = await getCustomer(db, invoice.customerId);
      const seller = await getLegalEntity(db, invoice.legalEntity ?? deps.invoicing.defaultLegalEntity);
      const today = isoDate(Date.now());
      const letter = dunningLetter({
        language: customer!.language,
        levelName: input.name,
        nextLevelName: null, // these receivables do not say what follows
        customerName: customer!.name,
        letterDate: today,
        payBy: isoDate(Date.parse(today) + LETTER_PAYMENT_DAYS * DAY_MS),
        seller: { name: seller.name, iban: seller.iban, bic: seller.bic },
        items: [
          {
            invoiceNumber: invoice.number,
            dueDate: invoice.dueDate,
            amountOutstanding: input.amountOutstanding,
            currency: invoice.currency,
            paymentReference: invoice.paymentReference ?? invoice.number,
          },
        ],
      });
      await sendMailOnce(deps, {
        messageKey: `dunning:${input.invoiceId}:${input.level}`,
        to: customer!.email,
        ...letter,
      });
    },
  };
}
