// Staying signed in: runs sign-in → sync → first CHG → keep-alive, and when a connection is lost (or the server
// announces a shutdown) reconnects with exponential backoff and jitter, with a fresh Passport ticket each time
// (tickets are single-use) and a re-sync. OUT OTH and wrong credentials end it for good. Exposes the connection
// state the UI shows: which step, connected, reconnecting in N s, signed out and why.
// What it tells the UI is coalesced, so a server pushing changes fast cannot make work and memory pile up: one list
// snapshot per `listWindowMs` at most (the cache written from the latest, one write at a time, later changes folded
// into the next), presence at most once per contact per `presenceWindowMs` (the latest state). Reconnecting stops
// when reconnects fail the same way (same code, same step) `maxRepeatedFailures` times running, for failures that come
// from what the server sent — a network that is down keeps being retried with backoff.
// One manager per account (server, e-mail address): what it has to tell goes out on one stream, onEvent, as the
// account's events — the state, the coalesced list and presence, the profile, whatever the session reports — so a
// new kind of news is a new event type, passed along unchanged, not a new emitter at every layer.
import { DisposableStore, Emitter, type Disposable, type Event } from '../../src-shared/disposable';
import { ButterflyError, toErrorInfo } from '../../src-shared/errors';
import type { AccountEvent, ConnectionState, ConnectStep, ContactListSnapshot, OwnProfile, OwnStatus, TrafficEntry } from '../../src-shared/messenger-types';
import type { HttpClient, TransportFactory } from '../transport/transport';
import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff';
import type { Clock } from './clock';
import { Coalescer } from './coalescer';
import { ContactList } from './contact-list';
import type { ListCache } from './list-cache';
import type { ChallengeSpec } from '../protocol/challenge';
import { offeredVersions, type Dialect } from './dialects';
import { NotificationSession, type ChallengeAnswer, type ListLimits, type PersonalStatusChange, type PresenceUpdate, type SessionEnd } from './notification-session';
import { OwnProfileModel } from './own-profile';
import type { PassportCache } from './passport';
import { sessionErrors } from './session-errors';
import { signIn, type ServerAddress } from './sign-in';
import type { Incoming } from './wire';

export interface SessionTimings {
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  passportTimeoutMs: number;
  syncTimeoutMs: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Presence events to the UI: at most one per contact per window (the latest state). */
  presenceWindowMs: number;
  /** Contact-list snapshots to the UI (and the cache): at most one per window. */
  listWindowMs: number;
  /** A connection that stays up this long has proven itself: repeated failures are counted afresh after it. */
  stableConnectionMs: number;
}

export const defaultTimings: SessionTimings = {
  connectTimeoutMs: 20_000,
  requestTimeoutMs: 30_000,
  passportTimeoutMs: 30_000,
  syncTimeoutMs: 60_000,
  pingIntervalMs: 50_000,
  pingTimeoutMs: 30_000,
  presenceWindowMs: 100,
  listWindowMs: 100,
  stableConnectionMs: 60_000,
};

/** Reconnects that fail the same way this many times running end in a sign-out that names the cause. */
export const DEFAULT_MAX_REPEATED_FAILURES = 3;

/**
 * Failures caused by what the server sent, the same on every try: counted for the repeated-failure rule. Everything
 * else (the network, timeouts, a busy server, a shutdown) may pass by itself and is retried with backoff for as long
 * as it takes.
 */
const SERVER_CAUSED = new Set(['session.garbled-stream', 'session.unexpected-reply', 'session.redirect-loop', 'auth.passport-unreadable']);
const isServerCaused = (code: string) => code.startsWith('protocol.') || SERVER_CAUSED.has(code);

/** Where a failure happened, for the repeated-failure rule and its message. */
type FailureStep = ConnectStep | 'connected';
const STEP_TEXT: Record<FailureStep, string> = {
  connecting: 'while connecting',
  negotiating: 'while agreeing on the protocol',
  authenticating: 'while checking your account',
  passport: 'while getting a Passport ticket',
  redirected: 'after being redirected',
  syncing: 'while getting your contact list',
  connected: 'soon after signing in',
};


export interface ConnectionManagerOptions {
  /** The account's server: every sign-in and reconnect starts there (a redirect lasts one connection). */
  server: ServerAddress;
  /** The account's address. */
  email: string;
  /** The account's id: its list cache's key. */
  accountId: string;
  transportFactory: TransportFactory;
  httpClient: HttpClient;
  clock: Clock;
  listCache: ListCache;
  nexusUrl: string;
  /** Answers CHL under the negotiated version (default: protocol/challenge's answerChallenge, by the dialect). */
  answerChallenge?: (challenge: string, spec: ChallengeSpec) => ChallengeAnswer;
  timings?: Partial<SessionTimings>;
  backoff?: Partial<BackoffOptions>;
  maxRedirects?: number;
  /** Capability bits in CHG; default the dialect's (0: a text-only client, so peers try nothing we lack). */
  clientId?: number;
  /** Versions offered in VER (default: MSNP12 down to MSNP2, capped by `maxVersion`). */
  protocolVersions?: readonly string[];
  /** The highest version offered (an account's setting, for servers that misbehave with a newer one). */
  maxVersion?: number;
  random?: () => number;
  /** List size and unsolicited-change budget (DEFAULT_LIST_LIMITS). */
  limits?: Partial<ListLimits>;
  /** Default DEFAULT_MAX_REPEATED_FAILURES. */
  maxRepeatedFailures?: number;
}

/** How to get to the account's server (and Passport): replaced by `reconfigure` when the route settings change. */
export type ConnectionRoute = Pick<ConnectionManagerOptions, 'transportFactory' | 'httpClient' | 'nexusUrl'>;

export class ConnectionManager implements Disposable {
  readonly list = new ContactList();
  private readonly timings: SessionTimings;
  private readonly backoff: BackoffOptions;
  private readonly passportCache: PassportCache = {};
  private current: NotificationSession | undefined;
  private sessionStore = new DisposableStore();
  private password: string | undefined;
  private desiredStatus: OwnStatus = 'NLN';
  private maxVersion: number | undefined;
  private generation = 0;
  private attempt = 0;
  private reconnectTimer: Disposable | undefined;
  private abort: AbortController | undefined;
  /** The cache write under way, and the newest snapshot waiting for it (older ones are folded in). */
  private cacheWrite: Promise<void> | undefined;
  private pendingWrite: ContactListSnapshot | undefined;
  /** Whether the session changed the list since the last snapshot: the next snapshot is written to the cache. */
  private listDirty = false;
  private readonly listFlush: Coalescer;
  private readonly pendingPresence = new Map<string, PresenceUpdate>();
  private readonly presenceFlush: Coalescer;
  /** People asked about (reverse-list prompt) in this sign-in: never asked again in it, however often the server
   * removes and re-adds them or a reconnect re-syncs. */
  private readonly askedAbout = new Set<string>();
  /** The step the current attempt has reached ('connected' once established), for the repeated-failure rule. */
  private lastStep: FailureStep = 'connecting';
  /** Whether the current attempt or session came from a reconnect and has not stayed up long enough to prove itself. */
  private viaReconnect = false;
  private failureStreak: { signature: string; count: number } | undefined;
  private stableTimer: Disposable | undefined;
  private stateValue: ConnectionState = { kind: 'signed-out', reason: 'user' };

  private readonly events = new Emitter<AccountEvent>();
  private readonly trafficEmitter = new Emitter<TrafficEntry>();
  private readonly nsCommandEmitter = new Emitter<Incoming>();
  /** The account's events, in order: a contact-list event carries the list as it is now (one snapshot serves the cache
   * write and every listener). */
  readonly onEvent = this.events.event;
  /** The connection states alone, from the same stream. */
  readonly onState: Event<ConnectionState> = (listener) => this.onEvent((e) => e.type === 'connection-state' && listener(e.state));
  readonly onTraffic = this.trafficEmitter.event;
  /** The account's own profile: set when a connection is established, changed as the server confirms CHG and REA. */
  private readonly ownProfile = new OwnProfileModel((profile) => this.events.fire({ type: 'own-profile', profile }));
  /** NS commands the notification session leaves to others (RNG for the switchboard layer). */
  readonly onNsCommand = this.nsCommandEmitter.event;

  private route: ConnectionRoute;

  constructor(private readonly options: ConnectionManagerOptions) {
    this.maxVersion = options.maxVersion;
    this.route = { transportFactory: options.transportFactory, httpClient: options.httpClient, nexusUrl: options.nexusUrl };
    this.timings = { ...defaultTimings, ...options.timings };
    this.backoff = { ...defaultBackoff, ...options.backoff };
    this.listFlush = new Coalescer(options.clock, this.timings.listWindowMs, () => this.emitList());
    this.presenceFlush = new Coalescer(options.clock, this.timings.presenceWindowMs, () => this.emitPresence());
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** A copy of the own profile; undefined before the first connection of a sign-in. */
  get profile(): OwnProfile | undefined {
    return this.ownProfile.current;
  }

  /** The negotiated version's dialect while connected (switchboards follow it). */
  get dialect(): Dialect | undefined {
    return this.current && !this.current.closed ? this.current.dialect : undefined;
  }

  /** The highest version VER offers from the next sign-in or reconnect on (undefined: every version). */
  setMaxVersion(version: number | undefined): void {
    this.maxVersion = version;
  }

  /** The route now configured, for the switchboard connections (they go the way the NS goes). */
  get transportFactory(): TransportFactory {
    return this.route.transportFactory;
  }

  /** The live session, or a typed 'not signed in' error. */
  session(): NotificationSession {
    if (!this.current || this.current.closed || this.stateValue.kind !== 'connected') throw sessionErrors.notConnected();
    return this.current;
  }

  /** Signs in; resolves once connected and synced, rejects with the typed failure (and the state says signed-out). */
  async signIn(password: string, status: OwnStatus = 'NLN'): Promise<void> {
    this.stop();
    const generation = ++this.generation;
    this.password = password;
    this.desiredStatus = status;
    this.attempt = 0;
    this.viaReconnect = false;
    this.failureStreak = undefined;
    this.list.clear();
    this.askedAbout.clear();
    this.ownProfile.clear();
    const cached = await this.options.listCache.load(this.options.accountId).catch(() => undefined);
    if (generation !== this.generation) throw sessionErrors.cancelled();
    if (cached) this.list.replace(cached);
    this.listFlush.request();
    try {
      await this.connectOnce(generation);
    } catch (error) {
      if (generation === this.generation) {
        this.stop();
        this.setState({ kind: 'signed-out', reason: 'error', error: toErrorInfo(error) });
      }
      throw error;
    }
  }

  /** New connection settings: used from the next sign-in or reconnect on; a live connection is left as it is. */
  reconfigure(route: ConnectionRoute): void {
    this.route = { ...route };
  }

  signOut(): void {
    const wasActive = this.stateValue.kind !== 'signed-out';
    // A new generation first, so the ending session's own close is not mistaken for a lost connection.
    this.generation++;
    this.stop();
    this.password = undefined;
    if (wasActive || this.stateValue.kind !== 'signed-out') this.setState({ kind: 'signed-out', reason: 'user' });
  }

  /** Remembered for reconnects; sends CHG now when connected. */
  async setStatus(status: OwnStatus): Promise<void> {
    this.desiredStatus = status;
    await this.session().setStatus(status);
  }

  /** The personal message and/or now playing (MSNP11+): sent now, and again at every sign-in and reconnect. */
  setPersonalStatus(change: PersonalStatusChange): Promise<void> {
    return this.session().setPersonalStatus(change);
  }

  private stop(): void {
    this.reconnectTimer?.dispose();
    this.reconnectTimer = undefined;
    this.stableTimer?.dispose();
    this.stableTimer = undefined;
    this.abort?.abort();
    this.abort = undefined;
    const s = this.current;
    this.current = undefined;
    if (s && !s.closed) s.signOut();
    this.sessionStore.dispose();
    this.sessionStore = new DisposableStore();
    s?.dispose();
    this.list.setAllOffline();
    this.dropPresence();
  }

  private async connectOnce(generation: number): Promise<void> {
    const password = this.password;
    if (password === undefined) throw sessionErrors.cancelled();
    const abort = new AbortController();
    this.abort = abort;
    const attempt = this.attempt + 1;
    const step = (s: ConnectStep, server: string) => {
      if (generation !== this.generation) return;
      this.lastStep = s;
      this.setState({ kind: 'connecting', step: s, attempt, server });
    };
    const signedIn = await signIn({
      transportFactory: this.route.transportFactory,
      httpClient: this.route.httpClient,
      clock: this.options.clock,
      server: this.options.server,
      nexusUrl: this.route.nexusUrl,
      email: this.options.email,
      password,
      connectTimeoutMs: this.timings.connectTimeoutMs,
      requestTimeoutMs: this.timings.requestTimeoutMs,
      passportTimeoutMs: this.timings.passportTimeoutMs,
      maxRedirects: this.options.maxRedirects ?? 3,
      versions: this.options.protocolVersions ?? offeredVersions(this.maxVersion),
      passportCache: this.passportCache,
      onStep: step,
      onTraffic: (entry) => this.trafficEmitter.fire(entry),
      signal: abort.signal,
    });
    if (generation !== this.generation) {
      signedIn.channel.close();
      throw sessionErrors.cancelled();
    }
    const server = `${signedIn.server.host}:${signedIn.server.port}`;
    const session = new NotificationSession(signedIn, this.list, this.ownProfile, {
      clock: this.options.clock,
      clientId: this.options.clientId,
      pingIntervalMs: this.timings.pingIntervalMs,
      pingTimeoutMs: this.timings.pingTimeoutMs,
      syncTimeoutMs: this.timings.syncTimeoutMs,
      answerChallenge: this.options.answerChallenge,
      limits: this.options.limits,
    });
    this.current = session;
    const store = this.sessionStore;
    store.add(session);
    store.add(
      session.onEvent((event) => {
        switch (event.type) {
          case 'list-changed':
            return this.onListChanged_();
          case 'presence':
            return this.onPresence_(event);
          case 'added-you':
            return this.onAddedYou_(event);
          default:
            // Everything else is the account's news as it is.
            return this.events.fire(event);
        }
      }),
    );
    store.add(session.onUnhandled((frame) => this.nsCommandEmitter.fire(frame)));
    let established = false;
    store.add(session.onDidEnd((end) => established && this.onSessionEnd(generation, end)));
    // MSNP10+ say the nickname in the list (PRP MFN) rather than in USR OK: until it comes, the cached one.
    this.ownProfile.set({
      email: signedIn.email,
      nickname: signedIn.nickname ?? this.list.ownNickname ?? signedIn.email,
      status: this.desiredStatus,
      // From MSNP11 the profile has a personal message ('' for none), as last set: the UI offers to edit it.
      ...(signedIn.dialect.personalStatus ? { personalMessage: this.list.ownPersonalMessage ?? '', ...(this.list.ownCurrentMedia ? { currentMedia: this.list.ownCurrentMedia } : {}) } : {}),
    });

    step('syncing', server);
    await session.synchronize();
    // From here on a failure counts as "soon after signing in", however the server's bytes were split into reads.
    this.lastStep = 'connected';
    await session.setStatus(this.desiredStatus);
    // The personal message is the client's to keep (the server never says it back): sent again after each sign-in.
    if (session.dialect.personalStatus && (this.list.ownPersonalMessage || this.list.ownCurrentMedia)) await session.setPersonalStatus({});
    if (generation !== this.generation) throw sessionErrors.cancelled();
    // Ended by what came right behind the CHG reply: that is the failure, not a cancellation.
    if (session.closed) throw session.endError ?? sessionErrors.closed('right after signing in');
    session.startKeepAlive();
    established = true;
    this.attempt = 0;
    this.abort = undefined;
    this.stableTimer?.dispose();
    this.stableTimer = this.options.clock.setTimeout(() => {
      this.stableTimer = undefined;
      this.viaReconnect = false;
      this.failureStreak = undefined;
    }, this.timings.stableConnectionMs);
    this.setState({ kind: 'connected', email: signedIn.email, protocol: `MSNP${signedIn.version}`, server });
  }

  private onAddedYou_(p: { email: string; nickname: string }): void {
    const key = p.email.toLowerCase();
    if (this.askedAbout.has(key)) return;
    this.askedAbout.add(key);
    this.events.fire({ type: 'added-you', email: p.email, nickname: p.nickname });
  }

  private onListChanged_(): void {
    this.listDirty = true;
    this.listFlush.request();
  }

  /** One snapshot for every listener and, when the session changed the list, for the cache. */
  private emitList(): void {
    const list = this.list.snapshot();
    this.events.fire({ type: 'contact-list', list });
    if (this.listDirty) this.saveList(list);
    this.listDirty = false;
  }

  /** One write at a time; a newer snapshot replaces a waiting one. A failed write only costs a full download next time. */
  private saveList(snapshot: ContactListSnapshot): void {
    this.pendingWrite = snapshot;
    this.cacheWrite ??= this.drainWrites();
  }

  private async drainWrites(): Promise<void> {
    for (let next = this.pendingWrite; next; next = this.pendingWrite) {
      this.pendingWrite = undefined;
      await this.options.listCache.save(this.options.accountId, next).catch(() => undefined);
    }
    this.cacheWrite = undefined;
  }

  private onPresence_(p: PresenceUpdate): void {
    // Coalesced, the last one says the state; it is news only if none of those it stands for was initial presence
    // (an ILN then an NLN within the window: the contact was online already).
    const key = p.email.toLowerCase();
    const initial = p.initial === true || this.pendingPresence.get(key)?.initial === true;
    this.pendingPresence.set(key, initial ? { ...p, initial } : p);
    this.presenceFlush.request();
  }

  private emitPresence(): void {
    const updates = [...this.pendingPresence.values()];
    this.pendingPresence.clear();
    for (const p of updates) this.events.fire({ ...p, type: 'presence' });
  }

  /** Presence not reported yet is stale once everyone is shown offline. */
  private dropPresence(): void {
    this.pendingPresence.clear();
    this.presenceFlush.cancel();
  }

  /** Emits what is waiting now and resolves once the cache writes are done (tests, and the CLI before it exits). */
  async flush(): Promise<void> {
    this.presenceFlush.flush();
    this.listFlush.flush();
    while (this.cacheWrite) await this.cacheWrite;
  }

  private onSessionEnd(generation: number, end: SessionEnd): void {
    if (generation !== this.generation) return;
    this.current = undefined;
    this.stableTimer?.dispose();
    this.stableTimer = undefined;
    this.dropPresence();
    this.listFlush.request();
    if (end.reason === 'user') {
      this.setState({ kind: 'signed-out', reason: 'user' });
    } else if (end.reason === 'elsewhere') {
      this.password = undefined;
      this.setState({ kind: 'signed-out', reason: 'elsewhere', error: toErrorInfo(end.error ?? sessionErrors.signedInElsewhere()) });
    } else {
      this.onFailure(generation, end.error ?? sessionErrors.closed('unexpectedly'));
    }
  }

  /** A connection failed or was lost: reconnect, unless reconnects keep failing the same way. */
  private onFailure(generation: number, error: ButterflyError): void {
    const signature = `${error.code} ${this.lastStep}`;
    if (!this.viaReconnect || !isServerCaused(error.code)) this.failureStreak = undefined;
    else this.failureStreak = { signature, count: this.failureStreak?.signature === signature ? this.failureStreak.count + 1 : 1 };
    const limit = this.options.maxRepeatedFailures ?? DEFAULT_MAX_REPEATED_FAILURES;
    if (!error.retryable || (this.failureStreak?.count ?? 0) >= limit) {
      const final = error.retryable ? sessionErrors.gaveUp(error, limit, STEP_TEXT[this.lastStep]) : error;
      this.stop();
      this.password = undefined;
      this.setState({ kind: 'signed-out', reason: 'error', error: toErrorInfo(final) });
      return;
    }
    this.scheduleReconnect(generation, error);
  }

  private scheduleReconnect(generation: number, error: ButterflyError): void {
    this.sessionStore.dispose();
    this.sessionStore = new DisposableStore();
    this.viaReconnect = true;
    this.lastStep = 'connecting';
    this.attempt++;
    const delay = backoffDelay(this.attempt, this.backoff, this.options.random);
    this.setState({ kind: 'reconnecting', attempt: this.attempt, inSeconds: Math.ceil(delay / 1000), error: toErrorInfo(error) });
    this.reconnectTimer = this.options.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connectOnce(generation).catch((failure: unknown) => {
        if (generation !== this.generation) return;
        this.current?.dispose();
        this.current = undefined;
        this.onFailure(generation, failure instanceof ButterflyError ? failure : sessionErrors.unexpected(String(failure)));
      });
    }, delay);
  }

  private setState(state: ConnectionState): void {
    this.stateValue = state;
    this.events.fire({ type: 'connection-state', state });
  }

  dispose(): void {
    this.signOut();
    this.listFlush.dispose();
    this.presenceFlush.dispose();
    for (const e of [this.events, this.trafficEmitter, this.nsCommandEmitter]) e.dispose();
  }
}
