// Conversations through the service, the way the UI reaches them (the contract's calls, the account's one event
// stream), over real sockets to the test server: two accounts in one service chat both ways; typing, nudges, unread
// counts and mark-read; every conversation event stamped with its account; signing out and quitting with messages
// waiting fail them; the conversation sink sees every conversation event first, in order.
import { describe, expect, it } from 'vitest';
import type { ConversationEvent } from '../../src-shared/conversation-types';
import type { MessengerEvent } from '../../src-shared/messenger-types';
import type { ConversationSink } from './account';
import type { AccountRecord } from './account-registry';
import { aliceAndBob, find, is, settled } from './testing/conversation-waits';
import { liveServicesPerTest, type LiveService } from './testing/live-service';

const { services, server } = liveServicesPerTest();

describe('two accounts in one service', () => {
  it('chat both ways through the service calls; events carry the account they belong to', async () => {
    const live = services.create();
    const { alice, bob } = await aliceAndBob(live);
    const { calls } = live.service;

    const { conversationId: toBob } = await calls['conversations:open']({ accountId: alice, email: 'bob@example.com' });
    // The same contact is the same conversation.
    expect(await calls['conversations:open']({ accountId: alice, email: ' BOB@example.com ' })).toEqual({ conversationId: toBob });
    const { messageIds } = await calls['conversations:send-text']({ accountId: alice, conversationId: toBob, text: 'Grüße, Bob ✿ 😀 :)', format: { font: 'Segoe UI', bold: true, color: '#0000ff' } });
    expect(messageIds).toHaveLength(1);
    const got = await find(live, is('message', bob, (e) => e.message.direction === 'in'), 'the text at bob');
    expect(got.message).toMatchObject({ text: 'Grüße, Bob ✿ 😀 :)', from: 'alice@example.com', nickname: 'Alice%20✿%20Ünïcødé', format: { font: 'Segoe UI', bold: true, color: '#0000ff' }, emoticons: [{ code: ':)' }] });
    expect((await settled(live, alice, messageIds[0])).state).toBe('delivered');

    // Bob finds the conversation in his list, with its unread count, and answers in it.
    const { conversations: bobs } = await calls['conversations:list']({ accountId: bob });
    expect(bobs).toEqual([expect.objectContaining({ id: got.message.conversationId, kind: 'single', contact: 'alice@example.com', unread: 1, connected: true })]);
    await calls['conversations:typing']({ accountId: bob, conversationId: bobs[0].id });
    expect(await find(live, is('typing', alice, (e) => e.active), 'bob typing at alice')).toMatchObject({ conversationId: toBob, email: 'bob@example.com', active: true });
    const reply = await calls['conversations:send-text']({ accountId: bob, conversationId: bobs[0].id, text: 'Danke, Alice!' });
    const back = await find(live, is('message', alice, (e) => e.message.direction === 'in'), 'the reply at alice');
    expect(back.message).toMatchObject({ conversationId: toBob, text: 'Danke, Alice!', from: 'bob@example.com' });
    // Their message ends "bob is typing".
    expect(await find(live, is('typing', alice, (e) => !e.active), 'typing over')).toMatchObject({ conversationId: toBob, email: 'bob@example.com' });
    expect((await settled(live, bob, reply.messageIds[0])).state).toBe('delivered');

    // A nudge; then bob reads: unread back to 0, told as an update.
    const nudge = await calls['conversations:send-nudge']({ accountId: alice, conversationId: toBob });
    expect(await find(live, is('message', bob, (e) => e.message.kind === 'nudge'), 'the nudge at bob')).toMatchObject({ message: { direction: 'in', from: 'alice@example.com' } });
    await expect(calls['conversations:send-nudge']({ accountId: alice, conversationId: toBob })).rejects.toMatchObject({ code: 'conversation.nudge-too-soon' });
    expect((await calls['conversations:list']({ accountId: bob })).conversations[0].unread).toBe(2);
    const beforeRead = live.log.events.length;
    await calls['conversations:mark-read']({ accountId: bob, conversationId: bobs[0].id });
    await find(live, is('conversation-updated', bob, (e) => e.conversation.unread === 0), 'bob read it', beforeRead);

    // What each side keeps in memory, for a window opened late.
    const aliceSide = await calls['conversations:get']({ accountId: alice, conversationId: toBob });
    expect(aliceSide.conversation).toMatchObject({ id: toBob, unread: 1 });
    expect(aliceSide.messages.map((m) => [m.direction, m.kind, m.text])).toEqual([
      ['out', 'text', 'Grüße, Bob ✿ 😀 :)'],
      ['in', 'text', 'Danke, Alice!'],
      ['out', 'nudge', ''],
    ]);
    expect(aliceSide.messages.find((m) => m.id === nudge.messageId)).toMatchObject({ state: 'sent' });

    // One switchboard carried it all; every conversation event named its own account; the switchboard traffic did too.
    expect(server().state.conversations()).toEqual([expect.objectContaining({ participants: expect.arrayContaining(['alice@example.com', 'bob@example.com']) })]);
    const conversational = live.log.events.filter((e) => 'conversationId' in e || e.type === 'message' || e.type.startsWith('conversation-'));
    const owner = (e: MessengerEvent) => ('conversationId' in e ? e.conversationId : e.type === 'message' ? e.message.conversationId : 'conversation' in e ? e.conversation.id : '');
    for (const e of conversational) expect([alice, bob]).toContain(e.accountId);
    expect(new Set(conversational.filter((e) => owner(e) === toBob).map((e) => e.accountId))).toEqual(new Set([alice]));
    expect(new Set(conversational.filter((e) => owner(e) === bobs[0].id).map((e) => e.accountId))).toEqual(new Set([bob]));
    const sbTraffic = live.traffic.filter((t) => t.channel === 'SB');
    expect(new Set(sbTraffic.map((t) => t.accountId))).toEqual(new Set([alice, bob]));
    expect(sbTraffic.some((t) => t.accountId === alice && t.direction === 'out' && t.line.startsWith('CAL '))).toBe(true);
    expect(sbTraffic.some((t) => t.accountId === bob && t.direction === 'out' && t.line.startsWith('ANS '))).toBe(true);
  });

  it("refused calls reject with the conversation's code; another account's conversation is unknown here", async () => {
    const live = services.create();
    const { alice, bob } = await aliceAndBob(live);
    const { calls } = live.service;
    const { conversationId } = await calls['conversations:open']({ accountId: alice, email: 'bob@example.com' });
    await expect(calls['conversations:send-text']({ accountId: bob, conversationId, text: 'x' })).rejects.toMatchObject({ code: 'conversation.unknown' });
    await expect(calls['conversations:open']({ accountId: alice, email: 'alice@example.com' })).rejects.toMatchObject({ code: 'conversation.is-you' });
    await expect(calls['conversations:send-text']({ accountId: alice, conversationId, text: '   ' })).rejects.toMatchObject({ code: 'conversation.empty-text' });
    await expect(calls['conversations:retry']({ accountId: alice, messageId: 'nope' })).rejects.toMatchObject({ code: 'conversation.unknown-message' });
    await expect(calls['conversations:typing']({ accountId: 'no-such-account', conversationId })).rejects.toMatchObject({ code: 'service.unknown-account' });
    // Closed: gone from the list, told as an event.
    await calls['conversations:close']({ accountId: alice, conversationId });
    expect(await find(live, is('conversation-closed', alice), 'closed')).toMatchObject({ conversationId });
    expect((await calls['conversations:list']({ accountId: alice })).conversations).toEqual([]);
  });

  it('an invitation into a group conversation, and someone leaving it', async () => {
    const live = services.create();
    const { alice, bob } = await aliceAndBob(live);
    const carol = await live.signIn('carol@example.com', 'carolpass');
    const { calls } = live.service;
    // carol is on nobody's list: alice adds her, so that the server lets her call carol in.
    await calls['contacts:add']({ accountId: alice, email: 'carol@example.com' });
    const { conversationId: toBob } = await calls['conversations:open']({ accountId: alice, email: 'bob@example.com' });
    const first = await calls['conversations:send-text']({ accountId: alice, conversationId: toBob, text: 'one' });
    expect((await settled(live, alice, first.messageIds[0])).state).toBe('delivered');

    const { conversationId: group } = await calls['conversations:invite']({ accountId: alice, conversationId: toBob, email: 'carol@example.com' });
    expect(group).not.toBe(toBob);
    expect(await find(live, is('conversation-opened', alice, (e) => e.conversation.id === group), 'the group at alice')).toMatchObject({ grewFrom: toBob, conversation: { kind: 'group' } });
    await find(live, is('conversation-opened', carol, (e) => e.conversation.kind === 'group'), 'the group at carol');
    await calls['conversations:send-text']({ accountId: alice, conversationId: group, text: 'hello both' });
    for (const who of [bob, carol]) {
      expect((await find(live, is('message', who, (e) => e.message.direction === 'in' && e.message.text === 'hello both'), `the group text at ${who}`)).message.from).toBe('alice@example.com');
    }
    const [carolsGroup] = (await calls['conversations:list']({ accountId: carol })).conversations;
    await calls['conversations:leave']({ accountId: carol, conversationId: carolsGroup.id });
    expect(await find(live, is('participant-left', alice, (e) => e.conversationId === group), 'carol left at alice')).toMatchObject({ email: 'carol@example.com', reason: 'left' });
  });
});

describe('messages waiting when the account goes', () => {
  it('signing out fails them ("not sent: you signed out"); they are never sent later', async () => {
    const live = services.create();
    const { alice } = await aliceAndBob(live);
    const { calls } = live.service;
    const { conversationId } = await calls['conversations:open']({ accountId: alice, email: 'bob@example.com' });
    const { messageIds } = await calls['conversations:send-text']({ accountId: alice, conversationId, text: 'never' });
    await calls['messenger:sign-out']({ accountId: alice });
    expect(await settled(live, alice, messageIds[0])).toMatchObject({ state: 'failed', reason: { code: 'signed-out', message: 'Not sent: you signed out.' } });
    await live.signIn('alice@example.com', 'alicepass');
    await new Promise((r) => setTimeout(r, 200));
    expect(live.log.events.filter((e) => e.type === 'message' && e.message.direction === 'in')).toEqual([]);
    expect(server().state.conversations().every((c) => c.messages === 0)).toBe(true);
  });

  it('quitting (the service disposed) fails them too, and the conversation sink records every event first, in order', async () => {
    const sunk: { account: string; event: ConversationEvent; streamed: number }[] = [];
    const disposedSinks: string[] = [];
    let live: LiveService | undefined = undefined;
    const sink = (record: AccountRecord): ConversationSink => ({
      record: (event) => sunk.push({ account: record.id, event, streamed: live!.log.events.length }),
      dispose: () => disposedSinks.push(record.id),
    });
    live = services.create({ conversationSink: sink });
    const { alice, bob } = await aliceAndBob(live);
    const { calls } = live.service;
    const { conversationId } = await calls['conversations:open']({ accountId: alice, email: 'bob@example.com' });
    const sent = await calls['conversations:send-text']({ accountId: alice, conversationId, text: 'kept' });
    expect((await settled(live, alice, sent.messageIds[0])).state).toBe('delivered');
    // The reply rides on the switchboard that is up: queue one behind a dropped switchboard so it waits when we quit.
    server().faults.set({ refuseSb: true });
    server().faults.kickSwitchboards();
    await find(live, is('conversation-updated', alice, (e) => !e.conversation.connected), 'switchboard gone');
    const waiting = await calls['conversations:send-text']({ accountId: alice, conversationId, text: 'waiting' });
    live.service.dispose();

    const mine = sunk.filter((x) => x.account === alice);
    const events = mine.map((x) => x.event);
    // The sink had each event just before the stream: the stream's next event was that one, for the account.
    expect(mine.map((x) => live.log.events[x.streamed])).toEqual(events.map((e) => ({ ...e, accountId: alice })));
    // And it had them all.
    const accountTypes = new Set(['connection-state', 'own-profile', 'contact-list', 'presence', 'added-you', 'list-change-failed']);
    expect(live.log.events.filter((e) => e.accountId === alice && !accountTypes.has(e.type))).toHaveLength(events.length);
    const statesOf = (id: string) => events.flatMap((e) => (e.type === 'message-state' && e.messageId === id ? [[e.state, e.reason?.code]] : []));
    expect(statesOf(sent.messageIds[0])).toEqual([['sent', undefined], ['delivered', undefined]]);
    expect(statesOf(waiting.messageIds[0])).toEqual([['failed', 'signed-out']]);
    expect(new Set(disposedSinks)).toEqual(new Set([alice, bob]));
  });
});
