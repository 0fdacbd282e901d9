// Browser mode: where no Electron binary exists, main serves the built renderer on loopback and carries exactly the
// IPC contract over WebSockets. It is the Electron preload's twin, not a second API.
//
// Who may talk to it: the page exchanges the one-time token of the printed address (POST /session) for a session
// cookie (HttpOnly, SameSite=Strict, host-only on 127.0.0.1); after that the token is refused, and every WebSocket
// needs the cookie. One session per run: every page of that browser (tabs, reloads) shares it; it ends with the
// process, since it lives only in memory. Every request and upgrade must carry our own Host (DNS rebinding) and, where
// browsers send one, our own Origin (other sites). No input from a socket can throw past its handler: a bad request
// gets a 4xx, a bad frame closes that one WebSocket.
// Each page connection is a caller of its own (its id is what the IPC handlers see), so events reach only the pages
// that asked for them — a page watching one account gets that account's events, not another's — as Electron's
// windows do.
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import * as v from 'valibot';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isEventChannel, type EventChannel, type IpcEvents } from '../../src-shared/ipc-contract';
import {
  BRIDGE_SESSION_PATH,
  BRIDGE_SOCKET_PATH,
  MAX_BRIDGE_FRAME_BYTES,
  bridgeClientFrameSchema,
  type BridgeServerFrame,
} from '../../src-shared/bridge-frames';
import { toErrorInfo } from '../../src-shared/errors';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';
import type { Caller, IpcDispatcher } from './ipc-dispatcher';

export interface BridgeLimits {
  /** WebSockets (pages) open at once; one more is refused with 503. */
  maxPages: number;
  /** TCP connections at once, pages included; more are dropped on accept (keeps the process clear of EMFILE). */
  maxConnections: number;
  /** Unsent bytes a page may fall behind by (a stalled tab); beyond it that page's socket is closed. */
  maxBufferedBytes: number;
}

export const DEFAULT_BRIDGE_LIMITS: BridgeLimits = { maxPages: 32, maxConnections: 128, maxBufferedBytes: 32 * 1024 * 1024 };

export interface BrowserBridgeOptions {
  dispatcher: IpcDispatcher;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Loopback only; 0 picks a free port. */
  port?: number;
  /** Fixed one-time token for tests; a fresh random one otherwise. */
  token?: string;
  limits?: Partial<BridgeLimits>;
  /** Where the bridge reports what it refused or dropped (never a token or cookie). */
  log?: (line: string) => void;
  /** A page's connection ended: nothing more goes to that caller. */
  onPageClosed?: (caller: Caller) => void;
}

export interface BrowserBridge {
  /** Open this in a browser: the token travels in the fragment, which browsers never send to servers or Referer headers. */
  readonly url: string;
  readonly port: number;
  /** To every page, or only to the callers named. */
  emit<C extends EventChannel>(channel: C, payload: IpcEvents[C], to?: readonly string[]): void;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ogg': 'audio/ogg',
};

const HOST = '127.0.0.1';
const MAX_SESSION_BODY_BYTES = 1024;
const sessionRequestSchema = v.strictObject({ token: v.optional(v.pipe(v.string(), v.maxLength(256))) });
const baseHeaders = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };

export async function startBrowserBridge(options: BrowserBridgeOptions): Promise<BrowserBridge> {
  const limits = { ...DEFAULT_BRIDGE_LIMITS, ...options.limits };
  const log = options.log ?? (() => undefined);
  const rendererDir = resolve(options.rendererDir);
  let token: string | undefined = options.token ?? randomBytes(32).toString('hex');
  let session: string | undefined;
  /** Open pages by caller id. */
  const pages = new Map<string, WebSocket>();
  let pageCount = 0;
  // Known once listening: our origin, the Host header every request must carry, and the cookie's name (browsers do not
  // separate cookies by port, so the port in the name keeps two Butterflies on one machine from clobbering each other).
  let origin = '';
  let host = '';
  let cookieName = '';

  const hasSession = (req: IncomingMessage) => session !== undefined && secretEquals(readCookie(req.headers.cookie, cookieName), session);

  /** POST /session: `{ token }` once for the cookie; `{}` (a reload, a second tab) just checks the cookie. */
  const exchange = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return answer(res, 405, { Allow: 'POST' });
    // Browsers send Origin on every POST; a JSON body cannot be sent cross-site without a CORS preflight we never answer.
    if (req.headers.origin !== origin) return answer(res, 403);
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return answer(res, 415);
    const body = await readBody(req, MAX_SESSION_BODY_BYTES);
    if (body === undefined) return answer(res, 413, { Connection: 'close' });
    const parsed = v.safeParse(sessionRequestSchema, JSON.parse(body));
    if (!parsed.success) return answer(res, 400);
    if (hasSession(req)) return answer(res, 204);
    if (token === undefined && parsed.output.token !== undefined) log('browser bridge: refused the address’s token, already exchanged by another page');
    if (token === undefined || !secretEquals(parsed.output.token, token)) return answer(res, 401);
    token = undefined;
    session = randomBytes(32).toString('hex');
    return answer(res, 204, { 'Set-Cookie': `${cookieName}=${session}; Path=/; HttpOnly; SameSite=Strict` });
  };

  const serveFile = async (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, { Allow: 'GET, HEAD' });
    const file = resolve(rendererDir, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (!file.startsWith(rendererDir + sep)) return answer(res, 404);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return answer(res, 404);
    }
    answer(res, 200, { 'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream' }, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // The Host header must be ours: a page on another site cannot reach us through DNS rebinding.
    if (req.headers.host !== host) return answer(res, 421);
    const pathname = decodeURIComponent(new URL(req.url ?? '/', origin).pathname);
    if (pathname === BRIDGE_SESSION_PATH) return exchange(req, res);
    return serveFile(req, res, pathname);
  };

  const server = createServer((req, res) => {
    res.on('error', () => res.destroy());
    // Anything thrown — a malformed %-escape, bad JSON, a body cut short — is that request's 400, never the process's.
    handle(req, res).catch(() => answer(res, 400, { Connection: 'close' }));
  });
  server.maxConnections = limits.maxConnections;
  server.on('clientError', (_error, socket) => rejectSocket(socket, 400));

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BRIDGE_FRAME_BYTES, perMessageDeflate: false });

  const refuseUpgrade = (req: IncomingMessage): number | undefined => {
    if (req.headers.host !== host) return 421;
    if (new URL(req.url ?? '/', origin).pathname !== BRIDGE_SOCKET_PATH) return 404;
    if (req.headers.origin !== origin) return 403;
    if (!hasSession(req)) return 401;
    if (pages.size >= limits.maxPages) return 503;
    return undefined;
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node drops its own error listener from an upgraded socket; until ws adds one, this one keeps a reset harmless.
    socket.on('error', () => socket.destroy());
    try {
      const refusal = refuseUpgrade(req);
      if (refusal !== undefined) {
        if (refusal === 503) log(`browser bridge: refused a page, ${limits.maxPages} already open`);
        return rejectSocket(socket, refusal);
      }
      wss.handleUpgrade(req, socket, head, (page) => {
        const caller: Caller = { id: `page-${++pageCount}` };
        pages.set(caller.id, page);
        // ws has already closed the socket (1007 invalid UTF-8, 1009 too big) when it reports an error: nothing else to do.
        page.on('error', () => undefined);
        page.on('close', () => {
          pages.delete(caller.id);
          options.onPageClosed?.(caller);
        });
        page.on('message', (data, isBinary) => receive(page, caller, data, isBinary));
      });
    } catch {
      rejectSocket(socket, 400);
    }
  });

  const receive = (page: WebSocket, caller: Caller, data: RawData, isBinary: boolean) => {
    try {
      if (isBinary) return page.close(1003, 'text frames only');
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        return page.close(1007, 'invalid JSON');
      }
      const parsed = v.safeParse(bridgeClientFrameSchema, json);
      if (!parsed.success) return page.close(1008, 'unknown frame');
      const frame = parsed.output;
      if (frame.t === 'send') return void options.dispatcher.send(frame.channel, frame.payload);
      options.dispatcher.call(frame.channel, frame.payload, caller).then(
        (value) => deliver([page], { t: 'result', id: frame.id, ok: true, value }),
        (error: unknown) => deliver([page], { t: 'result', id: frame.id, ok: false, error: toErrorInfo(error) }),
      );
    } catch {
      page.close(1011, 'internal error');
    }
  };

  /** One encoding for every target page; a page that stopped reading is closed rather than buffered for without end. */
  const deliver = (targets: Iterable<WebSocket>, frame: BridgeServerFrame) => {
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch (error) {
      return log(`browser bridge: could not encode a ${frame.t} frame: ${toErrorInfo(error).message}`);
    }
    for (const page of targets) {
      if (page.readyState !== page.OPEN) continue;
      if (page.bufferedAmount > limits.maxBufferedBytes) {
        log(`browser bridge: closed a page that fell ${page.bufferedAmount} bytes behind`);
        page.terminate();
      } else page.send(text);
    }
  };

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', fail);
      done();
    });
  });
  // After listening, an error (EMFILE on accept, say) is reported, not fatal.
  server.on('error', (error) => log(`browser bridge: ${error.message}`));
  const { port } = server.address() as AddressInfo;
  origin = `http://${HOST}:${port}`;
  host = `${HOST}:${port}`;
  cookieName = `butterfly-session-${port}`;

  return {
    url: `${origin}/#token=${token}`,
    port,
    emit(channel, payload, to) {
      if (!isEventChannel(channel)) return;
      const targets = to ? to.flatMap((id) => pages.get(id) ?? []) : pages.values();
      deliver(targets, { t: 'event', channel, payload });
    },
    close: () =>
      new Promise((done) => {
        for (const page of pages.values()) page.terminate();
        wss.close();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** Ends a request the parser or our checks refused; the response is all the peer gets, then the socket closes. */
function rejectSocket(socket: Duplex | Socket, status: number): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
}

/** Answers once; where that is no longer possible (the peer left, a reply already started) the socket just closes. */
function answer(res: ServerResponse, status: number, headers: Record<string, string> = {}, body?: Buffer): void {
  try {
    if (res.headersSent || res.destroyed) return void res.destroy();
    res.writeHead(status, { ...baseHeaders, ...headers }).end(body);
  } catch {
    res.destroy();
  }
}

/** The body as text, or undefined when it is longer than `limit` bytes (nothing past the limit is kept). */
async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function secretEquals(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const defaultRendererDir = (mainDir: string) => join(mainDir, '..', 'renderer');
