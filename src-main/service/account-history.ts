// One account's message history as the service uses it: the account's store (src-main/storage/history) — on disk,
// `<data dir>/history/<account id>.sqlite`, or in memory for the session when the person keeps no history or the
// service was given no data directory — fed with the account's conversation events, and the service's `history:*`
// calls.
//
// The feed (the account's first conversation sink): a conversation opened or changed is recorded when its
// participants change; every message in and out is appended and every delivery-state change recorded. Incoming
// messages and state changes go into the store's queue, committed together once per turn of the event loop (or at
// once when a burst fills it), so the sockets are never held up by the disk; an outgoing message is committed on the
// spot, as it is queued: the conversation layer writes it to the switchboard next, in the same turn, so what the person
// sent is on disk before it leaves. A write the store refuses changes nothing else (the store tells the person when
// saving fails: its notices become the account's `history-notice` events).
//
// Unread counts: one model, the conversation layer's — texts and nudges received since the person last read the
// conversation, reset by `conversations:mark-read`. The history keeps the read marker, so the count outlives a run: a
// single conversation is recalled by the conversation layer with its stored id (ids stay the same across runs) and
// unread count, and from then on both count the same messages and are marked read together. When the store is
// swapped in a run (the setting changed) the live count wins wherever the two could differ.
import type { ConversationEvent, ConversationSummary } from '../../src-shared/conversation-types';
import { Emitter, type Disposable } from '../../src-shared/disposable';
import { ButterflyError } from '../../src-shared/errors';
import type { ConversationListPage, HistoryNotice, HistoryStatus, MessagePage, PageAnchor, SearchPage } from '../../src-shared/history-types';
import type { HistoryStore, SearchRequest } from '../storage/history/history-types';
import { createMemoryHistoryStore } from '../storage/history/memory-history';
import { openHistoryStore, type OpenHistoryOptions } from '../storage/history/open-history';
import type { ConversationManager } from '../session/conversation-manager';
import type { ConversationSink } from './account';

/** Where and how the service keeps its accounts' histories: the data directory and the store's own options. */
export type HistoryDefaults = Omit<OpenHistoryOptions, 'accountId' | 'keepHistory' | 'readOnly'>;

type Recalled = { id: string; unread: number };

const key = (email: string) => email.trim().toLowerCase();
const ignore = () => undefined;

export class AccountHistory implements ConversationSink, Disposable {
  /** By contact: the single conversation's id and unread count, as the conversation layer last told them, else as stored. */
  private readonly known = new Map<string, Recalled>();
  /** The participants last recorded, by conversation id: an update that changes none of them writes nothing. */
  private readonly recorded = new Map<string, string>();
  private readonly told: HistoryNotice[];
  private readonly notices = new Emitter<HistoryNotice>();
  private storeNotices: Disposable;
  /** The setting's last change: changes run one after the other. */
  private switching: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** What the history has to tell the person, as it happens (what came before is in `status().notices`). */
  readonly onNotice = this.notices.event;

  /** Opens the account's store (never throws for a bad file: the store falls back and says so). */
  static async open(accountId: string, keepHistory: boolean, defaults: HistoryDefaults | undefined): Promise<AccountHistory> {
    const history = new AccountHistory(accountId, defaults, keepHistory, await openStore(accountId, keepHistory, defaults));
    await history.recallStored();
    return history;
  }

  private constructor(
    private readonly accountId: string,
    private readonly defaults: HistoryDefaults | undefined,
    private keep: boolean,
    private store: HistoryStore,
  ) {
    this.told = store.notices();
    this.storeNotices = this.listen(store);
  }

  /** For the conversation layer: the single conversation with `contact` it had before. */
  recall(contact: string): Recalled | undefined {
    const found = this.known.get(key(contact));
    return found && { ...found };
  }

  record(event: ConversationEvent): void {
    switch (event.type) {
      case 'conversation-opened':
      case 'conversation-updated':
        return this.recordConversation(event.conversation);
      case 'message':
        this.quietly(this.store.append(event.message));
        // Committed before the conversation layer writes it to the switchboard (next, in this same turn).
        if (event.message.direction === 'out') this.quietly(this.store.flush());
        return;
      case 'message-state': {
        const { conversationId, messageId, state, attempt, reason } = event;
        return this.quietly(this.store.recordState({ conversationId, messageId, state, attempt, ...(reason ? { reason } : {}) }));
      }
      default:
        return;
    }
  }

  /** Resolves once everything recorded so far is on disk (at once when it already is). */
  flush(): Promise<void> {
    return this.store.flush().catch(ignore);
  }

  status(): HistoryStatus {
    return { keepHistory: this.keep, persistent: this.store.persistent, notices: [...this.told] };
  }

  /** Stored conversations, newest activity first; the unread count of one that is live is the conversation layer's. */
  async listConversations(request: { limit?: number; cursor?: string }, live: ConversationManager): Promise<ConversationListPage> {
    const page = await this.store.listConversations(request);
    const counts = new Map(live.conversations().map((c) => [c.id, c.unread]));
    return { ...page, conversations: page.conversations.map((c) => (counts.has(c.id) ? { ...c, unread: counts.get(c.id) as number } : c)) };
  }

  page(conversationId: string, anchor: PageAnchor, limit?: number): Promise<MessagePage> {
    return this.store.page(conversationId, anchor, limit);
  }

  search(request: SearchRequest): Promise<SearchPage> {
    return this.store.search(request);
  }

  /** Marks the conversation read, live and stored; refused (the conversation layer's error) when neither knows it. */
  async markRead(conversationId: string, live: ConversationManager): Promise<void> {
    const liveError = attempt(() => live.markRead(conversationId));
    const stored = await this.store.conversation(conversationId);
    if (!stored) {
      if (liveError) throw liveError;
      return;
    }
    await this.store.markRead(conversationId);
    if (stored.kind === 'single' && stored.contact) this.known.set(key(stored.contact), { id: conversationId, unread: 0 });
  }

  /** Removes every stored message of the conversation; it goes on (live, and in the history) from nothing, all read. */
  async deleteConversation(conversationId: string, live: ConversationManager): Promise<void> {
    const stored = await this.store.conversation(conversationId);
    if (!stored) throw new ButterflyError('history.unknown-conversation', 'There is no such conversation in the history.');
    await this.store.deleteConversation(conversationId);
    attempt(() => live.markRead(conversationId));
    if (stored.kind === 'single' && stored.contact) this.known.set(key(stored.contact), { id: conversationId, unread: 0 });
  }

  /**
   * The person's setting, from now on: off, messages are kept in memory for the rest of the session (what is on disk
   * stays as it is); on, they are saved again. The live conversations go on in the new store.
   */
  setKeepHistory(keep: boolean, live: ConversationManager): Promise<HistoryStatus> {
    const done = this.switching.then(() => this.switchTo(keep, live));
    this.switching = done.catch(ignore);
    return done;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.storeNotices.dispose();
    this.store.dispose();
    this.notices.dispose();
  }

  private async switchTo(keep: boolean, live: ConversationManager): Promise<HistoryStatus> {
    if (this.disposed) throw new ButterflyError('history.closed', 'The history is closed.');
    if (keep === this.keep) return this.status();
    const next = await openStore(this.accountId, keep, this.defaults);
    if (this.disposed) {
      next.dispose();
      throw new ButterflyError('history.closed', 'The history is closed.');
    }
    const previous = this.store;
    this.storeNotices.dispose();
    this.store = next;
    this.keep = keep;
    this.storeNotices = this.listen(next);
    previous.dispose();
    for (const notice of next.notices()) this.tell(notice);
    this.recorded.clear();
    const conversations = live.conversations();
    for (const c of conversations) this.recordConversation(c);
    await this.recallStored(new Set(conversations.flatMap((c) => (c.contact ? [key(c.contact)] : []))));
    return this.status();
  }

  private recordConversation(c: ConversationSummary): void {
    if (c.kind === 'single' && c.contact) this.known.set(key(c.contact), { id: c.id, unread: c.unread });
    const participants = JSON.stringify(c.participants);
    if (this.recorded.get(c.id) === participants) return;
    this.recorded.set(c.id, participants);
    this.quietly(this.store.recordConversation(c));
  }

  /** The stored single conversations, except the contacts whose conversation the live layer has (it knows better). */
  private async recallStored(skip: ReadonlySet<string> = new Set()): Promise<void> {
    const singles = await this.store.singles().catch(() => []);
    for (const s of singles) if (!skip.has(key(s.contact))) this.known.set(key(s.contact), { id: s.id, unread: s.unread });
  }

  private listen(store: HistoryStore): Disposable {
    return store.onNotice((notice) => this.tell(notice));
  }

  private tell(notice: HistoryNotice): void {
    this.told.push(notice);
    this.notices.fire(notice);
  }

  /** A write the store refused or could not make: nothing else changes (a failure to save is its notice). */
  private quietly(write: Promise<unknown>): void {
    write.catch(ignore);
  }
}

function openStore(accountId: string, keepHistory: boolean, defaults: HistoryDefaults | undefined): Promise<HistoryStore> {
  if (!defaults) return Promise.resolve(createMemoryHistoryStore(accountId));
  return openHistoryStore({ ...defaults, accountId, keepHistory });
}

/** Runs `work`; the error it threw, if any. */
function attempt(work: () => void): unknown {
  try {
    work();
    return undefined;
  } catch (error) {
    return error;
  }
}
