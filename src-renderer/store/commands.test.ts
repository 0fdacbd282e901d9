// The renderer's calls as main receives them: the contract's channels, the window's account added to each account
// call, results and refusals as Results; and `showAccount`, which browser mode answers in-page.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ButterflyApi, CallChannel, CallResponse } from '../../src-shared/ipc-contract';
import { ButterflyError } from '../../src-shared/errors';
import { accountSnapshot } from '../testing/account-snapshot';
import { createBridgeClient } from '../ipc/bridge-client';
import { createCommands } from './commands';
import { createButterflyStore } from './store';

const bob = accountSnapshot({ accountId: 'bob-1', email: 'bob@example.com', nickname: 'Bob' });

/** A main that records every call and answers from `answers`. */
function fakeMain(answers: Partial<{ [C in CallChannel]: CallResponse<C> | Error }> = {}) {
  const calls: { channel: string; request: unknown }[] = [];
  const api: ButterflyApi = {
    call: async (channel, request) => {
      calls.push({ channel, request });
      const answer = answers[channel];
      if (answer instanceof Error) throw answer;
      return (answer ?? null) as never;
    },
    send: () => undefined,
    on: () => () => undefined,
  };
  return { api, calls };
}

describe('commands', () => {
  it("adds the window's account to every account call, and calls nothing without one", async () => {
    const store = createButterflyStore();
    const { api, calls } = fakeMain({ 'contacts:add-group': { groupId: '4' } });
    const commands = createCommands(api, store, { listWaitMs: 10 });
    expect(await commands.addGroup('Friends')).toMatchObject({ ok: false, error: { code: 'session.not-connected' } });
    expect(calls).toEqual([]);
    store.getState().applySnapshot(bob);
    expect(await commands.addGroup('Friends')).toEqual({ ok: true, value: { groupId: '4' } });
    expect(await commands.moveContact('a@example.com', '0', '4')).toEqual({ ok: true, value: undefined });
    await commands.signOut();
    expect(calls).toEqual([
      { channel: 'contacts:add-group', request: { accountId: 'bob-1', name: 'Friends' } },
      { channel: 'contacts:move', request: { accountId: 'bob-1', email: 'a@example.com', fromGroupId: '0', toGroupId: '4' } },
      { channel: 'messenger:sign-out', request: { accountId: 'bob-1' } },
    ]);
  });

  it('answers a new group once the list holding it has arrived, so the group can be used at once', async () => {
    const store = createButterflyStore();
    store.getState().applySnapshot(bob);
    const { api } = fakeMain({ 'contacts:add-group': { groupId: '4' } });
    let settled = false;
    const adding = createCommands(api, store, { listWaitMs: 60_000 })
      .addGroup('Friends')
      .then((r) => ((settled = true), r));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    store.getState().applyEvent({ accountId: 'bob-1', type: 'contact-list', list: { ...bob.list, groups: [{ id: '4', name: 'Friends' }] } });
    expect(await adding).toEqual({ ok: true, value: { groupId: '4' } });
  });

  it('signs in with the typed form and reports a refusal with its code', async () => {
    const store = createButterflyStore();
    const { api, calls } = fakeMain({ 'messenger:sign-in': new ButterflyError('auth.wrong-password', 'The e-mail address or password is not right.') });
    const r = await createCommands(api, store).signIn('alice@example.com', 'pw', 'BSY');
    expect(calls).toEqual([{ channel: 'messenger:sign-in', request: { email: 'alice@example.com', password: 'pw', status: 'BSY' } }]);
    expect(r).toMatchObject({ ok: false, error: { code: 'auth.wrong-password', message: 'The e-mail address or password is not right.' } });
  });

  it('showAccount in browser mode: main answers in-page, and this page shows the account itself', async () => {
    const store = createButterflyStore();
    const { api, calls } = fakeMain({ 'windows:open': { opened: 'in-page' }, 'accounts:watch': { account: bob } });
    expect(await createCommands(api, store).showAccount('bob-1')).toEqual({ ok: true, value: undefined });
    expect(calls).toEqual([
      { channel: 'windows:open', request: { view: 'contact-list', accountId: 'bob-1' } },
      { channel: 'accounts:watch', request: { accountId: 'bob-1' } },
    ]);
    expect(store.getState()).toMatchObject({ accountId: 'bob-1', profile: { email: 'bob@example.com' }, connection: { kind: 'connected' } });
  });

  it('showAccount in Electron: main opened a window, this page stays as it is', async () => {
    const store = createButterflyStore();
    const { api, calls } = fakeMain({ 'windows:open': { opened: 'window', windowId: 2 } });
    expect(await createCommands(api, store).showAccount('bob-1')).toEqual({ ok: true, value: undefined });
    expect(calls.map((c) => c.channel)).toEqual(['windows:open']);
    expect(store.getState().accountId).toBeNull();
  });

  it('opening a conversation in Electron: conversations:open, then main opens its window; nothing is shown in this page', async () => {
    const store = createButterflyStore();
    store.getState().applySnapshot(bob);
    const { api, calls } = fakeMain({ 'conversations:open': { conversationId: 'c1' }, 'windows:open': { opened: 'window', windowId: 3 } });
    expect(await createCommands(api, store).openConversation('alice@example.com')).toEqual({ ok: true, value: { conversationId: 'c1', shown: 'window' } });
    expect(calls).toEqual([
      { channel: 'conversations:open', request: { accountId: 'bob-1', email: 'alice@example.com' } },
      { channel: 'windows:open', request: { view: 'conversation', accountId: 'bob-1', conversationId: 'c1' } },
    ]);
    expect(store.getState()).toMatchObject({ tabs: [], activeTab: null, conversations: {} });
  });

  it('opening a conversation in browser mode: main answers in-page, and this page loads it and shows its tab; a refusal is a Result', async () => {
    const store = createButterflyStore();
    store.getState().applySnapshot(bob);
    const conversation = { id: 'c1', kind: 'single' as const, contact: 'alice@example.com', participants: [], unread: 2, lastActivity: 0, connected: false };
    const { api, calls } = fakeMain({ 'conversations:open': { conversationId: 'c1' }, 'windows:open': { opened: 'in-page' }, 'conversations:get': { conversation, messages: [] } });
    expect(await createCommands(api, store).openConversation('alice@example.com')).toEqual({ ok: true, value: { conversationId: 'c1', shown: 'in-page' } });
    expect(calls.map((c) => c.channel)).toEqual(['conversations:open', 'windows:open', 'conversations:get']);
    expect(store.getState()).toMatchObject({ tabs: ['c1'], activeTab: 'c1', conversations: { c1: { unread: 2 } } });
    const refusing = fakeMain({ 'windows:open': new ButterflyError('conversation.unknown', 'gone') });
    expect(await createCommands(refusing.api, store).showConversation('c9')).toMatchObject({ ok: false, error: { code: 'conversation.unknown' } });
    expect(store.getState().tabs).toEqual(['c1']);
  });

  it('reads and saves main’s window settings', async () => {
    const { api, calls } = fakeMain({ 'settings:get-windows': { messageArrival: 'open-window' }, 'settings:save-windows': { messageArrival: 'notify' } });
    const commands = createCommands(api, createButterflyStore());
    expect(await commands.getWindowSettings()).toEqual({ ok: true, value: { messageArrival: 'open-window' } });
    expect(await commands.saveWindowSettings({ messageArrival: 'notify' })).toEqual({ ok: true, value: { messageArrival: 'notify' } });
    expect(calls.at(-1)).toEqual({ channel: 'settings:save-windows', request: { messageArrival: 'notify' } });
  });

  it("the bridge client is the contract's api, as the preload is", () => {
    expectTypeOf(createBridgeClient).returns.toEqualTypeOf<ButterflyApi>();
  });
});
