// Butterfly's own MSN test server, in-process: `await startTestServer(options)` listens on free loopback ports
// and returns the addresses, a fault switchboard, transcripts, a view of the state, and `stop()`.
// It shares no code with the client (lint forbids importing src-main/ or src-shared/).
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultTestAccounts, type AccountSpec, type ListName } from './accounts';
import { ServerConnection, type Link } from './connection';
import type { ServerContext, Timings } from './context';
import { Directory } from './directory';
import { defaultFaults, type FaultControls, type FaultOptions } from './faults';
import { Gateway } from './gateway';
import { handleHttp } from './http-front';
import { NsSession } from './ns-session';
import { TicketStore } from './passport';
import { PresenceRegistry } from './presence';
import { SbSession } from './sb-session';
import { SwitchboardHub, type Conversation, type RingTarget } from './switchboard-hub';
import { formatTranscripts, type ConnectionTranscript } from './transcript';
import { DemoBot, demoAccounts } from './demo-bot';

export { defaultTestAccounts, loadAccountsFile, validateAccounts, AccountsError } from './accounts';
export type { AccountSpec, ContactSpec, ListName, PhoneSpec } from './accounts';
export type { FaultControls, FaultOptions, DropTrigger, MalformedTrigger, CommandTrigger, MalformedKind } from './faults';
export { formatTranscript, formatTranscripts } from './transcript';
export type { ConnectionTranscript, TranscriptEntry } from './transcript';
export { demoAccounts, DEMO_BOT_EMAIL } from './demo-bot';

export interface TestServerOptions extends Partial<Timings> {
  /** Default: defaultTestAccounts() (or demoAccounts() with `demo`). */
  accounts?: AccountSpec[];
  /** Demo accounts plus the demo bot contact that answers messages. */
  demo?: boolean;
  /** Listen address; default 127.0.0.1. Only loopback addresses are accepted. */
  host?: string;
  /** The host name the server puts in XFR/RNG addresses (default: `host`); e.g. `localhost` to test resolving. */
  advertisedHost?: string;
  nsPort?: number;
  sbPort?: number;
  httpPort?: number;
  /** MSNP versions to speak, any of 2..12, e.g. ALL_VERSIONS. Default MSNP2–8 (what most suites were written
   *  against), or every version with `demo` (the demo shows personal messages). */
  versions?: number[];
  /** After USR OK send what current Escargot does: `SBS 0 null` (MSNP11+) and the profile MSG. Default false (the
   *  2017 Escargot sends nothing before MSNP13). */
  loginBurst?: boolean;
  /** Escape the personal message in UBX, as the official servers did. Default false: Escargot puts it back raw. */
  ubxEscaped?: boolean;
  /** Send CHL after the first CHG and verify QRY (the real server never does). Default false. */
  challenges?: boolean;
  /** Answer the first N `USR … I` with `XFR NS` (to this server itself unless redirectTarget is set). */
  redirectToSelf?: number;
  /** `host:port` that XFR NS points to; default this server's NS. */
  redirectTarget?: string;
  /** SYN with the current list version answers `SYN trid ver` only. Default false: always the full list, as Escargot. */
  synSkipWhenCurrent?: boolean;
  /** NAK a MSG (modes A/N/D) that reached nobody. Default false: Escargot never sends NAK. */
  nakWhenAlone?: boolean;
  /** Framing limits for what clients send. */
  maxLineBytes?: number;
  maxPayloadBytes?: number;
  /** Demo bot pauses (typing before answering). */
  botReplyDelayMs?: number;
  faults?: Partial<FaultOptions>;
}

export interface AccountSnapshot {
  email: string;
  nickname: string;
  uuid: string;
  personalMessage: string;
  currentMedia: string;
  listVersion: number;
  gtc: 'A' | 'N';
  blp: 'AL' | 'BL';
  groups: { id: number; name: string }[];
  contacts: { email: string; nickname: string; lists: ListName[]; groups: number[] }[];
  phones: Record<string, string>;
}

export interface ServerState {
  account(email: string): AccountSnapshot | undefined;
  accounts(): AccountSnapshot[];
  /** Signed-in users (and the demo bot): status is null until their first CHG. */
  online(): { email: string; status: string | null; clientId: string; via: 'tcp' | 'gateway' | 'bot' }[];
  conversations(): { id: string; participants: string[]; messages: number }[];
  /** Open client connections. */
  connections(): { id: number; server: 'ns' | 'sb'; via: 'tcp' | 'gateway'; email?: string }[];
  /** Passport tickets issued so far. */
  ticketsIssued(): number;
  /** HTTP requests seen per path. */
  httpHits(path: string): number;
  gatewaySessions(): number;
  /** Gateway sessions with a request being answered now. */
  gatewayBusySessions(): number;
  /** Exceptions thrown inside the server's handlers (each dropped its connection); empty in a healthy run. */
  internalErrors(): string[];
}

export interface TestServer {
  host: string;
  ns: { host: string; port: number };
  sb: { host: string; port: number };
  http: { port: number };
  /** http://127.0.0.1:<port>/rdr/pprdr.asp */
  nexusUrl: string;
  /** http://127.0.0.1:<port>/login */
  loginUrl: string;
  /** The polling gateway at http://host:port/gateway/gateway.dll */
  gateway: { host: string; port: number; url: string };
  faults: FaultControls;
  /** Every connection so far, bytes in and out. */
  transcripts(): ConnectionTranscript[];
  /** The transcripts in the captures' notation, for printing when a test fails. */
  formatTranscripts(filter?: (t: ConnectionTranscript) => boolean): string;
  state: ServerState;
  /** Drop every client connection (TCP and gateway); accounts and lists stay. */
  kickAll(): void;
  /** Send a CHL to an account's NS connection now (works even with `challenges` off). */
  challenge(email: string): boolean;
  /** Answer the next N `USR … I` with XFR NS. */
  setRedirects(n: number, target?: string): void;
  stop(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Every version the server speaks, highest first. */
export const ALL_VERSIONS: readonly number[] = Object.freeze([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host)) throw new Error(`test server listens on loopback only, not ${host}`);
  const advertised = options.advertisedHost ?? host;
  const timings: Timings = {
    sbIdleTimeoutMs: options.sbIdleTimeoutMs ?? 5 * 60_000,
    sbCookieTtlMs: options.sbCookieTtlMs ?? 2 * 60_000,
    ticketTtlMs: options.ticketTtlMs ?? 5 * 60_000,
    challengeTimeoutMs: options.challengeTimeoutMs ?? 50_000,
    challengeIntervalMs: options.challengeIntervalMs ?? 0,
    nsIdleTimeoutMs: options.nsIdleTimeoutMs ?? 0,
    gatewayIdleTimeoutMs: options.gatewayIdleTimeoutMs ?? 60_000,
    outSsdCloseMs: options.outSsdCloseMs ?? 50,
  };
  let faults: FaultOptions = { ...defaultFaults(), ...options.faults };
  const specs = options.accounts ?? (options.demo ? demoAccounts() : defaultTestAccounts());
  const directory = new Directory(specs);
  const presence = new PresenceRegistry(directory, () => faults.presenceToEveryEntry);
  const tickets = new TicketStore({ ttlMs: timings.ticketTtlMs });
  const switchboard = new SwitchboardHub({ idleTimeoutMs: () => timings.sbIdleTimeoutMs, cookieTtlMs: () => timings.sbCookieTtlMs });
  const transcripts: ConnectionTranscript[] = [];
  const nsSessions = new Set<NsSession>();
  const sbSessions = new Set<SbSession>();
  const sockets = new Set<Socket>();
  const httpHits = new Map<string, number>();
  const internalErrors: string[] = [];
  let nextId = 1;
  let nsPort = 0;
  let sbPort = 0;
  let httpPort = 0;
  const redirect = { remaining: options.redirectToSelf ?? 0, targetOverride: options.redirectTarget };
  const versions = (options.versions ?? (options.demo ? ALL_VERSIONS : [8, 7, 6, 5, 4, 3, 2])).filter((v) => v >= 2 && v <= 12).sort((a, b) => b - a);
  if (versions.length === 0) throw new Error('versions: give at least one of MSNP2..MSNP12');

  const ctx: ServerContext = {
    directory,
    presence,
    tickets,
    switchboard,
    timings,
    faults: () => faults,
    versions,
    challenges: options.challenges ?? false,
    synSkipWhenCurrent: options.synSkipWhenCurrent ?? false,
    loginBurst: options.loginBurst ?? false,
    ubxEscaped: options.ubxEscaped ?? false,
    nakWhenAlone: options.nakWhenAlone ?? false,
    takeNak() {
      if (faults.nakMessages <= 0) return false;
      faults = { ...faults, nakMessages: faults.nakMessages - 1 };
      return true;
    },
    takeSbDrop(command) {
      const d = faults.sbDrop;
      if (!d || d.command !== command || d.count <= 0) return undefined;
      faults = { ...faults, sbDrop: d.count > 1 ? { ...d, count: d.count - 1 } : null };
      return d.phase;
    },
    redirect: {
      get remaining() {
        return redirect.remaining;
      },
      set remaining(n: number) {
        redirect.remaining = n;
      },
      target: () => redirect.targetOverride ?? `${advertised}:${nsPort}`,
    },
    nsAddress: () => `${advertised}:${nsPort}`,
    sbAddress: () => `${advertised}:${sbPort}`,
    httpBase: () => `http://${host}:${httpPort}`,
  };

  const bots = new Map<string, DemoBot>();
  if (options.demo) {
    const bot = new DemoBot(directory, { replyDelayMs: options.botReplyDelayMs ?? 400 });
    bots.set(bot.email.toLowerCase(), bot);
    presence.set(bot);
  }

  const limits = { maxLineBytes: options.maxLineBytes ?? 16_384, maxPayloadBytes: options.maxPayloadBytes ?? 65_536 };
  const ringTarget = (email: string): (RingTarget & { joinsAtOnce?: (c: Conversation) => void }) | undefined => {
    const bot = bots.get(email.toLowerCase());
    if (bot) return { ring: () => undefined, joinsAtOnce: (c) => bot.joinConversation(c) };
    const u = presence.get(email);
    return u instanceof NsSession && u.isSignedIn ? u : undefined;
  };

  const openConnection = (server: 'ns' | 'sb', link: Link): ServerConnection => {
    const conn = new ServerConnection(nextId++, server, link, () => faults, limits);
    conn.onInternalError = (error, line) => internalErrors.push(`${server} connection ${conn.id}, on "${line}": ${error.stack ?? error.message}`);
    transcripts.push(conn.transcript);
    if (server === 'ns') {
      const s = new NsSession(conn, ctx);
      nsSessions.add(s);
      const h = conn.handler;
      conn.handler = { onFrame: (f) => h?.onFrame(f), onClose: () => (nsSessions.delete(s), h?.onClose()) };
    } else {
      const s = new SbSession(conn, ctx, ringTarget);
      sbSessions.add(s);
      const h = conn.handler;
      conn.handler = { onFrame: (f) => h?.onFrame(f), onClose: () => (sbSessions.delete(s), h?.onClose()) };
    }
    return conn;
  };

  const acceptTcp = (server: 'ns' | 'sb') => (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (server === 'sb' && faults.refuseSb) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const link: Link = {
      via: 'tcp',
      remote: `${socket.remoteAddress}:${socket.remotePort}`,
      write: (d) => {
        if (!socket.destroyed) socket.write(d);
      },
      end: () => socket.end(),
      destroy: () => socket.destroy(),
    };
    const conn = openConnection(server, link);
    socket.on('data', (chunk: Buffer) => conn.receive(chunk));
    socket.on('close', () => conn.markClosed());
  };

  const gateway = new Gateway({
    open: (server, link) => {
      const conn = openConnection(server, link);
      // A refused switchboard through the gateway: the session is dead from its first answer on.
      if (server === 'sb' && faults.refuseSb) conn.destroy();
      return conn;
    },
    idleTimeoutMs: () => timings.gatewayIdleTimeoutMs,
    gwIp: () => advertised,
    maxBodyBytes: limits.maxPayloadBytes + limits.maxLineBytes,
  });

  const nsServer = createTcpServer(acceptTcp('ns'));
  const sbServer = createTcpServer(acceptTcp('sb'));
  const httpDeps = { directory, tickets, gateway, baseUrl: () => `http://${host}:${httpPort}`, hits: httpHits, faults: () => faults };
  const httpServer = createHttpServer((req, res) => {
    try {
      handleHttp(httpDeps, req, res);
    } catch (error) {
      internalErrors.push(`http ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Length': '0' });
      res.end();
    }
  });
  httpServer.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const listen = (srv: TcpServer | HttpServer, port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, host, () => {
        srv.off('error', reject);
        resolve((srv.address() as AddressInfo).port);
      });
    });
  try {
    nsPort = await listen(nsServer, options.nsPort ?? 0);
    sbPort = await listen(sbServer, options.sbPort ?? 0);
    httpPort = await listen(httpServer, options.httpPort ?? 0);
  } catch (e) {
    for (const s of [nsServer, sbServer, httpServer]) if (s.listening) s.close();
    throw e;
  }

  const nsFor = (email?: string): NsSession[] =>
    [...nsSessions].filter((s) => s.isSignedIn && (email === undefined || s.email?.toLowerCase() === email.toLowerCase()));
  const sbFor = (email?: string): SbSession[] =>
    [...sbSessions].filter((s) => s.email !== '' && (email === undefined || s.email.toLowerCase() === email.toLowerCase()));

  const faultControls: FaultControls = {
    get current() {
      return { ...faults };
    },
    set(patch) {
      faults = { ...faults, ...patch };
    },
    reset() {
      faults = defaultFaults();
    },
    sendOutSsd(email) {
      const list = nsFor(email);
      for (const s of list) s.shutdownNotice(timings.outSsdCloseMs);
      return list.length;
    },
    sendRaw(email, bytes) {
      const list = nsFor(email);
      for (const s of list) s.conn.sendRaw(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
      return list.length;
    },
    sendRawSb(email, bytes) {
      const list = sbFor(email);
      for (const s of list) s.conn.sendRaw(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
      return list.length;
    },
    kickSwitchboards(email) {
      const list = sbFor(email);
      for (const s of list) s.conn.destroy();
      return list.length;
    },
    kickNs(email) {
      const list = nsFor(email);
      for (const s of list) s.conn.destroy();
      return list.length;
    },
    timeOutOfSwitchboards(email) {
      const list = sbFor(email);
      for (const s of list) s.timeOut();
      return list.length;
    },
  };

  const snapshot = (email: string): AccountSnapshot | undefined => {
    const a = directory.get(email);
    if (!a) return undefined;
    return {
      email: a.email,
      nickname: a.nickname,
      uuid: a.uuid,
      personalMessage: a.personalMessage,
      currentMedia: a.currentMedia,
      listVersion: a.listVersion,
      gtc: a.gtc,
      blp: a.blp,
      groups: [...a.groups].map(([id, name]) => ({ id, name })),
      contacts: [...a.contacts.values()].map((c) => ({ email: c.email, nickname: c.nickname, lists: [...c.lists], groups: [...c.groups] })),
      phones: { ...a.phones } as Record<string, string>,
    };
  };

  let stopped = false;
  const base = `http://${host}:${httpPort}`;
  return {
    host,
    ns: { host, port: nsPort },
    sb: { host, port: sbPort },
    http: { port: httpPort },
    nexusUrl: `${base}/rdr/pprdr.asp`,
    loginUrl: `${base}/login`,
    gateway: { host, port: httpPort, url: `${base}/gateway/gateway.dll` },
    faults: faultControls,
    transcripts: () => [...transcripts],
    formatTranscripts: (filter) => formatTranscripts(filter ? transcripts.filter(filter) : transcripts),
    state: {
      account: snapshot,
      accounts: () => directory.all().map((a) => snapshot(a.email) as AccountSnapshot),
      online: () =>
        presence.users().map((u) => ({
          email: u.account.email,
          status: u.status,
          clientId: u.clientId,
          via: u instanceof NsSession ? u.conn.via : ('bot' as const),
        })),
      conversations: () => switchboard.list().map((c) => ({ id: c.id, participants: c.participants.map((p) => p.email), messages: c.messages })),
      connections: () => [
        ...[...nsSessions].map((s) => ({ id: s.conn.id, server: 'ns' as const, via: s.conn.via, email: s.email })),
        ...[...sbSessions].map((s) => ({ id: s.conn.id, server: 'sb' as const, via: s.conn.via, email: s.email || undefined })),
      ],
      ticketsIssued: () => tickets.issued,
      httpHits: (path) => httpHits.get(path) ?? 0,
      gatewaySessions: () => gateway.count(),
      gatewayBusySessions: () => gateway.busyCount(),
      internalErrors: () => [...internalErrors],
    },
    kickAll() {
      for (const s of [...nsSessions]) s.conn.destroy();
      for (const s of [...sbSessions]) s.conn.destroy();
      gateway.closeAll();
    },
    challenge(email) {
      const list = nsFor(email);
      for (const s of list) s.sendChallenge();
      return list.length > 0;
    },
    setRedirects(n, target) {
      redirect.remaining = n;
      if (target !== undefined) redirect.targetOverride = target;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const b of bots.values()) b.dispose();
      for (const s of [...nsSessions]) s.conn.destroy();
      for (const s of [...sbSessions]) s.conn.destroy();
      gateway.closeAll();
      switchboard.closeAll();
      for (const s of sockets) s.destroy();
      await Promise.all(
        [nsServer, sbServer, httpServer].map((srv) => new Promise<void>((r) => srv.close(() => r()))),
      );
    },
  };
}
