/**
 * Delivery of an invoice or credit note on one channel: queued → sent → delivered, or failed with a reason.
 * A failed attempt may be retried (back to sent or delivered); nothing ever moves back from delivered.
 */
export const DELIVERY_CHANNELS = ['email', 'peppol'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'failed';

/** The statuses a delivery may be in to move to each status. */
export const DELIVERY_MOVES_FROM: Readonly<Record<DeliveryStatus, readonly DeliveryStatus[]>> = {
  queued: ['queued', 'failed'],
  sent: ['queued', 'failed'],
  delivered: ['queued', 'sent', 'failed'],
  failed: ['queued', 'sent', 'failed'],
};
