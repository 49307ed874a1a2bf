import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/**
 * The activities as workflows call them. Each is a short database write or an outside call: 30 seconds is
 * generous. Only transient I/O is ever retried (with back-off, for as long as it takes: a database down for a while
 * must not fail an order); refusals and bugs arrive non-retryable (activities/failures.ts), and the workflow
 * answers or waits for attention.
 */
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
