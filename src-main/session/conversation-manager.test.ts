// The conversation manager's rules with a fake clock and an in-memory switchboard: timers (typing, nudges, idle and
// spare switchboards, join and ACK timeouts, reopening), which switchboard is used when there are several, events
// that arrive with `ANS OK`, nonsense from a switchboard, and what signing out does. Real sockets: *.int.test.ts.
import { describe, expect, it } from 'vitest';
import type { ConversationEvent } from '../../src-shared/conversation-types';
import { buildTextMessage, buildTypingMessage } from '../protocol/im-message';
import { ConversationManager, type ConversationTimings } from './conversation-manager';
import { FakeClock } from './testing/fake-clock';
import { FakeHost } from './testing/fake-switchboard';
import { Outbox, type OutboxItem } from './outbox';
import { deliveryReason } from './conversation-errors';
import type { OutgoingMessage } from '../../src-shared/conversation-types';

/** Lets queued microtasks and promise callbacks run (the fake switchboard answers on microtasks). */
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function setup(timings: Partial<ConversationTimings> = {}) {
  const clock = new FakeClock();
  const host = new FakeHost();
  let n = 0;
  const manager = new ConversationManager({ host, clock, timings, newId: () => `id${++n}` });
  const events: ConversationEvent[] = [];
  manager.onEvent((e) => events.push(e));
  const states = (id: string) => events.flatMap((e) => (e.type === 'message-state' && e.messageId === id ? [e.state] : []));
  const of = <T extends ConversationEvent['type']>(type: T) => events.filter((e): e is Extract<ConversationEvent, { type: T }> => e.type === type);
  return { clock, host, sb: host.sb, manager, events, states, of };
}

describe('sending', () => {
  it('opens a switchboard on the first message, waits for the JOI, then sends in order with ack mode A', async () => {
    const { manager, sb, states } = setup();
    const { conversationId } = manager.openConversation('bob@example.com');
    expect(sb.connections).toHaveLength(0);
    const ids = ['one', 'two'].flatMap((t) => manager.sendText(conversationId, t).messageIds);
    await settle();
    const len = buildTextMessage('one').length;
    expect(sb.last.received.map((r) => r.line)).toEqual(['USR 1 alice@example.com cookie-1', 'CAL 2 bob@example.com', `MSG 3 A ${len}`, `MSG 4 A ${len}`]);
    expect(sb.last.received[2].payload).toBe(new TextDecoder().decode(buildTextMessage('one')));
    for (const id of ids) expect(states(id)).toEqual(['sent', 'delivered']);
    expect(manager.conversation(conversationId)).toMatchObject({ connected: true, unread: 0 });
  });

  it('refuses empty text, bad formats, an unknown conversation, and itself as a contact', () => {
    const { manager } = setup();
    const { conversationId } = manager.openConversation('bob@example.com');
    expect(() => manager.sendText(conversationId, '  \n')).toThrow(expect.objectContaining({ code: 'conversation.empty-text' }));
    expect(() => manager.sendText(conversationId, 'x', { font: 'x;y' })).toThrow(expect.objectContaining({ code: 'conversation.bad-format' }));
    expect(() => manager.sendText(conversationId, 'x', { color: 'red' })).toThrow(expect.objectContaining({ code: 'conversation.bad-format' }));
    expect(() => manager.sendText('nope', 'x')).toThrow(expect.objectContaining({ code: 'conversation.unknown' }));
    expect(() => manager.openConversation('alice@example.com')).toThrow(expect.objectContaining({ code: 'conversation.is-you' }));
    expect(() => manager.openConversation('not an address')).toThrow(expect.objectContaining({ code: 'conversation.bad-address' }));
    expect(manager.openConversation('BOB@example.com').conversationId).toBe(conversationId);
  });

  it('keeps at most maxInFlight messages awaiting their ACK', async () => {
    const clock = new FakeClock();
    const host = new FakeHost();
    host.sb.behaviour.ack = () => 'none';
    const manager = new ConversationManager({ host, clock, limits: { maxInFlight: 3 } });
    const { conversationId } = manager.openConversation('bob@example.com');
    for (let i = 0; i < 10; i++) manager.sendText(conversationId, `m${i}`);
    await settle();
    expect(host.sb.last.received.filter((r) => r.line.startsWith('MSG')).length).toBe(3);
  });

  it('an ACK that never comes: unconfirmed after ackTimeoutMs', async () => {
    const { manager, sb, clock, states } = setup({ ackTimeoutMs: 1_000 });
    sb.behaviour.ack = () => 'none';
    const [id] = manager.sendText(manager.openConversation('bob@example.com').conversationId, 'hello').messageIds;
    await settle();
    expect(states(id)).toEqual(['sent']);
    clock.advance(1_000);
    await settle();
    expect(states(id)).toEqual(['sent', 'unconfirmed']);
  });

  it('a contact who never joins: failed "no-answer" after joinTimeoutMs, and the switchboard is left', async () => {
    const { manager, sb, clock, states } = setup({ joinTimeoutMs: 2_000 });
    sb.behaviour.cal = () => 'ring';
    const [id] = manager.sendText(manager.openConversation('bob@example.com').conversationId, 'hello').messageIds;
    await settle();
    clock.advance(2_000);
    await settle();
    expect(states(id)).toEqual(['failed']);
    expect(sb.last.received.at(-1)?.line).toBe('OUT');
  });

  it('transient failures to open are tried again after a growing pause, then fail', async () => {
    const { manager, host, clock, states } = setup({ reopenDelayMs: 100 });
    const { sessionErrors } = await import('./session-errors');
    let asked = 0;
    host.nextGrant = () => {
      asked++;
      return Promise.reject(sessionErrors.timeout('XFR', 10));
    };
    const [id] = manager.sendText(manager.openConversation('bob@example.com').conversationId, 'hi').messageIds;
    await settle();
    expect(asked).toBe(1);
    clock.advance(99);
    await settle();
    expect(asked).toBe(1);
    clock.advance(1);
    await settle();
    expect(asked).toBe(2);
    expect(states(id)).toEqual([]);
    // The second pause is twice the first; after the third attempt the message fails.
    clock.advance(199);
    await settle();
    expect(asked).toBe(2);
    clock.advance(1);
    await settle();
    expect(asked).toBe(3);
    expect(states(id)).toEqual(['failed']);
  });

  it('XFR refused because we appear offline fails at once with the reason', async () => {
    const { manager, host, states, events } = setup();
    const { switchboardErrors } = await import('./conversation-errors');
    host.nextGrant = () => Promise.reject(switchboardErrors.appearOffline());
    const [id] = manager.sendText(manager.openConversation('bob@example.com').conversationId, 'hi').messageIds;
    await settle();
    expect(states(id)).toEqual(['failed']);
    expect(events.find((e) => e.type === 'message-state')).toMatchObject({ reason: { code: 'appear-offline' } });
  });

  it('while the NS is away messages wait; once it is back they go; signing out fails them', async () => {
    const { manager, host, sb, states } = setup();
    host.setState('waiting');
    const c = manager.openConversation('bob@example.com').conversationId;
    const [a] = manager.sendText(c, 'a').messageIds;
    await settle();
    expect(sb.connections).toHaveLength(0);
    host.setState('online');
    await settle();
    expect(states(a)).toEqual(['sent', 'delivered']);
    // A live switchboard does not need the NS: while it is away, messages still go on it.
    host.setState('waiting');
    const [b] = manager.sendText(c, 'b').messageIds;
    await settle();
    expect(states(b)).toEqual(['sent', 'delivered']);
    // Without one, they wait for the NS; signing out fails them.
    sb.last.drop();
    await settle();
    const [d] = manager.sendText(c, 'd').messageIds;
    await settle();
    expect(sb.connections).toHaveLength(1);
    host.setState('offline');
    await settle();
    expect(states(d)).toEqual(['failed']);
    expect(manager.messages(c).find((m) => m.id === d)).toMatchObject({ reason: { code: 'signed-out', message: 'Not sent: you signed out.' } });
    expect(() => manager.sendText(c, 'c')).toThrow(expect.objectContaining({ code: 'conversation.not-signed-in' }));
  });
});

describe('a group conversation on a new switchboard', () => {
  /** A group conversation with bob and carol (invited into by bob), whose switchboard then went away. */
  async function groupWithoutSwitchboard(timings: Partial<ConversationTimings> = {}) {
    const t = setup(timings);
    t.host.ring('bob@example.com', '9', ['bob@example.com', 'carol@example.com']);
    await settle();
    const group = t.of('conversation-opened')[0].conversation.id;
    t.sb.last.drop();
    await settle();
    return { ...t, group, sent: () => t.sb.last.received.filter((r) => r.line.startsWith('MSG')).map((r) => r.payload?.split('\r\n\r\n')[1]) };
  }

  it('waits for everyone called before sending, so nobody misses the first messages', async () => {
    const { manager, sb, group, sent, states } = await groupWithoutSwitchboard();
    sb.behaviour.cal = (email) => (email === 'carol@example.com' ? 'ring' : 'join');
    const [a] = manager.sendText(group, 'hello both').messageIds;
    await settle();
    expect(sb.last.received.map((r) => r.line).slice(1)).toEqual(['CAL 2 bob@example.com', 'CAL 3 carol@example.com']);
    expect(sent()).toEqual([]);
    expect(states(a)).toEqual([]);
    sb.last.lines('JOI carol@example.com carol');
    await settle();
    expect(sent()).toEqual(['hello both']);
    expect(states(a)).toEqual(['sent', 'delivered']);
  });

  it('sends to those who came once the others could not be reached, or after groupJoinWaitMs', async () => {
    const refused = await groupWithoutSwitchboard();
    refused.sb.behaviour.cal = (email) => (email === 'carol@example.com' ? 217 : 'join');
    refused.manager.sendText(refused.group, 'only bob');
    await settle();
    expect(refused.sent()).toEqual(['only bob']);

    const slow = await groupWithoutSwitchboard({ groupJoinWaitMs: 3_000 });
    slow.sb.behaviour.cal = (email) => (email === 'carol@example.com' ? 'ring' : 'join');
    slow.manager.sendText(slow.group, 'bob first');
    await settle();
    slow.clock.advance(2_999);
    await settle();
    expect(slow.sent()).toEqual([]);
    slow.clock.advance(1);
    await settle();
    expect(slow.sent()).toEqual(['bob first']);
    // Someone invited into a live group does not hold the others' messages back.
    slow.manager.invite(slow.group, 'dave@example.com').catch(() => undefined);
    slow.manager.sendText(slow.group, 'while dave rings');
    await settle();
    expect(slow.sent()).toEqual(['bob first', 'while dave rings']);
  });
});

describe('receiving', () => {
  it('answers an invitation, and a message in the same read as ANS OK is not lost', async () => {
    const { manager, host, sb, of } = setup();
    host.ring('bob@example.com', '77');
    await Promise.resolve();
    await Promise.resolve();
    // Queue bob's message so it arrives together with the roster and ANS OK.
    const conn = await (async () => {
      for (let i = 0; i < 10 && sb.connections.length === 0; i++) await Promise.resolve();
      return sb.last;
    })();
    conn.message('bob@example.com', buildTextMessage('right away'));
    await settle();
    expect(conn.received[0].line).toBe('ANS 1 alice@example.com ring-77 77');
    expect(of('message').map((e) => e.message.text)).toEqual(['right away']);
    expect(of('conversation-opened')[0].conversation).toMatchObject({ kind: 'single', contact: 'bob@example.com', unread: 0 });
    expect(manager.conversations()[0].unread).toBe(1);
  });

  it('a single conversation recalled from before (the history) takes its id and unread count; others and groups do not', async () => {
    const clock = new FakeClock();
    const host = new FakeHost();
    let n = 0;
    const recalled: string[] = [];
    const recall = (contact: string) => {
      recalled.push(contact);
      return contact.toLowerCase() === 'bob@example.com' ? { id: 'kept', unread: 3 } : undefined;
    };
    const manager = new ConversationManager({ host, clock, newId: () => `id${++n}`, recall });
    expect(manager.openConversation('Bob@example.com').conversationId).toBe('kept');
    expect(manager.conversation('kept').unread).toBe(3);
    expect(manager.openConversation('carol@example.com').conversationId).toBe('id1');
    manager.markRead('kept');
    expect(manager.conversation('kept').unread).toBe(0);
    // Closed and made again: the same id (and what the recall says then).
    manager.closeConversation('kept');
    expect(manager.openConversation('bob@example.com').conversationId).toBe('kept');
    expect(recalled).toEqual(['Bob@example.com', 'carol@example.com', 'bob@example.com']);
    // An id already in use is never given twice.
    const clash = new ConversationManager({ host, clock, newId: () => `x${++n}`, recall: () => ({ id: 'same', unread: 1 }) });
    expect(clash.openConversation('bob@example.com').conversationId).toBe('same');
    expect(clash.openConversation('carol@example.com').conversationId).not.toBe('same');
    expect(clash.conversation(clash.openConversation('carol@example.com').conversationId).unread).toBe(0);
    manager.dispose();
    clash.dispose();
  });

  it('typing: shown until typingExpireMs after the last notice, or until the message; sent at most every interval', async () => {
    const { manager, host, sb, clock, of } = setup({ typingExpireMs: 6_000, typingIntervalMs: 5_000 });
    host.ring('bob@example.com', '1');
    await settle();
    const c = manager.conversations()[0].id;
    sb.last.message('bob@example.com', buildTypingMessage('bob@example.com'));
    await settle();
    clock.advance(4_000);
    sb.last.message('bob@example.com', buildTypingMessage('bob@example.com'));
    await settle();
    clock.advance(5_999);
    expect(of('typing').map((e) => e.active)).toEqual([true]);
    clock.advance(1);
    expect(of('typing').map((e) => e.active)).toEqual([true, false]);
    sb.last.message('bob@example.com', buildTypingMessage('bob@example.com'));
    await settle();
    sb.last.message('bob@example.com', buildTextMessage('done'));
    await settle();
    expect(of('typing').map((e) => e.active)).toEqual([true, false, true, false]);
    for (let i = 0; i < 3; i++) manager.userTyping(c);
    clock.advance(4_999);
    manager.userTyping(c);
    clock.advance(1);
    manager.userTyping(c);
    expect(sb.last.received.filter((r) => / U \d+$/.test(r.line))).toHaveLength(2);
  });

  it('a switchboard that sends nonsense is closed with a typed error, the conversation re-opens one when needed', async () => {
    const { manager, host, sb, states } = setup();
    host.ring('bob@example.com', '1');
    await settle();
    sb.last.lines('MSG bob@example.com');
    await settle();
    expect(sb.connections[0].state).toBe('closed');
    const [id] = manager.sendText(manager.conversations()[0].id, 'again').messageIds;
    await settle();
    expect(sb.connections).toHaveLength(2);
    expect(states(id)).toEqual(['sent', 'delivered']);
  });

  it('invitations beyond maxSwitchboards are not answered', async () => {
    const clock = new FakeClock();
    const host = new FakeHost();
    const manager = new ConversationManager({ host, clock, limits: { maxSwitchboards: 3 } });
    for (let i = 0; i < 10; i++) host.ring(`u${i}@example.com`, String(i));
    await settle();
    expect(host.sb.connections).toHaveLength(3);
    expect(manager.conversations()).toHaveLength(3);
  });
});

describe('several switchboards for one contact', () => {
  it('both sides opening at once: the one whose caller has the smaller address is used, the spare left when quiet', async () => {
    const { manager, host, sb, clock } = setup({ spareCloseMs: 10_000, simultaneousOpenMs: 5_000 });
    const c = manager.openConversation('bob@example.com').conversationId;
    manager.sendText(c, 'mine');
    await settle();
    const ours = sb.connections[0];
    host.ring('bob@example.com', '2');
    await settle();
    const theirs = sb.connections[1];
    // alice < bob: our switchboard (caller alice) is the one both sides use.
    manager.sendText(c, 'next');
    await settle();
    expect(ours.received.filter((r) => r.line.startsWith('MSG')).length).toBe(2);
    expect(theirs.received.filter((r) => r.line.startsWith('MSG')).length).toBe(0);
    clock.advance(10_000);
    await settle();
    expect(theirs.received.at(-1)?.line).toBe('OUT');
    expect(ours.state).toBe('open');
  });

  it('a newer switchboard well after the first is used (the contact opened a new one)', async () => {
    const { manager, host, sb, clock } = setup({ simultaneousOpenMs: 5_000, idleCloseMs: 60 * 60_000 });
    const c = manager.openConversation('bob@example.com').conversationId;
    manager.sendText(c, 'first');
    await settle();
    clock.advance(30_000);
    host.ring('bob@example.com', '9');
    await settle();
    manager.sendText(c, 'second');
    await settle();
    expect(sb.connections[1].received.filter((r) => r.line.startsWith('MSG')).length).toBe(1);
  });

  it('idle switchboards are left after idleCloseMs without traffic', async () => {
    const { manager, sb, clock } = setup({ idleCloseMs: 60_000 });
    const c = manager.openConversation('bob@example.com').conversationId;
    manager.sendText(c, 'hi');
    await settle();
    clock.advance(59_000);
    manager.sendText(c, 'still here');
    await settle();
    clock.advance(59_000);
    expect(sb.last.state).toBe('open');
    clock.advance(1_000);
    await settle();
    expect(sb.last.received.at(-1)?.line).toBe('OUT');
  });
});

describe('nudges', () => {
  it('are sent with ack mode N (final state "sent"), at most one per interval', async () => {
    const { manager, sb, clock, states } = setup({ nudgeIntervalMs: 10_000 });
    const c = manager.openConversation('bob@example.com').conversationId;
    const { messageId } = manager.sendNudge(c);
    await settle();
    expect(sb.last.received.find((r) => r.line.startsWith('MSG'))?.line).toMatch(/^MSG \d+ N \d+$/);
    expect(states(messageId)).toEqual(['sent']);
    clock.advance(9_999);
    expect(() => manager.sendNudge(c)).toThrow(expect.objectContaining({ code: 'conversation.nudge-too-soon', retryable: true }));
    clock.advance(1);
    expect(() => manager.sendNudge(c)).not.toThrow();
  });
});

describe('the outbox', () => {
  const item = (id: string, mode: 'A' | 'N' = 'A'): OutboxItem => ({
    message: { id, conversationId: 'c', at: 0, from: 'a@b.c', direction: 'out', kind: 'text', text: id, emoticons: [], state: 'queued', attempt: 1 } as OutgoingMessage,
    payload: new Uint8Array(),
    mode,
    openAttempts: 0,
  });

  it('allows only the documented transitions: no late ACK after unconfirmed, nothing delivered twice', () => {
    const seen: string[] = [];
    const box = new Outbox((i) => seen.push(`${i.message.id}:${i.message.state}`));
    const a = item('a');
    const b = item('b');
    box.add(a);
    box.add(b);
    expect(box.take()).toBe(a);
    box.settle(a, 'unconfirmed', deliveryReason('connection-lost'));
    box.settle(a, 'delivered');
    expect(a.message.state).toBe('unconfirmed');
    expect(box.retry('b')).toBeUndefined();
    box.failQueued(deliveryReason('signed-out'));
    expect(b.message.state).toBe('failed');
    expect(box.retry('a')).toBe(a);
    expect(box.take()).toBe(a);
    box.settle(a, 'delivered');
    box.settle(a, 'delivered');
    expect(box.retry('a')).toBeUndefined();
    expect(seen).toEqual(['a:sent', 'a:unconfirmed', 'b:failed', 'a:queued', 'a:sent', 'a:delivered']);
    expect(a.message.attempt).toBe(2);
  });

  it('keeps order across many items and forgets what is done', () => {
    const box = new Outbox(() => undefined);
    for (let i = 0; i < 5_000; i++) box.add(item(`m${i}`, i % 2 ? 'N' : 'A'));
    const order: string[] = [];
    for (let it = box.take(); it; it = box.take()) {
      order.push(it.message.id);
      if (it.mode === 'A') box.settle(it, 'delivered');
    }
    expect(order).toEqual(Array.from({ length: 5_000 }, (_, i) => `m${i}`));
    expect(box.get('m0')).toBeUndefined();
    expect(box.queuedCount).toBe(0);
  });
});
