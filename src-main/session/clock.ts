// Time as a dependency: sessions never call setTimeout or Date.now directly, so tests drive them with a fake clock.
import { toDisposable, type Disposable } from '../../src-shared/disposable';

export interface Clock {
  now(): number;
  /** Runs fn once after ms; disposing cancels it. */
  setTimeout(fn: () => void, ms: number): Disposable;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    // A pending reconnect or ping must not keep a CLI process alive on its own.
    handle.unref?.();
    return toDisposable(() => clearTimeout(handle));
  },
};
