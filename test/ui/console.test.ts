import { randomUUID } from 'node:crypto';
import { readFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, paymentPromises } from '../../db/schema.js';
import { createUser, type UserRole } from '../../db/users.js';
import { camt053 } from '../support/bank-files.js';
import { launchChromium } from '../support/browser.js';
import { customerWithProduct, dutchEntityBody, orderBody } from '../support/fixtures.js';
import { chromiumTool, named } from '../support/host-tools.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

// The finance console in a real browser against the whole engine: a clerk signs in, reads the dashboard of one
// legal entity (its own, so other tests' invoices stay out of the figures), approves a credit hold and resolves
// a dispute with clicks, in English and in Dutch; no console error, no CSP violation, no serious axe finding.
const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), '../.artifacts');
const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const tag = randomUUID().replace(/-/g, '').slice(0, 4).toUpperCase();
const ENTITY = `C${tag}`;
const PASSWORD = 'correct horse battery staple';

let stack: Stack;
let browser: Browser | undefined;
beforeAll(async () => {
  stack = await startStack({ dunningRunEveryMs: 1_000 }); // the call task of a policy in seconds comes at once
  const entity = await stack.http('PUT', `/v1/legal-entities/${ENTITY}`, {
    key: stack.keys.admin,
    body: dutchEntityBody(`Console Test ${tag} B.V.`, `${ENTITY}-F`, `${ENTITY}-C`),
  });
  expect(entity.status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function user(role: UserRole): Promise<string> {
  const email = `${role}-${tag.toLowerCase()}-${randomUUID().slice(0, 6)}@example.nl`;
  await createUser(stack.db, { email, name: `A ${role}`, role, password: PASSWORD });
  return email;
}

async function placeOrder(options: Parameters<typeof customerWithProduct>[1], quantity: number) {
  const { customerId, sku } = await customerWithProduct(stack, { legalEntity: ENTITY, ...options });
  const created = await stack.http('POST', '/v1/orders', {
    key: stack.keys.integration,
    headers: { 'idempotency-key': `console-${randomUUID()}` },
    body: orderBody(customerId, sku, quantity),
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

const getOrder = async (id: string) => (await stack.http('GET', `/v1/orders/${id}`)).body;
const getInvoice = async (id: string) => (await stack.http('GET', `/v1/invoices/${id}`)).body;

/** A page that remembers every console error, failed request and uncaught exception from now on. */
async function watchedPage(locale: string) {
  browser ??= await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale });
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on('console', (m) => {
    // A failed request is logged by the browser too; the response listener below names its URL.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return { page, problems };
}

async function signIn(page: Page, email: string) {
  await page.goto(`${stack.apiUrl}/console`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function seriousAxeViolations(page: Page): Promise<string[]> {
  // Colours are judged once they settle: halfway through a button's transition its text may be as light as its fill.
  // Scripts are evaluated over the DevTools protocol, which the page's CSP (no inline script) does not govern.
  await page.evaluate(
    'Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => {})))',
  );
  await page.evaluate(await axeSource);
  const results: any = await page.evaluate("axe.run(document, { resultTypes: ['violations'] })");
  return results.violations
    .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
}

async function shot(page: Page, name: string) {
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: resolve(artifacts, `console-${name}.png`), fullPage: true });
}

describe('finance console', () => {
  it('serves one page under a strict CSP and its bundle, and no asset of another build', async () => {
    const shell = await fetch(`${stack.apiUrl}/console/credit-holds`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await shell.text();
    const script = /src="(\/console\/assets\/[0-9a-f]+\/main\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const bundle = await fetch(`${stack.apiUrl}${script}`);
    expect([bundle.status, bundle.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(bundle.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${stack.apiUrl}/console/assets/0000000000000000/main.js`)).status).toBe(404);
    // The page is public; what it shows is not.
    expect((await fetch(`${stack.apiUrl}/v1/credit/holds`)).status).toBe(401);
  });

  it.skipIf(!!chromiumTool.skipReason)(
    named('a finance clerk reads the dashboard, approves a credit hold and resolves a dispute', chromiumTool),
    { timeout: 120_000 },
    async () => {
      const invoicedOrder = await placeOrder({ name: `Bakkerij ${tag} B.V.`, unitPrice: 10_000 }, 3);
      const [invoice] = (
        await eventually(
          () => getOrder(invoicedOrder),
          (o) => o.invoices?.length === 1,
        )
      ).invoices;
      const heldName = `Müller ${tag} GmbH`;
      const heldOrder = await placeOrder({ name: heldName, creditLimit: 2_000, unitPrice: 1_000 }, 2);
      await eventually(
        () => getOrder(heldOrder),
        (o) => o.status === 'credit_hold',
      );
      const dispute = await stack.http('POST', `/v1/invoices/${invoice.id}/disputes`, {
        key: stack.keys.finance,
        headers: { 'idempotency-key': `console-${randomUUID()}` },
        body: { reasonCode: 'damaged', amount: 1_000, note: 'One basket arrived cracked' },
      });
      expect(dispute.status).toBe(201);
      const email = await user('finance');
      const { page, problems } = await watchedPage('en-GB');

      // A wrong password is refused in words; the right one opens the dashboard.
      await page.goto(`${stack.apiUrl}/console`);
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toBe('Wrong e-mail address or password.');
      problems.length = 0; // the probe for a session and the refused password answered 401, as they should
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Receivables', exact: true }).waitFor();

      await page.getByLabel('Legal entity').selectOption(ENTITY);
      const euros = (minor: number) =>
        new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(minor / 100);
      const tile = page.locator('.tile', { has: page.getByRole('heading', { name: 'Open receivables' }) });
      await expect.poll(() => tile.locator('p').textContent()).toBe(euros(invoice.total));
      // Aging, forecast, DSO trend and the open dispute are drawn; the funnel has no letter yet and says so.
      await expect.poll(() => page.locator('main canvas').count()).toBe(4);
      await expect
        .poll(() =>
          page.locator('.panel', { has: page.getByRole('heading', { name: /Dunning funnel/ }) }).textContent(),
        )
        .toContain('Nothing to show yet.');
      await shot(page, 'dashboard');
      expect(await seriousAxeViolations(page)).toEqual([]);

      await page.getByRole('link', { name: 'Credit holds' }).click();
      const card = page.getByRole('article', { name: new RegExp(heldName) });
      await expect.poll(() => card.textContent()).toContain('New customer');
      await shot(page, 'credit-holds');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await card.getByLabel('Approve').check();
      await card.getByLabel('Reason (kept in the audit log)').fill('Known bakery, first order');
      await card.getByRole('button', { name: 'Decide' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toMatch(new RegExp(`^${heldName}: Approve\\.`));
      const [approvedInvoice] = (
        await eventually(
          () => getOrder(heldOrder),
          (o) => o.invoices?.length === 1,
        )
      ).invoices;
      const [decision] = await stack.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, heldOrder), eq(auditLog.action, 'credit.approve')));
      expect(decision).toMatchObject({ actor: email, reason: 'Known bakery, first order' });

      // What the page does with its token, a forged request without it cannot.
      const forged = await page.evaluate(async (orderId) => {
        const res = await fetch(`/v1/orders/${orderId}/credit-decision`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ decision: 'reject', reason: 'forged' }),
        });
        return { status: res.status, body: await res.json() };
      }, heldOrder);
      expect(forged).toMatchObject({ status: 403, body: { error: { code: 'CSRF_TOKEN_INVALID' } } });
      problems.splice(
        problems.findIndex((p) => p.startsWith('HTTP 403 POST')),
        1,
      );

      await page.getByRole('link', { name: 'Disputes' }).click();
      // The invoice behind the dispute: its delivery, its documents, and the order's process that made it.
      await page.getByRole('link', { name: invoice.number }).click();
      const details = page.getByRole('article', { name: `Invoice ${invoice.number}` });
      await expect
        .poll(() => details.getByRole('row').nth(1).textContent())
        .toMatch(/^E-mail.*(sent|delivered) · 1 attempt/);
      const pdfLink = details.getByRole('link', { name: `PDF of ${invoice.number}` });
      const pdf = await page.request.get(`${stack.apiUrl}${await pdfLink.getAttribute('href')}`); // with the session
      expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
      await page.getByRole('link', { name: 'The order of this invoice' }).click();
      const steps = page.getByRole('region', { name: 'What happened' }).getByRole('listitem');
      // The warehouse stand-in of the tests dispatches and reports no delivery; then the invoicing and the dispute.
      const dueDay = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(`${invoice.dueDate}T00:00:00Z`),
      );
      await expect
        .poll(() =>
          steps.evaluateAll((items: any[]) =>
            items.map((li) => li.textContent.slice(li.querySelector('time').textContent.length).trim()),
          ),
        )
        .toEqual([
          'Order placed',
          'Credit checked',
          'Shipped from main',
          `Invoice issued, due ${dueDay} · ${invoice.number} · ${euros(invoice.total)}`,
          `Dispute opened: Damaged · ${invoice.number} · ${euros(1_000)}`,
        ]);
      await page.getByRole('heading', { name: `Order of Bakkerij ${tag} B.V.` }).waitFor();
      await shot(page, 'order');
      expect(await seriousAxeViolations(page)).toEqual([]);

      // DSO before the credit note: the approved order's invoice paid, so AR is the disputed invoice alone.
      const paid = await stack.http('POST', '/v1/payments', {
        key: stack.keys.integration,
        body: {
          invoiceNumber: approvedInvoice.number,
          amount: approvedInvoice.total,
          currency: 'EUR',
          method: 'card',
          externalId: randomUUID(),
        },
      });
      expect(paid.status).toBeLessThan(300);
      const dsoShown = async (ar: number, sales: number) => {
        await page.getByRole('link', { name: 'Dashboard' }).click();
        await page.getByLabel('Legal entity').selectOption(ENTITY);
        await expect.poll(() => tile.locator('p').textContent()).toBe(euros(ar));
        const days = Number(/over the last (\d+) days/.exec((await page.locator('hgroup p').textContent()) ?? '')?.[1]);
        const dsoTile = page.locator('.tile', { has: page.getByRole('heading', { name: 'DSO', exact: true }) });
        // README: DSO = AR(end) / credit sales x days, to one decimal.
        await expect
          .poll(() => dsoTile.locator('p').textContent())
          .toBe(`${(Math.round((ar * days * 10) / sales) / 10).toFixed(1)} days`);
      };
      await dsoShown(invoice.total, invoice.total + approvedInvoice.total);

      await page.getByRole('link', { name: 'Disputes' }).click();
      const row = page.getByRole('row', { name: new RegExp(invoice.number) });
      await row.getByRole('button', { name: 'Resolve' }).click();
      const form = page.getByRole('form', { name: `Resolve the dispute on ${invoice.number}` });
      await form.getByLabel('Resolution').selectOption('credit_note');
      await form.getByLabel('Note', { exact: true }).fill('Photos show the cracked basket');
      await form.getByRole('button', { name: 'Resolve' }).click();
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toBe(`Dispute on ${invoice.number} resolved: Credit note.`);
      const resolved = await stack.http('GET', `/v1/disputes/${dispute.body.dispute.id}`, { key: stack.keys.finance });
      expect(resolved.body.dispute).toMatchObject({ status: 'resolved', resolution: 'credit_note' });
      expect(resolved.body.history.at(-1)).toMatchObject({ actor: email });
      // The credit note takes its amount off AR and off the period's credit sales.
      await dsoShown(invoice.total - 1_000, invoice.total + approvedInvoice.total - 1_000);

      // The customer's account: the invoice open for what the credit note left, its statement, what happened.
      await page.goto(`${stack.apiUrl}/console/invoices/${invoice.id}`);
      await page.getByRole('link', { name: `Bakkerij ${tag} B.V.` }).click();
      await page.getByRole('heading', { name: `Bakkerij ${tag} B.V.`, level: 1 }).waitFor();
      const openItems = page.getByRole('region', { name: 'Open items' });
      await expect
        .poll(() => openItems.getByRole('row', { name: new RegExp(invoice.number) }).textContent())
        .toContain(euros(invoice.total - 1_000));
      const statementLink = openItems.getByRole('link', { name: /^Statement \(PDF\)/ });
      const statement = await page.request.get(`${stack.apiUrl}${await statementLink.getAttribute('href')}`);
      expect([statement.status(), statement.headers()['content-type']]).toEqual([200, 'application/pdf']);
      const happened = page.getByRole('region', { name: 'What happened' });
      await happened.getByRole('button', { name: 'Disputes' }).click();
      await expect
        .poll(async () =>
          (await happened.getByRole('row').allTextContents()).map((r) => r.replace(/^.*?\d{2}:\d{2}/, '')),
        )
        .toEqual([
          expect.stringMatching(new RegExp(`^Dispute resolved: Credit note · ${email}${invoice.number}`)),
          expect.stringMatching(new RegExp(`^Dispute opened: Damaged · .*${invoice.number}`)),
        ]);
      await happened.getByRole('button', { name: 'Invoices' }).click();
      await expect
        .poll(() => happened.getByRole('row').first().textContent())
        .toMatch(/Credit note issued: Photos show the cracked basket/);
      await happened.getByRole('button', { name: 'All', exact: true }).click();
      await shot(page, 'customer');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Disputes' }).click();

      // Dutch: the catalogue's words, amounts and dates as the Dutch write them; the approved order is invoiced now.
      await page.getByLabel('Language').selectOption('nl');
      await page.getByRole('heading', { name: 'Geschillen' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('nl');
      await page.getByRole('link', { name: 'Dashboard' }).click();
      await page.getByLabel('Entiteit').selectOption(ENTITY);
      const tegel = page.locator('.tile', { has: page.getByRole('heading', { name: 'Openstaande vorderingen' }) });
      await expect
        .poll(() => tegel.locator('p').textContent())
        .toBe(
          new Intl.NumberFormat('nl', { style: 'currency', currency: 'EUR' }).format((invoice.total - 1_000) / 100),
        );
      await shot(page, 'dashboard-nl');
      expect(problems).toEqual([]);
    },
  );

  it.skipIf(!!chromiumTool.skipReason)(
    named('a cash clerk uploads a bank file, follows it to the end and decides the exception it left', chromiumTool),
    { timeout: 90_000 },
    async () => {
      const name = `Kaasboer ${tag} B.V.`;
      const { customerId, sku } = await customerWithProduct(stack, { name, unitPrice: 1_000 });
      const invoices = [];
      for (const quantity of [1, 2, 3, 7, 9]) {
        const created = await stack.http('POST', '/v1/orders', {
          key: stack.keys.integration,
          headers: { 'idempotency-key': `console-${randomUUID()}` },
          body: orderBody(customerId, sku, quantity),
        });
        const placed = await eventually(
          () => getOrder(created.body.id),
          (o) => o.invoices?.length === 1,
        );
        invoices.push(placed.invoices[0]);
      }
      const [byReference, second, third, fourth, fifth] = invoices;
      // One line the matcher applies by its reference; one paying the next two together, with the payer's name
      // in capitals and no reference: a suggestion for a person; one paying the fourth and a part of the fifth,
      // which only the clerk can split. No two sets of invoices add up to the same amount.
      const statementId = `CONSOLE-${tag}-${randomUUID().slice(0, 4)}`;
      const file = camt053({
        statementId,
        account: 'NL91ABNA0417164300',
        entries: [
          { acctSvcrRef: 'K1', amount: byReference.total, reference: byReference.paymentReference },
          { acctSvcrRef: 'K2', amount: second.total + third.total, text: 'december', debtorName: `KAASBOER ${tag}` },
          { acctSvcrRef: 'K3', amount: fourth.total + 500, text: 'januari', debtorName: `KAASBOER ${tag}` },
        ],
      });

      const email = await user('finance');
      const { page, problems } = await watchedPage('en-GB');
      await signIn(page, email);
      await page.getByRole('link', { name: 'Cash application' }).click();
      await page.getByLabel(/^Bank file/).setInputFiles({
        name: 'statement.xml',
        mimeType: 'application/xml',
        buffer: Buffer.from(file),
      });
      await page.getByRole('button', { name: 'Upload' }).click();
      const statements = page.getByRole('region', { name: 'Bank statements' });
      await expect
        .poll(() => statements.getByRole('row', { name: new RegExp(statementId) }).textContent(), { timeout: 30_000 })
        .toMatch(/applied 3 of 3 lines$/);
      expect(
        await eventually(
          () => getInvoice(byReference.id),
          (i) => i.status === 'paid',
        ),
      ).toMatchObject({ balance: 0 });

      const euros = (minor: number) =>
        new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(minor / 100);
      const cardOf = (amount: number) => page.getByRole('article', { name: `${euros(amount)} · KAASBOER ${tag}` });
      const card = cardOf(second.total + third.total);
      const suggestion = card.getByRole('radio', { name: new RegExp(`${second.number}.*${third.number}`) });
      await suggestion.waitFor();
      await shot(page, 'cash-application');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await suggestion.check();
      await card.getByLabel('Reason (kept in the audit log)').fill('Both December deliveries, says the payer');
      await card.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => card.count()).toBe(0);
      for (const invoice of [second, third])
        expect(
          await eventually(
            () => getInvoice(invoice.id),
            (i) => i.status === 'paid',
          ),
        ).toMatchObject({ balance: 0 });
      const [decision] = await stack.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'cash.exception.resolve'), eq(auditLog.actor, email)));
      expect(decision).toMatchObject({ reason: 'Both December deliveries, says the payer' });

      // The third line names no invoice and comes from an account the engine does not know: the clerk finds the
      // payer by the name on the line, then splits it, the fourth invoice in full and 5.00 of the fifth.
      const split = cardOf(fourth.total + 500);
      await split.getByLabel('Split over invoices I choose').check();
      const whoPaid = split.getByRole('group', { name: 'Who paid?' });
      await whoPaid.getByRole('radio', { name: new RegExp(`^${name}`) }).check();
      await shot(page, 'cash-split');
      await split.getByLabel(`Amount to apply to ${fourth.number}`).fill((fourth.total / 100).toFixed(2));
      await split.getByLabel(`Amount to apply to ${fifth.number}`).fill('5.00');
      await expect.poll(() => split.locator('caption').textContent()).toMatch(/left on the account: €0\.00$/);
      await split.getByLabel('Reason (kept in the audit log)').fill('The January delivery and a part of the next');
      await split.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => split.count()).toBe(0);
      expect(
        await eventually(
          () => getInvoice(fourth.id),
          (i) => i.status === 'paid',
        ),
      ).toMatchObject({ balance: 0 });
      expect(await getInvoice(fifth.id)).toMatchObject({ status: 'open', balance: fifth.total - 500 });
      expect(problems).toEqual([`HTTP 401 GET ${stack.apiUrl}/v1/session`]); // the probe before signing in
    },
  );

  it.skipIf(!!chromiumTool.skipReason)(
    named(
      'a finance clerk resolves a price dispute by a revised invoice: the original credited, the new one open',
      chromiumTool,
    ),
    { timeout: 90_000 },
    async () => {
      const name = `Molen ${tag} B.V.`;
      const orderId = await placeOrder({ name, unitPrice: 2_000 }, 5);
      const [invoice] = (
        await eventually(
          () => getOrder(orderId),
          (o) => o.invoices?.length === 1,
        )
      ).invoices;
      expect(invoice.total).toBe(12_100); // 5 x 20.00 and 21 % VAT
      const dispute = await stack.http('POST', `/v1/invoices/${invoice.id}/disputes`, {
        key: stack.keys.finance,
        headers: { 'idempotency-key': `console-${randomUUID()}` },
        body: { reasonCode: 'price', amount: 1_210, note: 'Agreed 18.00 a piece, not 20.00' },
      });
      expect(dispute.status).toBe(201);

      const email = await user('finance');
      const { page, problems } = await watchedPage('en-GB');
      await signIn(page, email);
      await page.getByRole('link', { name: 'Disputes' }).click();
      await page
        .getByRole('row', { name: new RegExp(invoice.number) })
        .getByRole('button', { name: 'Resolve' })
        .click();
      const form = page.getByRole('form', { name: `Resolve the dispute on ${invoice.number}` });
      await form.getByLabel('Resolution').selectOption('revised_invoice');
      const price = form.getByLabel('Unit price of Proofing basket 25cm');
      await expect.poll(() => price.inputValue()).toBe('20.00');
      expect(await form.getByLabel('Quantity of Proofing basket 25cm').inputValue()).toBe('5');
      await form.getByLabel('Note', { exact: true }).fill('The agreed price was 18.00');
      // Unchanged lines would revise nothing: said so, and nothing is sent.
      await form.getByRole('button', { name: 'Resolve' }).click();
      await expect.poll(() => form.getByRole('alert').textContent()).toContain('Change a quantity or a price first');
      await price.fill('18.00');
      await shot(page, 'dispute-revision');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await form.getByRole('button', { name: 'Resolve' }).click();
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toBe(`Dispute on ${invoice.number} resolved: Revised invoice.`);

      // The order now has the original credited in full, its credit note, and the revised invoice open.
      const order = await eventually(
        () => getOrder(orderId),
        // The original's status is its workflow's to write, a moment after the credit note brought its balance to 0.
        (o) => o.invoices?.length === 3 && o.invoices.some((i: any) => i.id === invoice.id && i.status !== 'open'),
      );
      const byType = (type: string) => order.invoices.filter((i: { type: string }) => i.type === type);
      expect(byType('credit_note')).toMatchObject([{ correctsInvoiceId: invoice.id, total: 12_100 }]);
      const [original, revised] = byType('invoice');
      expect(original).toMatchObject({ id: invoice.id, status: 'credited', balance: 0 });
      expect(revised).toMatchObject({ status: 'open', total: 10_890, balance: 10_890 }); // 5 x 18.00 and 21 % VAT
      expect(await getInvoice(revised.id)).toMatchObject({
        lines: [expect.objectContaining({ quantity: 5, unitPrice: 1_800 })],
      });
      const resolved = await stack.http('GET', `/v1/disputes/${dispute.body.dispute.id}`, { key: stack.keys.finance });
      expect(resolved.body.dispute).toMatchObject({ status: 'resolved', resolution: 'revised_invoice' });
      expect(resolved.body.history.at(-1)).toMatchObject({ actor: email });
      expect(problems).toEqual([`HTTP 401 GET ${stack.apiUrl}/v1/session`]); // the probe before signing in
    },
  );

  it.skipIf(!!chromiumTool.skipReason)(
    named('a collector works a call task from the worklist and sees the queues of their role only', chromiumTool),
    { timeout: 90_000 },
    async () => {
      // A customer whose first dunning level is a call, a second after the due moment (payment on receipt).
      const name = `Fjord ${tag} AS`;
      const { customerId, sku } = await customerWithProduct(stack, { name, paymentTermsDays: 0, unitPrice: 1_000 });
      const policy = await stack.http('PUT', `/v1/dunning-policies/console-call-${tag.toLowerCase()}`, {
        key: stack.keys.finance,
        body: {
          appliesTo: { customerId },
          levels: [{ level: 1, name: 'reminder', offset: 'PT1S', channel: 'call_task' }],
          reason: 'calls first',
        },
      });
      expect(policy.status).toBe(201);
      const created = await stack.http('POST', '/v1/orders', {
        key: stack.keys.integration,
        headers: { 'idempotency-key': `console-${randomUUID()}` },
        body: orderBody(customerId, sku, 1),
      });
      const [invoice] = (
        await eventually(
          () => getOrder(created.body.id),
          (o) => o.invoices?.length === 1,
        )
      ).invoices;
      await eventually(
        async () => (await stack.http('GET', '/v1/collections/worklist', { key: stack.keys.finance })).body.tasks,
        (tasks: { account: { customerId: string } }[]) => tasks.some((t) => t.account.customerId === customerId),
        20_000,
      );

      const email = await user('collector');
      const { page, problems } = await watchedPage('en-GB');
      await signIn(page, email);
      await page.getByRole('heading', { name: 'Collections worklist' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Console' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(['Worklist', 'Disputes', 'Customers']);

      const card = page.getByRole('article', { name: new RegExp(name) });
      await expect.poll(() => card.getByRole('row').nth(1).textContent()).toContain(invoice.number);
      await shot(page, 'worklist');
      expect(await seriousAxeViolations(page)).toEqual([]);
      const promisedOn = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
      await card.getByLabel('Outcome of the call').selectOption('promised');
      await card.getByRole('combobox', { name: /^Invoice/ }).selectOption(invoice.id);
      await card.getByLabel('Promised payment date').fill(promisedOn);
      await card.getByLabel('Promised amount').fill('12.10');
      await card.getByLabel('Note').fill('Pays on Friday, said the controller');
      await card.getByRole('button', { name: 'Log the call' }).click();
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toBe(`Call with ${name} logged: Promised to pay.`);
      await expect.poll(() => card.count()).toBe(0);
      const [promise] = await stack.db.select().from(paymentPromises).where(eq(paymentPromises.invoiceId, invoice.id));
      expect(promise).toMatchObject({ amount: 1_210, promisedDate: promisedOn });
      const [logged] = await stack.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'collection_task.complete'), eq(auditLog.actor, email)));
      expect(logged).toBeDefined();

      // Before the next call the collector looks the account up by a part of its name, and finds the promise.
      await nav.getByRole('link', { name: 'Customers' }).click();
      await page.getByRole('searchbox', { name: 'Find a customer' }).fill(`fjord ${tag}`.toLowerCase());
      await page.getByRole('link', { name }).click();
      await page.getByRole('heading', { name }).waitFor();
      await expect.poll(() => page.getByRole('region', { name: 'What happened' }).textContent()).toContain('Promised');
      await page.goBack();
      expect(await page.getByRole('searchbox', { name: 'Find a customer' }).inputValue()).toBe(
        `fjord ${tag}`.toLowerCase(),
      );
      await shot(page, 'customers');
      expect(await seriousAxeViolations(page)).toEqual([]);

      await page.goto(`${stack.apiUrl}/console/dashboard`);
      await page.getByRole('heading', { name: 'Collections worklist' }).waitFor();
      expect(page.url()).toBe(`${stack.apiUrl}/console/worklist`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.reload();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      // The page asks for a session twice and is refused twice: before signing in, and after signing out.
      const probe = `HTTP 401 GET ${stack.apiUrl}/v1/session`;
      expect(problems).toEqual([probe, probe]);
    },
  );
});
