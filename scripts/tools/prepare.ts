/**
 * `npm run tools`: makes sure the Temporal CLI, the time-skipping test server and the Peppol validator are
 * available, building them into the user cache on first use. Prints one JSON line on stdout; progress on stderr.
 */
import { log } from './cache.js';
import { resolvePeppolValidator } from './peppol-validator.js';
import { resolveTemporalCli } from './temporal-cli.js';
import { resolveTestServer } from './test-server.js';

const tools = {
  temporalCli: resolveTemporalCli(),
  testServer: resolveTestServer(),
  peppolValidator: resolvePeppolValidator(),
};
// Settled rather than raced: a failure on one should not abandon another's half-done build.
const results = await Promise.allSettled(Object.values(tools));
const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');

if (failures.length === 0) {
  const paths = Object.fromEntries(
    Object.keys(tools).map((name, i) => [name, (results[i] as PromiseFulfilledResult<string>).value]),
  );
  process.stdout.write(`${JSON.stringify(paths)}\n`);
} else {
  for (const failure of failures) log(`error: ${(failure.reason as Error).message}`);
  process.exitCode = 1;
}
