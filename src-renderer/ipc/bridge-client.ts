// Browser mode's ButterflyApi: the same contract as the Electron preload, carried over the loopback WebSocket bridge.
import type { ButterflyApi, EventChannel } from '../../src-shared/ipc-contract';
import type { BridgeClientFrame, BridgeServerFrame } from '../../src-shared/bridge-frames';
import { ButterflyError } from '../../src-shared/errors';

type Pending = { resolve(value: unknown): void; reject(error: unknown): void };

export function createBridgeClient(url: string): ButterflyApi {
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new ButterflyError('ipc.bridge-unavailable', 'Butterfly could not reach its main process.', { retryable: true })), { once: true });
  });
  opened.catch(() => undefined); // reported to each caller instead
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;

  socket.addEventListener('message', (message) => {
    const frame = JSON.parse(String(message.data)) as BridgeServerFrame;
    if (frame.t === 'event') listeners.get(frame.channel)?.forEach((listener) => listener(frame.payload));
    else {
      const waiter = pending.get(frame.id);
      pending.delete(frame.id);
      if (frame.ok) waiter?.resolve(frame.value);
      else waiter?.reject(new ButterflyError(frame.error.code, frame.error.message, { retryable: frame.error.retryable }));
    }
  });
  socket.addEventListener('close', () => {
    for (const waiter of pending.values()) waiter.reject(new ButterflyError('ipc.bridge-closed', 'The connection to Butterfly’s main process closed.', { retryable: true }));
    pending.clear();
  });

  const post = (frame: BridgeClientFrame) => socket.send(JSON.stringify(frame));

  return {
    async call(channel, request) {
      await opened;
      const id = nextId++;
      const result = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      post({ t: 'call', id, channel, payload: request });
      return result as never;
    },
    send(channel, message) {
      void opened.then(() => post({ t: 'send', channel, payload: message }));
    },
    on(channel: EventChannel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  };
}
