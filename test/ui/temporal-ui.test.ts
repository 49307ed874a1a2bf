import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { launchChromium } from '../support/browser.js';
import { chromiumTool, named } from '../support/host-tools.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

const screenshotPath = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../.artifacts/temporal-ui-customer-filter.png',
);

let stack: Stack;
let browser: Browser | undefined;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function placeOrder(idempotencyKey: string): Promise<{ customerId: string; workflowId: string }> {
  const { customerId, sku } = await customerWithProduct(stack);
  const created = await stack.http('POST', '/v1/orders', {
    key: stack.keys.integration,
    headers: { 'idempotency-key': idempotencyKey },
    body: orderBody(customerId, sku),
  });
  expect(created.status).toBe(201);
  return { customerId, workflowId: `order:${(created.body as { id: string }).id}` };
}

async function visibleIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of stack.client.workflow.list({ query })) ids.push(wf.workflowId);
  return ids;
}

describe('Temporal Web UI', () => {
  it.skipIf(!!chromiumTool.skipReason)(
    named('lists an order when an admin filters by CustomerId', chromiumTool),
    async () => {
      const mine = await placeOrder(`ui-${randomUUID()}`);
      const other = await placeOrder(`ui-${randomUUID()}`);
      const query = `CustomerId="${mine.customerId}"`;
      // Visibility is eventually consistent: the UI reads the same index, so wait for it first.
      await eventually(
        () => visibleIds(query),
        (ids) => ids.includes(mine.workflowId),
      );
      await eventually(
        () => visibleIds(`CustomerId="${other.customerId}"`),
        (ids) => ids.includes(other.workflowId),
      );

      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      page.setDefaultTimeout(30_000); // the UI is a SPA: first load fetches its bundle, then queries visibility
      // The UI takes the query from a plain URL-encoded `query` parameter and leaves the URL as given.
      await page.goto(`${inject('temporalUiUrl')}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);

      await page.getByText(mine.workflowId, { exact: true }).first().waitFor();
      await mkdir(dirname(screenshotPath), { recursive: true });
      await page.screenshot({ path: screenshotPath, fullPage: true });
      // The other customer's order is indexed too (checked above), so only the filter can keep it off the page.
      expect(await page.getByText(other.workflowId, { exact: true }).count()).toBe(0);
    },
  );
});
