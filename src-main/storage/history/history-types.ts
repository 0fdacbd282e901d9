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
import type {
  ConversationListPage,
  HistoryConversation,
  HistoryNotice,
  MessagePage,
  PageAnchor,
  SearchPage,
} from '../../../src-shared/history-types';

// What crosses IPC is defined in src-shared (the service's history calls answer it as the store gives it).
export type {
  ConversationListPage,
  HistoryConversation,
  HistoryMessage,
  HistoryNotice,
  MessagePage,
  PageAnchor,
  SearchHit,
  SearchPage,
  Snippet,
  TextRange,
} from '../../../src-shared/history-types';
export {
  DEFAULT_CONVERSATION_PAGE,
  DEFAULT_PAGE_SIZE,
  DEFAULT_SEARCH_LIMIT,
  MAX_CONVERSATION_PAGE,
  MAX_PAGE_SIZE,
  MAX_SEARCH_LIMIT,
} from '../../../src-shared/history-types';

/** What the store takes about a conversation (a ConversationSummary fits). */
export type ConversationRecord = Pick<ConversationSummary, 'id' | 'kind' | 'contact' | 'participants'>;

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

export interface SingleConversation {
  contact: string;
  id: string;
  unread: number;
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
  /** Every single conversation's contact (as first spelled), id and unread count: what a conversation layer recalls. */
  singles(): Promise<SingleConversation[]>;
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
