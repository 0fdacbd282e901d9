// The message history as the rest of the app sees it: what the service's `history:*` calls answer (stored
// conversations, pages of messages, search hits with highlight offsets, the per-account setting and what went wrong)
// and the `history-notice` event. Plain JSON-safe data. Messages are ConversationMessages as the conversation layer
// made them (nicknames URL-encoded as on the wire, text never HTML). The store is src-main/storage/history; the
// schemas at the end are what the IPC contract checks a history call's fields against.
import * as v from 'valibot';
import type { ConversationMessage, ConversationSummary } from './conversation-types';
import { messageIdSchema } from './conversation-types';

/** A stored message: as the conversation layer made it, with who else was in the conversation when it was recorded. */
export type HistoryMessage = ConversationMessage & {
  /** The other participants' e-mail addresses at the time. */
  participants: string[];
};

/** A stored conversation: its summary as last recorded (whether it is connected is the live layer's to say). */
export interface HistoryConversation extends Omit<ConversationSummary, 'connected'> {
  lastMessage?: HistoryMessage;
  /** The read marker: the newest message marked read (`unread` counts the received messages after it). */
  lastReadMessageId?: string;
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

/** A stretch of a message's text, in UTF-16 units: `text.slice(start, end)`. */
export interface TextRange {
  start: number;
  end: number;
}

export interface Snippet {
  /** An excerpt of the message text around the first match. */
  text: string;
  /** Where the excerpt starts in the message text. */
  start: number;
  /** The matches inside the excerpt, relative to it. */
  highlights: TextRange[];
  /** Whether text was left out before / after the excerpt (draw an ellipsis). */
  cutStart: boolean;
  cutEnd: boolean;
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

/** An account's history as the person sees it in its settings. */
export interface HistoryStatus {
  /** The person's setting (kept with the account; on unless they turned it off). */
  keepHistory: boolean;
  /** Whether messages are being kept on disk right now: false when the setting is off, or no database could be used. */
  persistent: boolean;
  /** What went wrong with this account's history in this run, oldest first. */
  notices: HistoryNotice[];
}

/** The account's history has something to tell the person (on the account's stream, stamped with its id). */
export type HistoryEvent = { type: 'history-notice'; notice: HistoryNotice };

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_CONVERSATION_PAGE = 200;
export const MAX_CONVERSATION_PAGE = 1000;
export const DEFAULT_SEARCH_LIMIT = 50;
export const MAX_SEARCH_LIMIT = 200;
/** The longest search, in UTF-16 units. */
export const MAX_QUERY_LENGTH = 256;

// ── the fields of history calls, as the IPC contract checks them ─────────────────────────────────────────────────

const limit = (max: number) => v.optional(v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(max, `must be at most ${max}`)));
export const conversationPageLimitSchema = limit(MAX_CONVERSATION_PAGE);
export const messagePageLimitSchema = limit(MAX_PAGE_SIZE);
export const searchLimitSchema = limit(MAX_SEARCH_LIMIT);
/** A cursor an earlier answer gave out (the store checks it is one of its own). */
export const historyCursorSchema = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(64, 'must be a cursor from an earlier page'));
export const pageAnchorSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('newest') }),
  v.strictObject({ kind: v.literal('oldest') }),
  v.strictObject({ kind: v.literal('before'), cursor: historyCursorSchema }),
  v.strictObject({ kind: v.literal('after'), cursor: historyCursorSchema }),
  v.strictObject({ kind: v.literal('around'), messageId: messageIdSchema }),
]);
export const searchTextSchema = v.pipe(v.string(), v.maxLength(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`));
