import { condition } from '@temporalio/workflow';
import { describeDuration } from '../../domain/durations.js';
import { expirePrepaymentSignal } from '../messages.js';
import { tellCustomerCancelled } from './cancellation.js';
import { isSettledStatus } from '../../domain/invoice-status.js';
import { startInvoice } from './invoicing.js';
import type { OrderState } from './state.js';

const DEFAULT_EXPIRY_MS = 14 * 86_400_000;

/**
 * Credit asked for payment first: the whole order is invoiced now and ships once that invoice is paid. Credited
 * is not paid: an invoice settled by credit notes alone ends the order as cancelled. Nobody is dunned for goods
 * they never got, so the invoice is only reminded, and expires with the order when its time is up (credited by
 * the system), unless a payment has arrived on it. Returns the reason the order ends, or undefined once paid.
 */
export async function collectPrepayment(o: OrderState): Promise<string | undefined> {
  await o.enter('awaiting_prepayment');
  const { invoiceId, handle } = await startInvoice(o, { prepayment: true });
  const settled = () => isSettledStatus(o.invoices.get(invoiceId)?.status);
  const expiryMs = o.input.prepaymentExpiryMs ?? DEFAULT_EXPIRY_MS;
  let reason = 'the prepayment invoice was credited in full';
  if (!(await condition(settled, expiryMs))) {
    reason = `prepayment not received within ${describeDuration(expiryMs)}`;
    await handle.signal(expirePrepaymentSignal, { reason });
    await condition(settled);
  }
  if (o.invoices.get(invoiceId)!.status === 'paid') return undefined;
  await tellCustomerCancelled(o, reason);
  return reason;
}
