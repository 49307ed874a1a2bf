import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { Connection } from '@temporalio/client';
import { devServerSearchAttributeFlags } from '../temporal/search-attributes.js';

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/**
 * Runs `temporal server start-dev` (full server and Web UI) with our search attributes registered, and waits
 * until its frontend answers. With `dbFile` the state survives restarts.
 */
export async function startDevServer(options: {
  cli: string;
  port: number;
  uiPort: number;
  dbFile?: string;
  logFile?: string;
  namespace?: string;
}): Promise<DevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--namespace',
    options.namespace ?? 'default',
    '--log-level',
    'warn',
    // WAL and synchronous=normal: about 4x the workflow starts per second of SQLite's defaults (bench/), and
    // still crash-safe for a development server's state.
    ...(options.dbFile
      ? [
          '--db-filename',
          options.dbFile,
          '--sqlite-pragma',
          'journal_mode=wal',
          '--sqlite-pragma',
          'synchronous=normal',
        ]
      : []),
    ...devServerSearchAttributeFlags(),
  ];
  // Its own process group: a terminal's Ctrl-C reaches only our launcher, which stops the worker before the server.
  const child = spawn(options.cli, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // Never outlive the process that started us, however it ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  if (options.logFile) {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
  } else {
    child.stdout.resume();
    child.stderr.resume();
  }
  const address = `127.0.0.1:${options.port}`;
  await waitForFrontend(address, child);
  return { address, uiUrl: `http://127.0.0.1:${options.uiPort}`, stop: () => stopChild(child) };
}

async function waitForFrontend(address: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  const exit = { code: undefined as number | undefined };
  child.once('exit', (code) => {
    exit.code = code ?? -1;
  });
  for (;;) {
    if (exit.code !== undefined)
      throw new Error(`temporal server start-dev exited with code ${exit.code} before it was ready`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`Temporal dev server at ${address} not ready after 60s: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
