import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { BUG, EXTERNAL_REFUSAL, toActivityFailure } from '../../activities/failures.js';
import { DomainError } from '../../domain/errors.js';

const failure = (err: unknown) => toActivityFailure(err) as ApplicationFailure;

describe('the one vocabulary of activity failures', () => {
  it('makes a business refusal non-retryable, with its code and field', () => {
    const f = failure(new DomainError('CREDIT_EXCEEDS_BALANCE', 'too much', 'amount'));
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect([f.type, f.nonRetryable, f.message, f.details]).toEqual([
      'CREDIT_EXCEEDS_BALANCE',
      true,
      'too much',
      [{ field: 'amount' }],
    ]);
  });

  it('keeps an ApplicationFailure the activity chose as it is', () => {
    const chosen = ApplicationFailure.retryable('not delivered yet', 'AWAITING_RECEIPT');
    expect(toActivityFailure(chosen)).toBe(chosen);
  });

  it('rethrows transient I/O unchanged, for Temporal to retry: sockets, timeouts, database restarts, 5xx of our clients', () => {
    const transient = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('socket'), { code: 'UND_ERR_SOCKET' }),
      }),
      Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      Object.assign(new Error('could not serialize access'), { code: '40001' }),
      Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' }),
      Object.assign(new Error('HTTP 503'), { retryable: true }),
      Object.assign(new Error('451 try again later'), { responseCode: 451 }),
    ];
    for (const err of transient) expect(toActivityFailure(err)).toBe(err);
  });

  it('makes everything else a non-retryable bug, so the workflow asks for a person instead of retrying for ever', () => {
    for (const err of [
      new RangeError('buyer.address: the customer has no postal address'),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
      'a string thrown',
    ]) {
      const f = failure(err);
      expect([f.type, f.nonRetryable]).toEqual([BUG, true]);
    }
  });

  it('calls an outside system’s permanent refusal that the activity did not name an external refusal', () => {
    const f = failure(Object.assign(new Error('HTTP 400 bad request'), { retryable: false }));
    expect([f.type, f.nonRetryable]).toEqual([EXTERNAL_REFUSAL, true]);
  });
});
