import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Worker } from '@temporalio/worker';
import { quietRuntime } from '../support/stack.js';

// Histories recorded from real runs (RECORD_HISTORIES=1 npm test). Replaying them against today's workflow code
// fails on any change that is not versioned with patched()/deprecatePatch().
const dir = fileURLToPath(new URL('./histories/', import.meta.url));

describe('replay of recorded workflow histories', async () => {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();

  it('has recorded histories of every long-lived workflow type to replay', () => {
    for (const type of ['order-', 'shipment-', 'invoice-', 'document-', 'bank-statement-', 'customer-account-'])
      expect(files.some((f) => f.startsWith(type))).toBe(true);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    quietRuntime();
    const history: unknown = JSON.parse(await readFile(`${dir}${file}`, 'utf8'));
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') } },
      history,
      file.replace(/\.json$/, ''),
    );
  });
});
