// The console's browser bundle, built with esbuild when the engine starts and kept in a cache keyed by the
// sources and the lock file: `npm start` needs no build step, and a second start (or test stack) reuses it.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** One build: its version (the source hash, for cache-busting URLs) and its files by name, with content types. */
export interface ConsoleAssets {
  version: string;
  files: ReadonlyMap<string, { body: Buffer; contentType: string }>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The project root: the nearest folder above this module with a package.json (from source or from dist/). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('console: no package.json above the console bundler');
    dir = up;
  }
  return dir;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** What the bundle is made of: the console's sources, the pure domain modules it imports, and the lock file. */
async function sourceHash(root: string): Promise<string> {
  const hash = createHash('sha256');
  const files = [
    ...(await filesUnder(join(root, 'console', 'app'))),
    ...(await filesUnder(join(root, 'domain'))),
    join(root, 'package-lock.json'),
  ];
  for (const file of files) {
    hash.update(relative(root, file)).update('\0');
    hash.update(await readFile(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function readAssets(version: string, dir: string): Promise<ConsoleAssets> {
  const files = new Map<string, { body: Buffer; contentType: string }>();
  for (const name of await readdir(dir)) {
    const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];
    if (type) files.set(name, { body: await readFile(join(dir, name)), contentType: type });
  }
  return { version, files };
}

let built: Promise<ConsoleAssets> | undefined;

/** The console's bundle, built once per set of sources (concurrent callers, even other processes, share one). */
export function consoleAssets(): Promise<ConsoleAssets> {
  built ??= buildOrReuse().catch((err: unknown) => {
    built = undefined;
    throw err;
  });
  return built;
}

async function buildOrReuse(): Promise<ConsoleAssets> {
  const root = projectRoot();
  const cacheDir = join(root, 'node_modules', '.cache', 'o2c-console');
  const version = await sourceHash(root);
  const target = join(cacheDir, version);
  if (existsSync(target)) return readAssets(version, target);
  // Built aside and renamed into place: a reader never sees half a bundle, and a concurrent build just loses.
  const scratch = join(cacheDir, `tmp-${randomUUID()}`);
  await mkdir(scratch, { recursive: true });
  try {
    await build({
      entryPoints: { main: join(root, 'console', 'app', 'main.tsx') },
      outdir: scratch,
      bundle: true,
      format: 'esm',
      target: ['es2022'],
      minify: true,
      sourcemap: 'linked',
      jsx: 'automatic',
      legalComments: 'linked',
      define: { 'process.env.NODE_ENV': '"production"' },
      loader: { '.json': 'json' },
      logLevel: 'silent',
    });
    await rename(scratch, target).catch((err: unknown) => {
      if (!existsSync(target)) throw err; // else another process's build got there first: the same bundle
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return readAssets(version, target);
}
