import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';

/**
 * Tool builds live outside the repo so that clones and `git clean` don't pay for them again.
 * Resolved because GOBIN and the paths handed to the SDK must be absolute.
 */
export const toolCacheDir = resolve(process.env.O2C_CACHE_DIR ?? join(homedir(), '.cache', 'o2c'));

/** Progress goes to stderr: stdout is reserved for machine-readable results (see prepare.ts). */
export function log(message: string): void {
  process.stderr.write(`[tools] ${message}\n`);
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function findOnPath(command: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = resolve(dir, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
}

const OUTPUT_TAIL_CHARS = 4000;

/**
 * Runs a command to completion, keeping only the tail of its output for the error message:
 * go and mvn report failures at the end, and some (mvn -q) print them to stdout.
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<void> {
  const commandLine = [command, ...args].join(' ');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keepTail = (chunk: Buffer): void => {
      tail = (tail + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', keepTail);
    child.stderr.on('data', keepTail);
    child.on('error', (err) => reject(new Error(`${commandLine}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${commandLine} failed (${signal ?? `exit code ${code}`}):\n${tail.trimEnd()}`));
    });
  });
}

/** Logs the start, a heartbeat and the duration of a step that can take minutes without printing anything. */
export async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const startedAt = Date.now();
  const elapsed = (): string => `${Math.round((Date.now() - startedAt) / 1000)}s`;
  log(`${label}...`);
  const heartbeat = setInterval(() => log(`still ${label} (${elapsed()})`), 30_000);
  try {
    const result = await step();
    log(`done ${label} in ${elapsed()}`);
    return result;
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Fills `finalDir` by letting `build` populate a private sibling temp dir, then renaming it into place.
 * The rename is atomic, so a concurrent process never sees a half-built dir; if another process got
 * there first, its result is kept and ours discarded (callers re-check the expected files).
 */
export async function installAtomically(finalDir: string, build: (tmpDir: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(finalDir), { recursive: true });
  const tmpDir = await mkdtemp(join(dirname(finalDir), `.${basename(finalDir)}.tmp-`));
  try {
    await build(tmpDir);
    // mkdtemp creates 0700; the installed dir should read like any other install.
    await chmod(tmpDir, 0o755);
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    throw err;
  }
  try {
    await rename(tmpDir, finalDir);
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    if (!isAlreadyInstalled(err)) throw err;
  }
}

function isAlreadyInstalled(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  // rename(2) over a non-empty directory: someone else finished the same install.
  return code === 'ENOTEMPTY' || code === 'EEXIST';
}
