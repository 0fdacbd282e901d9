// Conversations over real sockets against the project's test server: two accounts chatting both ways, both opening at
// once, three people with an invitation, someone leaving and someone dropped by the server, invitations answered,
// switchboard bytes in 1-byte pieces, charsets and hostile formatting from a raw peer, typing and nudges, long text.
import { describe, expect, it } from 'vitest';
import type { AccountSpec } from '../../e2e/msn-server';
import { signInTwn, syncAndGoOnline } from '../../e2e/msn-server/testing/sign-in';
import type { RawClient } from '../../e2e/msn-server/testing/raw-client';
import { openSwitchboard } from '../../e2e/msn-server/testing/switchboard';
import iconv from 'iconv-lite';
import { SWITCHBOARD_MAX_PAYLOAD_BYTES } from '../protocol/sb-message';
import { buildTextMessage } from '../protocol/im-message';
import { conversationsPerTest, statesOf, type ChatAccount } from './testing/conversation-harness';

const t = conversationsPerTest();
const { start, accounts } = t;

async function aliceAndBob(): Promise<{ alice: ChatAccount; bob: ChatAccount }> {
  const alice = await accounts.signIn('alice@example.com', 'alicepass');
  const bob = await accounts.signIn('bob@example.com', 'bobpass');
  return { alice, bob };
}

const conversationWith = (a: ChatAccount, email: string) => a.conversations.openConversation(email).conversationId;

describe('two people', () => {
  it('chat both ways with non-ASCII text and formatting, each message delivered and read once', async () => {
    await start();
    const { alice, bob } = await aliceAndBob();
    const toBob = conversationWith(alice, 'bob@example.com');
    const [first] = alice.conversations.sendText(toBob, 'Hi Bob — ça va? ☃ 你好 😀 :)', { font: 'Segoe UI', bold: true, color: '#ff0000' }).messageIds;
    const got = await bob.nextText('alice@example.com');
    expect(got).toMatchObject({
      direction: 'in',
      text: 'Hi Bob — ça va? ☃ 你好 😀 :)',
      format: { font: 'Segoe UI', bold: true, color: '#ff0000' },
      charset: 'UTF-8',
      nickname: 'Alice%20✿%20Ünïcødé',
      emoticons: [{ code: ':)', name: 'smile' }],
    });
    expect(await alice.settled(first)).toMatchObject({ state: 'delivered', attempt: 1 });
    expect(statesOf(alice.log, first)).toEqual(['sent', 'delivered']);

    // Bob answers in the same conversation: his side keyed it by alice, and it reuses the switchboard alice opened.
    const bobConversation = bob.conversations.conversations();
    expect(bobConversation).toHaveLength(1);
    expect(bobConversation[0]).toMatchObject({ kind: 'single', contact: 'alice@example.com', unread: 1, connected: true });
    const [reply] = bob.conversations.sendText(bobConversation[0].id, 'Très bien!\nSecond line, RTL: שלום', { italic: true, rightToLeft: true }).messageIds;
    const back = await alice.nextText('bob@example.com');
    expect(back).toMatchObject({ text: 'Très bien!\nSecond line, RTL: שלום', format: { italic: true, rightToLeft: true }, conversationId: toBob });
    expect(await bob.settled(reply)).toMatchObject({ state: 'delivered' });
    expect(t.server.state.conversations()).toHaveLength(1);

    bob.conversations.markRead(bobConversation[0].id);
    expect(bob.conversations.conversation(bobConversation[0].id).unread).toBe(0);
    expect(alice.conversations.conversation(toBob).unread).toBe(1);
    // Bob saw exactly one message; alice exactly one.
    expect(bob.log.of('message').filter((e) => e.message.direction === 'in')).toHaveLength(1);
    expect(alice.log.of('message').filter((e) => e.message.direction === 'in')).toHaveLength(1);
  });

  it('both sides opening at the same moment end in one conversation on each side, and settle on one switchboard', async () => {
    await start();
    const alice = await accounts.signIn('alice@example.com', 'alicepass', { timings: { spareCloseMs: 300 } });
    const bob = await accounts.signIn('bob@example.com', 'bobpass', { timings: { spareCloseMs: 300 } });
    const a = conversationWith(alice, 'bob@example.com');
    const b = conversationWith(bob, 'alice@example.com');
    const [fromAlice] = alice.conversations.sendText(a, 'hello from alice').messageIds;
    const [fromBob] = bob.conversations.sendText(b, 'hello from bob').messageIds;
    expect((await bob.nextText()).text).toBe('hello from alice');
    expect((await alice.nextText()).text).toBe('hello from bob');
    expect((await alice.settled(fromAlice)).state).toBe('delivered');
    expect((await bob.settled(fromBob)).state).toBe('delivered');
    expect(alice.conversations.conversations().map((c) => c.id)).toEqual([a]);
    expect(bob.conversations.conversations().map((c) => c.id)).toEqual([b]);
    // Two switchboards, one opened by each, both with both people in them.
    expect(t.server.state.conversations().map((c) => c.participants.length)).toEqual([2, 2]);
    // Whichever switchboards came up, both sides now send on the same one: each further message arrives once.
    const before = new Map(t.server.state.conversations().map((c) => [c.id, c.messages]));
    for (let i = 0; i < 5; i++) {
      alice.conversations.sendText(a, `a${i}`);
      bob.conversations.sendText(b, `b${i}`);
    }
    for (let i = 0; i < 5; i++) expect((await bob.nextText()).text).toBe(`a${i}`);
    for (let i = 0; i < 5; i++) expect((await alice.nextText()).text).toBe(`b${i}`);
    const grew = t.server.state.conversations().filter((c) => c.messages > (before.get(c.id) ?? 0));
    expect(grew.map((c) => c.messages - (before.get(c.id) ?? 0))).toEqual([10]);
    // The spare goes quiet and is closed by both sides; the one left is the one both used.
    await expect.poll(() => t.server.state.conversations().map((c) => c.id), { timeout: 5_000 }).toEqual([grew[0].id]);
    alice.conversations.sendText(a, 'still one');
    expect((await bob.nextText()).text).toBe('still one');
    expect(alice.log.of('message').filter((e) => e.message.direction === 'in')).toHaveLength(6);
    expect(bob.log.of('message').filter((e) => e.message.direction === 'in')).toHaveLength(7);
  });

  it('an invitation (RNG) is answered (ANS) and its roster opens the conversation on the invited side', async () => {
    await start();
    const { alice, bob } = await aliceAndBob();
    alice.conversations.sendText(conversationWith(alice, 'bob@example.com'), 'ring ring');
    expect(await bob.nextText()).toMatchObject({ text: 'ring ring', from: 'alice@example.com' });
    const opened = bob.log.of('conversation-opened');
    expect(opened).toHaveLength(1);
    expect(opened[0].conversation).toMatchObject({ kind: 'single', contact: 'alice@example.com', participants: [{ email: 'alice@example.com', nickname: 'Alice%20✿%20Ünïcødé' }] });
    const sessionId = bob.traffic.find((t) => t.line.startsWith('RNG '))!.line.split(' ')[1];
    const bobOut = bob.traffic.filter((t) => t.channel === 'SB' && t.direction === 'out');
    expect(bobOut[0]).toMatchObject({ line: `ANS 1 bob@example.com [redacted] ${sessionId}`, sessionId });
    // Alice's switchboard lines carry the session id from the CAL answer on.
    expect(alice.traffic.filter((t) => t.channel === 'SB' && t.line.startsWith('MSG ')).every((t) => t.sessionId === sessionId)).toBe(true);
  });

  it('works with every switchboard byte arriving in its own TCP segment', async () => {
    await start({ faults: { chunking: 'byte', scope: 'sb' } });
    const { alice, bob } = await aliceAndBob();
    const [id] = alice.conversations.sendText(conversationWith(alice, 'bob@example.com'), 'one byte at a time: ümlaut 😀').messageIds;
    expect((await bob.nextText(undefined, 20_000)).text).toBe('one byte at a time: ümlaut 😀');
    expect((await alice.settled(id)).state).toBe('delivered');
    bob.conversations.sendText(bob.conversations.conversations()[0].id, 'and back');
    expect((await alice.nextText(undefined, 20_000)).text).toBe('and back');
  });
});

describe('typing and nudges', () => {
  it('typing notices both ways, sent at most every interval, shown until they expire or the message comes', async () => {
    await start();
    const alice = await accounts.signIn('alice@example.com', 'alicepass', { timings: { typingIntervalMs: 200, typingExpireMs: 300 } });
    const bob = await accounts.signIn('bob@example.com', 'bobpass', { timings: { typingIntervalMs: 200, typingExpireMs: 300 } });
    const a = conversationWith(alice, 'bob@example.com');
    alice.conversations.sendText(a, 'first');
    await bob.nextText();
    const b = bob.conversations.conversations()[0].id;
    for (let i = 0; i < 5; i++) alice.conversations.userTyping(a);
    await bob.log.next((e) => e.type === 'typing' && e.active && e.email === 'alice@example.com', 'alice typing');
    await bob.log.next((e) => e.type === 'typing' && !e.active, 'alice stopped typing (expired)');
    const typingSent = alice.traffic.filter((t) => t.channel === 'SB' && t.direction === 'out' && / U \d+$/.test(t.line));
    expect(typingSent).toHaveLength(1);
    // Bob types, then his message arrives: "typing" ends with it, before the expiry.
    bob.conversations.userTyping(b);
    await alice.log.next((e) => e.type === 'typing' && e.active && e.email === 'bob@example.com', 'bob typing');
    bob.conversations.sendText(b, 'done typing');
    const stop = alice.log.next((e) => e.type === 'typing' && !e.active, 'bob stopped typing');
    expect((await alice.nextText()).text).toBe('done typing');
    await stop;
  });

  it('nudges both ways, rate-limited', async () => {
    await start();
    const alice = await accounts.signIn('alice@example.com', 'alicepass', { timings: { nudgeIntervalMs: 60_000 } });
    const bob = await accounts.signIn('bob@example.com', 'bobpass');
    const a = conversationWith(alice, 'bob@example.com');
    const { messageId } = alice.conversations.sendNudge(a);
    const nudge = await bob.log.next((e) => e.type === 'message' && e.message.kind === 'nudge', 'a nudge for bob');
    expect(nudge).toMatchObject({ message: { direction: 'in', from: 'alice@example.com', kind: 'nudge' } });
    expect(await alice.settled(messageId)).toMatchObject({ kind: 'nudge', state: 'sent' });
    expect(() => alice.conversations.sendNudge(a)).toThrow(expect.objectContaining({ code: 'conversation.nudge-too-soon' }));
    bob.conversations.sendNudge(bob.conversations.conversations()[0].id);
    await alice.log.next((e) => e.type === 'message' && e.message.kind === 'nudge' && e.message.direction === 'in', 'a nudge for alice');
    expect(alice.traffic.some((t) => t.channel === 'SB' && t.direction === 'out' && / N \d+$/.test(t.line))).toBe(true);
  });
});

describe('three people', () => {
  const three: AccountSpec[] = ['alice', 'bob', 'carol'].map((n) => ({
    email: `${n}@example.com`,
    password: `${n}pass`,
    contacts: ['alice', 'bob', 'carol'].filter((m) => m !== n).map((m) => ({ email: `${m}@example.com`, lists: ['FL', 'AL'] as ('FL' | 'AL')[] })),
  }));

  async function threeSignedIn(): Promise<Record<'alice' | 'bob' | 'carol', ChatAccount>> {
    await start({ accounts: three });
    return {
      alice: await accounts.signIn('alice@example.com', 'alicepass'),
      bob: await accounts.signIn('bob@example.com', 'bobpass'),
      carol: await accounts.signIn('carol@example.com', 'carolpass'),
    };
  }

  it('an invitation turns a chat into a group conversation; someone leaves, someone is dropped by the server', async () => {
    const { alice, bob, carol } = await threeSignedIn();
    const single = conversationWith(alice, 'bob@example.com');
    alice.conversations.sendText(single, 'just us');
    await bob.nextText();

    const { conversationId: group } = await alice.conversations.invite(single, 'carol@example.com');
    expect(group).not.toBe(single);
    const opened = alice.log.of('conversation-opened').find((e) => e.conversation.id === group)!;
    expect(opened).toMatchObject({ grewFrom: single, conversation: { kind: 'group' } });
    expect(opened.conversation.participants.map((p) => p.email).sort()).toEqual(['bob@example.com', 'carol@example.com']);
    // Bob's side: the same switchboard becomes a group conversation when carol joins.
    await bob.log.next((e) => e.type === 'conversation-opened' && e.conversation.kind === 'group', 'a group conversation on bob\'s side');
    // Carol was invited into a switchboard with two people: a group conversation for her from the start.
    await carol.log.next((e) => e.type === 'conversation-opened' && e.conversation.kind === 'group', 'a group conversation for carol');

    alice.conversations.sendText(group, 'hello both');
    expect((await bob.nextText()).text).toBe('hello both');
    expect((await carol.nextText()).text).toBe('hello both');
    const carolGroup = carol.conversations.conversations().find((c) => c.kind === 'group')!.id;
    carol.conversations.sendText(carolGroup, 'hi from carol');
    expect((await alice.nextText('carol@example.com')).conversationId).toBe(group);
    expect((await bob.nextText('carol@example.com')).text).toBe('hi from carol');

    // Carol leaves (OUT): the others see her leave; bob is then dropped by the server (BYE … 1).
    carol.conversations.leave(carolGroup);
    expect(await alice.log.next((e) => e.type === 'participant-left' && e.email === 'carol@example.com', 'carol left')).toMatchObject({ conversationId: group, reason: 'left' });
    t.server.faults.timeOutOfSwitchboards('bob@example.com');
    expect(await alice.log.next((e) => e.type === 'participant-left' && e.email === 'bob@example.com', 'bob dropped')).toMatchObject({ conversationId: group, reason: 'dropped' });
    // Everyone else gone: the conversation stays, and says so when written to.
    expect(alice.conversations.conversation(group)).toMatchObject({ participants: [], connected: false });
    const [lonely] = alice.conversations.sendText(group, 'anyone?').messageIds;
    expect(await alice.settled(lonely)).toMatchObject({ state: 'failed', reason: { code: 'nobody-here' } });
    // Re-inviting makes it writable again.
    expect(await alice.conversations.invite(group, 'carol@example.com')).toEqual({ conversationId: group });
    alice.conversations.sendText(group, 'carol, back?');
    expect((await carol.nextText()).text).toBe('carol, back?');
  });

  it('a group conversation whose switchboard went away calls everyone again, and its next message reaches them all', async () => {
    const { alice, bob, carol } = await threeSignedIn();
    const single = conversationWith(alice, 'bob@example.com');
    const { conversationId: group } = await alice.conversations.invite(single, 'carol@example.com');
    alice.conversations.sendText(group, 'first');
    await Promise.all([bob.nextText(), carol.nextText()]);
    // The network blips: alice's switchboard drops; the next message opens a new one and CALs both, carol answering
    // well after bob. She must get the message all the same.
    t.server.faults.set({ ringDelay: { email: 'carol@example.com', ms: 200 } });
    t.server.faults.kickSwitchboards('alice@example.com');
    await alice.log.next((e) => e.type === 'conversation-updated' && e.conversation.id === group && !e.conversation.connected, 'the switchboard gone');
    for (let i = 0; i < 3; i++) {
      const [id] = alice.conversations.sendText(group, `again ${i}`).messageIds;
      expect(await alice.settled(id)).toMatchObject({ state: 'delivered' });
      expect((await bob.nextText()).text).toBe(`again ${i}`);
      expect((await carol.nextText()).text).toBe(`again ${i}`);
      t.server.faults.kickSwitchboards('alice@example.com');
      await alice.log.next((e) => e.type === 'conversation-updated' && e.conversation.id === group && !e.conversation.connected, 'the switchboard gone');
    }
  });
});

describe('what a raw peer sends', () => {
  /** bob as a raw MSNP client in a switchboard with alice (who answered the RNG); returns his SB connection. */
  async function rawBobWithAlice(): Promise<{ alice: ChatAccount; bob: RawClient }> {
    const alice = await accounts.signIn('alice@example.com', 'alicepass');
    const ns = await signInTwn(t.server, 'bob@example.com', 'bobpass');
    t.track(ns);
    await syncAndGoOnline(ns);
    const bob = await openSwitchboard(t.server, ns, 'bob@example.com', 20);
    t.track(bob);
    bob.send('CAL 2 alice@example.com');
    await bob.waitFor('JOI alice@example.com');
    return { alice, bob };
  }
  const head = (contentType: string, format?: string) =>
    Buffer.from(`MIME-Version: 1.0\r\nContent-Type: ${contentType}\r\n${format ? `X-MMS-IM-Format: ${format}\r\n` : ''}\r\n`, 'latin1');

  it('ISO-8859-1 without charset, KOI8-R, invalid UTF-8 and an unknown charset: decoded, or marked and flagged', async () => {
    await start();
    const { alice, bob } = await rawBobWithAlice();
    bob.sendMsg(3, 'N', Buffer.concat([head('text/plain'), Buffer.from('Olá, ça va très bien', 'latin1')]));
    bob.sendMsg(4, 'N', Buffer.concat([head('text/plain; charset=KOI8-R'), iconv.encode('Привет, мир', 'koi8-r')]));
    bob.sendMsg(5, 'N', Buffer.concat([head('text/plain; charset=UTF-8'), Buffer.from([0x61, 0xff, 0xfe, 0x62])]));
    bob.sendMsg(6, 'N', Buffer.concat([head('text/plain; charset=x-unknown-42'), Buffer.from([0x41, 0xe9])]));
    expect(await alice.nextText()).toMatchObject({ text: 'Olá, ça va très bien', charset: 'ISO-8859-1' });
    expect(await alice.nextText()).toMatchObject({ text: 'Привет, мир', charset: 'KOI8-R' });
    const broken = await alice.nextText();
    expect(broken).toMatchObject({ text: 'a\uFFFD\uFFFDb', malformed: true });
    expect(await alice.nextText()).toMatchObject({ text: 'Aé', unknownCharset: true });
  });

  it('hostile formatting is sanitised: no script font, no url() colour, no 10 KB font name', async () => {
    await start();
    const { alice, bob } = await rawBobWithAlice();
    bob.sendMsg(3, 'N', Buffer.concat([head('text/plain; charset=UTF-8', 'FN=<script>alert(1)</script>; EF=B; CO=url(javascript:alert(1))'), Buffer.from('one')]));
    bob.sendMsg(4, 'N', Buffer.concat([head('text/plain; charset=UTF-8', `FN=${'A'.repeat(10 * 1024)}; CO=ff`), Buffer.from('two')]));
    bob.sendMsg(5, 'N', Buffer.concat([head('text/plain; charset=UTF-8', 'FN=Comic%22%3B%7Dbody%7Bcolor%3Ared; EF=I'), Buffer.from('three')]));
    expect((await alice.nextText()).format).toEqual({ bold: true });
    expect((await alice.nextText()).format).toEqual({ color: '#ff0000' });
    expect((await alice.nextText()).format).toEqual({ italic: true });
  });

  it('invitations, P2P and custom emoticons are unsupported content, not errors; the conversation goes on', async () => {
    await start();
    const { alice, bob } = await rawBobWithAlice();
    bob.sendMsg(3, 'N', Buffer.concat([head('application/x-msnmsgrp2p'), Buffer.from([0, 1, 2, 3])]));
    bob.sendMsg(4, 'N', Buffer.concat([head('text/x-msmsgsinvite; charset=UTF-8'), Buffer.from('Invitation-Command: INVITE\r\n')]));
    bob.sendMsg(5, 'N', Buffer.concat([head('text/x-mms-emoticon'), Buffer.from(':beer:\t<msnobj/>\t')]));
    bob.sendMsg(6, 'N', Buffer.concat([head('text/plain; charset=UTF-8'), Buffer.from('still here')]));
    expect((await alice.nextText()).text).toBe('still here');
    expect(alice.log.of('unsupported-content').map((e) => e.contentType)).toEqual(['application/x-msnmsgrp2p', 'text/x-msmsgsinvite', 'text/x-mms-emoticon']);
  });

  it('a switchboard that sends nonsense is closed with a typed error; the NS stays up and the next message opens a new one', async () => {
    await start();
    const { alice, bob } = await rawBobWithAlice();
    bob.sendMsg(3, 'N', Buffer.concat([head('text/plain; charset=UTF-8'), Buffer.from('before')]));
    await alice.nextText();
    const sbs = t.server.state.connections().filter((c) => c.server === 'sb').length;
    t.server.faults.sendRawSb('alice@example.com', '\u0000\u0001garbage that is no command\r\n');
    await expect.poll(() => t.server.state.connections().filter((c) => c.server === 'sb').length).toBe(sbs - 1);
    expect(alice.manager.state.kind).toBe('connected');
    expect(alice.traffic.some((t) => t.channel === 'SB' && t.line.includes('garbage'))).toBe(true);
    // Bob's raw switchboard stays; alice writing again calls bob into a new one (his NS gets the RNG).
    const conversation = alice.conversations.conversations()[0].id;
    alice.conversations.sendText(conversation, 'after');
    await expect.poll(() => t.server.transcripts().filter((t) => t.server === 'ns' && t.email === 'bob@example.com').some((t) => t.entries.some((e) => e.bytes.toString().startsWith('RNG')))).toBe(true);
  });
});

describe('long text', () => {
  it('is split at character boundaries, emoji at the boundary kept whole, each part delivered in order', async () => {
    await start();
    const { alice, bob } = await aliceAndBob();
    const budget = SWITCHBOARD_MAX_PAYLOAD_BYTES - buildTextMessage('').length;
    const text = `${'x'.repeat(budget - 2)}😀${'y'.repeat(budget - 6)}👨‍👩‍👧 tail`;
    const { messageIds } = alice.conversations.sendText(conversationWith(alice, 'bob@example.com'), text);
    expect(messageIds).toHaveLength(3);
    const parts = [await bob.nextText(), await bob.nextText(), await bob.nextText()].map((m) => m.text);
    expect(parts.join('')).toBe(text);
    expect(parts[1].startsWith('😀')).toBe(true);
    expect(parts[2].startsWith('👨‍👩‍👧')).toBe(true);
    const sent = alice.conversations.messages(alice.conversations.conversations()[0].id).filter((m) => m.direction === 'out');
    expect(sent.map((m) => (m.direction === 'out' ? m.part : undefined))).toEqual([
      { index: 0, count: 3 },
      { index: 1, count: 3 },
      { index: 2, count: 3 },
    ]);
    for (const id of messageIds) expect((await alice.settled(id)).state).toBe('delivered');
    expect(() => alice.conversations.sendText(alice.conversations.conversations()[0].id, 'z'.repeat(40_000))).toThrow(expect.objectContaining({ code: 'conversation.text-too-long' }));
  });
});
