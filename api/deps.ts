import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.js';
import type { OrderWorkflowInput } from '../workflows/order/index.js';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** Passed to every new order workflow. */
  orderPolicy: Omit<OrderWorkflowInput, 'orderId' | 'customerId' | 'shippingPolicy' | 'invoicing'>;
  /** The seller entity of customers that name none: an order is checked against the invoice it would get. */
  invoicing: { defaultLegalEntity: string };
}
