// A page starting from what main has: its account's snapshot, then (a reload, a new window) the account's open
// conversations with their messages and unread counts, the tab shown before; or, a conversation window, only its
// conversation.
import { describe, expect, it } from 'vitest';
import type { ButterflyApi, CallChannel, CallRequest, CallResponse } from '../../src-shared/ipc-contract';
import { ButterflyError } from '../../src-shared/errors';
import type { ConversationMessage, ConversationSummary } from '../../src-shared/conversation-types';
import { accountSnapshot } from '../testing/account-snapshot';
import { createButterflyStore } from '../store/store';
import { saveActiveTab } from '../store/active-tab';
import { bindMainToStore } from './main-events';

const alice = accountSnapshot({ accountId: 'alice-1' });
const summary = (id: string, unread: number): ConversationSummary => ({ id, kind: 'single', contact: `${id}@x.test`, participants: [], unread, lastActivity: 0, connected: true });
const said = (id: string, conversationId: string): ConversationMessage => ({ id, conversationId, at: 1, from: 'bob@x.test', direction: 'in', kind: 'text', nickname: 'Bob', text: id, emoticons: [] });

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k) };
}

/** A main with alice signed in and conversations c1 (1 unread) and c2 (none); `gone` are refused by conversations:get. */
function fakeMain(gone: string[] = []) {
  const calls: { channel: string; request: unknown }[] = [];
  const conversations = { c1: summary('c1', 1), c2: summary('c2', 0) };
  const answer = (channel: CallChannel, request: unknown): unknown => {
    switch (channel) {
      case 'accounts:watch':
        return { account: alice };
      case 'conversations:list':
        return { conversations: Object.values(conversations) };
      case 'conversations:get': {
        const id = (request as CallRequest<'conversations:get'>).conversationId as keyof typeof conversations;
        if (gone.includes(id) || !conversations[id]) throw new ButterflyError('conversation.unknown', 'gone');
        return { conversation: conversations[id], messages: [said(`${id}-m1`, id)] } satisfies CallResponse<'conversations:get'>;
      }
      default:
        return null;
    }
  };
  const api: ButterflyApi = {
    call: async (channel, request) => {
      calls.push({ channel, request });
      return answer(channel, request) as never;
    },
    send: () => undefined,
    on: () => () => undefined,
  };
  return { api, calls };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('bindMainToStore: what a page starts from', () => {
  it('a reloaded page gets its conversations back: a tab each, their messages, the unread counts, and the tab it showed', async () => {
    const store = createButterflyStore();
    const storage = memoryStorage();
    saveActiveTab(storage, 'alice-1', 'c2');
    const { api, calls } = fakeMain();
    bindMainToStore(api, store, { tabStorage: storage });
    await settle();
    expect(calls.map((c) => c.channel)).toEqual(['app:get-info', 'accounts:watch', 'conversations:list', 'conversations:get', 'conversations:get']);
    expect(store.getState()).toMatchObject({ accountId: 'alice-1', tabs: ['c1', 'c2'], activeTab: 'c2', conversations: { c1: { unread: 1 }, c2: { unread: 0 } } });
    expect(store.getState().flows.c1).toEqual([{ type: 'message', message: said('c1-m1', 'c1') }]);
  });

  it('a new window (nothing kept) shows the tabs with none chosen; one closed in between is left out, the others come back', async () => {
    const store = createButterflyStore();
    const { api } = fakeMain(['c1']);
    bindMainToStore(api, store, { tabStorage: memoryStorage() });
    await settle();
    expect(store.getState()).toMatchObject({ tabs: ['c2'], activeTab: null });
    expect(store.getState().conversations.c1).toBeUndefined();
  });

  it('a conversation window watches its account and loads only its conversation, shown', async () => {
    const store = createButterflyStore();
    const { api, calls } = fakeMain();
    bindMainToStore(api, store, { conversation: { view: 'conversation', accountId: 'alice-1', conversationId: 'c2' } });
    await settle();
    expect(calls.slice(1)).toEqual([
      { channel: 'accounts:watch', request: { accountId: 'alice-1' } },
      { channel: 'conversations:get', request: { accountId: 'alice-1', conversationId: 'c2' } },
    ]);
    expect(store.getState()).toMatchObject({ tabs: ['c2'], activeTab: 'c2' });
    expect(Object.keys(store.getState().conversations)).toEqual(['c2']);
  });
});

describe('applyConversations', () => {
  it('keeps tabs the page already has first, does not double one, keeps the shown tab, and ignores another account', () => {
    const store = createButterflyStore();
    store.getState().applySnapshot(alice);
    store.getState().showTab('c2');
    store.getState().applyConversations('alice-1', [{ conversation: summary('c1', 3), messages: [] }, { conversation: summary('c2', 0), messages: [] }], 'c1');
    expect(store.getState()).toMatchObject({ tabs: ['c2', 'c1'], activeTab: 'c2', conversations: { c1: { unread: 3 } } });
    store.getState().applyConversations('someone-else', [{ conversation: summary('c9', 1), messages: [] }], 'c9');
    expect(store.getState().tabs).toEqual(['c2', 'c1']);
    expect(store.getState().conversations.c9).toBeUndefined();
  });
});

describe('active tab kept for the browser tab', () => {
  it('reads back what was kept, per account; a cleared or garbled value is none; refusing storage is not an error', async () => {
    const { loadActiveTab } = await import('../store/active-tab');
    const storage = memoryStorage();
    saveActiveTab(storage, 'a1', 'c1');
    saveActiveTab(storage, 'a2', 'c7');
    expect([loadActiveTab(storage, 'a1'), loadActiveTab(storage, 'a2'), loadActiveTab(storage, 'a3')]).toEqual(['c1', 'c7', null]);
    saveActiveTab(storage, 'a1', null);
    expect(loadActiveTab(storage, 'a1')).toBeNull();
    storage.setItem('butterfly.active-tab.a2', '<script>');
    expect(loadActiveTab(storage, 'a2')).toBeNull();
    const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem: () => undefined };
    expect(loadActiveTab(refusing, 'a1')).toBeNull();
    expect(() => saveActiveTab(refusing, 'a1', 'c1')).not.toThrow();
  });
});
