// A token bucket on the injected clock: `burst` tokens to start with, refilled at `perSecond`, never above `burst`.
// Budgets for what a server may push unasked (list changes, stray lines): a burst passes, a flood runs dry.
import type { Clock } from './clock';

export interface TokenBudget {
  /** Tokens available at once (and the most the bucket ever holds). */
  burst: number;
  /** Tokens added back per second. */
  perSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly budget: TokenBudget,
    private readonly clock: Pick<Clock, 'now'>,
  ) {
    this.tokens = budget.burst;
    this.last = clock.now();
  }

  /** Takes one token; false when there is none left. */
  take(): boolean {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.budget.burst, this.tokens + ((now - this.last) / 1000) * this.budget.perSecond);
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
