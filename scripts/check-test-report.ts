// Reads vitest's own JSON report of the last run and fails unless it shows a real, green run, whatever exit code
// the test process ended with: no failed test or suite, at least one test executed, and with --no-skips (CI)
// no skipped test. Usage: tsx scripts/check-test-report.ts [--no-skips] [report.json]
import { readFile } from 'node:fs/promises';

const TEST_REPORT = '.test-results/vitest.json';

interface JsonReport {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numFailedTestSuites: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: {
    name: string;
    status: string;
    message: string;
    assertionResults: { fullName: string; status: string }[];
  }[];
}

const args = process.argv.slice(2);
const noSkips = args.includes('--no-skips');
const file = args.find((a) => !a.startsWith('--')) ?? TEST_REPORT;

const report = JSON.parse(
  await readFile(file, 'utf8').catch(() => {
    console.error(`No test report at ${file}: the test run did not finish.`);
    process.exit(1);
  }),
) as JsonReport;

const problems: string[] = [];
for (const result of report.testResults) {
  if (result.status === 'failed' && result.assertionResults.every((t) => t.status !== 'failed')) {
    problems.push(`file failed outside its tests: ${result.name}${result.message ? `: ${result.message}` : ''}`);
  }
  for (const test of result.assertionResults) {
    if (test.status === 'failed') problems.push(`failed: ${result.name} › ${test.fullName}`);
    else if (noSkips && test.status !== 'passed')
      problems.push(`${test.status} (none may be skipped here): ${result.name} › ${test.fullName}`);
  }
}
if (report.numFailedTests > 0 || report.numFailedTestSuites > 0 || !report.success) {
  if (problems.length === 0)
    problems.push(
      `the report says ${report.numFailedTests} failed tests and ${report.numFailedTestSuites} failed suites`,
    );
}
if (report.numPassedTests === 0) problems.push('no test passed: a run that tests nothing is not a green run');

const summary = `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped of ${report.numTotalTests}`;
if (problems.length > 0) {
  console.error(`Test report ${file}: ${summary}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`Test report ${file}: ${summary}`);
