// The history store's interface: one account's conversations and messages, kept on disk (sqlite-history.ts) or, when
// the person keeps no history, in memory for the session (memory-history.ts). Both behave the same, call for call.
//
// Writes (`recordConversation`, `append`, `recordState`, `markRead`, `deleteConversation`) are queued in call order
// and committed together, one transaction per tick; each returns when its transaction has committed, so a message
// whose `append` has returned survives the app being killed. The queue is bounded: once `maxBatch` writes wait, the
// next call commits them on the spot, so a burst pays for its own writes instead of growing memory. Reads see every
// write called before them. Everything is plain JSON-safe data; every call is async, so the store can move to a
// worker thread without its callers changing.
import type { Disposable, Event } from '../../../src-shared/disposable';
import type { ConversationMessage, ConversationSummary, DeliveryReason, DeliveryState } from '../../../src-shared/conversation-types';
import type { Snippet, TextRange } from './search-text';

export type { Snippet, TextRange };

/** A stored message: as the conversation layer made it, with who else was in the conversation when it was recorded. */
export type HistoryMessage = ConversationMessage & {
  /** The other participants' e-mail addresses at the time. */
  participants: string[];
};

/** What the store takes about a conversation (a ConversationSummary fits). */
export type ConversationRecord = Pick<ConversationSummary, 'id' | 'kind' | 'contact' | 'participants'>;

/** A stored conversation: its summary as last recorded (whether it is connected is the live layer's to say). */
export interface HistoryConversation extends Omit<ConversationSummary, 'connected'> {
  lastMessage?: HistoryMessage;
  /** The read marker: the newest message marked read (`unread` counts the received messages after it). */
  lastReadMessageId?: string;
}

export interface StateChange {
  conversationId: string;
  messageId: string;
  state: DeliveryState;
  attempt: number;
  reason?: DeliveryReason;
}

export interface RecordedStateChange {
  at: number;
  state: DeliveryState;
  attempt: number;
  reason?: DeliveryReason;
}

/** Where a page starts. Cursors come from an earlier page (`older` / `newer`) and are opaque. */
export type PageAnchor =
  | { kind: 'newest' }
  | { kind: 'oldest' }
  /** The messages just before the cursor. */
  | { kind: 'before'; cursor: string }
  /** The messages just after the cursor. */
  | { kind: 'after'; cursor: string }
  /** The message (e.g. a search result) with about half a page on each side. */
  | { kind: 'around'; messageId: string };

export interface MessagePage {
  /** Oldest first, as a conversation is read. */
  messages: HistoryMessage[];
  /** Present when older messages exist: `{ kind: 'before', cursor: older }`. */
  older?: string;
  /** Present when newer messages exist: `{ kind: 'after', cursor: newer }`. */
  newer?: string;
}

export interface ConversationListPage {
  /** Newest activity first. */
  conversations: HistoryConversation[];
  /** Present when more exist: pass it back as `cursor`. */
  next?: string;
}

export interface SearchRequest {
  /** What the person typed, taken literally (see search-text.ts for what matches). */
  text: string;
  /** Only this conversation; all of them when absent. */
  conversationId?: string;
  limit?: number;
  /** `next` of the previous page. */
  cursor?: string;
}

export interface SearchHit {
  message: HistoryMessage;
  /** Every match in `message.text`. */
  matches: TextRange[];
  snippet: Snippet;
}

export interface SearchPage {
  /** Newest first. */
  hits: SearchHit[];
  next?: string;
}

export type HistoryNotice =
  /** The database could not be read (damaged, or not a database): it was kept aside as `keptAs` and a new one begun. */
  | { kind: 'started-anew'; reason: string; keptAs?: string }
  /** No database could be used now (disk full, no permission, written by a newer Butterfly…): history is kept in
   *  memory for this session only; the file, if any, is left as it is for the next start. */
  | { kind: 'memory-only'; reason: string }
  /** The database turned out damaged while in use: it is checked, and set aside if need be, at the next start. */
  | { kind: 'damaged'; reason: string }
  /** Saving failed (e.g. the disk is full): messages since then are not in the history. */
  | { kind: 'write-failed'; reason: string }
  /** Saving works again. */
  | { kind: 'write-recovered' };

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_CONVERSATION_PAGE = 200;
export const MAX_CONVERSATION_PAGE = 1000;
export const DEFAULT_SEARCH_LIMIT = 50;
export const MAX_SEARCH_LIMIT = 200;

export interface HistoryStore extends Disposable {
  readonly accountId: string;
  /** False for the in-memory store: nothing outlives the session. */
  readonly persistent: boolean;
  /** What went wrong so far, oldest first (a notice may come before anyone listens). */
  notices(): HistoryNotice[];
  readonly onNotice: Event<HistoryNotice>;

  /** A conversation came into being or its participants changed; later messages record these participants. */
  recordConversation(conversation: ConversationRecord): Promise<void>;
  /** A message in or out. Outgoing: call it before the message is sent. The same id again is ignored. */
  append(message: ConversationMessage): Promise<void>;
  /** An outgoing message's new delivery state; every change is kept. */
  recordState(change: StateChange): Promise<void>;
  /** Marks the conversation read up to `upToMessageId` (all of it by default); resolves to the unread count left. */
  markRead(conversationId: string, upToMessageId?: string): Promise<number>;
  /** Removes every stored message of the conversation. */
  deleteConversation(conversationId: string): Promise<void>;
  /** Resolves when every write called so far has committed. */
  flush(): Promise<void>;

  listConversations(options?: { limit?: number; cursor?: string }): Promise<ConversationListPage>;
  conversation(conversationId: string): Promise<HistoryConversation | undefined>;
  /** The single conversation with this contact (any spelling of the address), whatever id it has now. */
  conversationWith(contact: string): Promise<HistoryConversation | undefined>;
  page(conversationId: string, anchor: PageAnchor, limit?: number): Promise<MessagePage>;
  search(request: SearchRequest): Promise<SearchPage>;
  /** Every delivery-state change of an outgoing message, oldest first. */
  stateChanges(messageId: string): Promise<RecordedStateChange[]>;

  /** Commits what is queued and closes; later calls are refused. */
  close(): Promise<void>;
}

/** How a restart settles what was in flight when Butterfly stopped (the outbox is gone). */
export const CLOSED_BEFORE_SENDING: DeliveryReason = { code: 'signed-out', message: 'Not sent: Butterfly closed.' };
export const CLOSED_BEFORE_CONFIRMATION: DeliveryReason = {
  code: 'connection-lost',
  message: 'Butterfly closed before the server confirmed it: it may or may not have arrived.',
};
