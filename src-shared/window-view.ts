// What a desktop window shows, as main writes it into the address it loads (its fragment) and the renderer reads it
// back: the contact list, or one conversation of one account. Read with the contract's own schemas, so a fragment
// that names anything else is the contact list. Also the main setting for a message arriving with no view open.
import * as v from 'valibot';
import { conversationIdSchema, messageIdSchema } from './conversation-types';
import { accountIdSchema } from './messenger-types';

export const contactListViewSchema = v.strictObject({ view: v.literal('contact-list'), accountId: accountIdSchema });
export const conversationViewSchema = v.strictObject({
  view: v.literal('conversation'),
  accountId: accountIdSchema,
  conversationId: conversationIdSchema,
  /** A stored message to show (a search result): the window pages the history around it and highlights it. */
  messageId: v.optional(messageIdSchema),
});

export type ConversationWindowView = v.InferOutput<typeof conversationViewSchema>;

/** The fragment (without `#`) of a conversation window's address. The ids are of URL-safe characters only (their schemas say so). */
export const conversationViewHash = (view: ConversationWindowView): string =>
  `view=conversation&account=${view.accountId}&conversation=${view.conversationId}${view.messageId === undefined ? '' : `&message=${view.messageId}`}`;

/** The conversation a window's fragment names, or undefined (the contact list) for anything else. */
export function parseConversationViewHash(hash: string): ConversationWindowView | undefined {
  const fields = new Map<string, string>();
  for (const pair of (hash.startsWith('#') ? hash.slice(1) : hash).split('&')) {
    const at = pair.indexOf('=');
    if (at > 0) fields.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const message = fields.get('message');
  const result = v.safeParse(conversationViewSchema, {
    view: fields.get('view'),
    accountId: fields.get('account'),
    conversationId: fields.get('conversation'),
    ...(message === undefined ? {} : { messageId: message }),
  });
  return result.success ? result.output : undefined;
}

/** When a message arrives with no view open (desktop app): open its window (without taking focus), or only flash the list. */
export const MESSAGE_ARRIVAL = ['open-window', 'notify'] as const;
export type MessageArrival = (typeof MESSAGE_ARRIVAL)[number];

export const windowSettingsSchema = v.strictObject({ messageArrival: v.picklist(MESSAGE_ARRIVAL) });
export type WindowSettings = v.InferOutput<typeof windowSettingsSchema>;
export const DEFAULT_WINDOW_SETTINGS: WindowSettings = Object.freeze({ messageArrival: 'open-window' });
