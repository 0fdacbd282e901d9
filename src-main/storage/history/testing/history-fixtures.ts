// Messages and conversations as the conversation layer makes them, for the history tests, the crash child, the CLI
// test and the benchmark.
import type { IncomingMessage, OutgoingMessage } from '../../../../src-shared/conversation-types';
import type { ConversationRecord } from '../history-types';

export const ME = 'me@example.com';

export const single = (id: string, contact: string, nickname = contact.split('@')[0]): ConversationRecord => ({
  id,
  kind: 'single',
  contact,
  participants: [{ email: contact, nickname }],
});

export const group = (id: string, emails: string[]): ConversationRecord => ({
  id,
  kind: 'group',
  participants: emails.map((email) => ({ email, nickname: email.split('@')[0] })),
});

export function incoming(id: string, conversationId: string, from: string, text: string, at: number, extra: Partial<IncomingMessage> = {}): IncomingMessage {
  return { id, conversationId, at, from, direction: 'in', kind: 'text', nickname: from.split('@')[0], text, emoticons: [], charset: 'UTF-8', ...extra };
}

export function outgoing(id: string, conversationId: string, text: string, at: number, extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return { id, conversationId, at, from: ME, direction: 'out', kind: 'text', text, emoticons: [], state: 'queued', attempt: 1, ...extra };
}
