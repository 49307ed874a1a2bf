// `npm run bench:matching`: the cash-application matcher (domain/cash-matching.ts) on synthetic bank lines whose
// truth is known: how many lines it applies automatically and correctly, how many wrongly, its time and memory.
//   npx tsx bench/matching.ts [--sizes 10000,100000,1000000] [--seed 1] [--threshold 0.9]
// A size N is N lines against 1.2 N open items: the invoices the lines pay plus unpaid ones. Each size runs in a
// fresh child process, so its RSS is its own; matcher time excludes generation. One JSON object on stdout; progress
// on stderr. Per size:
//   precision                 automatic matches that allocate exactly what the line pays / automatic matches
//   recall                    matchable lines matched so, automatically or as the exception's first suggestion
//   autoMatchRateOfMatchable  matchable lines (they pay an invoice) matched automatically and correctly
//   wrongMatches (Rate)       automatic matches allocating what the line does not pay (per line)
//   incompleteMatches         automatic matches allocating part of what the line pays, the rest left unapplied
//   matcherMs, warmMatcherMs  the first call in the process, and the same call again once the code is compiled
//   peakRssMb                 RSS sampled after the call; processPeakRssMb the process's high-water mark (VmHWM,
//                             generation included); inputHeapMb the heap the input takes, resultsHeapMb the results'
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_MATCH_POLICY,
  matchLines,
  type Allocation,
  type LineMatch,
  type MatchPolicy,
} from '../domain/cash-matching.js';
import { CATEGORIES, generate, MIX, NOISE_NOTES, type Category, type Truth } from './matching-data.js';
import { cpuSample, cpuUsage, log, machineInfo, round } from './support.js';

// ---------------------------------------------------------------------------------------------------------------
// Scoring

type Verdict = 'correct' | 'incomplete' | 'wrong' | 'exception_right_first' | 'exception' | 'not_applied';

/** incomplete: applied only to invoices the line pays, never more than it pays each, the rest left unapplied. */
function verdict(result: LineMatch, truth: Truth): Verdict {
  const applied = result.status === 'matched' || result.status === 'partially_matched';
  const pays = truth.pays;
  if (!applied) {
    if (pays === null) return 'not_applied';
    const first = result.suggestions[0]?.allocations;
    return first && sameAllocations(first, pays) ? 'exception_right_first' : 'exception';
  }
  if (pays === null) return 'wrong';
  if (sameAllocations(result.allocations, pays)) return 'correct';
  const within = result.allocations.every(
    (a) => a.amount <= (pays.find((p) => p.invoiceId === a.invoiceId)?.amount ?? 0),
  );
  return within && result.unapplied > 0 ? 'incomplete' : 'wrong';
}

function sameAllocations(
  allocations: readonly { invoiceId: string; amount: number }[],
  pays: readonly Allocation[],
): boolean {
  return (
    allocations.length === pays.length &&
    allocations.every((a) => pays.some((p) => p.invoiceId === a.invoiceId && p.amount === a.amount))
  );
}

interface Tally {
  lines: number;
  correct: number;
  incomplete: number;
  wrong: number;
  exceptions: number;
  exceptionsRightFirst: number;
}

const emptyTally = (): Tally => ({
  lines: 0,
  correct: 0,
  incomplete: 0,
  wrong: 0,
  exceptions: 0,
  exceptionsRightFirst: 0,
});

function score(results: readonly LineMatch[], truth: readonly Truth[]) {
  const all = emptyTally();
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, emptyTally()])) as Record<Category, Tally>;
  let matchable = 0;
  results.forEach((result, i) => {
    const t = truth[i]!;
    const v = verdict(result, t);
    if (t.pays !== null) matchable++;
    for (const tally of [all, byCategory[t.category]]) {
      tally.lines++;
      if (v === 'correct') tally.correct++;
      if (v === 'incomplete') tally.incomplete++;
      if (v === 'wrong') tally.wrong++;
      if (result.status === 'exception') tally.exceptions++;
      if (v === 'exception_right_first') tally.exceptionsRightFirst++;
    }
  });
  const applied = all.correct + all.incomplete + all.wrong;
  return {
    precision: round(all.correct / Math.max(1, applied), 4),
    recall: round((all.correct + all.exceptionsRightFirst) / Math.max(1, matchable), 4),
    autoMatchRateOfMatchable: round(all.correct / Math.max(1, matchable), 4),
    wrongMatches: all.wrong,
    wrongMatchRate: round(all.wrong / Math.max(1, results.length), 5),
    incompleteMatches: all.incomplete,
    exceptions: all.exceptions,
    matchable,
    byCategory,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One size, in a child process

declare const gc: (() => void) | undefined;

function peakRssMb(): number | null {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return hwm ? round(Number(hwm[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function runSize(size: number, seed: number, policy: MatchPolicy) {
  const generatedAt = performance.now();
  const data = generate(size, seed, policy);
  const generationMs = performance.now() - generatedAt;
  const context = { settled: data.settled, customers: data.customers };
  if (typeof gc === 'function') gc();
  const rssBeforeMb = process.memoryUsage().rss / 1024 ** 2;
  const heapBeforeMb = process.memoryUsage().heapUsed / 1024 ** 2;
  const cpuBefore = await cpuSample();
  const started = performance.now();
  const results = matchLines(data.lines, data.openItems, context, policy);
  const matcherMs = performance.now() - started;
  const cpuAfter = await cpuSample();
  const rssAfterMb = process.memoryUsage().rss / 1024 ** 2;
  if (typeof gc === 'function') gc();
  const resultsHeapMb = process.memoryUsage().heapUsed / 1024 ** 2 - heapBeforeMb;
  const scores = score(results, data.truth);
  results.length = 0;
  if (typeof gc === 'function') gc();
  // The same call again in the now warm process (compiled code, no first-time JIT): a long-running service's time.
  const again = performance.now();
  matchLines(data.lines, data.openItems, context, policy);
  const warmMatcherMs = performance.now() - again;
  return {
    lines: data.lines.length,
    openItems: data.openItems.length,
    customers: data.customers.length,
    settled: data.settled.length,
    ...scores,
    matcherMs: round(matcherMs),
    warmMatcherMs: round(warmMatcherMs),
    msPerThousandLines: round(matcherMs / (data.lines.length / 1000), 3),
    generationMs: round(generationMs),
    peakRssMb: round(rssAfterMb),
    rssBeforeMatchMb: round(rssBeforeMb),
    inputHeapMb: round(heapBeforeMb),
    resultsHeapMb: round(resultsHeapMb),
    processPeakRssMb: peakRssMb(),
    hostCpuDuringMatch: cpuUsage(cpuBefore, cpuAfter),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Main: one child per size, results in one JSON object

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    seed: { type: 'string', default: '1' },
    threshold: { type: 'string', default: String(DEFAULT_MATCH_POLICY.autoApplyThreshold) },
    child: { type: 'string' },
  },
  strict: true,
});
const seed = Number(values.seed);
const policy: MatchPolicy = { ...DEFAULT_MATCH_POLICY, autoApplyThreshold: Number(values.threshold) };
const sizes = values.sizes.split(',').map(Number);
if (
  !Number.isSafeInteger(seed) ||
  sizes.some((s) => !Number.isSafeInteger(s) || s < 10) ||
  !(policy.autoApplyThreshold >= 0)
) {
  throw new Error(`usage: bench/matching.ts [--sizes 10000,100000] [--seed 1] [--threshold 0.9]`);
}

function inChild(size: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(import.meta.url);
    const args = ['--child', String(size), '--seed', String(seed), '--threshold', String(policy.autoApplyThreshold)];
    const child = fork(script, args, { execArgv: [...process.execArgv, '--expose-gc', '--max-old-space-size=8192'] });
    let result: unknown;
    child.on('message', (m) => (result = m));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && result !== undefined
        ? resolve(result)
        : reject(new Error(`size ${size}: child exited with ${code}`)),
    );
  });
}

if (values.child !== undefined) {
  const result = await runSize(Number(values.child), seed, policy);
  await new Promise<void>((resolve, reject) =>
    process.send!(result, undefined, undefined, (err) => (err ? reject(err) : resolve())),
  );
  process.disconnect();
} else {
  const bySize = [];
  for (const size of sizes) {
    log(`matching: ${size} lines...`);
    const result = await inChild(size);
    log(`matching: ${size} lines: ${JSON.stringify(result)}`);
    bySize.push(result);
  }
  const output = {
    benchmark: 'matching',
    seed,
    policy,
    machine: machineInfo(),
    noiseMixPercent: MIX,
    noise: NOISE_NOTES,
    goals: {
      autoMatchRateOfMatchable: '>= 0.95',
      wrongMatchRate: '<= 0.001',
      matcherMs: '100k lines < 1000, 1M lines < 15000',
      peakRssMb: '1M lines <= 2048',
    },
    sizes: bySize,
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}
