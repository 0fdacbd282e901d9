// A manual clock for unit tests: time moves only when the test says so, timers fire in due order.
import { toDisposable } from '../../../src-shared/disposable';
import type { Clock } from '../clock';

interface Timer {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number) {
    const timer: Timer = { due: this.time + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return toDisposable(() => {
      timer.cancelled = true;
    });
  }

  /** Number of timers still waiting. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward by ms, firing every timer that falls due (including ones scheduled meanwhile), in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const next = this.timers.reduce<Timer | undefined>((a, t) => (!a || t.due < a.due || (t.due === a.due && t.seq < a.seq) ? t : a), undefined);
      if (!next || next.due > end) break;
      this.time = next.due;
      next.cancelled = true;
      next.fn();
    }
    this.time = end;
  }
}
