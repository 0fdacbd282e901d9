// Test helper for conversations over real sockets: accounts signed in to the project's test server through a real
// ConnectionManager (real transports, any route, the real clock), each with its ConversationManager on the
// connection-manager host, and a log of its conversation events that tests wait on with bounded timeouts.
import { afterEach, expect } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from '../../../e2e/msn-server';
import type { ConnectionSettings } from '../../../src-shared/connection-settings';
import type { ConversationEvent, OutgoingMessage } from '../../../src-shared/conversation-types';
import type { OwnStatus, TrafficEntry } from '../../../src-shared/messenger-types';
import { answerChallenge } from '../../protocol/challenge';
import { createHttpClient, createTransportFactory, type TransportFactory } from '../../transport';
import { systemClock, type Clock } from '../clock';
import { ConnectionManager, type SessionTimings } from '../connection-manager';
import { ConversationManager, type ConversationLimits, type ConversationTimings } from '../conversation-manager';
import { createMemoryListCache } from '../list-cache';
import { connectionManagerHost } from '../switchboard-host';
import { Log } from './event-log';

const NS_TIMINGS: Partial<SessionTimings> = {
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 5_000,
  passportTimeoutMs: 5_000,
  syncTimeoutMs: 20_000,
  pingIntervalMs: 10 * 60_000,
  presenceWindowMs: 20,
  listWindowMs: 20,
};

/** Short enough that a lost answer fails a test in seconds; long enough for a loaded machine. */
export const FAST_CONVERSATION_TIMINGS: Partial<ConversationTimings> = {
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 5_000,
  ackTimeoutMs: 5_000,
  joinTimeoutMs: 5_000,
  reopenDelayMs: 50,
};

export type ConversationLog = Log<ConversationEvent>;

export interface ChatAccount {
  email: string;
  manager: ConnectionManager;
  conversations: ConversationManager;
  log: ConversationLog;
  /** NS and SB traffic lines. */
  traffic: TrafficEntry[];
  /** Every connection the account's route opened, in order (role and the route's description). */
  connections: { role: string; description: string }[];
  /** The next incoming text message (after the log's cursor), optionally from one sender. */
  nextText(from?: string, timeoutMs?: number): Promise<Extract<ConversationEvent, { type: 'message' }>['message']>;
  /** Resolves once the message reached a final state. */
  settled(messageId: string): Promise<OutgoingMessage>;
}

export interface ChatOptions {
  settings?: (server: TestServer) => ConnectionSettings;
  timings?: Partial<ConversationTimings>;
  limits?: Partial<ConversationLimits>;
  status?: OwnStatus;
  clock?: Clock;
}

export function directSettings(server: TestServer): ConnectionSettings {
  return { server: server.ns, nexusUrl: server.nexusUrl, transport: 'direct', gateway: { host: server.gateway.host, port: server.gateway.port } };
}

/** Creates signed-in accounts against a test server and disposes every one at the end of each test. */
export class ChatAccounts {
  private readonly all: { manager: ConnectionManager; conversations: ConversationManager; dispose(): void }[] = [];

  constructor(private readonly server: () => TestServer) {}

  async signIn(email: string, password: string, options: ChatOptions = {}): Promise<ChatAccount> {
    const server = this.server();
    const settings = (options.settings ?? directSettings)(server);
    const clock = options.clock ?? systemClock;
    const traffic: TrafficEntry[] = [];
    const connections: ChatAccount['connections'] = [];
    const factory = createTransportFactory(settings, { closeTimeoutMs: 500, pollIntervalMs: 20 });
    const recording: TransportFactory = {
      async connect(target, o) {
        const transport = await factory.connect(target, o);
        connections.push({ role: target.role, description: transport.description });
        return transport;
      },
    };
    const manager = new ConnectionManager({
      email,
      accountId: email,
      transportFactory: recording,
      httpClient: createHttpClient(settings, { requestTimeoutMs: 5_000 }),
      clock,
      listCache: createMemoryListCache(),
      server: settings.server,
      nexusUrl: settings.nexusUrl,
      answerChallenge,
      timings: NS_TIMINGS,
      backoff: { initialMs: 20, maxMs: 200, factor: 2, jitter: 0 },
      random: () => 0.5,
    });
    manager.onTraffic((t) => traffic.push(t));
    const host = connectionManagerHost(manager, (t) => traffic.push(t));
    const conversations = new ConversationManager({ host, clock, timings: { ...FAST_CONVERSATION_TIMINGS, ...options.timings }, limits: options.limits });
    const log: ConversationLog = new Log();
    conversations.onEvent((e) => log.push(e));
    this.all.push({ manager, conversations, dispose: () => host.dispose() });
    await manager.signIn(password, options.status ?? 'NLN');
    return {
      email,
      manager,
      conversations,
      log,
      traffic,
      connections,
      nextText: (from, timeoutMs) =>
        log
          .next(
            (e) => e.type === 'message' && e.message.direction === 'in' && e.message.kind === 'text' && (from === undefined || e.message.from === from),
            `a text message${from ? ` from ${from}` : ''} for ${email}`,
            timeoutMs,
          )
          .then((e) => (e as Extract<ConversationEvent, { type: 'message' }>).message),
      settled: (id) => conversations.whenSettled(id),
    };
  }

  async disposeAll(): Promise<void> {
    for (const a of this.all.splice(0)) {
      a.conversations.dispose();
      a.manager.signOut();
      a.dispose();
      a.manager.dispose();
    }
  }
}

/** The message's state events, in order. */
export const statesOf = (log: ConversationLog, messageId: string): string[] =>
  log.of('message-state').filter((e) => e.messageId === messageId).map((e) => e.state);

/**
 * A test server per test and the accounts signed in to it, with the afterEach every conversation test file needs: on
 * failure the switchboard transcripts are printed, accounts and tracked clients are closed, the server stops, and the
 * test fails if the server caught an error of its own.
 */
export function conversationsPerTest(): {
  start(options?: TestServerOptions): Promise<TestServer>;
  readonly server: TestServer;
  readonly accounts: ChatAccounts;
  /** Closes `client` after the test. */
  track<C extends { close(): void }>(client: C): C;
} {
  let server: TestServer | undefined;
  const accounts = new ChatAccounts(() => current());
  const clients: { close(): void }[] = [];
  const current = (): TestServer => {
    if (!server) throw new Error('no test server is running (call start() first)');
    return server;
  };
  afterEach(async (ctx) => {
    const s = server;
    server = undefined;
    if (ctx.task.result?.state === 'fail' && s) console.log(s.formatTranscripts((t) => t.server === 'sb').slice(-20_000));
    await accounts.disposeAll();
    for (const c of clients.splice(0)) c.close();
    const errors = s?.state.internalErrors() ?? [];
    await s?.stop();
    expect(errors).toEqual([]);
  });
  return {
    async start(options = {}) {
      server = await startTestServer(options);
      return server;
    },
    get server() {
      return current();
    },
    accounts,
    track(client) {
      clients.push(client);
      return client;
    },
  };
}
