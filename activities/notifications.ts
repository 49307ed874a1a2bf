import { asc, eq } from 'drizzle-orm';
import { backorders, customers, orders, products } from '../db/schema.js';
import { expectedDispatchDate, orderNotification, type OrderNotificationKind } from '../domain/order-letters.js';
import { deliverMail } from './delivery.js';
import type { ActivityDeps } from './deps.js';

async function backorderedItems({ db }: ActivityDeps, orderId: string): Promise<string[]> {
  const rows = await db
    .select({ quantity: backorders.quantity, name: products.name, sku: products.sku })
    .from(backorders)
    .innerJoin(products, eq(products.sku, backorders.sku))
    .where(eq(backorders.orderId, orderId))
    .orderBy(asc(backorders.sku));
  return rows.map((r) => `${r.quantity} x ${r.name} (${r.sku})`);
}

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
      const [row] = await deps.db
        .select({ order: orders, customer: customers })
        .from(orders)
        .innerJoin(customers, eq(customers.id, orders.customerId))
        .where(eq(orders.id, input.orderId));
      if (!row) throw new Error(`Order ${input.orderId} does not exist`);
      const letter = orderNotification({
        kind: input.kind,
        language: row.customer.language,
        customerName: row.customer.name,
        orderReference: row.order.externalRef ?? row.order.id,
        ...(input.kind === 'confirmed' ? { expectedDispatchDate: expectedDispatchDate(input.date) } : {}),
        ...(input.trackingNumber ? { trackingNumber: input.trackingNumber } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.kind === 'backordered' ? { backorderedItems: await backorderedItems(deps, input.orderId) } : {}),
      });
      const key = `order:${input.orderId}:${input.kind}${input.shipmentId ? `:${input.shipmentId}` : ''}`;
      await deliverMail(deps, { messageKey: key, to: row.customer.email, ...letter });
    },
  };
}
