import { describe, expect, it } from 'vitest';
import type { ConversationSummary, IncomingMessage } from '../../src-shared/conversation-types';
import { createButterflyStore } from './store';

const summary = (unread = 0): ConversationSummary => ({ id: 'c1', kind: 'single', contact: 'bob@x.test', participants: [{ email: 'bob@x.test', nickname: 'Bob' }], unread, lastActivity: 0, connected: true });
const incoming = (id: string, kind: 'text' | 'nudge' = 'text'): IncomingMessage => ({ id, conversationId: 'c1', at: 1, from: 'bob@x.test', direction: 'in', kind, nickname: 'Bob', text: 'hi', emoticons: [] });
const event = <E extends object>(e: E) => ({ ...e, accountId: 'a1' });

describe('conversations slice', () => {
  it('gives a message with no view open a tab without showing it, once, and clears the sender’s typing', () => {
    const store = createButterflyStore();
    store.getState().applyEvent(event({ type: 'conversation-opened', conversation: summary(1) }));
    store.getState().applyEvent(event({ type: 'typing', conversationId: 'c1', email: 'bob@x.test', active: true }));
    expect(store.getState().typing.c1).toEqual(['bob@x.test']);
    store.getState().applyEvent(event({ type: 'message', message: incoming('m1') }));
    store.getState().applyEvent(event({ type: 'message', message: incoming('m1') }));
    expect(store.getState()).toMatchObject({ tabs: ['c1'], activeTab: null, typing: { c1: [] } });
    expect(store.getState().flows.c1).toHaveLength(1);
    expect(store.getState().conversations.c1?.unread).toBe(1);
  });

  it('follows an outgoing message’s state, notes a nudge, and forgets a closed conversation and its tab', () => {
    const store = createButterflyStore();
    store.getState().setConversation(summary(), [{ id: 'o1', conversationId: 'c1', at: 1, from: 'me@x.test', direction: 'out', kind: 'text', text: 'yo', emoticons: [], state: 'sent', attempt: 1 }]);
    store.getState().showTab('c1');
    store.getState().applyEvent(event({ type: 'message-state', conversationId: 'c1', messageId: 'o1', state: 'failed', attempt: 1, reason: { code: 'not-delivered', message: 'x' } }));
    expect(store.getState().flows.c1?.[0]).toMatchObject({ message: { state: 'failed', reason: { code: 'not-delivered' } } });
    store.getState().applyEvent(event({ type: 'message', message: incoming('n1', 'nudge') }));
    expect(store.getState().nudgedAt.c1).toBe(1);
    store.getState().applyEvent(event({ type: 'participant-left', conversationId: 'c1', email: 'bob@x.test', reason: 'dropped' }));
    expect(store.getState().flows.c1?.at(-1)).toMatchObject({ type: 'notice', notice: { kind: 'left', reason: 'dropped' } });
    store.getState().applyEvent(event({ type: 'conversation-closed', conversationId: 'c1' }));
    expect(store.getState()).toMatchObject({ tabs: [], activeTab: null, conversations: {}, flows: {} });
  });

  it('turns a shown single conversation’s tab into the group conversation it grew into, with what it showed', () => {
    const store = createButterflyStore();
    store.getState().applyEvent(event({ type: 'conversation-opened', conversation: summary() }));
    store.getState().applyEvent(event({ type: 'conversation-opened', conversation: { ...summary(), id: 'c0', contact: 'carol@x.test' } }));
    store.getState().showTab('c0');
    store.getState().showTab('c1');
    store.getState().applyEvent(event({ type: 'message', message: incoming('m1') }));
    store.getState().applyEvent(event({ type: 'message', message: { id: 'o1', conversationId: 'c1', at: 2, from: 'me@x.test', direction: 'out', kind: 'text', text: 'yo', emoticons: [], state: 'sent', attempt: 1 } }));
    const group: ConversationSummary = { id: 'g1', kind: 'group', participants: [{ email: 'bob@x.test', nickname: 'Bob' }, { email: 'carol@x.test', nickname: 'Carol' }], unread: 0, lastActivity: 0, connected: true };
    store.getState().applyEvent(event({ type: 'conversation-opened', conversation: group, grewFrom: 'c1' }));
    expect(store.getState()).toMatchObject({ tabs: ['c0', 'g1'], activeTab: 'g1' });
    expect(store.getState().flows.g1).toEqual(store.getState().flows.c1);
    // The message sent before the third person came settles in both flows.
    store.getState().applyEvent(event({ type: 'message-state', conversationId: 'c1', messageId: 'o1', state: 'delivered', attempt: 1 }));
    expect(store.getState().flows.g1?.at(-1)).toMatchObject({ message: { id: 'o1', state: 'delivered' } });
    expect(store.getState().flows.c1?.at(-1)).toMatchObject({ message: { id: 'o1', state: 'delivered' } });
    // One that grew from a conversation with no tab gets none (its first message adds it), and no tab is doubled.
    store.getState().applyEvent(event({ type: 'conversation-opened', conversation: { ...group, id: 'g2' }, grewFrom: 'c9' }));
    store.getState().applyEvent(event({ type: 'conversation-opened', conversation: group, grewFrom: 'c0' }));
    expect(store.getState()).toMatchObject({ tabs: ['c0', 'g1'], activeTab: 'g1' });
  });
});
