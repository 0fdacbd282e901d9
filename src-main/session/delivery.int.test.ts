// Delivery states over real sockets, with the test server's fault switches: a contact who is offline, a NAK and its
// retry, switchboards that drop before and after a message left, no ACK at all, a contact who never answers, appear
// offline on both server generations, signing out with messages waiting, idle switchboards, and a soak of 10,000
// messages with the switchboard killed every ~500 — counted on the receiving side.
import { describe, expect, it } from 'vitest';
import { signInTwn, syncAndGoOnline } from '../../e2e/msn-server/testing/sign-in';
import { conversationsPerTest, statesOf, type ChatAccount, type ChatOptions } from './testing/conversation-harness';

const t = conversationsPerTest();
const { start, accounts } = t;

const toBob = (alice: ChatAccount) => alice.conversations.openConversation('bob@example.com').conversationId;
/** Texts bob received, in order. */
const received = (bob: ChatAccount) => bob.log.of('message').flatMap((e) => (e.message.direction === 'in' && e.message.kind === 'text' ? [e.message.text] : []));

/** alice and bob signed in, and one message through so a switchboard is up. */
async function chatting(options: ChatOptions = {}): Promise<{ alice: ChatAccount; bob: ChatAccount; conversation: string }> {
  const alice = await accounts.signIn('alice@example.com', 'alicepass', options);
  const bob = await accounts.signIn('bob@example.com', 'bobpass');
  const conversation = toBob(alice);
  const [first] = alice.conversations.sendText(conversation, 'hello').messageIds;
  await bob.nextText();
  expect((await alice.settled(first)).state).toBe('delivered');
  return { alice, bob, conversation };
}

describe('failed, with a reason', () => {
  it('the contact is offline (217 on CAL); blocked looks the same', async () => {
    await start();
    const alice = await accounts.signIn('alice@example.com', 'alicepass');
    const [id] = alice.conversations.sendText(toBob(alice), 'are you there?').messageIds;
    expect(await alice.settled(id)).toMatchObject({ state: 'failed', reason: { code: 'contact-offline', message: expect.stringContaining('offline') } });
    expect(statesOf(alice.log, id)).toEqual(['failed']);
    expect(alice.traffic.some((t) => t.channel === 'SB' && t.line === `217 ${t.line.split(' ')[1]}`)).toBe(true);
    expect(alice.manager.state.kind).toBe('connected');
  });

  it('NAK → failed; retry → delivered, the same id as a second attempt', async () => {
    await start();
    const { alice, bob, conversation } = await chatting();
    t.server.faults.set({ nakMessages: 1 });
    const [id] = alice.conversations.sendText(conversation, 'nak me').messageIds;
    expect(await alice.settled(id)).toMatchObject({ state: 'failed', attempt: 1, reason: { code: 'not-delivered' } });
    expect(alice.conversations.retry(id)).toEqual({ messageId: id });
    expect(await alice.settled(id)).toMatchObject({ state: 'delivered', attempt: 2 });
    expect(statesOf(alice.log, id)).toEqual(['sent', 'failed', 'queued', 'sent', 'delivered']);
    expect(received(bob)).toEqual(['hello', 'nak me']);
    expect(() => alice.conversations.retry(id)).toThrow(expect.objectContaining({ code: 'conversation.unknown-message' }));
  });

  it('while appearing offline: 913 from current servers says so; the 2017 Escargot opens the chat anyway', async () => {
    await start();
    const alice = await accounts.signIn('alice@example.com', 'alicepass', { status: 'HDN' });
    const bob = await accounts.signIn('bob@example.com', 'bobpass');
    const [refused] = alice.conversations.sendText(toBob(alice), 'psst').messageIds;
    expect(await alice.settled(refused)).toMatchObject({ state: 'failed', reason: { code: 'appear-offline', message: expect.stringContaining('appear offline') } });
    t.server.faults.set({ xfrSbWhenHidden: 'sb' });
    const [ok] = alice.conversations.sendText(toBob(alice), 'psst, again').messageIds;
    expect(await alice.settled(ok)).toMatchObject({ state: 'delivered' });
    expect(received(bob)).toEqual(['psst, again']);
  });

  it('a contact who never answers the invitation: failed, "did not join"', async () => {
    await start();
    // bob signed in with a raw client that ignores every RNG.
    const ns = await signInTwn(t.server, 'bob@example.com', 'bobpass');
    t.track(ns);
    await syncAndGoOnline(ns);
    const alice = await accounts.signIn('alice@example.com', 'alicepass', { timings: { joinTimeoutMs: 300 } });
    const [id] = alice.conversations.sendText(toBob(alice), 'hello?').messageIds;
    expect(await alice.settled(id)).toMatchObject({ state: 'failed', reason: { code: 'no-answer' } });
    await ns.waitFor('RNG');
  });

  it('signing out with messages waiting fails them ("not sent: you signed out"), never sends them later', async () => {
    await start();
    const alice = await accounts.signIn('alice@example.com', 'alicepass');
    const bob = await accounts.signIn('bob@example.com', 'bobpass');
    const ids = alice.conversations.sendText(toBob(alice), 'never').messageIds;
    alice.manager.signOut();
    expect(await alice.settled(ids[0])).toMatchObject({ state: 'failed', reason: { code: 'signed-out', message: 'Not sent: you signed out.' } });
    expect(() => alice.conversations.sendText(toBob(alice), 'x')).toThrow(expect.objectContaining({ code: 'conversation.not-signed-in' }));
    await alice.manager.signIn('alicepass');
    await new Promise((r) => setTimeout(r, 200));
    expect(received(bob)).toEqual([]);
  });
});

describe('switchboards that go away', () => {
  it('dropped before sending: what was queued is delivered on a new switchboard exactly once', async () => {
    await start();
    const { alice, bob, conversation } = await chatting();
    // The conversation's switchboard dies while idle; the next messages open a new one transparently.
    t.server.faults.kickSwitchboards('alice@example.com');
    await expect.poll(() => alice.conversations.conversation(conversation).connected).toBe(false);
    const ids = ['a', 'b', 'c'].flatMap((t) => alice.conversations.sendText(conversation, t).messageIds);
    for (const id of ids) expect((await alice.settled(id)).state).toBe('delivered');
    // And one that dies before anyone joined: the first new switchboard is dropped at its CAL; the next one works.
    t.server.faults.kickSwitchboards('alice@example.com');
    await expect.poll(() => alice.conversations.conversation(conversation).connected).toBe(false);
    t.server.faults.set({ sbDrop: { command: 'CAL', phase: 'before', count: 1 } });
    const [late] = alice.conversations.sendText(conversation, 'd').messageIds;
    expect(await alice.settled(late)).toMatchObject({ state: 'delivered', attempt: 1 });
    expect(received(bob)).toEqual(['hello', 'a', 'b', 'c', 'd']);
  });

  it('dropped after a message left, before its ACK: unconfirmed; a retry delivers it', async () => {
    await start();
    const { alice, bob, conversation } = await chatting();
    t.server.faults.set({ sbDrop: { command: 'MSG', phase: 'before', count: 1 } });
    const [id] = alice.conversations.sendText(conversation, 'lost in transit').messageIds;
    expect(await alice.settled(id)).toMatchObject({ state: 'unconfirmed', reason: { code: 'connection-lost', message: expect.stringContaining('may or may not') } });
    // Nothing re-sends it by itself.
    await new Promise((r) => setTimeout(r, 200));
    expect(received(bob)).toEqual(['hello']);
    alice.conversations.retry(id);
    expect(await alice.settled(id)).toMatchObject({ state: 'delivered', attempt: 2 });
    expect(received(bob)).toEqual(['hello', 'lost in transit']);
  });

  it('no ACK at all: unconfirmed after the ACK timeout (the server relayed it: a retry arrives twice, by the user\'s choice)', async () => {
    await start();
    const { alice, bob, conversation } = await chatting({ timings: { ackTimeoutMs: 300 } });
    t.server.faults.set({ dropAck: true });
    const [id] = alice.conversations.sendText(conversation, 'ack?').messageIds;
    expect(await alice.settled(id)).toMatchObject({ state: 'unconfirmed', reason: { code: 'no-confirmation' } });
    t.server.faults.set({ dropAck: false });
    alice.conversations.retry(id);
    expect(await alice.settled(id)).toMatchObject({ state: 'delivered', attempt: 2 });
    expect(received(bob)).toEqual(['hello', 'ack?', 'ack?']);
  });

  it('a switchboard the server keeps dropping before anyone joins: failed after the allowed attempts, no loop', async () => {
    await start();
    const { alice, conversation } = await chatting({ limits: { maxOpenAttempts: 3 } });
    t.server.faults.kickSwitchboards('alice@example.com');
    await expect.poll(() => alice.conversations.conversation(conversation).connected).toBe(false);
    t.server.faults.set({ sbDrop: { command: 'CAL', phase: 'before', count: 100 } });
    const [id] = alice.conversations.sendText(conversation, 'doomed').messageIds;
    expect(await alice.settled(id)).toMatchObject({ state: 'failed', reason: { code: 'switchboard-unavailable' } });
    expect(t.server.faults.current.sbDrop?.count).toBe(97);
  });

  it('idle switchboards are left after the idle timeout (ours or the server\'s), and re-opened on the next message', async () => {
    await start({ sbIdleTimeoutMs: 60_000 });
    const { alice, bob, conversation } = await chatting({ timings: { idleCloseMs: 200 } });
    await expect.poll(() => t.server.state.conversations().length, { timeout: 3_000 }).toBe(0);
    expect(alice.traffic.some((t) => t.channel === 'SB' && t.direction === 'out' && t.line === 'OUT')).toBe(true);
    alice.conversations.sendText(conversation, 'back again');
    expect((await bob.nextText()).text).toBe('back again');
    expect(alice.conversations.conversations()).toHaveLength(1);
  });
});

describe('soak', () => {
  it('10,000 messages with the switchboard killed every ~500: each ends delivered, failed or unconfirmed, none delivered twice', async () => {
    await start();
    const { alice, bob, conversation } = await chatting();
    const counts = new Map<string, number>();
    let kills = 0;
    bob.conversations.onEvent((e) => {
      if (e.type !== 'message' || e.message.direction !== 'in') return;
      counts.set(e.message.text, (counts.get(e.message.text) ?? 0) + 1);
      if (counts.size % 500 === 0 && kills < counts.size / 500) {
        kills++;
        t.server.faults.kickSwitchboards('alice@example.com');
      }
    });
    const N = 10_000;
    const ids: string[] = [];
    for (let i = 0; i < N; i++) ids.push(...alice.conversations.sendText(conversation, `m${i}`).messageIds);
    const results = await Promise.all(ids.map((id) => alice.settled(id)));
    const byState = new Map<string, number>();
    for (const r of results) byState.set(r.state, (byState.get(r.state) ?? 0) + 1);
    const delivered = results.filter((r) => r.state === 'delivered');
    // An ACK can reach alice before the relayed copy reaches bob: wait for bob to have read everything.
    await expect.poll(() => delivered.every((m) => counts.has(m.text)), { timeout: 10_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    console.log(`soak: ${JSON.stringify(Object.fromEntries(byState))}, ${kills} kills, ${counts.size} distinct messages received`);
    // Every message ended in a final state; every delivered one arrived, exactly once; nothing arrived twice.
    expect([...byState.keys()].every((s) => ['delivered', 'failed', 'unconfirmed'].includes(s))).toBe(true);
    for (const m of delivered) expect(counts.get(m.text)).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(15);
    // Only what was in flight at a kill can be unconfirmed: at most the window per kill.
    expect(byState.get('unconfirmed') ?? 0).toBeLessThanOrEqual(kills * 32);
    expect(delivered.length).toBeGreaterThanOrEqual(N - kills * 32);
  }, 120_000);
});
