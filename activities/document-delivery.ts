import { ApplicationFailure } from '@temporalio/activity';
import { documentWithParties, ensureInvoiceFiles, queueDelivery, updateDelivery } from '../db/invoice-documents.js';
import type { DeliveryChannel, DeliveryStatus } from '../domain/document-delivery.js';
import { customerElectronicAddress } from '../domain/electronic-address.js';
import { invoiceMail } from '../domain/invoice-mail.js';
import { PeppolAccessPointError } from '../integrations/peppol-access-point.js';
import { sendMailOnce } from './mail-outbox.js';
import type { ActivityDeps } from './deps.js';

/** An SMTP answer of 5xx is a permanent refusal (RFC 5321): retrying the same message cannot help. */
const isPermanentSmtpFailure = (err: unknown) => {
  const code = (err as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

export function createDocumentDeliveryActivities(deps: ActivityDeps) {
  const { db, peppol } = deps;

  const load = async (invoiceId: string) => {
    const row = await documentWithParties(db, invoiceId);
    if (!row) throw new Error(`Invoice ${invoiceId} does not exist`);
    const files = await ensureInvoiceFiles(db, row.invoice, row.customer.language);
    if (!files || !row.entity)
      throw ApplicationFailure.nonRetryable(
        `Invoice ${row.invoice.number} was issued before invoices carried documents`,
        'NO_DOCUMENT',
      );
    return { ...row, entity: row.entity, files };
  };

  /** Records an attempt that failed, then fails the activity: permanently, or for Temporal to retry. */
  const attemptFailed = async (
    invoiceId: string,
    channel: DeliveryChannel,
    err: unknown,
    permanent: boolean,
  ): Promise<never> => {
    const reason = err instanceof Error ? err.message : String(err);
    await updateDelivery(db, invoiceId, channel, { status: 'failed', failureReason: reason, attempted: true });
    if (permanent) throw ApplicationFailure.nonRetryable(reason, 'DELIVERY_REFUSED');
    throw err;
  };

  return {
    /** Renders and stores the PDF and UBL and opens the delivery on the customer's channel. */
    async prepareInvoiceDelivery(input: { invoiceId: string }): Promise<{ channel: DeliveryChannel }> {
      const { customer } = await load(input.invoiceId);
      const channel = customer.invoiceChannel as DeliveryChannel;
      const address = customerElectronicAddress(customer);
      await queueDelivery(
        db,
        input.invoiceId,
        channel,
        channel === 'peppol' && address ? `${address.scheme}:${address.id}` : customer.email,
      );
      return { channel };
    },

    /** Mails the document with its PDF (and UBL, where the customer can take one) attached; once per document. */
    async emailInvoice(input: { invoiceId: string }): Promise<void> {
      const { invoice, customer, entity, files } = await load(input.invoiceId);
      const mail = invoiceMail({
        language: customer.language,
        type: invoice.type as 'invoice' | 'credit_note',
        number: invoice.number,
        customerName: customer.name,
        sellerName: entity.name,
        total: invoice.total,
        currency: invoice.currency,
        dueDate: invoice.dueDate,
        paymentReference: invoice.paymentReference,
      });
      try {
        const { providerMessageId } = await sendMailOnce(deps, {
          messageKey: `invoice-document:${invoice.id}`,
          to: customer.email,
          subject: mail.subject,
          text: mail.text,
          attachments: [
            { filename: `${mail.fileBase}.pdf`, content: files.pdf, contentType: 'application/pdf' },
            ...(files.ubl
              ? [{ filename: `${mail.fileBase}.xml`, content: files.ubl, contentType: 'application/xml' }]
              : []),
          ],
        });
        await updateDelivery(db, invoice.id, 'email', {
          status: 'sent',
          providerId: providerMessageId,
          attempted: true,
        });
      } catch (err) {
        return attemptFailed(invoice.id, 'email', err, isPermanentSmtpFailure(err));
      }
    },

    /** Hands the UBL to the Peppol access point; idempotent per document id at the AP. */
    async sendInvoiceToPeppol(input: { invoiceId: string }): Promise<{ transmissionId: string }> {
      const { invoice, customer, entity, files } = await load(input.invoiceId);
      const receiver = customerElectronicAddress(customer);
      try {
        if (!peppol) throw new Error('No Peppol access point is configured (PEPPOL_AP_URL)');
        if (!receiver || !files.ubl) throw new Error(`Customer ${customer.id} has no Peppol participant id`);
        const transmission = await peppol.send({
          documentId: invoice.id,
          senderId: `${entity.peppolScheme}:${entity.peppolId}`,
          receiverId: `${receiver.scheme}:${receiver.id}`,
          documentType: invoice.type === 'credit_note' ? 'credit_note' : 'invoice',
          ubl: files.ubl.toString('utf8'),
        });
        await updateDelivery(db, invoice.id, 'peppol', {
          status: 'sent',
          providerId: transmission.transmissionId,
          attempted: true,
        });
        return { transmissionId: transmission.transmissionId };
      } catch (err) {
        return attemptFailed(invoice.id, 'peppol', err, !(err instanceof PeppolAccessPointError) || !err.retryable);
      }
    },

    /**
     * Asks the access point whether the receiver's AP acknowledged the document. Throws (to be retried with
     * back-off) while it is on its way: this activity is the poll.
     */
    async confirmPeppolDelivery(input: { invoiceId: string; transmissionId: string }): Promise<DeliveryStatus> {
      if (!peppol?.status) return 'sent'; // an AP that cannot be asked: handed over is as far as we can know
      const status = await peppol.status(input.transmissionId);
      if (status.status === 'delivered') {
        await updateDelivery(db, input.invoiceId, 'peppol', { status: 'delivered' });
        return 'delivered';
      }
      if (status.status === 'failed') {
        await updateDelivery(db, input.invoiceId, 'peppol', {
          status: 'failed',
          failureReason: status.reason ?? 'the access point gave up',
        });
        return 'failed';
      }
      throw ApplicationFailure.retryable(
        `Transmission ${input.transmissionId} is not delivered yet`,
        'AWAITING_RECEIPT',
      );
    },

    /** The poll gave up: no receipt in time. */
    async markDeliveryUnconfirmed(input: {
      invoiceId: string;
      channel: DeliveryChannel;
      reason: string;
    }): Promise<void> {
      await updateDelivery(db, input.invoiceId, input.channel, { status: 'failed', failureReason: input.reason });
    },
  };
}
