import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.js';
import type { MatchPolicy } from '../domain/cash-matching.js';
import type { DisputeReason } from '../domain/collections.js';
import type { StatementBatching } from '../temporal/starts.js';
import type { OrderWorkflowInput } from '../workflows/order/index.js';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** Passed to every new order workflow. */
  orderPolicy: Omit<OrderWorkflowInput, 'orderId' | 'customerId' | 'shippingPolicy' | 'invoicing'>;
  /** The seller entity of customers that name none: an order is checked against the invoice it would get. */
  invoicing: { defaultLegalEntity: string };
  /** The payment providers whose signed webhooks we take, each with its secrets (the current one, and the old one while it is rotated). */
  paymentProviders: Readonly<Record<string, readonly string[]>>;
  /** The largest bank file taken. */
  bankFileLimitBytes: number;
  /** `batching` of a statement's workflow: the defaults of temporal/starts.ts unless a test wants small runs. */
  cashApplication: { matchPolicy: MatchPolicy; batching?: StatementBatching };
  /** Each dispute reason's SLA (ISO 8601 duration), who owns new disputes, and the grace after a promised day. */
  collections: {
    disputeSla: Readonly<Record<DisputeReason, string>>;
    disputeOwner: string;
    promiseGrace: string;
    /** Per currency, the largest write-off one person may make (minor units); above it an admin approves. */
    writeOffApprovalAbove: Readonly<Record<string, number>>;
    /** The collection agency's webhook secrets (the current one, and the old one while it is rotated). */
    agencyWebhookSecrets: readonly string[];
  };
  /** What the console links to: the Temporal UI (absent: no workflow links) and the namespace of our workflows. */
  console: { temporalUiUrl?: string; temporalNamespace: string };
}
