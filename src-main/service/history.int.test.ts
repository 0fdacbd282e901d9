// The message history through the service, the way the UI reaches it (the contract's calls, the account's one event
// stream), over real sockets to the test server and in real SQLite files in a temp data directory: messages both ways
// kept across a restart of the service; the app killed (SIGKILL, a child process) with messages in flight and what
// they are after the restart; an outgoing message on disk before it is on the wire; paging and search; delivery
// states; unread counts and mark-read, one model live and stored; the keep-no-history setting; a damaged database
// and a full disk told to the person.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startTestServer, type TestServer } from '../../e2e/msn-server';
import type { HistoryMessage, MessagePage } from '../../src-shared/history-types';
import type { AccountId } from '../../src-shared/messenger-types';
import { CLOSED_BEFORE_CONFIRMATION, CLOSED_BEFORE_SENDING } from '../storage/history/history-types';
import { historyFile, openHistoryStore } from '../storage/history/open-history';
import { openHistoryProbe } from '../storage/history/testing/history-probe';
import { openFileAccountRegistry } from './account-registry';
import { aliceAndBob, find, is, settled } from './testing/conversation-waits';
import { directSettings, LiveServices, type LiveService, type LiveServiceOptions } from './testing/live-service';

let server: TestServer;
const services = new LiveServices(() => server);
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'bf-service-history-'));
  dirs.push(d);
  return d;
};

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await services.disposeAll();
  const errors = server.state.internalErrors();
  await server.stop();
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
  expect(errors).toEqual([]);
});

/** A service as the app builds one: accounts in the data directory's registry, their histories there. */
const inDataDir = (dataDir: string, more: LiveServiceOptions = {}) =>
  services.create({ registry: openFileAccountRegistry(dataDir), history: { dataDir, checkpointIntervalMs: 50 }, ...more });

/** Quitting the app: every account signed out, pending writes done, the service gone. */
async function quit(live: LiveService): Promise<void> {
  for (const a of live.service.accounts()) a.signOut();
  await live.service.flush();
  live.service.dispose();
}

const received = (live: LiveService, accountId: AccountId, text: string) =>
  find(live, is('message', accountId, (e) => e.message.direction === 'in' && e.message.text === text), `"${text}" received`);

/** Sends each text from one account to the other and waits until all are delivered and received. */
async function chat(live: LiveService, from: AccountId, to: AccountId, email: string, texts: string[]): Promise<string[]> {
  const { calls } = live.service;
  const { conversationId } = await calls['conversations:open']({ accountId: from, email });
  const ids: string[] = [];
  for (const text of texts) ids.push(...(await calls['conversations:send-text']({ accountId: from, conversationId, text })).messageIds);
  for (const id of ids) expect((await settled(live, from, id)).state).toBe('delivered');
  await received(live, to, texts[texts.length - 1]);
  return ids;
}

const summary = (m: HistoryMessage) => [m.direction, m.kind, m.text, m.from, m.direction === 'out' ? m.state : (m as { nickname: string }).nickname];

describe('history through the service', () => {
  it('keeps messages both ways across a restart of the service, with formatting, states, participants and the same conversation ids', async () => {
    const dataDir = tempDir();
    const first = inDataDir(dataDir);
    const { alice, bob } = await aliceAndBob(first);
    const { calls } = first.service;
    const { conversationId: toBob } = await calls['conversations:open']({ accountId: alice, email: 'bob@example.com' });
    const hello = await calls['conversations:send-text']({ accountId: alice, conversationId: toBob, text: 'Grüße, Bob ✿ 😀 :)', format: { bold: true, color: '#0000ff' } });
    expect((await settled(first, alice, hello.messageIds[0])).state).toBe('delivered');
    const toAlice = (await received(first, bob, 'Grüße, Bob ✿ 😀 :)')).message.conversationId;
    const reply = await calls['conversations:send-text']({ accountId: bob, conversationId: toAlice, text: '北京 is far' });
    expect((await settled(first, bob, reply.messageIds[0])).state).toBe('delivered');
    const replyAtAlice = (await received(first, alice, '北京 is far')).message.id;
    const nudge = await calls['conversations:send-nudge']({ accountId: alice, conversationId: toBob });
    await find(first, is('message-state', alice, (e) => e.messageId === nudge.messageId && e.state === 'sent'), 'the nudge sent');
    await find(first, is('message', bob, (e) => e.message.kind === 'nudge'), 'the nudge at bob');
    await quit(first);
    expect(readdirSync(join(dataDir, 'history')).filter((f) => f.endsWith('.sqlite')).sort()).toEqual([`${alice}.sqlite`, `${bob}.sqlite`].sort());

    const next = inDataDir(dataDir);
    expect(await aliceAndBob(next)).toEqual({ alice, bob });
    const again = next.service.calls;
    const alices = await again['history:list']({ accountId: alice });
    expect(alices.conversations).toEqual([
      expect.objectContaining({ id: toBob, kind: 'single', contact: 'bob@example.com', unread: 1, lastMessage: expect.objectContaining({ id: nudge.messageId, kind: 'nudge' }) }),
    ]);
    const page = await again['history:page']({ accountId: alice, conversationId: toBob, anchor: { kind: 'newest' } });
    expect(page.messages.map(summary)).toEqual([
      ['out', 'text', 'Grüße, Bob ✿ 😀 :)', 'alice@example.com', 'delivered'],
      ['in', 'text', '北京 is far', 'bob@example.com', 'Bob'],
      ['out', 'nudge', '', 'alice@example.com', 'sent'],
    ]);
    expect(page.messages[0]).toMatchObject({ id: hello.messageIds[0], format: { bold: true, color: '#0000ff' }, emoticons: [{ code: ':)' }], participants: ['bob@example.com'] });
    expect(page.messages[1]).toMatchObject({ id: replyAtAlice, charset: 'UTF-8' });
    expect(page.older).toBeUndefined();
    expect(page.newer).toBeUndefined();
    const bobs = await again['history:page']({ accountId: bob, conversationId: toAlice, anchor: { kind: 'oldest' } });
    expect(bobs.messages.map(summary)).toEqual([
      ['in', 'text', 'Grüße, Bob ✿ 😀 :)', 'alice@example.com', 'Alice%20✿%20Ünïcødé'],
      ['out', 'text', '北京 is far', 'bob@example.com', 'delivered'],
      ['in', 'nudge', '', 'alice@example.com', expect.any(String)],
    ]);
    // The live conversation made in this run is the stored one: same id, same unread count.
    expect(await again['conversations:open']({ accountId: alice, email: 'bob@example.com' })).toEqual({ conversationId: toBob });
    expect(await again['conversations:open']({ accountId: bob, email: 'alice@example.com' })).toEqual({ conversationId: toAlice });
    expect((await again['conversations:get']({ accountId: bob, conversationId: toAlice })).conversation.unread).toBe(2);
    expect((await again['history:list']({ accountId: bob })).conversations[0].unread).toBe(2);
  });

  it('a message whose send call returned is on disk when the app is killed (SIGKILL); after the restart, queued is failed and sent unconfirmed', async () => {
    const dataDir = tempDir();
    const others = services.create();
    await others.service.signIn({ email: 'bob@example.com', password: 'bobpass' });
    // The message to bob leaves and is never acknowledged; the one to carol finds no switchboard and waits.
    server.faults.set({ dropAck: true });
    const child = startApp(dataDir, JSON.stringify(directSettings(server)));
    try {
      const alice = (await child.line(/^ready /)).split(' ')[1];
      child.send('send bob@example.com on its way');
      const inFlight = (await child.line(/^returned /)).split(' ')[1];
      await child.line(new RegExp(`^state ${inFlight} sent$`));
      server.faults.set({ refuseSb: true });
      child.send('send carol@example.com still waiting');
      const waiting = (await child.line(/^returned /)).split(' ')[1];
      await child.kill();
      server.faults.reset();

      const after = inDataDir(dataDir);
      expect(await after.signIn('alice@example.com', 'alicepass')).toBe(alice);
      const { conversations } = await after.call('history:list', {});
      expect(conversations.map((c) => c.contact).sort()).toEqual(['bob@example.com', 'carol@example.com']);
      const messages = (await Promise.all(conversations.map((c) => after.call('history:page', { conversationId: c.id, anchor: { kind: 'newest' } })))).flatMap((p) => p.messages);
      const byId = new Map(messages.map((m) => [m.id, m]));
      expect(byId.get(inFlight)).toMatchObject({ text: 'on its way', state: 'unconfirmed', reason: CLOSED_BEFORE_CONFIRMATION });
      expect(byId.get(waiting)).toMatchObject({ text: 'still waiting', state: 'failed', reason: { code: 'signed-out', message: 'Not sent: Butterfly closed.' } });
      expect(byId.get(waiting)).toMatchObject({ reason: CLOSED_BEFORE_SENDING });
    } finally {
      await child.kill();
    }
  });

  it('an outgoing message is in the database file before its MSG is written to the switchboard', async () => {
    const dataDir = tempDir();
    const live = inDataDir(dataDir);
    const { alice, bob } = await aliceAndBob(live);
    // The switchboard is up first, so each message is written to it as it is sent (not later, once one is up).
    await chat(live, alice, bob, 'bob@example.com', ['warm-up']);
    const probe = openHistoryProbe(historyFile(dataDir, alice));
    const onDisk: boolean[] = [];
    live.service.onTraffic((t) => {
      if (t.accountId !== alice || t.channel !== 'SB' || t.direction !== 'out' || !t.line.startsWith('MSG ')) return;
      onDisk.push(probe.hasOutgoing(`written first ${onDisk.length}`));
    });
    try {
      for (let i = 0; i < 3; i++) await chat(live, alice, bob, 'bob@example.com', [`written first ${i}`]);
      expect(onDisk).toEqual([true, true, true]);
    } finally {
      probe.close();
    }
  });

  it('pages a conversation both ways and around a message, and searches one conversation or all, newest first, in pages', async () => {
    const dataDir = tempDir();
    const live = inDataDir(dataDir);
    const { alice, bob } = await aliceAndBob(live);
    const { calls } = live.service;
    const texts = Array.from({ length: 120 }, (_, i) =>
      [`Grüße aus Köln ${i}`, `我爱北京天安门 ${i}`, `ok 👍🏽 ${i}`, `say "hi" AND NOT -bye* ${i}`, `plain words ${i}`][i % 5],
    );
    const ids = await chat(live, alice, bob, 'bob@example.com', texts);
    const { conversationId } = await calls['conversations:open']({ accountId: alice, email: 'bob@example.com' });
    const pageOf = (anchor: Parameters<typeof calls['history:page']>[0]['anchor'], limit?: number) =>
      calls['history:page']({ accountId: alice, conversationId, anchor, ...(limit ? { limit } : {}) });

    // Backwards from the newest, then forwards from the oldest: every message once, in order, no gap at the edges.
    const backwards: string[][] = [];
    for (let p: MessagePage | undefined = await pageOf({ kind: 'newest' }, 50); p; p = p.older ? await pageOf({ kind: 'before', cursor: p.older }, 50) : undefined) {
      backwards.unshift(p.messages.map((m) => m.id));
    }
    expect(backwards.map((p) => p.length)).toEqual([20, 50, 50]);
    expect(backwards.flat()).toEqual(ids);
    const forwards: string[] = [];
    for (let p: MessagePage | undefined = await pageOf({ kind: 'oldest' }, 33); p; p = p.newer ? await pageOf({ kind: 'after', cursor: p.newer }, 33) : undefined) {
      forwards.push(...p.messages.map((m) => m.id));
    }
    expect(forwards).toEqual(ids);

    // Search: diacritics folded, newest first, paged without repeats, with highlights on what matched.
    const hits: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await calls['history:search']({ accountId: alice, text: 'gruße', limit: 7, ...(cursor ? { cursor } : {}) });
      for (const hit of page.hits) {
        expect(hit.message.text.slice(hit.matches[0].start, hit.matches[0].end)).toBe('Grüße');
        expect(hit.snippet.text.slice(hit.snippet.highlights[0].start, hit.snippet.highlights[0].end)).toBe('Grüße');
      }
      hits.push(...page.hits.map((h) => h.message.id));
      cursor = page.next;
    } while (cursor);
    expect(hits).toEqual(ids.filter((_, i) => i % 5 === 0).reverse());
    const count = async (text: string, more: { conversationId?: string } = {}) => (await calls['history:search']({ accountId: alice, text, limit: 200, ...more })).hits.length;
    expect(await count('北京')).toBe(24);
    expect(await count('👍')).toBe(24);
    // Quotes and operators are taken literally.
    expect(await count('"hi" AND')).toBe(24);
    expect(await count('-bye*')).toBe(24);
    expect(await count('NOT')).toBe(24);
    expect(await count('OR')).toBe(0);

    // Jump to a search result: the page around it, and on seamlessly both ways.
    const target = ids[62];
    const around = await pageOf({ kind: 'around', messageId: target }, 11);
    expect(around.messages.map((m) => m.id)).toEqual(ids.slice(57, 68));
    expect((await pageOf({ kind: 'before', cursor: around.older! }, 5)).messages.map((m) => m.id)).toEqual(ids.slice(52, 57));
    expect((await pageOf({ kind: 'after', cursor: around.newer! }, 5)).messages.map((m) => m.id)).toEqual(ids.slice(68, 73));

    // One conversation or all: bob's side holds the same words in his conversation with alice.
    const bobsConversation = (await calls['history:list']({ accountId: bob })).conversations[0].id;
    expect((await calls['history:search']({ accountId: bob, text: 'köln', conversationId: bobsConversation, limit: 3 })).hits.map((h) => h.message.direction)).toEqual(['in', 'in', 'in']);
    await expect(calls['history:search']({ accountId: alice, text: 'köln', conversationId: bobsConversation })).rejects.toMatchObject({ code: 'history.unknown-conversation' });
    await expect(pageOf({ kind: 'before', cursor: 'nonsense' })).rejects.toMatchObject({ code: 'history.bad-request' });
    await expect(pageOf({ kind: 'around', messageId: 'nobody' })).rejects.toMatchObject({ code: 'history.unknown-message' });
  });

  it('records every delivery-state change: refused, sent again, delivered', async () => {
    const dataDir = tempDir();
    const live = inDataDir(dataDir);
    const { alice } = await aliceAndBob(live);
    const { calls } = live.service;
    const { conversationId } = await calls['conversations:open']({ accountId: alice, email: 'bob@example.com' });
    server.faults.set({ nakMessages: 1 });
    const [id] = (await calls['conversations:send-text']({ accountId: alice, conversationId, text: 'again, please' })).messageIds;
    expect(await settled(live, alice, id)).toMatchObject({ state: 'failed', reason: { code: 'not-delivered' } });
    await calls['conversations:retry']({ accountId: alice, messageId: id });
    await find(live, is('message-state', alice, (e) => e.messageId === id && e.state === 'delivered'), 'delivered on the second attempt');
    const [stored] = (await calls['history:page']({ accountId: alice, conversationId, anchor: { kind: 'newest' } })).messages;
    expect(stored).toMatchObject({ id, state: 'delivered', attempt: 2 });
    expect(stored).not.toHaveProperty('reason');

    await quit(live);
    const streamed = live.log.events.flatMap((e) => (e.type === 'message-state' && e.messageId === id ? [[e.state, e.attempt, e.reason?.code]] : []));
    const store = await openHistoryStore({ dataDir, accountId: alice, readOnly: true });
    const changes = (await store.stateChanges(id)).map((c) => [c.state, c.attempt, c.reason?.code]);
    await store.close();
    expect(changes).toEqual([['queued', 1, undefined], ...streamed]);
    expect(streamed.map((s) => s[0])).toEqual(['sent', 'failed', 'queued', 'sent', 'delivered']);
  });

  it('counts unread messages once, live and stored; mark-read clears both, also for a conversation only the history has', async () => {
    const dataDir = tempDir();
    const first = inDataDir(dataDir);
    const { alice, bob } = await aliceAndBob(first);
    const { calls } = first.service;
    await chat(first, alice, bob, 'bob@example.com', ['one', 'two', 'three']);
    const atBob = async (service: LiveService) => {
      const [stored] = (await service.service.calls['history:list']({ accountId: bob })).conversations;
      const live = (await service.service.calls['conversations:list']({ accountId: bob })).conversations;
      return { stored: stored.unread, live: live.map((c) => c.unread), id: stored.id };
    };
    const { id: toAlice } = await atBob(first);
    expect(await atBob(first)).toEqual({ stored: 3, live: [3], id: toAlice });
    await calls['conversations:mark-read']({ accountId: bob, conversationId: toAlice });
    expect(await atBob(first)).toEqual({ stored: 0, live: [0], id: toAlice });
    await chat(first, alice, bob, 'bob@example.com', ['four']);
    expect(await atBob(first)).toEqual({ stored: 1, live: [1], id: toAlice });
    await quit(first);

    const next = inDataDir(dataDir);
    await aliceAndBob(next);
    const again = next.service.calls;
    expect(await atBob(next)).toEqual({ stored: 1, live: [], id: toAlice });
    // Read from the history's list before any window opened it this run.
    await again['conversations:mark-read']({ accountId: bob, conversationId: toAlice });
    expect(await atBob(next)).toEqual({ stored: 0, live: [], id: toAlice });
    // A new message makes the live conversation under the stored id, counting on from the stored count.
    await chat(next, alice, bob, 'bob@example.com', ['five', 'six']);
    expect(await atBob(next)).toEqual({ stored: 2, live: [2], id: toAlice });
    const opened = next.log.events.find(is('conversation-opened', bob))!;
    expect(opened.conversation).toMatchObject({ id: toAlice, contact: 'alice@example.com' });
    await expect(again['conversations:mark-read']({ accountId: bob, conversationId: 'nobody' })).rejects.toMatchObject({ code: 'conversation.unknown' });
  });

  it('deletes a conversation’s history: gone from the list, pages and search, for good; the conversation goes on from nothing', async () => {
    const dataDir = tempDir();
    const first = inDataDir(dataDir);
    const { alice, bob } = await aliceAndBob(first);
    const { calls } = first.service;
    await chat(first, alice, bob, 'bob@example.com', ['a secret', 'another secret']);
    const { conversationId } = await calls['conversations:open']({ accountId: bob, email: 'alice@example.com' });
    expect((await calls['conversations:get']({ accountId: bob, conversationId })).conversation.unread).toBe(2);
    await calls['history:delete']({ accountId: bob, conversationId });
    expect((await calls['history:list']({ accountId: bob })).conversations).toEqual([]);
    expect((await calls['history:search']({ accountId: bob, text: 'secret' })).hits).toEqual([]);
    expect((await calls['history:page']({ accountId: bob, conversationId, anchor: { kind: 'newest' } })).messages).toEqual([]);
    expect((await calls['conversations:get']({ accountId: bob, conversationId })).conversation.unread).toBe(0);
    // Alice's own copy is hers.
    expect((await calls['history:search']({ accountId: alice, text: 'secret' })).hits).toHaveLength(2);
    await expect(calls['history:delete']({ accountId: bob, conversationId: 'nobody' })).rejects.toMatchObject({ code: 'history.unknown-conversation' });
    await chat(first, alice, bob, 'bob@example.com', ['after the delete']);
    await quit(first);

    const next = inDataDir(dataDir);
    await aliceAndBob(next);
    const page = await next.service.calls['history:page']({ accountId: bob, conversationId, anchor: { kind: 'newest' } });
    expect(page.messages.map((m) => m.text)).toEqual(['after the delete']);
  });

  it('keep no history: off for one account (saved with it), its messages then live for the session only; on again, saved again', async () => {
    const dataDir = tempDir();
    const first = inDataDir(dataDir);
    const { alice, bob } = await aliceAndBob(first);
    const { calls } = first.service;
    expect(await calls['history:get-status']({ accountId: alice })).toEqual({ keepHistory: true, persistent: true, notices: [] });
    expect(first.service.snapshot(alice).history).toEqual({ keepHistory: true, persistent: true, notices: [] });
    await chat(first, alice, bob, 'bob@example.com', ['saved before']);
    expect(await calls['history:set-keep']({ accountId: alice, keepHistory: false })).toEqual({ keepHistory: false, persistent: false, notices: [] });
    const registry = JSON.parse(readFileSync(join(dataDir, 'accounts.json'), 'utf8')) as { accounts: { id: string; keepHistory?: boolean }[] };
    expect(registry.accounts.find((a) => a.id === alice)).toMatchObject({ keepHistory: false });
    expect(registry.accounts.find((a) => a.id === bob)).not.toHaveProperty('keepHistory');
    await chat(first, alice, bob, 'bob@example.com', ['for this session only']);
    // In memory for the session: this session's messages, in the same conversation.
    const { conversationId } = await calls['conversations:open']({ accountId: alice, email: 'bob@example.com' });
    const inSession = await calls['history:page']({ accountId: alice, conversationId, anchor: { kind: 'newest' } });
    expect(inSession.messages.map((m) => m.text)).toEqual(['for this session only']);
    expect((await calls['history:search']({ accountId: alice, text: 'session' })).hits).toHaveLength(1);
    await quit(first);

    const onDisk = async () => {
      const store = await openHistoryStore({ dataDir, accountId: alice, readOnly: true });
      const stored = await store.conversationWith('bob@example.com');
      const texts = (await store.page(stored!.id, { kind: 'newest' })).messages.map((m) => m.text);
      await store.close();
      return texts;
    };
    expect(await onDisk()).toEqual(['saved before']);
    const next = inDataDir(dataDir);
    await aliceAndBob(next);
    const again = next.service.calls;
    expect(await again['history:get-status']({ accountId: alice })).toEqual({ keepHistory: false, persistent: false, notices: [] });
    expect((await again['history:list']({ accountId: alice })).conversations).toEqual([]);
    expect((await again['history:list']({ accountId: bob })).conversations[0].lastMessage?.text).toBe('for this session only');
    await chat(next, alice, bob, 'bob@example.com', ['not kept either']);
    expect(await again['history:set-keep']({ accountId: alice, keepHistory: true })).toEqual({ keepHistory: true, persistent: true, notices: [] });
    // Nothing was read from the disk while it was off (not even the conversation's id): the stored one takes the live one's.
    const live = await again['conversations:open']({ accountId: alice, email: 'bob@example.com' });
    expect((await again['history:list']({ accountId: alice })).conversations.map((c) => [c.id, c.lastMessage?.text])).toEqual([[live.conversationId, 'saved before']]);
    await chat(next, alice, bob, 'bob@example.com', ['saved again']);
    // Changes one right after the other take effect in order.
    const [off, on] = await Promise.all([false, true].map((keepHistory) => again['history:set-keep']({ accountId: alice, keepHistory })));
    expect([off.persistent, on.persistent]).toEqual([false, true]);
    expect(await again['history:get-status']({ accountId: alice })).toMatchObject({ keepHistory: true, persistent: true });
    await quit(next);
    expect(await onDisk()).toEqual(['saved before', 'saved again']);
  });

  it('a damaged database is set aside and a new one started, and the person is told (snapshot, status); a full disk is told as it happens', async () => {
    const dataDir = tempDir();
    const registry = openFileAccountRegistry(dataDir);
    const { id: alice } = await registry.resolve(server.ns, 'alice@example.com');
    mkdirSync(join(dataDir, 'history'), { recursive: true });
    writeFileSync(historyFile(dataDir, alice), 'this is not a database, it only has a database’s name'.repeat(100));
    const dbs = new Map<string, { name: string; pragma(source: string, options?: { simple: boolean }): unknown }>();
    const live = inDataDir(dataDir, { registry, history: { dataDir, onConnection: (db) => dbs.set(db.name, db) } });
    const { bob } = await aliceAndBob(live);
    const { calls } = live.service;
    const status = await calls['history:get-status']({ accountId: alice });
    expect(status).toEqual({
      keepHistory: true,
      persistent: true,
      notices: [{ kind: 'started-anew', reason: 'The history could not be opened: the database is damaged: a new one was started.', keptAs: expect.stringMatching(new RegExp(`^${alice}\\.sqlite\\.unreadable-\\d+$`)) }],
    });
    expect(live.service.snapshot(alice).history).toEqual(status);
    expect(existsSync(join(dataDir, 'history', status.notices[0].kind === 'started-anew' ? status.notices[0].keptAs! : ''))).toBe(true);
    expect((await calls['history:get-status']({ accountId: bob })).notices).toEqual([]);
    await chat(live, alice, bob, 'bob@example.com', ['kept in the new one']);
    expect((await calls['history:search']({ accountId: alice, text: 'new one' })).hits).toHaveLength(1);

    // The disk fills up: the messages still go (and arrive); the person is told on the account's stream, then told again when saving works.
    const db = dbs.get(historyFile(dataDir, alice))!;
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 2}`);
    // Each one switchboard message (under 1,664 bytes), all of them more than the room left.
    const big = 'a long message to fill the disk '.repeat(45);
    await chat(live, alice, bob, 'bob@example.com', [1, 2, 3, 4, 5, 6].map((i) => `${big}${i}`));
    const failed = await find(live, is('history-notice', alice, (e) => e.notice.kind === 'write-failed'), 'the full disk told');
    expect(failed.notice).toEqual({ kind: 'write-failed', reason: 'could not be saved: the disk is full' });
    db.pragma('max_page_count = 1000000');
    await chat(live, alice, bob, 'bob@example.com', ['room again']);
    await find(live, is('history-notice', alice, (e) => e.notice.kind === 'write-recovered'), 'saving works again');
    // Each failure told once, each recovery once (small writes fit between the big ones that do not), the stream the same.
    const [opened, ...told] = (await calls['history:get-status']({ accountId: alice })).notices;
    expect(opened.kind).toBe('started-anew');
    expect(told.length % 2).toBe(0);
    expect(told.map((n) => n.kind)).toEqual(told.map((_, i) => (i % 2 === 0 ? 'write-failed' : 'write-recovered')));
    expect(live.log.events.flatMap((e) => (e.type === 'history-notice' && e.accountId === alice ? [e.notice] : []))).toEqual(told);
    expect(live.log.events.filter((e) => e.type === 'history-notice' && e.accountId === bob)).toEqual([]);
  });
});

/** The app in a child process (testing/history-app-child.ts), driven over stdin and read line by line. */
function startApp(dataDir: string, settings: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'testing', 'history-app-child.ts'), dataDir, settings], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let seen = 0;
  return {
    /** The next line (after the last one returned) that matches. */
    line: (pattern: RegExp) =>
      vi.waitFor(
        () => {
          if (child.exitCode !== null) throw new Error(`the app exited: ${stderr}`);
          const at = lines.findIndex((l, i) => i >= seen && pattern.test(l));
          if (at < 0) throw new Error(`no line ${pattern} yet; seen: ${lines.join(' | ')}; stderr: ${stderr}`);
          seen = at + 1;
          return lines[at];
        },
        { timeout: 20_000, interval: 10 },
      ),
    send: (line: string) => child.stdin.write(`${line}\n`),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
