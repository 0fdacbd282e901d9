// A page's side of the browser bridge for tests, without a browser: the session exchange as fetch would send it, the
// WebSocket the page opens (the real `ws` client), contract calls over it, and raw bytes over node:net for what no
// well-behaved client would send.
import { connect } from 'node:net';
import WebSocket from 'ws';

export interface Exchange {
  status: number;
  /** `name=value` of the Set-Cookie answer, if any. */
  cookie?: string;
  setCookie?: string;
}

export const bridgeOrigin = (port: number) => `http://127.0.0.1:${port}`;

/** POST /session as the page does: `{ token }` the first time, `{}` with the cookie after a reload. */
export async function exchange(port: number, body: unknown, headers: Record<string, string> = {}): Promise<Exchange> {
  const res = await fetch(`${bridgeOrigin(port)}/session`, {
    method: 'POST',
    headers: { Origin: bridgeOrigin(port), 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  await res.arrayBuffer();
  const setCookie = res.headers.get('set-cookie') ?? undefined;
  return { status: res.status, setCookie, cookie: setCookie?.split(';')[0] };
}

/** Exchanges the token and returns the session cookie (`name=value`). */
export async function signInPage(port: number, token: string): Promise<string> {
  const { status, cookie } = await exchange(port, { token });
  if (status !== 204 || !cookie) throw new Error(`session exchange answered ${status}`);
  return cookie;
}

/** Opens a page socket; rejects with `HTTP <status>` when the upgrade is refused. */
export function openPage(port: number, headers: Record<string, string>, path = '/bridge'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`HTTP ${res.statusCode}`));
      res.resume();
    });
    ws.once('error', reject);
  });
}

export const pageHeaders = (port: number, cookie: string) => ({ Origin: bridgeOrigin(port), Cookie: cookie });

export type Frame = Record<string, unknown>;

/**
 * Contract calls over one page socket: each resolves with its result frame, or rejects if the socket closes first
 * (the process died); `frames` keeps everything received.
 */
export function caller(ws: WebSocket) {
  const frames: Frame[] = [];
  const waiting = new Map<number, { resolve(frame: Frame): void; reject(error: Error): void }>();
  let nextId = 0;
  ws.on('message', (d) => {
    const frame = JSON.parse(d.toString()) as Frame;
    frames.push(frame);
    if (frame.t === 'result') waiting.get(frame.id as number)?.resolve(frame);
  });
  ws.on('close', (code) => {
    for (const waiter of waiting.values()) waiter.reject(new Error(`the socket closed (${code}) before the answer`));
  });
  const call = (channel: string, payload: unknown) =>
    new Promise<Frame>((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, { resolve, reject });
      ws.send(JSON.stringify({ t: 'call', id, channel, payload }));
    });
  return { call, frames };
}

/** Resolves with the close code the server sent (or 1006 when the socket just dropped). */
export const closeCode = (ws: WebSocket) =>
  new Promise<number>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve(1006);
    ws.once('close', (code) => resolve(code));
  });

/** Writes raw bytes and resolves with everything the server answered before it closed (or `idleMs` of silence). */
export function rawExchange(port: number, bytes: string | Buffer, idleMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      socket.destroy();
      resolve(text);
    };
    socket.setTimeout(idleMs, done);
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('close', done);
    socket.on('error', done);
    socket.write(bytes);
  });
}

/** The status code of a raw HTTP answer ('HTTP/1.1 400 Bad Request…' → 400), or 0 when there was none. */
export const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
