/**
 * `npm run tools`: makes sure the Temporal CLI and the time-skipping test server are available, building
 * them into the user cache on first use. Prints one JSON line on stdout; all progress goes to stderr.
 */
import { log } from './cache.js';
import { resolveTemporalCli } from './temporal-cli.js';
import { resolveTestServer } from './test-server.js';

// Settled rather than raced: a failure on one side should not abandon the other's half-done build.
const [temporalCli, testServer] = await Promise.allSettled([resolveTemporalCli(), resolveTestServer()]);

if (temporalCli.status === 'fulfilled' && testServer.status === 'fulfilled') {
  process.stdout.write(`${JSON.stringify({ temporalCli: temporalCli.value, testServer: testServer.value })}\n`);
} else {
  for (const result of [temporalCli, testServer]) {
    if (result.status === 'rejected') log(`error: ${(result.reason as Error).message}`);
  }
  process.exitCode = 1;
}
