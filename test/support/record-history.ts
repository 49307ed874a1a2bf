import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

/**
 * With RECORD_HISTORIES=1 the e2e tests save the histories of the workflows they ran into test/replay/histories,
 * so a change that breaks determinism fails the replay test. Re-record deliberately, after versioning a change.
 */
export async function recordHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const file = fileURLToPath(new URL(`../replay/histories/${name}.json`, import.meta.url));
  await writeFile(file, `${historyToJSON(history)}\n`);
}
