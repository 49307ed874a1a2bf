import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/**
 * The activities as workflows call them. Each is a short database write or an outside call: 30 seconds is
 * generous, and transient failures retry with back-off for as long as it takes; business failures are thrown
 * non-retryable by the activity itself.
 */
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
