import { backorderedItems, orderWithCustomer } from '../db/orders.js';
import { expectedDispatchDate, orderNotification, type OrderNotificationKind } from '../domain/order-letters.js';
import { sendMailOnce } from './mail-outbox.js';
import type { ActivityDeps } from './deps.js';

export function createNotificationActivities(deps: ActivityDeps) {
  return {
    /** Tells the customer about its order, in its language; once per order and kind (and shipment, for dispatches). */
    async notifyCustomer(input: {
      orderId: string;
      kind: OrderNotificationKind;
      date: string;
      shipmentId?: string;
      trackingNumber?: string;
      reason?: string;
    }): Promise<void> {
      const row = await orderWithCustomer(deps.db, input.orderId);
      if (!row) throw new Error(`Order ${input.orderId} does not exist`);
      const letter = orderNotification({
        kind: input.kind,
        language: row.customer.language,
        customerName: row.customer.name,
        orderReference: row.order.externalRef ?? row.order.id,
        ...(input.kind === 'confirmed' ? { expectedDispatchDate: expectedDispatchDate(input.date) } : {}),
        ...(input.trackingNumber ? { trackingNumber: input.trackingNumber } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.kind === 'backordered' ? { backorderedItems: await backorderedItems(deps.db, input.orderId) } : {}),
      });
      const key = `order:${input.orderId}:${input.kind}${input.shipmentId ? `:${input.shipmentId}` : ''}`;
      await sendMailOnce(deps, { messageKey: key, to: row.customer.email, ...letter });
    },
  };
}
