import { getCustomer } from '../db/customers.js';
import { recordDunningLevel, type DunningRecord } from '../db/dunning.js';
import { invoiceViews } from '../db/invoices.js';
import { dunningLetter } from '../domain/letters.js';
import { sendMailOnce } from './mail-outbox.js';
import type { ActivityDeps } from './deps.js';

export function createCollectionsActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    /** Records the level reached (once), unless the invoice was settled meanwhile. */
    async recordDunningLevel(input: {
      invoiceId: string;
      level: number;
      name: string;
      policyId: string;
    }): Promise<DunningRecord> {
      return recordDunningLevel(db, input);
    },
    /** Sends the level's letter in the customer's language; one mail per (invoice, level), however often retried. */
    async sendDunningLetter(input: {
      invoiceId: string;
      level: number;
      name: string;
      amountOutstanding: number;
    }): Promise<void> {
      const [invoice] = await invoiceViews(db, { invoiceId: input.invoiceId });
      if (!invoice) throw new Error(`Invoice ${input.invoiceId} does not exist`);
      const customer = await getCustomer(db, invoice.customerId);
      const letter = dunningLetter({
        language: customer!.language,
        levelName: input.name,
        customerName: customer!.name,
        invoiceNumber: invoice.number,
        dueDate: invoice.dueDate,
        amountOutstanding: input.amountOutstanding,
        currency: invoice.currency,
        paymentReference: invoice.paymentReference ?? invoice.number,
      });
      await sendMailOnce(deps, {
        messageKey: `dunning:${input.invoiceId}:${input.level}`,
        to: customer!.email,
        ...letter,
      });
    },
  };
}
