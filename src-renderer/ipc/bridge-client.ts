// Browser mode's ButterflyApi: the same contract as the Electron preload, carried over the loopback WebSocket bridge.
// First the page gets its session: the printed address's one-time token is exchanged for an HttpOnly cookie, or (a
// reload, a second tab) the cookie it already has is checked. Then one WebSocket, which the cookie admits.
import type { ButterflyApi, EventChannel } from '../../src-shared/ipc-contract';
import { BRIDGE_SESSION_PATH, BRIDGE_SOCKET_PATH, type BridgeClientFrame, type BridgeServerFrame } from '../../src-shared/bridge-frames';
import { ButterflyError } from '../../src-shared/errors';

type Pending = { resolve(value: unknown): void; reject(error: unknown): void };

/** Where the page came from: its origin serves the session exchange and the WebSocket. */
type PageLocation = Pick<Location, 'protocol' | 'host'>;

const unavailable = () => new ButterflyError('ipc.bridge-unavailable', 'Butterfly could not reach its main process.', { retryable: true });

async function startSession(token: string | undefined): Promise<void> {
  let response: Response;
  try {
    response = await fetch(BRIDGE_SESSION_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(token === undefined ? {} : { token }),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw unavailable();
  }
  if (response.status === 401) {
    throw new ButterflyError('ipc.bridge-no-session', 'This page has no session with Butterfly: open the address Butterfly printed when it started.');
  }
  if (!response.ok) throw unavailable();
}

function openSocket(location: PageLocation): Promise<WebSocket> {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${scheme}//${location.host}${BRIDGE_SOCKET_PATH}`);
  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve(socket), { once: true });
    socket.addEventListener('error', () => reject(unavailable()), { once: true });
  });
}

/** `onDisconnect`: the socket to main closed (the service stopped): the page says so instead of going stale. */
export function createBridgeClient(location: PageLocation, token: string | undefined, onDisconnect: () => void = () => undefined): ButterflyApi {
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;

  const onMessage = (message: MessageEvent) => {
    const frame = JSON.parse(String(message.data)) as BridgeServerFrame;
    if (frame.t === 'event') listeners.get(frame.channel)?.forEach((listener) => listener(frame.payload));
    else {
      const waiter = pending.get(frame.id);
      pending.delete(frame.id);
      if (frame.ok) waiter?.resolve(frame.value);
      else waiter?.reject(ButterflyError.fromInfo(frame.error));
    }
  };
  const closed = () => new ButterflyError('ipc.bridge-closed', 'The connection to Butterfly’s main process closed.', { retryable: true });
  const onClose = () => {
    for (const waiter of pending.values()) waiter.reject(closed());
    pending.clear();
    onDisconnect();
  };

  const opened = startSession(token)
    .then(() => openSocket(location))
    .then((socket) => {
      socket.addEventListener('message', onMessage);
      socket.addEventListener('close', onClose);
      return socket;
    });
  opened.catch(() => undefined); // reported to each caller instead

  const post = (socket: WebSocket, frame: BridgeClientFrame) => socket.send(JSON.stringify(frame));

  return {
    async call(channel, request) {
      const socket = await opened;
      if (socket.readyState !== WebSocket.OPEN) throw closed();
      const id = nextId++;
      const result = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      post(socket, { t: 'call', id, channel, payload: request });
      return result as never;
    },
    send(channel, message) {
      opened.then((socket) => post(socket, { t: 'send', channel, payload: message }), () => undefined);
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
