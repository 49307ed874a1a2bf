import type { InvoiceState, PromiseCommand } from './messages.js';

/** What a receivable's holds are when it continues as new. */
export interface CarriedHolds {
  disputes: [string, number][];
  promise?: OpenPromise;
}

interface OpenPromise {
  promiseId: string;
  amount: number;
  waitUntilMs: number;
  /** The balance when it was given: kept when the balance falls by the promised amount. */
  balanceAtPromise: number;
}

/** What holds a receivable's dunning back: open disputes (by amount) and an open promise to pay (until a moment). */
export class DunningHolds {
  readonly disputes: Map<string, number>;
  promise: OpenPromise | undefined;
  /** Set when a hold changed, so the dunning loop reconsiders what is due. */
  changed = false;

  constructor(carried?: CarriedHolds) {
    this.disputes = new Map(carried?.disputes ?? []);
    this.promise = carried?.promise;
  }

  dispute(disputeId: string, amount: number): void {
    this.disputes.set(disputeId, amount);
    this.changed = true;
  }

  resolve(disputeId: string): void {
    this.disputes.delete(disputeId);
    this.changed = true;
  }

  promiseToPay(command: PromiseCommand, balance: number): void {
    this.promise = {
      promiseId: command.promiseId,
      amount: command.amount,
      waitUntilMs: Date.parse(command.waitUntil),
      balanceAtPromise: balance,
    };
    this.changed = true;
  }

  view(): Pick<InvoiceState, 'disputedAmount' | 'promise'> {
    let disputedAmount = 0;
    for (const amount of this.disputes.values()) disputedAmount += amount;
    const p = this.promise;
    return {
      disputedAmount,
      ...(p
        ? { promise: { promiseId: p.promiseId, amount: p.amount, waitUntil: new Date(p.waitUntilMs).toISOString() } }
        : {}),
    };
  }

  carried(): CarriedHolds {
    return { disputes: [...this.disputes], ...(this.promise ? { promise: this.promise } : {}) };
  }
}
