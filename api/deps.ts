import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.js';
import type { DunningPolicy } from '../domain/dunning.js';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** Passed to every new order workflow. */
  orderPolicy: { creditHoldTimeoutMs: number; dunningPolicy: DunningPolicy };
}
