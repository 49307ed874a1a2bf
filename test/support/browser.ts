import { chromium, type Browser } from 'playwright-core';
import { chromiumTool } from './host-tools.js';

/** Headless Chromium of the host (see chromiumTool), quiet: no first-run, sync or update traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumTool.require(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
