import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';

/**
 * Signals a workflow that may have closed already. Closed means it no longer waits for this news (an invoice
 * settled, a shipment delivered, an order done), so that is not an error; anything else is.
 */
export async function signalIfOpen<Args extends unknown[]>(
  temporal: Client,
  workflowId: string,
  signal: SignalDefinition<Args>,
  ...args: Args
): Promise<void> {
  try {
    await temporal.workflow.getHandle(workflowId).signal(signal, ...args);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}
