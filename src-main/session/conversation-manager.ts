// An account's conversations: the model (single conversations keyed by contact, group conversations with their own
// id), their switchboards, the outbox that delivers every message or says plainly why not, typing and nudges.
// Calls return results ({ conversationId }, { messageIds }); everything that happens comes out of one event stream.
//
// Switchboards and conversations:
// - A conversation outlives its switchboards. Sending when none is up opens one (XFR SB, CAL the participants, wait
//   for a JOI); an invitation (RNG) is answered at once and its roster decides the conversation: one other person →
//   the single conversation with them, more → a new group conversation. A third person joining a single
//   conversation's switchboard (by our CAL or theirs) turns that switchboard into a new group conversation.
// - Several switchboards can carry one single conversation (both sides opened one at the same moment, or the contact
//   opened a new one while ours was still up): every one of them feeds the conversation; we send on the newest; and
//   when two came up within `simultaneousOpenMs`, on the one whose caller has the smaller address, which the other
//   side picks as well — so both sides settle on the same one and neither closes the one the other is using. A spare
//   is closed once it has been quiet for `spareCloseMs` with nothing awaiting an ACK; any switchboard after
//   `idleCloseMs` of quiet.
// Delivery (see outbox.ts for the states): queued messages are written once a switchboard has someone else in it
// (a group's new switchboard: once everyone called has joined or failed, at most `groupJoinWaitMs` after the first
// joined, so that nobody misses the first messages), in order, at most `maxInFlight` awaiting their ACK; a switchboard
// that closes turns what it carried unanswered into `unconfirmed` (never re-sent without a retry) and leaves the queue
// for the next one. Opening a switchboard is tried `maxOpenAttempts` times per message before it fails with a reason;
// refusals that waiting will not cure (the contact is offline, 913 while appearing offline) fail the queue at once.
// Signing out fails what is queued.
import { randomUUID } from 'node:crypto';
import {
  MAX_TEXT_BYTES,
  type ConversationEvent,
  type ConversationKind,
  type ConversationMessage,
  type ConversationParticipant,
  type ConversationSummary,
  type DeliveryReason,
  type IncomingMessage,
  type MessageFormat,
  type OutgoingMessage,
} from '../../src-shared/conversation-types';
import { DisposableStore, Emitter, type Disposable, type Event } from '../../src-shared/disposable';
import { ButterflyError, toErrorInfo } from '../../src-shared/errors';
import { findEmoticons } from '../protocol/emoticons';
import { isSafeFontName, type TextFormat } from '../protocol/im-format';
import { buildNudgeMessage, buildTextMessage, buildTypingMessage } from '../protocol/im-message';
import { isEmailAddress, type RingInvite, type SwitchboardMember } from '../protocol/sb-commands';
import { splitForSwitchboard, SWITCHBOARD_MAX_PAYLOAD_BYTES, type SwitchboardContent } from '../protocol/sb-message';
import type { Clock } from './clock';
import { conversationErrors, deliveryReason, switchboardErrors } from './conversation-errors';
import { Outbox, type OutboxItem } from './outbox';
import { ServerError } from './server-error';
import type { HostState, SwitchboardHost } from './switchboard-host';
import { SwitchboardSession, type SwitchboardEvent } from './switchboard-session';

export interface ConversationTimings {
  connectTimeoutMs: number;
  /** USR, ANS and CAL answers. */
  requestTimeoutMs: number;
  /** A `MSG A` without ACK/NAK for this long ends `unconfirmed`. */
  ackTimeoutMs: number;
  /** Called people who have not joined after this long: the open fails with `no-answer`. */
  joinTimeoutMs: number;
  /** A group's new switchboard: once someone joined, how long messages wait for the others called (so that nobody
   *  misses them) before going to those who came. */
  groupJoinWaitMs: number;
  /** A switchboard quiet for this long is left (OUT). */
  idleCloseMs: number;
  /** A spare switchboard of a single conversation quiet for this long is left. */
  spareCloseMs: number;
  /** Two switchboards of one contact up within this window were opened at the same moment (see the header). */
  simultaneousOpenMs: number;
  /** At most one typing notice per this interval. */
  typingIntervalMs: number;
  /** "X is typing" ends this long after their last notice. */
  typingExpireMs: number;
  /** At most one nudge per this interval per conversation. */
  nudgeIntervalMs: number;
  /** First pause before opening a switchboard again after a failed attempt (then twice, three times…). */
  reopenDelayMs: number;
}

export const DEFAULT_CONVERSATION_TIMINGS: ConversationTimings = {
  connectTimeoutMs: 20_000,
  requestTimeoutMs: 30_000,
  ackTimeoutMs: 60_000,
  joinTimeoutMs: 60_000,
  groupJoinWaitMs: 5_000,
  idleCloseMs: 10 * 60_000,
  spareCloseMs: 10_000,
  simultaneousOpenMs: 5_000,
  typingIntervalMs: 5_000,
  typingExpireMs: 6_000,
  nudgeIntervalMs: 10_000,
  reopenDelayMs: 1_000,
};

export interface ConversationLimits {
  /** One MSG payload at most (text longer than that is split). */
  maxPayloadBytes: number;
  /** Longer text (UTF-8 bytes) is refused rather than split into more messages than anyone wants. */
  maxTextBytes: number;
  /** Messages awaiting their ACK on one switchboard at once. */
  maxInFlight: number;
  /** Switchboards opened for one message that never carried it, before it fails. */
  maxOpenAttempts: number;
  /** Messages kept in memory per conversation for `messages()` (history keeps them all). */
  keepMessages: number;
  /** Switchboards open (or being answered) at once; invitations beyond it are not answered, as if ignored. */
  maxSwitchboards: number;
}

export const DEFAULT_CONVERSATION_LIMITS: ConversationLimits = {
  maxPayloadBytes: SWITCHBOARD_MAX_PAYLOAD_BYTES,
  maxTextBytes: MAX_TEXT_BYTES,
  maxInFlight: 32,
  maxOpenAttempts: 3,
  keepMessages: 200,
  maxSwitchboards: 100,
};

export interface ConversationManagerOptions {
  host: SwitchboardHost;
  clock: Clock;
  timings?: Partial<ConversationTimings>;
  limits?: Partial<ConversationLimits>;
  /** Ids for conversations and messages (default: random UUIDs). */
  newId?: () => string;
  /**
   * What is known of an earlier single conversation with this contact (the message history): a new conversation with
   * them takes its id, so it stays the same across runs, and starts from its unread count.
   */
  recall?: (contact: string) => { id: string; unread: number } | undefined;
}

interface Conversation {
  readonly id: string;
  readonly kind: ConversationKind;
  /** single: the contact as first spelled. */
  readonly contact?: string;
  /** The other people: for single the contact; for group those present now (also whom a new switchboard calls). */
  readonly participants: Map<string, ConversationParticipant>;
  readonly outbox: Outbox;
  readonly links: Set<Link>;
  /** An XFR/USR in progress for it. */
  opening: boolean;
  reopenTimer: Disposable | undefined;
  unread: number;
  lastActivity: number;
  readonly recent: ConversationMessage[];
  readonly typing: Map<string, Disposable>;
  lastTypingSent: number;
  lastNudgeSent: number;
}

/** A switchboard and what rides on it. */
interface Link {
  readonly sb: SwitchboardSession;
  conversation: Conversation;
  /** When someone else first joined (0 until then). */
  readyAt: number;
  readonly inFlight: Set<OutboxItem>;
  /** Whether it ever carried one of our messages (a switchboard that never did counts against the open attempts). */
  carried: boolean;
  /** Why it is being given up, when we know (told to the queue if the open counts as failed). */
  lastError: ButterflyError | undefined;
  /** CALs made on it, and how many of them failed. */
  calls: number;
  failedCalls: number;
  /** A group's new switchboard: the people called when it opened who have neither joined nor failed yet. Nothing is
   *  sent on it until they have (or `groupJoinWaitMs` after the first join). */
  readonly awaited: Set<string>;
  idleTimer: Disposable | undefined;
  joinTimer: Disposable | undefined;
  awaitTimer: Disposable | undefined;
}

interface InviteWaiter {
  resolve: (r: { conversationId: string }) => void;
  reject: (e: ButterflyError) => void;
  timer: Disposable;
}

const key = (email: string): string => email.toLowerCase();
/** A switchboard member as a conversation has it: the address and nickname (what else the member line said, such as
 *  MSNP12's capabilities, stays with the switchboard). */
const asParticipant = ({ email, nickname }: ConversationParticipant): ConversationParticipant => ({ email, nickname });

export class ConversationManager implements Disposable {
  private readonly timings: ConversationTimings;
  private readonly limits: ConversationLimits;
  private readonly newId: () => string;
  private readonly byId = new Map<string, Conversation>();
  private readonly singles = new Map<string, Conversation>();
  private readonly links = new Set<Link>();
  /** Invitations being answered (connect + ANS), counted against `maxSwitchboards`. */
  private answering = 0;
  private readonly waiters = new Map<string, ((m: OutgoingMessage) => void)[]>();
  private readonly inviteWaiters = new Map<string, InviteWaiter[]>();
  private readonly store = new DisposableStore();
  private readonly events = new Emitter<ConversationEvent>();
  private disposed = false;
  /** Every conversation event, in order. */
  readonly onEvent: Event<ConversationEvent> = this.events.event;

  constructor(private readonly options: ConversationManagerOptions) {
    this.timings = { ...DEFAULT_CONVERSATION_TIMINGS, ...options.timings };
    this.limits = { ...DEFAULT_CONVERSATION_LIMITS, ...options.limits };
    this.newId = options.newId ?? randomUUID;
    this.store.add(options.host.onState((s) => this.onHostState(s)));
    this.store.add(options.host.onRing((r) => this.onRing(r)));
  }

  // ── calls ────────────────────────────────────────────────────────────────────────────────────────────────────

  /** The single conversation with `email`, created (without any network traffic) if there is none. */
  openConversation(email: string): { conversationId: string } {
    const address = email.trim();
    if (!isEmailAddress(address)) throw conversationErrors.badAddress();
    const self = this.options.host.selfEmail;
    if (self && key(self) === key(address)) throw conversationErrors.isYou();
    return { conversationId: this.single(address, address).id };
  }

  /**
   * Sends text: checked, split to fit the switchboard (each part its own message and delivery state), queued, and
   * sent as soon as a switchboard is up. Resolves with the ids at once; the states follow as events.
   */
  sendText(conversationId: string, text: string, format?: MessageFormat): { messageIds: string[] } {
    const conversation = this.get(conversationId);
    this.requireSignedIn();
    if (text.trim() === '') throw conversationErrors.emptyText();
    if (Buffer.byteLength(text, 'utf8') > this.limits.maxTextBytes) throw conversationErrors.textTooLong(this.limits.maxTextBytes);
    const textFormat = checkFormat(format);
    const parts = splitForSwitchboard(text, textFormat, this.limits.maxPayloadBytes);
    const messageIds = parts.map((part, index) =>
      this.enqueue(conversation, {
        kind: 'text',
        text: part,
        ...(format ? { format: pickFormat(textFormat) } : {}),
        emoticons: findEmoticons(part),
        ...(parts.length > 1 ? { part: { index, count: parts.length } } : {}),
        payload: buildTextMessage(part, textFormat),
        mode: 'A',
      }),
    );
    this.pump(conversation);
    return { messageIds };
  }

  /** A nudge, at most one per `nudgeIntervalMs` per conversation. Sent without confirmation: its last state is `sent`. */
  sendNudge(conversationId: string): { messageId: string } {
    const conversation = this.get(conversationId);
    this.requireSignedIn();
    const now = this.options.clock.now();
    if (now - conversation.lastNudgeSent < this.timings.nudgeIntervalMs) throw conversationErrors.nudgeTooSoon(Math.ceil(this.timings.nudgeIntervalMs / 1000));
    conversation.lastNudgeSent = now;
    const messageId = this.enqueue(conversation, { kind: 'nudge', text: '', emoticons: [], payload: buildNudgeMessage(), mode: 'N' });
    this.pump(conversation);
    return { messageId };
  }

  /** The user is typing: sends a typing notice on a switchboard that is up, at most every `typingIntervalMs`. */
  userTyping(conversationId: string): void {
    const conversation = this.get(conversationId);
    const link = this.preferred(conversation);
    const self = this.options.host.selfEmail;
    const now = this.options.clock.now();
    if (!link || !self || now - conversation.lastTypingSent < this.timings.typingIntervalMs) return;
    conversation.lastTypingSent = now;
    link.sb.post(buildTypingMessage(self), 'U');
    this.armIdle(link);
  }

  /** Sends a failed or unconfirmed message again: a new attempt of the same id. */
  retry(messageId: string): { messageId: string } {
    const conversation = this.homeOf(messageId);
    if (!conversation) throw conversationErrors.unknownMessage();
    this.requireSignedIn();
    if (!conversation.outbox.retry(messageId)) throw conversationErrors.notRetryable(conversation.outbox.get(messageId)?.message.state ?? 'done');
    this.pump(conversation);
    return { messageId };
  }

  /**
   * Invites `email` (CAL) into the conversation; resolves with the conversation they joined once they did — for a
   * single conversation that is a new group conversation. Rejects when they cannot be reached.
   */
  invite(conversationId: string, email: string): Promise<{ conversationId: string }> {
    const conversation = this.get(conversationId);
    this.requireSignedIn();
    const address = email.trim();
    if (!isEmailAddress(address)) return Promise.reject(conversationErrors.badAddress());
    if (conversation.participants.has(key(address))) return Promise.reject(conversationErrors.alreadyThere());
    return new Promise((resolve, reject) => {
      const list = this.inviteWaiters.get(key(address)) ?? [];
      const timer = this.options.clock.setTimeout(() => this.rejectInvite(address, conversationErrors.noAnswer()), this.timings.joinTimeoutMs);
      list.push({ resolve, reject, timer });
      this.inviteWaiters.set(key(address), list);
      const link = this.preferred(conversation);
      if (link) this.call(link, [address]);
      else this.open(conversation, [...this.callees(conversation), address]);
    });
  }

  /** Marks every received message of the conversation read. */
  markRead(conversationId: string): void {
    const conversation = this.get(conversationId);
    if (conversation.unread === 0) return;
    conversation.unread = 0;
    this.updated(conversation);
  }

  /** Leaves the conversation's switchboards (OUT). Queued messages fail ("you left"); the conversation stays. */
  leave(conversationId: string): void {
    const conversation = this.get(conversationId);
    conversation.outbox.failQueued(deliveryReason('left'));
    this.cancelReopen(conversation);
    for (const link of [...conversation.links]) link.sb.leave();
  }

  /** Leaves and forgets the conversation (its window was closed; history keeps what was said). */
  closeConversation(conversationId: string): void {
    const conversation = this.get(conversationId);
    this.leave(conversationId);
    for (const t of conversation.typing.values()) t.dispose();
    this.byId.delete(conversation.id);
    if (conversation.contact && this.singles.get(key(conversation.contact)) === conversation) this.singles.delete(key(conversation.contact));
    this.emit({ type: 'conversation-closed', conversationId: conversation.id });
  }

  /** Resolves with the message once it reached a final state (delivered, failed, unconfirmed; `sent` for a nudge). */
  whenSettled(messageId: string): Promise<OutgoingMessage> {
    const conversation = this.homeOf(messageId);
    const message =
      conversation?.outbox.get(messageId)?.message ??
      [...this.byId.values()].flatMap((c) => c.recent).find((m): m is OutgoingMessage => m.id === messageId && m.direction === 'out');
    if (!message) return Promise.reject(conversationErrors.unknownMessage());
    if (isSettled(message)) return Promise.resolve({ ...message });
    return new Promise((resolve) => {
      const list = this.waiters.get(messageId) ?? [];
      list.push(resolve);
      this.waiters.set(messageId, list);
    });
  }

  conversations(): ConversationSummary[] {
    return [...this.byId.values()].map((c) => this.summary(c));
  }

  conversation(conversationId: string): ConversationSummary {
    return this.summary(this.get(conversationId));
  }

  /** The most recent messages kept in memory (at most `keepMessages`), oldest first. */
  messages(conversationId: string): ConversationMessage[] {
    return this.get(conversationId).recent.map((m) => ({ ...m }));
  }

  /** Quitting: what waits fails ("not sent: you signed out"), told as events like any change; the switchboards go. */
  dispose(): void {
    if (this.disposed) return;
    for (const c of this.byId.values()) c.outbox.failQueued(deliveryReason('signed-out'));
    this.disposed = true;
    this.store.dispose();
    for (const c of this.byId.values()) {
      this.cancelReopen(c);
      for (const t of c.typing.values()) t.dispose();
    }
    for (const link of [...this.links]) link.sb.leave();
    this.events.dispose();
  }

  // ── the model ────────────────────────────────────────────────────────────────────────────────────────────────

  private get(conversationId: string): Conversation {
    const c = this.byId.get(conversationId);
    if (!c) throw conversationErrors.unknownConversation();
    return c;
  }

  /** The conversation whose outbox holds the message (one that can still change state or be retried). */
  private homeOf(messageId: string): Conversation | undefined {
    for (const c of this.byId.values()) if (c.outbox.get(messageId)) return c;
    return undefined;
  }

  private requireSignedIn(): void {
    if (this.options.host.state === 'offline') throw conversationErrors.notSignedIn();
  }

  private create(kind: ConversationKind, participants: ConversationParticipant[], contact?: string, grewFrom?: string): Conversation {
    const known = contact === undefined ? undefined : this.options.recall?.(contact);
    const reuse = known !== undefined && !this.byId.has(known.id);
    const conversation: Conversation = {
      id: reuse ? known.id : this.newId(),
      kind,
      contact,
      participants: new Map(participants.map((p) => [key(p.email), asParticipant(p)])),
      outbox: new Outbox((item) => this.onOutboxChange(conversation, item)),
      links: new Set(),
      opening: false,
      reopenTimer: undefined,
      unread: reuse ? known.unread : 0,
      lastActivity: this.options.clock.now(),
      recent: [],
      typing: new Map(),
      lastTypingSent: -Infinity,
      lastNudgeSent: -Infinity,
    };
    this.byId.set(conversation.id, conversation);
    if (contact) this.singles.set(key(contact), conversation);
    this.emit({ type: 'conversation-opened', conversation: this.summary(conversation), ...(grewFrom ? { grewFrom } : {}) });
    return conversation;
  }

  private single(email: string, nickname: string): Conversation {
    return this.singles.get(key(email)) ?? this.create('single', [{ email, nickname }], email);
  }

  private summary(c: Conversation): ConversationSummary {
    return {
      id: c.id,
      kind: c.kind,
      ...(c.contact ? { contact: c.contact } : {}),
      participants: [...c.participants.values()].map((p) => ({ ...p })),
      unread: c.unread,
      lastActivity: c.lastActivity,
      connected: this.preferred(c) !== undefined,
    };
  }

  private updated(c: Conversation): void {
    this.emit({ type: 'conversation-updated', conversation: this.summary(c) });
  }

  private emit(event: ConversationEvent): void {
    if (!this.disposed) this.events.fire(event);
  }

  /** Keeps the last `keepMessages` for `messages()` (a message that can still change state stays in its outbox). */
  private remember(c: Conversation, message: ConversationMessage): void {
    c.recent.push(message);
    c.lastActivity = message.at;
    if (c.recent.length > this.limits.keepMessages) c.recent.shift();
  }

  private enqueue(
    c: Conversation,
    m: Pick<OutgoingMessage, 'kind' | 'text' | 'format' | 'emoticons' | 'part'> & { payload: Uint8Array; mode: 'A' | 'N' },
  ): string {
    const { payload, mode, ...fields } = m;
    const message: OutgoingMessage = {
      id: this.newId(),
      conversationId: c.id,
      at: this.options.clock.now(),
      from: this.options.host.selfEmail ?? '',
      direction: 'out',
      ...fields,
      state: 'queued',
      attempt: 1,
    };
    c.outbox.add({ message, payload, mode, openAttempts: 0 });
    this.remember(c, message);
    this.emit({ type: 'message', message: { ...message } });
    return message.id;
  }

  private onOutboxChange(c: Conversation, item: OutboxItem): void {
    const m = item.message;
    this.emit({ type: 'message-state', conversationId: c.id, messageId: m.id, state: m.state, attempt: m.attempt, ...(m.reason ? { reason: m.reason } : {}) });
    if (!isSettled(m)) return;
    const waiting = this.waiters.get(m.id);
    if (!waiting) return;
    this.waiters.delete(m.id);
    for (const w of waiting) w({ ...m });
  }

  // ── delivery ─────────────────────────────────────────────────────────────────────────────────────────────────

  /** Writes what is queued on the preferred switchboard, or gets one opened. */
  private pump(c: Conversation): void {
    if (c.outbox.queuedCount === 0 || this.disposed) return;
    const link = this.preferred(c);
    if (!link) return this.ensureSwitchboard(c);
    if (link.awaited.size > 0) return;
    for (;;) {
      if (link.inFlight.size >= this.limits.maxInFlight) return;
      const item = c.outbox.take();
      if (!item) return;
      this.transmit(c, link, item);
    }
  }

  private transmit(c: Conversation, link: Link, item: OutboxItem): void {
    link.carried = true;
    this.armIdle(link);
    if (item.mode === 'N') {
      link.sb.post(item.payload, 'N');
      return;
    }
    link.inFlight.add(item);
    link.sb.sendMessage(item.payload).then(
      (answer) => {
        link.inFlight.delete(item);
        if (answer === 'ACK') c.outbox.settle(item, 'delivered');
        else c.outbox.settle(item, 'failed', deliveryReason('not-delivered'));
        this.pump(c);
        this.armIdle(link);
      },
      (error: unknown) => {
        link.inFlight.delete(item);
        if (error instanceof ServerError) c.outbox.settle(item, 'failed', deliveryReason('refused', `error ${error.serverCode}`));
        else if (error instanceof ButterflyError && error.code === 'session.timeout') c.outbox.settle(item, 'unconfirmed', deliveryReason('no-confirmation'));
        else {
          // Why the switchboard went (nonsense from it, a reset), when it is more than "it closed".
          const why = error instanceof ButterflyError && error.code !== 'session.connection-closed' ? error.message : undefined;
          c.outbox.settle(item, 'unconfirmed', deliveryReason('connection-lost', why));
        }
        this.pump(c);
      },
    );
  }

  private ensureSwitchboard(c: Conversation): void {
    if (c.opening || c.reopenTimer || [...c.links].some((l) => !l.sb.closed && l.readyAt === 0)) return;
    if (this.options.host.state !== 'online') return;
    const callees = this.callees(c);
    if (callees.length === 0) return c.outbox.failQueued(deliveryReason('nobody-here'));
    this.open(c, callees);
  }

  /** Whom a new switchboard for the conversation calls. */
  private callees(c: Conversation): string[] {
    return c.kind === 'single' ? [c.contact as string] : [...c.participants.values()].map((p) => p.email);
  }

  /** XFR SB → connect → USR, then CAL everyone in `callees`. */
  private open(c: Conversation, callees: string[]): void {
    const host = this.options.host;
    const self = host.selfEmail;
    if (!self || host.state !== 'online') return;
    c.opening = true;
    host
      .requestSwitchboard()
      .then((grant) => SwitchboardSession.call(this.sbOptions(self), grant))
      .then(
        (sb) => {
          c.opening = false;
          if (this.disposed || host.state === 'offline') return sb.leave();
          const link = this.attach(sb, c);
          link.joinTimer = this.options.clock.setTimeout(() => this.onJoinTimeout(link), this.timings.joinTimeoutMs);
          if (c.kind === 'group') for (const email of callees) link.awaited.add(key(email));
          this.call(link, callees);
        },
        (error: unknown) => {
          c.opening = false;
          this.openFailed(c, error, callees);
        },
      );
  }

  private call(link: Link, emails: string[]): void {
    for (const email of emails) {
      link.calls++;
      link.sb.invite(email).catch((error: unknown) => this.callFailed(link, email, error));
    }
  }

  private callFailed(link: Link, email: string, error: unknown): void {
    const e = error instanceof ButterflyError ? error : switchboardErrors.unexpected(String(error));
    const c = link.conversation;
    link.failedCalls++;
    // The last one awaited on a group's new switchboard could not come: what waits goes to those who did.
    if (link.awaited.has(key(email)) && this.stopAwaiting(link, email) && link.readyAt !== 0) this.pump(c);
    this.rejectInvite(email, e);
    if (c.kind === 'group' || key(email) !== key(c.contact as string)) this.emit({ type: 'invite-failed', conversationId: c.id, email, error: toErrorInfo(e) });
    if (link.sb.closed || link.readyAt !== 0) return;
    // Nobody is here yet and the call that mattered failed (the contact; for a group, every call): the end of this
    // switchboard. A refusal fails the queue now; anything else counts as a failed open when it closes.
    if (c.kind === 'single' ? key(email) === key(c.contact as string) : link.failedCalls >= link.calls) {
      const reason = refusal(e);
      if (reason) c.outbox.failQueued(reason);
      link.lastError = e;
      link.sb.leave();
    }
  }

  /** `email` joined or could not be reached. Answers whether nobody is awaited any more (the timer is then off). */
  private stopAwaiting(link: Link, email: string): boolean {
    link.awaited.delete(key(email));
    if (link.awaited.size > 0) return false;
    link.awaitTimer?.dispose();
    link.awaitTimer = undefined;
    return true;
  }

  private onJoinTimeout(link: Link): void {
    link.joinTimer = undefined;
    if (link.readyAt !== 0 || link.sb.closed) return;
    link.conversation.outbox.failQueued(deliveryReason('no-answer'));
    link.sb.leave();
  }

  private openFailed(c: Conversation, error: unknown, callees: string[]): void {
    const e = error instanceof ButterflyError ? error : switchboardErrors.unexpected(String(error));
    for (const email of callees) this.rejectInvite(email, e);
    // The NS went away meanwhile: what waits goes out once it is back (or fails at sign-out).
    if (this.options.host.state !== 'online') return;
    const reason = refusal(e);
    if (reason) return c.outbox.failQueued(reason);
    this.countOpenAttempt(c, e);
  }

  /**
   * A switchboard that never carried the queue: one attempt more for each queued message; those out of attempts
   * (or after an error that retrying cannot fix) fail, the rest try again after a pause that grows with the attempts.
   */
  private countOpenAttempt(c: Conversation, error: ButterflyError | undefined): void {
    const queued = c.outbox.queued();
    if (queued.length === 0) return;
    for (const item of queued) item.openAttempts++;
    const hopeless = error !== undefined && !error.retryable;
    c.outbox.failQueued(deliveryReason('switchboard-unavailable', error?.message), (item) => hopeless || item.openAttempts >= this.limits.maxOpenAttempts);
    const remaining = c.outbox.queued();
    if (remaining.length === 0) return;
    const attempts = remaining.reduce((n, i) => Math.max(n, i.openAttempts), 0);
    this.cancelReopen(c);
    c.reopenTimer = this.options.clock.setTimeout(() => {
      c.reopenTimer = undefined;
      this.pump(c);
    }, this.timings.reopenDelayMs * attempts);
  }

  private cancelReopen(c: Conversation): void {
    c.reopenTimer?.dispose();
    c.reopenTimer = undefined;
  }

  // ── switchboards ─────────────────────────────────────────────────────────────────────────────────────────────

  private sbOptions(selfEmail: string) {
    return {
      transportFactory: this.options.host.transportFactory,
      clock: this.options.clock,
      selfEmail,
      connectTimeoutMs: this.timings.connectTimeoutMs,
      requestTimeoutMs: this.timings.requestTimeoutMs,
      ackTimeoutMs: this.timings.ackTimeoutMs,
      onTraffic: this.options.host.onTraffic,
      // The switchboard speaks the NS's version.
      dialect: this.options.host.dialect,
    };
  }

  private onRing(ring: RingInvite): void {
    const self = this.options.host.selfEmail;
    if (this.disposed || !self || this.options.host.state === 'offline') return;
    // A server ringing us without end must not open connections without end.
    if (this.links.size + this.answering >= this.limits.maxSwitchboards) return;
    this.answering++;
    SwitchboardSession.answer(this.sbOptions(self), ring).then(
      (sb) => {
        this.answering--;
        if (this.disposed || this.options.host.state === 'offline') return sb.leave();
        const members = [...sb.members.values()];
        if (members.length === 0) return sb.leave();
        const c = members.length === 1 ? this.single(members[0].email, members[0].nickname) : this.create('group', members);
        // The roster arrives as the switchboard's first events: they make the link ready and send what waits.
        this.attach(sb, c);
      },
      // An invitation that cannot be answered (expired cookie, unreachable switchboard) is as if it never came:
      // whoever rang will get a 217 or no JOI, and a message of theirs opens a new one.
      () => {
        this.answering--;
      },
    );
  }

  private attach(sb: SwitchboardSession, c: Conversation): Link {
    const link: Link = {
      sb,
      conversation: c,
      readyAt: 0,
      inFlight: new Set(),
      carried: false,
      lastError: undefined,
      calls: 0,
      failedCalls: 0,
      awaited: new Set(),
      idleTimer: undefined,
      joinTimer: undefined,
      awaitTimer: undefined,
    };
    this.links.add(link);
    c.links.add(link);
    sb.listen((event) => this.onSwitchboardEvent(link, event));
    return link;
  }

  private onSwitchboardEvent(link: Link, event: SwitchboardEvent): void {
    switch (event.type) {
      case 'joined':
        return this.onJoined(link, event.member);
      case 'left':
        return this.onLeft(link, event.email, event.dropped);
      case 'content':
        this.armIdle(link);
        return this.onContent(link.conversation, event.from, event.content);
      case 'closed':
        return this.onClosed(link, event.error);
    }
  }

  private onJoined(link: Link, member: SwitchboardMember): void {
    const firstJoin = link.readyAt === 0;
    if (firstJoin) {
      link.readyAt = this.options.clock.now();
      link.joinTimer?.dispose();
      link.joinTimer = undefined;
    }
    // A group's new switchboard: the first to come waits at most groupJoinWaitMs for the others called.
    if (!this.stopAwaiting(link, member.email) && firstJoin) {
      link.awaitTimer = this.options.clock.setTimeout(() => {
        link.awaitTimer = undefined;
        link.awaited.clear();
        this.pump(link.conversation);
      }, this.timings.groupJoinWaitMs);
    }
    let c = link.conversation;
    if (c.kind === 'single' && key(member.email) !== key(c.contact as string)) {
      // A third person: this switchboard becomes a group conversation of everyone in it.
      const from = c;
      this.detach(link);
      c = this.create('group', [...link.sb.members.values()], undefined, from.id);
      link.conversation = c;
      c.links.add(link);
      this.updated(from);
      this.updated(c);
    } else if (c.kind === 'group') {
      if (!c.participants.has(key(member.email))) this.emit({ type: 'participant-joined', conversationId: c.id, participant: asParticipant(member) });
      c.participants.set(key(member.email), asParticipant(member));
      this.updated(c);
    } else {
      // The contact: keep the nickname the switchboard shows.
      c.participants.set(key(member.email), asParticipant(member));
      if (firstJoin) this.updated(c);
    }
    this.resolveInvite(member.email, c);
    this.linkReady(link);
  }

  /** A switchboard has someone in it: send what waits, and settle which switchboard of the conversation is used. */
  private linkReady(link: Link): void {
    const c = link.conversation;
    for (const l of c.links) this.armIdle(l, true);
    this.pump(c);
  }

  private onLeft(link: Link, email: string, dropped: boolean): void {
    const c = link.conversation;
    if (c.kind === 'group' && c.participants.delete(key(email))) {
      this.emit({ type: 'participant-left', conversationId: c.id, email, reason: dropped ? 'dropped' : 'left' });
      this.updated(c);
    }
    this.stopTyping(c, email);
    // Nobody else left: the switchboard is of no use any more (a new one is opened when someone writes).
    if (link.sb.members.size === 0) link.sb.leave();
  }

  private onContent(c: Conversation, from: SwitchboardMember, content: SwitchboardContent): void {
    const now = this.options.clock.now();
    switch (content.kind) {
      case 'typing':
        return this.startTyping(c, from.email);
      case 'text':
      case 'nudge': {
        this.stopTyping(c, from.email);
        const base = { id: this.newId(), conversationId: c.id, at: now, from: from.email, direction: 'in' as const, nickname: from.nickname };
        const message: IncomingMessage =
          content.kind === 'nudge'
            ? { ...base, kind: 'nudge', text: '', emoticons: [] }
            : {
                ...base,
                kind: 'text',
                text: content.text,
                ...(content.format ? { format: pickFormat(content.format) } : {}),
                emoticons: content.emoticons,
                charset: content.charset,
                ...(content.unknownCharset ? { unknownCharset: true } : {}),
                ...(content.malformed ? { malformed: true } : {}),
              };
        c.unread++;
        this.remember(c, message);
        this.emit({ type: 'message', message: { ...message } });
        this.updated(c);
        return;
      }
      case 'unsupported':
        return this.emit({ type: 'unsupported-content', conversationId: c.id, from: from.email, contentType: content.contentType, at: now });
      case 'control':
        return;
    }
  }

  private onClosed(link: Link, error: ButterflyError | undefined): void {
    const c = link.conversation;
    link.joinTimer?.dispose();
    link.idleTimer?.dispose();
    link.awaitTimer?.dispose();
    this.detach(link);
    for (const l of c.links) this.armIdle(l, true);
    if (link.readyAt !== 0) this.updated(c);
    // What it carried unanswered settles as `unconfirmed` through the rejected sendMessage promises. A switchboard
    // that closed without carrying anything while messages waited was a failed open: count it, so a server that
    // keeps failing us ends in `failed` instead of a loop.
    if (!link.carried && c.outbox.queuedCount > 0 && !this.preferred(c)) this.countOpenAttempt(c, link.lastError ?? error);
    else this.pump(c);
  }

  private detach(link: Link): void {
    link.conversation.links.delete(link);
    if (link.sb.closed) this.links.delete(link);
  }

  /**
   * The switchboard to send on: one with someone else in it; for a single conversation the newest, or — two up within
   * `simultaneousOpenMs` — the one whose caller has the smaller address (both sides pick the same).
   */
  private preferred(c: Conversation): Link | undefined {
    let best: Link | undefined;
    for (const l of c.links) {
      if (l.sb.closed || l.readyAt === 0 || l.sb.members.size === 0) continue;
      if (!best) best = l;
      else if (Math.abs(l.readyAt - best.readyAt) >= this.timings.simultaneousOpenMs) best = l.readyAt > best.readyAt ? l : best;
      else if (key(l.sb.caller) !== key(best.sb.caller)) best = key(l.sb.caller) < key(best.sb.caller) ? l : best;
      else best = l.readyAt >= best.readyAt ? l : best;
    }
    return best;
  }

  /**
   * The quiet timer: a spare closes after `spareCloseMs`, any switchboard after `idleCloseMs`. Armed once and checked
   * when it fires (activity only moves `lastActivity`); `again` re-arms it when the limit may have changed.
   */
  private armIdle(link: Link, again = false): void {
    if (link.idleTimer && !again) return;
    link.idleTimer?.dispose();
    link.idleTimer = undefined;
    if (link.sb.closed) return;
    const limit = this.preferred(link.conversation) === link || link.readyAt === 0 ? this.timings.idleCloseMs : this.timings.spareCloseMs;
    const due = Math.max(0, link.sb.lastActivity + limit - this.options.clock.now());
    link.idleTimer = this.options.clock.setTimeout(() => {
      link.idleTimer = undefined;
      const quiet = this.options.clock.now() - link.sb.lastActivity >= limit;
      if (quiet && link.inFlight.size === 0) link.sb.leave();
      else this.armIdle(link, true);
    }, due);
  }

  // ── typing, invitations, the account ─────────────────────────────────────────────────────────────────────────

  private startTyping(c: Conversation, email: string): void {
    const k = key(email);
    const active = c.typing.has(k);
    c.typing.get(k)?.dispose();
    c.typing.set(
      k,
      this.options.clock.setTimeout(() => this.stopTyping(c, email), this.timings.typingExpireMs),
    );
    if (!active) this.emit({ type: 'typing', conversationId: c.id, email, active: true });
  }

  private stopTyping(c: Conversation, email: string): void {
    const timer = c.typing.get(key(email));
    if (!timer) return;
    timer.dispose();
    c.typing.delete(key(email));
    this.emit({ type: 'typing', conversationId: c.id, email, active: false });
  }

  private takeInviteWaiters(email: string): InviteWaiter[] {
    const list = this.inviteWaiters.get(key(email)) ?? [];
    this.inviteWaiters.delete(key(email));
    for (const w of list) w.timer.dispose();
    return list;
  }

  private resolveInvite(email: string, c: Conversation): void {
    for (const w of this.takeInviteWaiters(email)) w.resolve({ conversationId: c.id });
  }

  private rejectInvite(email: string, error: ButterflyError): void {
    for (const w of this.takeInviteWaiters(email)) w.reject(error);
  }

  private onHostState(state: HostState): void {
    if (state === 'online') {
      for (const c of this.byId.values()) this.pump(c);
      return;
    }
    if (state !== 'offline') return;
    // Signed out: what waits is not sent later by surprise; the switchboards go too.
    for (const c of this.byId.values()) {
      c.outbox.failQueued(deliveryReason('signed-out'));
      this.cancelReopen(c);
      for (const email of [...c.typing.keys()]) this.stopTyping(c, email);
    }
    for (const email of [...this.inviteWaiters.keys()]) this.rejectInvite(email, conversationErrors.notSignedIn());
    for (const link of [...this.links]) link.sb.leave();
  }
}

function isSettled(m: OutgoingMessage): boolean {
  return m.state === 'delivered' || m.state === 'failed' || m.state === 'unconfirmed' || (m.kind === 'nudge' && m.state === 'sent');
}

/** Server answers that waiting will not change: the queue fails at once with this reason. */
function refusal(error: ButterflyError | undefined): DeliveryReason | undefined {
  if (!error) return undefined;
  if (error.code === 'switchboard.appear-offline') return deliveryReason('appear-offline');
  if (error instanceof ServerError) {
    if (error.serverCode === 217) return deliveryReason('contact-offline');
    if (error.serverCode === 205 || error.serverCode === 208) return deliveryReason('unknown-contact');
  }
  return undefined;
}

/** The outgoing format as the protocol core takes it, refused when it could not be sent faithfully. */
function checkFormat(format: MessageFormat | undefined): TextFormat | undefined {
  if (!format) return undefined;
  if (format.font !== undefined && !isSafeFontName(format.font)) throw conversationErrors.badFormat('the font name');
  if (format.color !== undefined && !/^#[0-9a-fA-F]{6}$/.test(format.color)) throw conversationErrors.badFormat('the colour');
  return pickFormat(format);
}

/** Only the MessageFormat fields, for events and history (no CS/PF hints, no unknown keys). */
function pickFormat(f: MessageFormat | undefined): MessageFormat {
  const out: MessageFormat = {};
  if (!f) return out;
  if (f.font !== undefined) out.font = f.font;
  for (const k of ['bold', 'italic', 'underline', 'strikethrough', 'rightToLeft'] as const) if (f[k]) out[k] = true;
  if (f.color !== undefined) out.color = f.color.toLowerCase();
  return out;
}
