// The one IPC contract between main and renderer. The Electron preload and the browser-mode bridge are two adapters of
// it; nobody types a channel string anywhere else. Payloads are JSON-safe plain data.
//
// Calls are `domain:verb` and answer a typed result. Each call's request is a valibot schema (strict objects: an
// unknown key is refused) and its TypeScript type is inferred from it, so the two cannot drift; main checks every
// request against it exactly once, at the boundary (src-main/ipc/ipc-dispatcher.ts, which both adapters use), and
// answers a refused one with `ipc.invalid-payload` and one message per field. Responses come from main and are typed,
// not checked. Names in requests are plain text (main encodes them); names in answers and events are as they came off
// the wire.
import * as v from 'valibot';
import { nowPlayingSchema, personalMessageSchema } from './personal-status';
import type { ErrorInfo } from './errors';
import { settingsUpdateSchema, type ConnectionCheckResult, type SaveSettingsResult, type SettingsView } from './connection-settings';
import {
  conversationIdSchema,
  messageFormatSchema,
  messageIdSchema,
  messageTextSchema,
  type ConversationMessage,
  type ConversationSummary,
} from './conversation-types';
import {
  conversationPageLimitSchema,
  historyCursorSchema,
  messagePageLimitSchema,
  pageAnchorSchema,
  searchLimitSchema,
  searchTextSchema,
  type ConversationListPage,
  type HistoryStatus,
  type MessagePage,
  type SearchPage,
} from './history-types';
import {
  accountIdSchema,
  emailAddressSchema,
  groupIdSchema,
  groupNameSchema,
  nicknameSchema,
  protocolVersionSchema,
  ownStatusSchema,
  type AccountId,
  type AccountSnapshot,
  type MessengerEvent,
} from './messenger-types';
import { contactListViewSchema, conversationViewSchema, windowSettingsSchema, type WindowSettings } from './window-view';

export interface AppInfo {
  name: 'Butterfly';
  version: string;
  /** 'electron' inside the desktop app, 'browser' when the renderer talks to main through the loopback bridge. */
  shell: 'electron' | 'browser';
  platform: string;
}

/** An account call: the account it is for, and its own fields. */
const forAccount = <E extends v.ObjectEntries>(entries: E) => v.strictObject({ accountId: accountIdSchema, ...entries });
const none = v.null();

/** The views main can open in a window of their own. */
export const WINDOW_VIEWS = ['contact-list', 'conversation'] as const;
export type WindowView = (typeof WINDOW_VIEWS)[number];

/** Renderer → main requests that answer: each request's schema. */
export const callSchemas = {
  'app:get-info': none,
  /**
   * This window shows `accountId` — or, without one, the account main opened the window for, else the account this
   * run used last. From now on that account's events come here (another account's stop). Answers its snapshot, or
   * null when there is no account yet (nobody has signed in in this run).
   */
  'accounts:watch': v.strictObject({ accountId: v.optional(accountIdSchema) }),
  /**
   * Signs in to the configured server; the account is (that server, `email`). The calling window watches the account
   * from the first step on, so it sees the progress. Answers once connected and synced; rejects with the failure.
   */
  'messenger:sign-in': v.strictObject({ email: emailAddressSchema, password: v.pipe(v.string(), v.maxLength(1024)), status: v.optional(ownStatusSchema) }),
  'messenger:sign-out': forAccount({}),
  'messenger:set-status': forAccount({ status: ownStatusSchema }),
  'messenger:set-nickname': forAccount({ nickname: nicknameSchema }),
  /**
   * Your personal message (MSNP11+; refused below with `session.not-supported`), plain text; '' clears it — though
   * Escargot keeps the old one then, and your contacts go on seeing it. Sent again after a reconnect.
   */
  'messenger:set-personal-message': forAccount({ message: personalMessageSchema }),
  /** What you are playing (MSNP11+), shown as "Title - Artist" by contacts; null stops it. */
  'messenger:set-now-playing': forAccount({ media: v.nullable(nowPlayingSchema) }),
  /**
   * The highest MSNP version offered to this account's server, for a server that misbehaves with a newer one (null:
   * every version). Kept with the account; used from the next sign-in or reconnect on.
   */
  'messenger:set-max-version': forAccount({ maxVersion: v.nullable(protocolVersionSchema) }),
  'contacts:add': forAccount({ email: emailAddressSchema, groupId: v.optional(groupIdSchema) }),
  'contacts:remove': forAccount({ email: emailAddressSchema }),
  'contacts:block': forAccount({ email: emailAddressSchema }),
  'contacts:unblock': forAccount({ email: emailAddressSchema }),
  'contacts:move': forAccount({ email: emailAddressSchema, fromGroupId: groupIdSchema, toGroupId: groupIdSchema }),
  /** The reverse-list prompt's answer: let them see you (or block them), and optionally add them back. */
  'contacts:answer-added-you': forAccount({ email: emailAddressSchema, allow: v.boolean(), addBack: v.boolean() }),
  /** Answers the server's id for the new group. */
  'contacts:add-group': forAccount({ name: groupNameSchema }),
  'contacts:rename-group': forAccount({ groupId: groupIdSchema, name: groupNameSchema }),
  'contacts:remove-group': forAccount({ groupId: groupIdSchema }),
  /**
   * Privacy: BLP, what happens to people on neither the allow nor the block list (AL: they may see you and message
   * you; BL: they may not), and GTC, whether you are asked when someone adds you (A) or not (N). Each value given is
   * sent when it differs from the list's; the list then holds what the server answered (the next sync tells whether it
   * kept it).
   */
  'contacts:set-privacy': forAccount({ blp: v.optional(v.picklist(['AL', 'BL'])), gtc: v.optional(v.picklist(['A', 'N'])) }),
  /**
   * Shows a view in a window of its own. Electron: main opens the window (or brings forward the one already showing
   * it); `window.open` stays denied. Browser mode: main cannot open or raise a tab, so the answer is `in-page` and the
   * page shows the view itself. A conversation window shows that one conversation of the account (one window each).
   */
  'windows:open': v.variant('view', [contactListViewSchema, conversationViewSchema]),
  // Conversations: their events (`message`, `message-state`, `typing`, …) come on the account's stream. A refused
  // call rejects with a `conversation.*` code and a message for the person.
  /** The single conversation with `email`, made (without any network traffic) when there is none yet. */
  'conversations:open': forAccount({ email: emailAddressSchema }),
  /**
   * Text, split to fit the switchboard when it is long (each part its own message and delivery state). Answers the
   * messages' ids at once; their states follow as `message-state` events.
   */
  'conversations:send-text': forAccount({ conversationId: conversationIdSchema, text: messageTextSchema, format: v.optional(messageFormatSchema) }),
  /** Rate-limited per conversation (by default one every 10 s); sent without confirmation: `sent` is its last state. */
  'conversations:send-nudge': forAccount({ conversationId: conversationIdSchema }),
  /** Sends a failed or unconfirmed message again: a new attempt of the same message id. */
  'conversations:retry': forAccount({ messageId: messageIdSchema }),
  /** Calls someone in; answers the conversation they joined once they did (from a single one, a new group one). */
  'conversations:invite': forAccount({ conversationId: conversationIdSchema, email: emailAddressSchema }),
  /** The person is typing: call it as they type; a notice goes out at most every 5 s, on a switchboard that is up. */
  'conversations:typing': forAccount({ conversationId: conversationIdSchema }),
  /** Marks every received message read, in the live conversation and in the history (which keeps the read marker). */
  'conversations:mark-read': forAccount({ conversationId: conversationIdSchema }),
  /** Leaves its switchboards; what is still queued fails ("you left"); the conversation stays in the list. */
  'conversations:leave': forAccount({ conversationId: conversationIdSchema }),
  /** Leaves and forgets it (its window was closed). */
  'conversations:close': forAccount({ conversationId: conversationIdSchema }),
  /** The account's conversations, each with its unread count. */
  'conversations:list': forAccount({}),
  /** One conversation and its recent messages kept in memory, oldest first (for a window opened late). */
  'conversations:get': forAccount({ conversationId: conversationIdSchema }),
  // The message history (kept per account; its notices come as `history-notice` events on the account's stream, and in
  // the account's snapshot). A refused call rejects with a `history.*` code.
  /** Stored conversations, newest activity first, each with its last message and unread count; `next` pages on. */
  'history:list': forAccount({ limit: conversationPageLimitSchema, cursor: v.optional(historyCursorSchema) }),
  /**
   * A page of a conversation, oldest first: the newest or oldest messages, those before or after a cursor of an
   * earlier page, or around a message (a search result). `older` / `newer` say whether there is more each way.
   */
  'history:page': forAccount({ conversationId: conversationIdSchema, anchor: pageAnchorSchema, limit: messagePageLimitSchema }),
  /** Messages matching every word typed (taken literally), newest first, in one conversation or all; `next` pages on. */
  'history:search': forAccount({
    text: searchTextSchema,
    conversationId: v.optional(conversationIdSchema),
    limit: searchLimitSchema,
    cursor: v.optional(historyCursorSchema),
  }),
  /** Removes every stored message of the conversation (it goes on from nothing, all read). */
  'history:delete': forAccount({ conversationId: conversationIdSchema }),
  /** Whether history is kept for the account, whether it is on disk now, and what went wrong with it in this run. */
  'history:get-status': forAccount({}),
  /** The account's setting, saved with it, from now on: off keeps messages in memory for the session (the disk is left as it is). */
  'history:set-keep': forAccount({ keepHistory: v.boolean() }),
  /** The saved connection settings, without secrets. */
  'settings:get': none,
  /** Validates and saves; used from the next sign-in (or reconnect) on. */
  'settings:save': settingsUpdateSchema,
  /** Walks the route of settings not saved yet, step by step. */
  'settings:test': settingsUpdateSchema,
  /** After the saved settings could not be read (SettingsView.unreadable): go on with the defaults. */
  'settings:use-defaults': none,
  /** Main's window settings (what a message arriving with no view open does in the desktop app). */
  'settings:get-windows': none,
  /** Saves them (settings.json) and applies them at once; answers what is now in force. */
  'settings:save-windows': windowSettingsSchema,
} satisfies Record<string, v.GenericSchema>;

/** What each call answers. */
interface CallResponses {
  'app:get-info': AppInfo;
  'accounts:watch': { account: AccountSnapshot | null };
  'messenger:sign-in': { accountId: AccountId };
  'messenger:sign-out': null;
  'messenger:set-status': null;
  'messenger:set-nickname': null;
  'messenger:set-personal-message': null;
  'messenger:set-now-playing': null;
  'messenger:set-max-version': null;
  'contacts:add': null;
  'contacts:remove': null;
  'contacts:block': null;
  'contacts:unblock': null;
  'contacts:move': null;
  'contacts:answer-added-you': null;
  'contacts:add-group': { groupId: string };
  'contacts:rename-group': null;
  'contacts:remove-group': null;
  'contacts:set-privacy': null;
  'windows:open': { opened: 'window'; windowId: number } | { opened: 'in-page' };
  'conversations:open': { conversationId: string };
  'conversations:send-text': { messageIds: string[] };
  'conversations:send-nudge': { messageId: string };
  'conversations:retry': { messageId: string };
  'conversations:invite': { conversationId: string };
  'conversations:typing': null;
  'conversations:mark-read': null;
  'conversations:leave': null;
  'conversations:close': null;
  'conversations:list': { conversations: ConversationSummary[] };
  'conversations:get': { conversation: ConversationSummary; messages: ConversationMessage[] };
  'history:list': ConversationListPage;
  'history:page': MessagePage;
  'history:search': SearchPage;
  'history:delete': null;
  'history:get-status': HistoryStatus;
  'history:set-keep': HistoryStatus;
  'settings:get': SettingsView;
  'settings:save': SaveSettingsResult;
  'settings:test': ConnectionCheckResult;
  'settings:use-defaults': SettingsView;
  'settings:get-windows': WindowSettings;
  'settings:save-windows': WindowSettings;
}

export type CallChannel = keyof typeof callSchemas;
export type CallRequest<C extends CallChannel> = v.InferOutput<(typeof callSchemas)[C]>;
export type CallResponse<C extends CallChannel> = CallResponses[C];
export type IpcCalls = { [C in CallChannel]: { request: CallRequest<C>; response: CallResponse<C> } };

/** Renderer → main fire-and-forget messages: each message's schema. */
export const sendSchemas = {
  'app:log': v.strictObject({ level: v.picklist(['info', 'warn', 'error']), message: v.pipe(v.string(), v.maxLength(4096)) }),
} satisfies Record<string, v.GenericSchema>;

export type SendChannel = keyof typeof sendSchemas;
export type IpcSends = { [C in SendChannel]: v.InferOutput<(typeof sendSchemas)[C]> };

/** Main → renderer events. */
export interface IpcEvents {
  'app:did-change-info': AppInfo;
  /** The events of the accounts this window watches, unchanged (names as they came off the wire). */
  'messenger:event': MessengerEvent;
  /**
   * The desktop app, to an account's contact-list window: which of the account's conversation windows has the focus
   * now (null: none), so that the list — which plays the sounds — knows a conversation is being read there.
   */
  'windows:did-focus-conversation': { accountId: AccountId; conversationId: string | null };
}
export type EventChannel = keyof IpcEvents;

export const callChannels = Object.keys(callSchemas) as CallChannel[];
export const sendChannels = Object.keys(sendSchemas) as SendChannel[];
// Typed so that adding an event to the map without listing it here fails to compile.
const eventChannelSet: { [C in EventChannel]: true } = { 'app:did-change-info': true, 'messenger:event': true, 'windows:did-focus-conversation': true };
export const eventChannels = Object.keys(eventChannelSet) as EventChannel[];

/** What the preload exposes as `window.butterfly`, and what the browser bridge implements. */
export interface ButterflyApi {
  call<C extends CallChannel>(channel: C, request: CallRequest<C>): Promise<CallResponse<C>>;
  send<C extends SendChannel>(channel: C, message: IpcSends[C]): void;
  /** Returns a function that stops listening. */
  on<C extends EventChannel>(channel: C, listener: (event: IpcEvents[C]) => void): () => void;
}

/** How a call's outcome crosses Electron IPC: errors as data, so their codes survive. */
export type IpcResult = { ok: true; value: unknown } | { ok: false; error: ErrorInfo };

const has = (record: object, key: unknown): boolean => typeof key === 'string' && Object.prototype.hasOwnProperty.call(record, key);
export const isCallChannel = (c: unknown): c is CallChannel => has(callSchemas, c);
export const isSendChannel = (c: unknown): c is SendChannel => has(sendSchemas, c);
export const isEventChannel = (c: unknown): c is EventChannel => has(eventChannelSet, c);
