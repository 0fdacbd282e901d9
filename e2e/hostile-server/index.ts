// A hostile MSN server for Butterfly's robustness tests, in-process: `await startHostileServer(scenario)`. It signs a
// client in like a real MSNP8 server — VER, CVR, USR TWN with its own small Passport nexus and login over HTTP, SYN,
// CHG, PNG — and at any step sends what the scenario says instead of (or after) the normal answer: lying payload
// lengths, endless lines, raw CR/LF inside names, floods, silence, one byte at a time, redirect loops. It keeps a log
// of what happened on each connection (with times) so a test can tell how fast and how cleanly the client reacted.
// It shares no code with the client (lint forbids importing src-main/ or src-shared/), like the MSN test server.
import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';

/** Where a scenario can step in: the client command being answered, or the moment the connection is accepted. */
export type Step = 'connect' | 'VER' | 'CVR' | 'USR I' | 'USR S' | 'SYN' | 'CHG' | 'PNG' | 'OUT';

/** What to send: text, bytes, or a (possibly async, possibly endless) sequence of them, written with back-pressure. */
export type Output = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

export interface StepContext {
  /** The TrID of the client's command ('0' for `connect`). */
  trid: string;
  /** 0 for the first connection, 1 for the next, ... */
  connection: number;
  /** The client's command line and its fields. */
  line: string;
  fields: string[];
  server: HostileServer;
}

type Hook = (ctx: StepContext) => Output | undefined;

export interface Scenario {
  /** Answers a step in place of the normal answer (undefined: answer normally). */
  instead?: Partial<Record<Step, Hook>>;
  /** Sent right after the normal answer (or after `instead`'s). */
  after?: Partial<Record<Step, Hook>>;
  /** Writes every output `bytes` bytes at a time, `everyMs` apart (a server that sends one byte a second). */
  drip?: { bytes: number; everyMs: number };
  /** Accepts connections and never answers anything. */
  silent?: boolean;
  /** Keeps our side open when the client closes its side (no FIN back), so only the client can end the connection. */
  holdOpen?: boolean;
  /** Ends the connection (FIN) right after answering this step. */
  closeAfter?: Step;
  /** The Passport login: 'ok' (default), or 'redirect-loop' (302 to itself, forever). */
  passport?: 'ok' | 'redirect-loop';
  /** Nickname in `USR … OK`. */
  nickname?: string;
}

export interface LogEntry {
  /** Milliseconds since the epoch (Date.now). */
  at: number;
  connection: number;
  /** 'accepted', 'in <line>', 'sent <step>', 'client-end' (FIN), 'closed', 'http <path>'. */
  what: string;
}

export interface HostileServer {
  ns: { host: string; port: number };
  nexusUrl: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Connections still open. */
  open(): number;
  readonly log: LogEntry[];
  /** The first log entry matching, after `from` (an index into the log). */
  find(match: (e: LogEntry) => boolean, from?: number): LogEntry | undefined;
  stop(): Promise<void>;
}

const CRLF = '\r\n';
const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** The list a well-behaved server would send: one group, two contacts. */
export const DEFAULT_LIST = ['GTC A', 'BLP AL', 'LSG 0 Friends 0', 'LST bob@example.com Bob 11 0', 'LST carol@example.com Carol 11 0'];

export async function startHostileServer(scenario: Scenario = {}): Promise<HostileServer> {
  const host = '127.0.0.1';
  const log: LogEntry[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const note = (connection: number, what: string) => log.push({ at: Date.now(), connection, what });

  const http: HttpServer = createHttpServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    note(-1, `http ${path}`);
    if (path === '/rdr/pprdr.asp') {
      res.writeHead(200, { PassportURLs: `DARealm=Passport.Net,DALogin=http://${host}:${httpPort()}/login,DAReg=x`, 'Content-Length': '0' });
    } else if (path === '/login' && scenario.passport === 'redirect-loop') {
      res.writeHead(302, { Location: `http://${host}:${httpPort()}/login`, 'Content-Length': '0' });
    } else if (path === '/login') {
      res.writeHead(200, { 'Authentication-Info': "Passport1.4 da-status=success,from-PP='t=hostile&p=ticket',ru=x", 'Content-Length': '0' });
    } else {
      res.writeHead(404, { 'Content-Length': '0' });
    }
    res.end();
  });
  const httpPort = () => (http.address() as AddressInfo).port;

  const server: HostileServer = {
    ns: { host, port: 0 },
    nexusUrl: '',
    connections: () => accepted,
    open: () => sockets.size,
    log,
    find: (match, from = 0) => log.slice(from).find(match),
    async stop() {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise<void>((r) => tcp.close(() => r())), new Promise<void>((r) => http.close(() => r()))]);
    },
  };

  const tcp: TcpServer = createTcpServer({ allowHalfOpen: true }, (socket) => {
    const connection = accepted++;
    sockets.add(socket);
    note(connection, 'accepted');
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      note(connection, 'closed');
    });
    socket.on('end', () => {
      note(connection, 'client-end');
      if (!scenario.holdOpen) socket.end();
    });
    const out = createWriter(socket, scenario.drip);
    const ctxFor = (line: string): StepContext => {
      const fields = line.split(' ');
      return { trid: fields[1] ?? '0', connection, line, fields, server };
    };
    const answer = (step: Step, ctx: StepContext, normal: () => Output | undefined) => {
      if (scenario.silent) return;
      const replaced = scenario.instead?.[step]?.(ctx);
      const first = replaced ?? normal();
      if (first !== undefined) out.send(first);
      const after = scenario.after?.[step]?.(ctx);
      if (after !== undefined) out.send(after);
      out.send(() => note(connection, `sent ${step}`));
      if (scenario.closeAfter === step) out.send(() => socket.end());
    };
    answer('connect', ctxFor(''), () => undefined);

    let email = 'alice@example.com';
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let at = pending.indexOf('\n'); at >= 0; at = pending.indexOf('\n')) {
        const line = Buffer.from(pending.slice(0, at).replace(/\r$/, ''), 'latin1').toString('utf8');
        pending = pending.slice(at + 1);
        note(connection, `in ${line}`);
        onLine(line);
      }
      // A client never sends a line this long; do not let one grow our memory either.
      if (pending.length > 65536) socket.destroy();
    });

    const onLine = (line: string) => {
      const ctx = ctxFor(line);
      const [command, trid] = ctx.fields;
      switch (command) {
        case 'VER':
          return answer('VER', ctx, () => `VER ${trid} MSNP8 CVR0${CRLF}`);
        case 'CVR':
          return answer('CVR', ctx, () => `CVR ${trid} 6.0.0602 6.0.0602 6.0.0602 http://x http://x${CRLF}`);
        case 'USR':
          if (ctx.fields[3] === 'I') {
            email = ctx.fields[4] ?? email;
            return answer('USR I', ctx, () => `USR ${trid} TWN S lc=1033,id=507,tw=40,ru=http://x,ct=1,kpp=1,kv=5,ver=2.1.0173.1,tpf=abc${CRLF}`);
          }
          return answer('USR S', ctx, () => `USR ${trid} OK ${email} ${scenario.nickname ?? 'Alice'} 1 0${CRLF}`);
        case 'SYN':
          return answer('SYN', ctx, () => lines([`SYN ${trid} 1 ${DEFAULT_LIST.filter((l) => l.startsWith('LST')).length} 1`, ...DEFAULT_LIST]));
        case 'CHG':
          return answer('CHG', ctx, () => `CHG ${trid} ${ctx.fields[2]} ${ctx.fields[3] ?? '0'}${CRLF}`);
        case 'PNG':
          return answer('PNG', ctx, () => `QNG 50${CRLF}`);
        case 'OUT':
          return answer('OUT', ctx, () => {
            if (!scenario.holdOpen) out.send(() => socket.end());
            return undefined;
          });
        default:
          return undefined;
      }
    };
  });

  await Promise.all([new Promise<void>((r) => tcp.listen(0, host, r)), new Promise<void>((r) => http.listen(0, host, r))]);
  server.ns = { host, port: (tcp.address() as AddressInfo).port };
  server.nexusUrl = `http://${host}:${httpPort()}/rdr/pprdr.asp`;
  return server;
}

/** Lines joined with CRLF, each one ended by it. */
export function lines(all: Iterable<string>): string {
  let out = '';
  for (const l of all) out += l + CRLF;
  return out;
}

/** One connection's writes, in order, each output drained (or dripped) before the next; actions run in turn. */
function createWriter(socket: Socket, drip: Scenario['drip']) {
  let chain: Promise<void> = Promise.resolve();
  const write = async (bytes: Uint8Array) => {
    if (socket.destroyed || socket.writableEnded) return;
    if (!drip) {
      if (!socket.write(bytes)) await Promise.race([once(socket, 'drain'), once(socket, 'close')]);
      return;
    }
    for (let i = 0; i < bytes.length && !socket.destroyed; i += drip.bytes) {
      socket.write(bytes.subarray(i, i + drip.bytes));
      await new Promise((r) => setTimeout(r, drip.everyMs));
    }
  };
  const emit = async (output: Output) => {
    if (typeof output === 'string') return write(utf8(output));
    if (output instanceof Uint8Array) return write(output);
    for await (const part of output as AsyncIterable<string | Uint8Array>) {
      if (socket.destroyed || socket.writableEnded) return;
      await write(typeof part === 'string' ? utf8(part) : part);
    }
  };
  return {
    send(output: Output | (() => void)) {
      chain = chain.then(() => (typeof output === 'function' ? output() : emit(output))).catch(() => undefined);
    },
  };
}
