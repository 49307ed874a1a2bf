import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { findOnPath, installAtomically, isExecutable, log, run, timed, toolCacheDir } from './cache.js';

/**
 * Newest first. Later tags carry a `replace` directive in go.mod, which `go install module@version`
 * refuses; older ones are fallbacks for module mirrors that lack a version.
 */
export const TEMPORAL_CLI_TAGS = ['v1.5.1', 'v1.5.0', 'v1.4.1', 'v1.4.0', 'v1.3.0'] as const;
type Tag = (typeof TEMPORAL_CLI_TAGS)[number];

const CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
const cliCacheDir = join(toolCacheDir, 'temporal-cli');
const tagDir = (tag: Tag): string => join(cliCacheDir, tag);
const binaryFor = (tag: Tag): string => join(tagDir(tag), 'temporal');

/** Absolute path to a `temporal` CLI: $TEMPORAL_CLI, PATH, cache, `go install`, then the release download. */
export async function resolveTemporalCli(): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    const path = resolve(fromEnv);
    if (!(await isExecutable(path))) throw new Error(`TEMPORAL_CLI=${fromEnv} is not an executable file`);
    return path;
  }

  const onPath = await findOnPath('temporal');
  if (onPath) return onPath;

  for (const tag of TEMPORAL_CLI_TAGS) {
    if (await isExecutable(binaryFor(tag))) return binaryFor(tag);
  }

  const built = await buildWithGo();
  if (built) return built;

  try {
    return await downloadRelease(TEMPORAL_CLI_TAGS[0]);
  } catch (err) {
    throw new Error(
      `Could not obtain the temporal CLI (${(err as Error).message}). ` +
        'Install it and put it on PATH, or set TEMPORAL_CLI=/path/to/temporal.',
    );
  }
}

async function buildWithGo(): Promise<string | undefined> {
  const go = await findOnPath('go');
  if (!go) {
    log('go is not on PATH; will download a temporal CLI release instead');
    return undefined;
  }
  log('building the temporal CLI from source; a first build takes several minutes');
  for (const tag of TEMPORAL_CLI_TAGS) {
    try {
      await timed(`building temporal CLI ${tag} with go install`, () =>
        installAtomically(tagDir(tag), (tmpDir) =>
          run(go, ['install', `${CLI_MODULE}@${tag}`], { env: { ...process.env, GOBIN: tmpDir } }),
        ),
      );
      const binary = await installedBinary(tag);
      log(`built temporal CLI ${tag}: ${binary}`);
      return binary;
    } catch (err) {
      log(`temporal CLI ${tag} did not build: ${(err as Error).message}`);
    }
  }
  log('no temporal CLI tag could be built with go; will download a release instead');
  return undefined;
}

async function downloadRelease(tag: Tag): Promise<string> {
  const url = `https://temporal.download/cli/archive/${tag}?platform=${releasePlatform()}&arch=${releaseArch()}`;
  await timed(`downloading temporal CLI ${tag} from ${url}`, () =>
    installAtomically(tagDir(tag), async (tmpDir) => {
      const response = await fetch(url).catch((err: Error) => {
        throw new Error(`GET ${url}: ${String((err.cause as Error | undefined)?.message ?? err.message)}`);
      });
      if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
      const archive = join(tmpDir, 'temporal.tar.gz');
      await writeFile(archive, Buffer.from(await response.arrayBuffer()));
      await run('tar', ['-xzf', archive, '-C', tmpDir]);
      await rm(archive);
    }),
  );
  return installedBinary(tag);
}

async function installedBinary(tag: Tag): Promise<string> {
  const binary = binaryFor(tag);
  if (!(await isExecutable(binary))) {
    throw new Error(`${tagDir(tag)} exists but holds no temporal binary; delete it and retry`);
  }
  return binary;
}

function releasePlatform(): string {
  if (process.platform === 'linux' || process.platform === 'darwin') return process.platform;
  throw new Error(`no temporal CLI release handled for platform ${process.platform}`);
}

function releaseArch(): string {
  if (process.arch === 'x64') return 'amd64';
  if (process.arch === 'arm64') return 'arm64';
  throw new Error(`no temporal CLI release handled for architecture ${process.arch}`);
}
