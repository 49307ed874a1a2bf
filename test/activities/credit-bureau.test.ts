import { afterEach, describe, expect, it } from 'vitest';
import { createHttpCreditBureau } from '../../integrations/credit-bureau.js';
import { startCreditBureauStub, type CreditBureauStub } from '../support/credit-bureau-stub.js';

// The bureau adapter against a local HTTP server speaking its protocol.
let stub: CreditBureauStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});
const subject = { reference: 'c-1', name: 'Nordlys Handel AS', country: 'NO' };

describe('HTTP credit bureau adapter', () => {
  it('returns the bureau score and sends the API key', async () => {
    stub = await startCreditBureauStub({ scores: { 'c-1': 82 }, apiKey: 'secret' });
    expect(await createHttpCreditBureau(stub.url, { apiKey: 'secret' }).score(subject)).toBe(82);
    expect(stub.requests).toEqual([subject]);
  });

  it('answers undefined for a company the bureau does not know', async () => {
    stub = await startCreditBureauStub({ scores: {} });
    expect(await createHttpCreditBureau(stub.url).score(subject)).toBeUndefined();
  });

  it('retries 503s with back-off and gives up after the configured retries', async () => {
    stub = await startCreditBureauStub({ scores: { 'c-1': 55 }, failFirst: 2 });
    expect(await createHttpCreditBureau(stub.url, { retries: 2, backoffMs: 10 }).score(subject)).toBe(55);
    expect(stub.requests).toHaveLength(3);
    await stub.close();
    stub = await startCreditBureauStub({ scores: { 'c-1': 55 }, failFirst: 5 });
    await expect(createHttpCreditBureau(stub.url, { retries: 1, backoffMs: 10 }).score(subject)).rejects.toThrow(
      /HTTP 503/,
    );
    expect(stub.requests).toHaveLength(2);
  });

  it('times out a slow answer per attempt', async () => {
    stub = await startCreditBureauStub({ scores: { 'c-1': 55 }, delayMs: 500 });
    await expect(
      createHttpCreditBureau(stub.url, { timeoutMs: 100, retries: 1, backoffMs: 10 }).score(subject),
    ).rejects.toThrow(/unreachable/);
    expect(stub.requests).toHaveLength(2);
  });

  it('does not retry a refusal (401)', async () => {
    stub = await startCreditBureauStub({ scores: { 'c-1': 55 }, apiKey: 'secret' });
    await expect(createHttpCreditBureau(stub.url, { apiKey: 'wrong', retries: 3 }).score(subject)).rejects.toThrow(
      /HTTP 401/,
    );
    expect(stub.requests).toHaveLength(1);
  });
});
