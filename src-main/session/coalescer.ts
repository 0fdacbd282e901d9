// Folds many requests into few runs: at most one run per window, and never more than one waiting. The first request
// after a quiet spell runs on the next microtask (so everything one read from the socket changed lands in one run,
// and a single change is not delayed); requests inside the window after a run are folded into one run at its end.
import type { Disposable } from '../../src-shared/disposable';
import type { Clock } from './clock';

export class Coalescer implements Disposable {
  private queued = false;
  private timer: Disposable | undefined;
  private lastRun = Number.NEGATIVE_INFINITY;
  /** Which request a queued microtask belongs to, so one left over from a flushed request cannot run a later one. */
  private ticket = 0;
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    private readonly run: () => void,
  ) {}

  /** Asks for a run; does nothing when one is already waiting. */
  request(): void {
    if (this.queued || this.disposed) return;
    this.queued = true;
    const wait = this.lastRun + this.windowMs - this.clock.now();
    const ticket = ++this.ticket;
    if (wait <= 0) queueMicrotask(() => ticket === this.ticket && this.fire());
    else this.timer = this.clock.setTimeout(() => this.fire(), wait);
  }

  /** Runs now when a run is waiting (before reading the result, or before exiting). */
  flush(): void {
    this.fire();
  }

  /** Forgets a waiting run (what it would have reported is stale). */
  cancel(): void {
    this.timer?.dispose();
    this.timer = undefined;
    this.queued = false;
  }

  private fire(): void {
    if (!this.queued || this.disposed) return;
    this.cancel();
    this.lastRun = this.clock.now();
    this.run();
  }

  dispose(): void {
    this.cancel();
    this.disposed = true;
  }
}
