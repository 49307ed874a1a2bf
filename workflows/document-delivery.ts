import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { DeliveryStatus } from '../domain/document-delivery.js';
import { acts } from './activities.js';

/** How long a Peppol delivery receipt may take before the delivery is reported failed. */
const RECEIPT_WAIT = '2 days';

// Asking the access point is a poll: a retry every few seconds at first, then every 10 minutes.
const poll = proxyActivities<Pick<Activities, 'confirmPeppolDelivery'>>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: RECEIPT_WAIT,
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Delivers one invoice or credit note to its customer (`document:{invoiceId}`): renders and stores the PDF and
 * UBL, then sends them on the customer's channel, e-mail (both attached) or Peppol (the UBL, then waits for the
 * receiver's receipt). Failed attempts are retried by Temporal; each one is recorded with its reason, so the
 * delivery status in the API is always current. A refusal (bad address, rejected document) ends it as failed.
 */
export async function documentDeliveryWorkflow(input: { invoiceId: string }): Promise<DeliveryStatus> {
  const { invoiceId } = input;
  const { channel } = await acts.prepareInvoiceDelivery({ invoiceId });
  try {
    if (channel === 'email') {
      await acts.emailInvoice({ invoiceId });
      return 'sent';
    }
    const { transmissionId } = await acts.sendInvoiceToPeppol({ invoiceId });
    try {
      return await poll.confirmPeppolDelivery({ invoiceId, transmissionId });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await acts.markDeliveryUnconfirmed({
        invoiceId,
        channel,
        reason: `no delivery receipt from the receiver within ${RECEIPT_WAIT}`,
      });
      return 'failed';
    }
  } catch (err) {
    if (err instanceof ActivityFailure) return 'failed'; // refused for good; the reason is on the delivery record
    throw err;
  }
}
