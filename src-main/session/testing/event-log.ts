// Every event a test saw, in order, with a cursor so a test can wait for "the next X after this point" with a bounded
// timeout instead of sleeping. The conversation harness logs conversation events with it; the service's live-service
// helper logs the service's events.

/** How long any single wait may take before it fails with a description of what was awaited. */
export const WAIT_MS = 10_000;

export class Log<E extends { type: string }> {
  readonly events: E[] = [];
  private cursor = 0;
  private readonly waiters = new Set<() => void>();

  /** `describe` shows an event in a timeout's message (default: its JSON, cut at 300 characters). */
  constructor(private readonly describe: (event: E) => string = (e) => JSON.stringify(e).slice(0, 300)) {}

  push(event: E): void {
    this.events.push(event);
    for (const w of [...this.waiters]) w();
  }

  /** Later `next` calls look only at events from now on. */
  mark(): void {
    this.cursor = this.events.length;
  }

  /** The first event after the cursor that matches; moves the cursor past it. Fails after `timeoutMs`. */
  next<T extends E>(match: (e: E) => e is T, what: string, timeoutMs?: number): Promise<T>;
  next(match: (e: E) => boolean, what: string, timeoutMs?: number): Promise<E>;
  next(match: (e: E) => boolean, what: string, timeoutMs = WAIT_MS): Promise<E> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let i = this.cursor; i < this.events.length; i++) {
          if (!match(this.events[i])) continue;
          this.cursor = i + 1;
          done();
          resolve(this.events[i]);
          return;
        }
      };
      const timer = setTimeout(() => {
        done();
        const seen = this.events.slice(this.cursor).slice(-30).map(this.describe).join('\n  ');
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the last events since the cursor:\n  ${seen || '(none)'}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Events of one type, in order. */
  of<T extends E['type']>(type: T): Extract<E, { type: T }>[] {
    return this.events.filter((e): e is Extract<E, { type: T }> => e.type === type);
  }
}
