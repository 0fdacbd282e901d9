// Browser mode: where no Electron binary exists, main serves the built renderer on loopback and carries exactly the
// IPC contract over one token-protected WebSocket. It is the Electron preload's twin, not a second API.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { eventChannels, type EventChannel, type IpcEvents } from '../../src-shared/ipc-contract';
import { MAX_BRIDGE_FRAME_BYTES, type BridgeClientFrame, type BridgeServerFrame } from '../../src-shared/bridge-frames';
import { toErrorInfo } from '../../src-shared/errors';
import { CONTENT_SECURITY_POLICY } from '../content-security-policy';
import type { IpcDispatcher } from './ipc-dispatcher';

export interface BrowserBridgeOptions {
  dispatcher: IpcDispatcher;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Loopback only; 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; a fresh random one otherwise. */
  token?: string;
}

export interface BrowserBridge {
  /** Open this in a browser: the token travels in the fragment, which browsers never send to servers or Referer headers. */
  readonly url: string;
  readonly port: number;
  emit<C extends EventChannel>(channel: C, payload: IpcEvents[C]): void;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

const HOST = '127.0.0.1';

export async function startBrowserBridge(options: BrowserBridgeOptions): Promise<BrowserBridge> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const rendererDir = resolve(options.rendererDir);
  const clients = new Set<WebSocket>();
  let origin = '';

  const serveFile = async (req: IncomingMessage, res: ServerResponse) => {
    const headers = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };
    if (req.method !== 'GET' && req.method !== 'HEAD') return res.writeHead(405, headers).end();
    // The Host header must be ours: a page on another site cannot reach us through DNS rebinding.
    if (req.headers.host !== new URL(origin).host) return res.writeHead(421, headers).end();
    const pathname = decodeURIComponent(new URL(req.url ?? '/', origin).pathname);
    const file = resolve(rendererDir, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (!file.startsWith(rendererDir + sep)) return res.writeHead(404, headers).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  };

  const server = createServer((req, res) => void serveFile(req, res));
  const wss = new WebSocketServer({
    server,
    path: '/bridge',
    maxPayload: MAX_BRIDGE_FRAME_BYTES,
    verifyClient: ({ req, origin: requestOrigin }: { req: IncomingMessage; origin: string }) =>
      requestOrigin === origin && tokenMatches(new URL(req.url ?? '', origin).searchParams.get('token'), token),
  });

  wss.on('connection', (socket) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return socket.close(1003, 'text frames only');
      let frame: BridgeClientFrame;
      try {
        frame = JSON.parse(data.toString()) as BridgeClientFrame;
      } catch {
        return socket.close(1007, 'invalid JSON');
      }
      if (frame?.t === 'send') options.dispatcher.send(frame.channel, frame.payload);
      else if (frame?.t === 'call' && Number.isSafeInteger(frame.id)) {
        options.dispatcher.call(frame.channel, frame.payload).then(
          (value) => reply(socket, { t: 'result', id: frame.id, ok: true, value }),
          (error: unknown) => reply(socket, { t: 'result', id: frame.id, ok: false, error: toErrorInfo(error) }),
        );
      } else socket.close(1008, 'unknown frame');
    });
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, HOST, () => done());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${HOST}:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    port,
    emit(channel, payload) {
      if (!eventChannels.includes(channel)) return;
      for (const socket of clients) reply(socket, { t: 'event', channel, payload });
    },
    close: () =>
      new Promise((done) => {
        for (const socket of clients) socket.terminate();
        wss.close();
        server.close(() => done());
      }),
  };
}

function reply(socket: WebSocket, frame: BridgeServerFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const defaultRendererDir = (mainDir: string) => join(mainDir, '..', 'renderer');
