// Reconnect delays: exponential growth with "full jitter" around it, capped, so a crowd of clients that lost the
// same server does not come back in lock-step.
export interface BackoffOptions {
  /** First delay, ms. */
  initialMs: number;
  /** Upper bound for any delay, ms. */
  maxMs: number;
  /** Growth factor per attempt. */
  factor: number;
  /** 0..1: the share of each delay that is randomised (0 = none, 1 = anywhere from 0 to the full delay). */
  jitter: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 2_000, maxMs: 5 * 60_000, factor: 2, jitter: 0.5 };

/** Delay before reconnect attempt number `attempt` (1-based). `random` returns [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions = defaultBackoff, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const base = Math.min(options.maxMs, options.initialMs * Math.pow(options.factor, Math.min(n - 1, 60)));
  const jitter = Math.min(1, Math.max(0, options.jitter));
  const delay = base * (1 - jitter) + base * jitter * random();
  return Math.max(0, Math.round(delay));
}
