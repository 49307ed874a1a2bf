import type { OrderStatus } from '../domain/order-status.js';
import { recordOperatorRetry, recordOrderCancellation, setOrderStatus } from '../db/orders.js';
import type { ActivityDeps } from './deps.js';

export function createOrderActivities({ db }: ActivityDeps) {
  return {
    /** Keeps the order's Postgres projection (lists, GET /v1/orders) in step with the workflow. */
    async setOrderStatus(input: { orderId: string; status: OrderStatus; reason?: string }): Promise<void> {
      await setOrderStatus(db, input.orderId, input.status, input.reason);
    },
    async recordOrderCancellation(input: { orderId: string; reason: string; actor: string }): Promise<void> {
      await recordOrderCancellation(db, input);
    },
    /** An operator mended what the order waited for and asked it to retry: who, why, and what it waited for. */
    async recordOperatorRetry(input: {
      orderId: string;
      reason: string;
      actor: string;
      attention: string;
    }): Promise<void> {
      await recordOperatorRetry(db, input);
    },
  };
}
