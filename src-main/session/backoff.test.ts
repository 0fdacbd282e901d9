import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelay } from './backoff';
import { FakeClock } from './testing/fake-clock';

const opts = { initialMs: 100, maxMs: 10_000, factor: 2, jitter: 0.5 };

describe('backoffDelay', () => {
  it('grows exponentially and caps', () => {
    const mid = () => 0.999999;
    expect(backoffDelay(1, opts, mid)).toBe(100);
    expect(backoffDelay(2, opts, mid)).toBe(200);
    expect(backoffDelay(5, opts, mid)).toBe(1600);
    expect(backoffDelay(50, opts, mid)).toBe(10_000);
    expect(backoffDelay(100_000, opts, mid)).toBe(10_000);
  });
  it('jitters within [base*(1-j), base]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.9999, noNaN: true }), (attempt, r) => {
        const base = Math.min(10_000, 100 * 2 ** (attempt - 1));
        const d = backoffDelay(attempt, opts, () => r);
        return d >= Math.floor(base * 0.5) && d <= base;
      }),
    );
  });
  it('spreads two clients apart', () => {
    expect(backoffDelay(3, opts, () => 0)).not.toBe(backoffDelay(3, opts, () => 0.9));
  });
});

describe('FakeClock', () => {
  it('fires timers in due order, including ones scheduled while advancing, and honours cancel', () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 20);
    clock.setTimeout(() => {
      fired.push('a');
      clock.setTimeout(() => fired.push('a2'), 5);
    }, 10);
    const c = clock.setTimeout(() => fired.push('c'), 15);
    c.dispose();
    clock.advance(14);
    expect(fired).toEqual(['a']);
    clock.advance(100);
    expect(fired).toEqual(['a', 'a2', 'b']);
    expect(clock.now()).toBe(114);
    expect(clock.pending).toBe(0);
  });
});
