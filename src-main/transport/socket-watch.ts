// A socket step (connecting, one HTTP exchange) waits on socket events, a deadline and an abort signal at once, and
// whichever comes first ends it. This wires all three and undoes them in one place, exactly once, so no listener,
// timer or abort handler outlives the step — the socket may live on (a connected socket is handed to the next step).
import type { EventEmitter } from 'node:events';

export interface SocketWatchOptions {
  /** Socket event name → listener; all are removed when the watch ends. */
  listeners: Record<string, (...args: never[]) => void>;
  timeoutMs: number;
  onTimeout: () => void;
  signal?: AbortSignal;
  onAbort: () => void;
}

/**
 * Starts watching; returns `end`, which removes everything and returns true the first time, false after — so the
 * step's finish can be `if (!end()) return;` and settle only once.
 */
export function watchSocket(socket: EventEmitter, options: SocketWatchOptions): () => boolean {
  const entries = Object.entries(options.listeners) as [string, (...args: unknown[]) => void][];
  let ended = false;
  const timer = setTimeout(options.onTimeout, options.timeoutMs);
  options.signal?.addEventListener('abort', options.onAbort, { once: true });
  for (const [event, listener] of entries) socket.on(event, listener);
  return () => {
    if (ended) return false;
    ended = true;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', options.onAbort);
    for (const [event, listener] of entries) socket.off(event, listener);
    return true;
  };
}
