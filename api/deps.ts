import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.js';
import type { OrderWorkflowInput } from '../workflows/order.js';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** Passed to every new order workflow. */
  orderPolicy: Omit<OrderWorkflowInput, 'orderId' | 'customerId'>;
}
