import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * A program from the host the tests need but npm cannot install (a browser, poppler). In CI (`CI` set) a
 * missing one is a failure, with the install command; on a developer's fresh machine the tests that need it
 * are skipped with the reason in their name, so `npm test` still runs everything else.
 */
export interface HostTool {
  path: string | undefined;
  /** Set when the tests should be skipped; goes into the test's name. */
  skipReason: string | undefined;
  /** The path, or an error telling how to install the tool. */
  require(): string;
}

function hostTool(name: string, path: string | undefined, install: string): HostTool {
  const missing = `${name} not found; install it with \`${install}\``;
  return {
    path,
    skipReason: path || process.env.CI ? undefined : `skipped: ${missing}`,
    require() {
      if (!path) throw new Error(missing);
      return path;
    },
  };
}

export const chromiumTool = hostTool(
  'Chromium (or CHROMIUM_PATH)',
  [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
    (p): p is string => !!p && existsSync(p),
  ),
  'apt-get install -y chromium',
);

export const pdftotextTool = hostTool(
  'pdftotext',
  spawnSync('pdftotext', ['-v']).error ? undefined : 'pdftotext',
  'apt-get install -y poppler-utils',
);

/** A test name with the skip reason appended when the tool is missing. */
export const named = (title: string, tool: HostTool) => (tool.skipReason ? `${title} (${tool.skipReason})` : title);
