// Shared setup for the session's integration tests: a real messenger service (real sockets, real transports, the
// real clock) pointed at the project's test server, with short timings, plus an event log the tests wait on with
// bounded timeouts instead of sleeping.
import { afterEach, beforeEach, expect } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from '../../../e2e/msn-server';
import type { ConnectionState, MessengerEvent } from '../../../src-shared/messenger-types';
import type { ConnectionSettings } from '../../../src-shared/connection-settings';
import { answerChallenge } from '../../protocol/challenge';
import type { CallRequest, CallResponse } from '../../../src-shared/ipc-contract';
import type { AccountId, AccountSnapshot, AccountTrafficEntry } from '../../../src-shared/messenger-types';
import { createMessengerService, type AccountCallChannel, type MessengerService, type MessengerServiceOptions, type SignInRequest } from '../messenger-service';
import { createMemoryAccountRegistry } from '../account-registry';
import type { ConnectionRoute } from '../../session/connection-manager';
import { createHttpClient, createTransportFactory } from '../../transport';
import type { BackoffOptions } from '../../session/backoff';
import { systemClock } from '../../session/clock';
import type { SessionTimings } from '../../session/connection-manager';
import { createMemoryListCache } from '../../session/list-cache';
import { FAST_CONVERSATION_TIMINGS } from '../../session/testing/conversation-harness';
import { Log } from '../../session/testing/event-log';

/** Short enough that a broken keep-alive or a lost reply fails a test in seconds, long enough for a loaded CI box. */
export const FAST_TIMINGS: SessionTimings = {
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 5_000,
  passportTimeoutMs: 5_000,
  syncTimeoutMs: 20_000,
  // No pings unless a test asks for them: a ping in flight would make transcripts and waits less predictable.
  pingIntervalMs: 10 * 60_000,
  pingTimeoutMs: 5_000,
  presenceWindowMs: 20,
  listWindowMs: 20,
  stableConnectionMs: 60_000,
};

/** No jitter: reconnect delays are exactly 20, 40, 80… ms, so a test can check them. */
export const FAST_BACKOFF: BackoffOptions = { initialMs: 20, maxMs: 200, factor: 2, jitter: 0 };

export function directSettings(server: TestServer, ns: { host: string; port: number } = server.ns): ConnectionSettings {
  return { server: ns, nexusUrl: server.nexusUrl, transport: 'direct', gateway: { host: server.gateway.host, port: server.gateway.port } };
}

/** Every event a service emitted, in order: the shared log, with connection states and lists described briefly. */
export class EventLog extends Log<MessengerEvent> {
  constructor() {
    super(describe);
  }

  /** The next connection state of this kind. */
  state<K extends ConnectionState['kind']>(kind: K, timeoutMs?: number): Promise<Extract<ConnectionState, { kind: K }>> {
    return this.next((e) => e.type === 'connection-state' && e.state.kind === kind, `connection state "${kind}"`, timeoutMs).then(
      (e) => (e as Extract<MessengerEvent, { type: 'connection-state' }>).state as Extract<ConnectionState, { kind: K }>,
    );
  }

  /** Connection states in order, e.g. ['reconnecting', 'connecting', 'connected'], for comparing sequences. */
  stateKinds(): string[] {
    return this.events.flatMap((e) => (e.type === 'connection-state' ? [e.state.kind] : []));
  }
}

function describe(e: MessengerEvent): string {
  switch (e.type) {
    case 'connection-state':
      return `connection-state ${JSON.stringify(e.state)}`;
    case 'contact-list':
      return `contact-list (${e.list.contacts.length} contacts, ${e.list.groups.length} groups, version ${e.list.version})`;
    default:
      return JSON.stringify(e);
  }
}

/** One account call by the contract's channel, for the account a LiveService signed in with (its id added). */
export type AccountCall = { [C in AccountCallChannel]: { channel: C; request: Omit<CallRequest<C>, 'accountId'> } }[AccountCallChannel];

export interface LiveService {
  service: MessengerService;
  log: EventLog;
  traffic: AccountTrafficEntry[];
  /** NS lines received, in order (`in` traffic on the NS channel). */
  linesIn(): string[];
  /** Signs in (to the test server, or where `options` say) and remembers the account for the calls below. */
  signIn(email: string, password: string, options?: Omit<SignInRequest, 'email' | 'password'>): Promise<AccountId>;
  /** The account signed in with last (throws before any sign-in). */
  readonly accountId: AccountId;
  /** That account's snapshot. */
  snapshot(): AccountSnapshot;
  /** One of that account's calls, through the service's own function for the channel. */
  call<C extends AccountCallChannel>(channel: C, request: Omit<CallRequest<C>, 'accountId'>): Promise<CallResponse<C>>;
  run(call: AccountCall): Promise<unknown>;
}

export type LiveServiceOptions = Partial<Omit<MessengerServiceOptions, 'timings'>> & {
  timings?: Partial<SessionTimings>;
  /** Connect the NS here instead of the test server's own address (a relay in front of it). */
  ns?: { host: string; port: number };
};

/** Transports and HTTP client with short timeouts, for a route of these tests. */
export const liveRouteFor = (settings: ConnectionSettings): ConnectionRoute => ({
  transportFactory: createTransportFactory(settings, { closeTimeoutMs: 500 }),
  httpClient: createHttpClient(settings, { requestTimeoutMs: 5_000 }),
  nexusUrl: settings.nexusUrl,
});

/**
 * Creates services against one test server and disposes all of them at the end of each test. They share one account
 * registry, as the app's runs share the data directory's: the same (server, address) is the same account id in each,
 * so a list cache shared between them is found again.
 */
export class LiveServices {
  private readonly all: MessengerService[] = [];
  readonly registry = createMemoryAccountRegistry();

  constructor(private readonly server: () => TestServer) {}

  create(options: LiveServiceOptions = {}): LiveService {
    const server = this.server();
    const { ns, ...rest } = options;
    const service = createMessengerService({
      registry: this.registry,
      settings: directSettings(server, ns),
      routeFor: liveRouteFor,
      clock: systemClock,
      listCache: createMemoryListCache(),
      answerChallenge,
      backoff: FAST_BACKOFF,
      random: () => 0.5,
      ...rest,
      timings: { ...FAST_TIMINGS, ...rest.timings },
      conversationTimings: { ...FAST_CONVERSATION_TIMINGS, ...rest.conversationTimings },
    });
    this.all.push(service);
    const log = new EventLog();
    const traffic: AccountTrafficEntry[] = [];
    service.onEvent((e) => log.push(e));
    service.onTraffic((t) => traffic.push(t));
    let current: AccountId | undefined;
    const accountId = () => {
      if (current === undefined) throw new Error('no sign-in yet');
      return current;
    };
    const call = <C extends AccountCallChannel>(channel: C, request: Omit<CallRequest<C>, 'accountId'>) =>
      (service.calls[channel] as (r: unknown) => Promise<CallResponse<C>>)({ ...request, accountId: accountId() });
    return {
      service,
      log,
      traffic,
      linesIn: () => traffic.filter((t) => t.direction === 'in' && t.channel === 'NS').map((t) => t.line),
      async signIn(email, password, more = {}) {
        const { accountId: id } = await service.signIn({ ...more, email, password }, { onAccount: (a) => (current = a) });
        return id;
      },
      get accountId() {
        return accountId();
      },
      snapshot: () => service.snapshot(accountId()),
      call,
      run: ({ channel, request }) => call(channel, request as never),
    };
  }

  async disposeAll(): Promise<void> {
    const services = this.all.splice(0);
    for (const s of services) {
      for (const a of s.accounts()) a.signOut();
      await s.flush();
      s.dispose();
    }
  }
}

/**
 * A fresh test server for each test and the services built on it: after each test the services are disposed, then the
 * server is stopped, and it must have had no internal error.
 */
export function liveServicesPerTest(options: TestServerOptions = {}): { services: LiveServices; server: () => TestServer } {
  let current: TestServer | undefined;
  const server = () => {
    if (!current) throw new Error('the test server starts before each test');
    return current;
  };
  const services = new LiveServices(server);
  beforeEach(async () => {
    current = await startTestServer(options);
  });
  afterEach(async () => {
    await services.disposeAll();
    const errors = current?.state.internalErrors() ?? [];
    await current?.stop();
    current = undefined;
    expect(errors).toEqual([]);
  });
  return { services, server };
}

/** A presence event, and a matcher for one about `email` (for EventLog.next). */
export type PresenceEvent = Extract<MessengerEvent, { type: 'presence' }>;
export const presenceOf =
  (email: string) =>
  (e: MessengerEvent): e is PresenceEvent =>
    e.type === 'presence' && e.email === email;

/** The contact as the service's list has it now. */
export const contactIn = (s: LiveService, email: string) => s.snapshot().list.contacts.find((c) => c.email === email);
