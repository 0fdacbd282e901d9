// Typed failures of conversations: calls refused up front (ConversationError), a switchboard that misbehaves
// (SwitchboardError), and the plain-language reasons a message ends `failed` or `unconfirmed` (deliveryReasons).
// Code branches on `code`; messages are for people.
import type { DeliveryReason, DeliveryReasonCode } from '../../src-shared/conversation-types';
import { ButterflyError } from '../../src-shared/errors';

/** A conversation call that cannot be done as asked (unknown id, empty text, a nudge too soon, …). */
export class ConversationError extends ButterflyError {}

/** A switchboard connection that broke the protocol: it is closed; other conversations and the NS go on. */
export class SwitchboardError extends ButterflyError {}

export const conversationErrors = {
  unknownConversation: () => new ConversationError('conversation.unknown', 'There is no such conversation (it may have been closed).'),
  unknownMessage: () => new ConversationError('conversation.unknown-message', 'There is no such message to send again.'),
  notRetryable: (state: string) => new ConversationError('conversation.not-retryable', `Only a message that failed or is unconfirmed can be sent again (this one is ${state}).`),
  emptyText: () => new ConversationError('conversation.empty-text', 'There is nothing to send.'),
  textTooLong: (max: number) =>
    new ConversationError('conversation.text-too-long', `The message is longer than ${max.toLocaleString('en-US')} bytes; send it in several messages.`),
  badFormat: (what: string) => new ConversationError('conversation.bad-format', `The message format cannot be sent: ${what}.`),
  badAddress: () => new ConversationError('conversation.bad-address', 'That is not an e-mail address.'),
  isYou: () => new ConversationError('conversation.is-you', 'You cannot start a conversation with yourself.'),
  nudgeTooSoon: (seconds: number) =>
    new ConversationError('conversation.nudge-too-soon', `You can send a nudge only every ${seconds} s.`, { retryable: true }),
  noAnswer: () => new ConversationError('conversation.no-answer', 'They did not join the conversation.', { retryable: true }),
  alreadyThere: () => new ConversationError('conversation.already-there', 'That person is already in the conversation.'),
  notSignedIn: () => new ConversationError('conversation.not-signed-in', 'You are not signed in.', { retryable: true }),
};

export const switchboardErrors = {
  garbled: (what: string) =>
    new SwitchboardError('switchboard.garbled', `The conversation server sent something that is not valid MSN (${what.slice(0, 60)}); the conversation reconnects when needed.`, {
      retryable: true,
    }),
  unexpected: (what: string) => new SwitchboardError('switchboard.unexpected-reply', `The conversation server answered unexpectedly: ${what}.`, { retryable: true }),
  appearOffline: () => new SwitchboardError('switchboard.appear-offline', 'The server does not let you start a conversation while you appear offline.'),
  notReady: () => new SwitchboardError('switchboard.not-ready', 'The server does not open conversations yet; try again in a moment.', { retryable: true }),
};

const REASONS: Record<DeliveryReasonCode, string> = {
  'signed-out': 'Not sent: you signed out.',
  left: 'Not sent: you left the conversation.',
  'contact-offline': 'Not sent: the contact is offline (or appears offline).',
  'unknown-contact': 'Not sent: there is no such account.',
  'appear-offline': 'Not sent: the server does not let you start a conversation while you appear offline.',
  'no-answer': 'Not sent: the contact did not join the conversation.',
  'nobody-here': 'Not sent: nobody else is in this conversation; invite someone first.',
  'switchboard-unavailable': 'Not sent: the conversation server could not be reached.',
  'not-delivered': 'Not delivered: the server could not deliver it.',
  refused: 'Not sent: the server refused the message.',
  'connection-lost': 'The connection dropped before the server confirmed it: it may or may not have arrived.',
  'no-confirmation': 'The server did not confirm it in time: it may or may not have arrived.',
};

/** The reason with its plain-language message; `detail` (a server error, say) is added in brackets. */
export function deliveryReason(code: DeliveryReasonCode, detail?: string): DeliveryReason {
  return { code, message: detail ? `${REASONS[code]} (${detail})` : REASONS[code] };
}
