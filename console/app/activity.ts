import type { TFunction } from 'i18next';
import { formatDay } from './format';

/** The kinds of GET /v1/customers/:id/activity and /v1/orders/:id/activity (db/activity.ts), grouped to filter by. */
export const EVENT_GROUPS = {
  invoices: ['invoice_issued', 'credit_note_issued'],
  payments: ['payment_received', 'payment_reversed'],
  letters: ['letter_sent', 'call_logged'],
  disputes: ['dispute_opened', 'dispute_resolved'],
  promises: ['promise_recorded', 'promise_settled'],
  orders: ['order_placed'],
} as const;
export type EventGroup = keyof typeof EVENT_GROUPS;
export interface AccountEvent {
  at: string;
  kind: (typeof EVENT_GROUPS)[EventGroup][number];
  orderId: string | null;
  invoiceId: string | null;
  invoiceNumber: string | null;
  amount: number | null;
  currency: string | null;
  detail: string | null;
  by: string | null;
}

/** The event in words: its kind's sentence with its detail. */
export function describeEvent(e: AccountEvent, t: TFunction, locale: string): string {
  return t(`customer.events.${e.kind}`, { detail: detailText(e, t, locale), by: e.by ?? '' });
}

/** The detail in words: a code through its catalogue, a day as the reader writes it, free text as it is. */
function detailText(e: AccountEvent, t: TFunction, locale: string): string {
  if (e.detail === null) return '';
  switch (e.kind) {
    case 'order_placed':
      return t(`orderStatus.${e.detail}`, { defaultValue: e.detail });
    case 'invoice_issued':
    case 'promise_recorded':
      return formatDay(e.detail, locale);
    case 'letter_sent':
      return t(`levels.${e.detail}`, { defaultValue: e.detail });
    case 'call_logged':
      return t(`outcomes.${e.detail}`, { defaultValue: e.detail });
    case 'dispute_opened':
      return t(`disputeReasons.${e.detail}`, { defaultValue: e.detail });
    case 'dispute_resolved':
      return t(`resolutions.${e.detail}`, { defaultValue: e.detail });
    case 'promise_settled':
      return t(`promiseStatus.${e.detail}`, { defaultValue: e.detail });
    case 'payment_received':
      return t(`paymentMethods.${e.detail}`, { defaultValue: e.detail });
    default:
      return e.detail;
  }
}
