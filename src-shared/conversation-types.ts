// Conversations and their messages as the rest of the app sees them: the session's events, what history stores
// (issue 15) and what conversation windows draw. Plain JSON-safe data. Ids are ours (never the wire's): a message id
// is fixed when the message is created and survives retries; a conversation id is fixed when it is first seen.
// E-mail addresses are as the server spelled them; nicknames are URL-encoded, exactly as they came off the wire
// (decode them with src-shared/url-codec where they are shown). Text is decoded, never HTML: render it as text.
// The schemas at the end are what the IPC contract checks a conversation call's fields against.
import * as v from 'valibot';
import type { ErrorInfo } from './errors';

/** `single`: you and one contact, keyed by that contact. `group`: three or more people at some point, its own id. */
export type ConversationKind = 'single' | 'group';

export interface ConversationParticipant {
  email: string;
  /** URL-encoded, as on the wire. */
  nickname: string;
}

export interface ConversationSummary {
  id: string;
  kind: ConversationKind;
  /** For `single`: the contact. */
  contact?: string;
  /** The other people in the conversation now (for `single`: always the contact, whether connected or not). */
  participants: ConversationParticipant[];
  /** Messages received and not yet marked read. */
  unread: number;
  /** Time of the last message in or out (ms since the epoch); the creation time before any. */
  lastActivity: number;
  /** Whether a switchboard connection is up for it right now (informational; sending re-opens one when needed). */
  connected: boolean;
}

/**
 * `queued`: no switchboard yet, or it closed; sent as soon as one is up. `sent`: left us, no answer yet.
 * `delivered`: the server confirmed it (ACK). `failed`: it did not arrive (see the reason). `unconfirmed`: the
 * connection dropped after it left and before a confirmation: it may or may not have arrived; sent again only if
 * the user retries. Nudges are sent without confirmation: `sent` is their last state.
 */
export type DeliveryState = 'queued' | 'sent' | 'delivered' | 'failed' | 'unconfirmed';

export type DeliveryReasonCode =
  /** Signed out (or quit) while it waited. */
  | 'signed-out'
  /** You left or closed the conversation while it waited. */
  | 'left'
  /** The contact is offline or appears offline (CAL 217; also what a block looks like). */
  | 'contact-offline'
  /** No such account (CAL 205/208). */
  | 'unknown-contact'
  /** The server does not open conversations while you appear offline (XFR SB 913). */
  | 'appear-offline'
  /** The contact was called but did not join in time. */
  | 'no-answer'
  /** Nobody else is in this conversation any more: invite someone first. */
  | 'nobody-here'
  /** No switchboard could be opened (after a few attempts): network or server trouble. */
  | 'switchboard-unavailable'
  /** The server answered NAK: it could not deliver the message. */
  | 'not-delivered'
  /** The server refused the message with an error code (e.g. 282). */
  | 'refused'
  /** The connection dropped after the message left, before a confirmation. */
  | 'connection-lost'
  /** No confirmation came within the time allowed. */
  | 'no-confirmation';

export interface DeliveryReason {
  code: DeliveryReasonCode;
  /** Plain language for a person. */
  message: string;
}

/** Visual formatting from X-MMS-IM-Format, validated: nothing here can carry markup or a CSS expression. */
export interface MessageFormat {
  /** A font family name: letters, digits, spaces, `-`, `_`, `.`; at most 31 characters. */
  font?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  /** `#rrggbb`, lower case. */
  color?: string;
  rightToLeft?: boolean;
}

/** An emoticon shortcut found in a message's text: `text.slice(start, end) === code`. Offsets in UTF-16 units. */
export interface EmoticonToken {
  start: number;
  end: number;
  /** The shortcut as typed, e.g. `:)` or `(Y)`. */
  code: string;
  /** A stable name for the picture, e.g. `smile`, `thumbs-up`. */
  name: string;
}

interface MessageBase {
  id: string;
  conversationId: string;
  /** Ms since the epoch: when it was created (sent) or arrived (received). */
  at: number;
  /** The sender's e-mail address (your own for outgoing messages). */
  from: string;
}

export interface OutgoingMessage extends MessageBase {
  direction: 'out';
  kind: 'text' | 'nudge';
  /** The text as the user wrote it ('' for a nudge). */
  text: string;
  format?: MessageFormat;
  emoticons: EmoticonToken[];
  state: DeliveryState;
  /** Set for `failed` and `unconfirmed`. */
  reason?: DeliveryReason;
  /** 1 for the first attempt; each retry adds one (same id). */
  attempt: number;
  /** A long text split to fit the switchboard: this part's place among its siblings. */
  part?: { index: number; count: number };
}

export interface IncomingMessage extends MessageBase {
  direction: 'in';
  kind: 'text' | 'nudge';
  /** URL-encoded nickname of the sender, as the switchboard sent it. */
  nickname: string;
  text: string;
  format?: MessageFormat;
  emoticons: EmoticonToken[];
  /** The charset the body was decoded with (UTF-8, ISO-8859-1, KOI8-R, …). */
  charset?: string;
  /** The declared charset was unknown: decoded as ISO-8859-1, may be wrong. */
  unknownCharset?: boolean;
  /** Some bytes could not be decoded; each such spot shows as U+FFFD. */
  malformed?: boolean;
}

export type ConversationMessage = OutgoingMessage | IncomingMessage;

/** Why someone left: `left` they closed the conversation (BYE), `dropped` the server dropped them (BYE … 1). */
export type LeaveReason = 'left' | 'dropped';

export type ConversationEvent =
  /** A conversation came into being (you opened it, someone invited you, or a third person joined). */
  | { type: 'conversation-opened'; conversation: ConversationSummary; grewFrom?: string }
  /** Its participants, unread count or connection changed. */
  | { type: 'conversation-updated'; conversation: ConversationSummary }
  | { type: 'conversation-closed'; conversationId: string }
  | { type: 'participant-joined'; conversationId: string; participant: ConversationParticipant }
  | { type: 'participant-left'; conversationId: string; email: string; reason: LeaveReason }
  /** A message was added: one you sent (state `queued`) or one that arrived (a text or a nudge). */
  | { type: 'message'; message: ConversationMessage }
  /** An outgoing message changed state. */
  | { type: 'message-state'; conversationId: string; messageId: string; state: DeliveryState; attempt: number; reason?: DeliveryReason }
  /** `active: false` when it expired (about 6 s after the last notice) or their message arrived. */
  | { type: 'typing'; conversationId: string; email: string; active: boolean }
  /** Something a person sent that Butterfly does not show yet (file transfer, ink, winks, custom emoticons…). */
  | { type: 'unsupported-content'; conversationId: string; from: string; contentType: string; at: number }
  /** Someone you invited could not be reached. */
  | { type: 'invite-failed'; conversationId: string; email: string; error: ErrorInfo };

export type ConversationEventType = ConversationEvent['type'];

// ── the fields of conversation calls, as the IPC contract checks them ────────────────────────────────────────────

/** The most UTF-8 bytes one send may carry (longer text is split into several switchboard messages up to this). */
export const MAX_TEXT_BYTES = 32 * 1024;
/** LF_FACESIZE is 32 including the terminating NUL. */
export const MAX_FONT_NAME_LENGTH = 31;
/** A font family name that is safe to hand to a style: letters, marks, digits, then also spaces, `.`, `_`, `-`. */
export const SAFE_FONT_NAME = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} ._-]*$/u;

const ourId = (what: string) => v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, `must be a ${what} id`));
export const conversationIdSchema = ourId('conversation');
export const messageIdSchema = ourId('message');
export const messageTextSchema = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  v.maxBytes(MAX_TEXT_BYTES, `must be at most ${MAX_TEXT_BYTES.toLocaleString('en-US')} bytes (UTF-8)`),
);
const flag = v.optional(v.boolean());
/** MessageFormat as a request carries it: a font name that is safe as it is, a colour as `#rrggbb`. */
export const messageFormatSchema = v.strictObject({
  font: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(MAX_FONT_NAME_LENGTH, `must be at most ${MAX_FONT_NAME_LENGTH} characters`),
      v.regex(SAFE_FONT_NAME, 'must be a font name: letters and digits, then also spaces, ".", "_" or "-"'),
    ),
  ),
  bold: flag,
  italic: flag,
  underline: flag,
  strikethrough: flag,
  color: v.optional(v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb'))),
  rightToLeft: flag,
});
