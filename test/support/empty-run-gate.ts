import type { Reporter, TestModule } from 'vitest/node';

/**
 * Fails a run in which no test executed: a suite whose every test was skipped, or filtered away, proves nothing,
 * yet vitest exits 0 for it. (Failures themselves set the exit code in vitest; this only adds the empty case.)
 */
export default class EmptyRunGate implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let executed = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests())
        if (test.result().state === 'passed' || test.result().state === 'failed') executed++;
    }
    if (executed > 0) return;
    console.error('\nNo test executed: every test was skipped or filtered out. A run that tests nothing fails.');
    process.exitCode = 1;
  }
}
