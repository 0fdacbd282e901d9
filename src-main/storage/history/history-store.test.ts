// The history store's behaviour, run against both implementations: the SQLite store on a real file in a temp
// directory, and the in-memory store used when the person keeps no history. Whatever one answers, the other must.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConversationMessage } from '../../../src-shared/conversation-types';
import type { HistoryStore, MessagePage, PageAnchor } from './history-types';
import { openHistoryStore } from './open-history';
import { group, incoming, outgoing, single } from './testing/history-fixtures';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'bf-history-'));
  dirs.push(d);
  return d;
};

const BOB = 'bob@example.com';
const CAROL = 'carol@example.com';

const stores: [string, boolean][] = [
  ['SQLite store', true],
  ['in-memory store (no history kept)', false],
];

describe.each(stores)('%s', (_name, keepHistory) => {
  let clock = 1_700_000_000_000;
  const now = () => ++clock;
  const open = (): Promise<HistoryStore> => openHistoryStore({ dataDir: tempDir(), accountId: 'acct-1', keepHistory, now });

  async function withBob(count: number, build: (i: number) => ConversationMessage = (i) => incoming(`m${i}`, 'c-bob', BOB, `message ${i}`, 1000 + i)) {
    const store = await open();
    await store.recordConversation(single('c-bob', BOB));
    for (let i = 0; i < count; i++) void store.append(build(i));
    await store.flush();
    return store;
  }

  it('says whether it keeps anything beyond the session, and has nothing to report', async () => {
    const store = await open();
    expect(store.persistent).toBe(keepHistory);
    expect(store.notices()).toEqual([]);
    await store.close();
  });

  it('gives back both directions with every field: formatting, emoticons, charset flags, parts, participants at the time', async () => {
    const store = await open();
    await store.recordConversation(single('c-bob', BOB, 'Bob%20%E2%9C%BF'));
    const inMsg = incoming('m1', 'c-bob', BOB, 'Hallo :) Grüße', 10, {
      nickname: 'Bob%20%E2%9C%BF',
      format: { font: 'Segoe UI', bold: true, color: '#ff0000', rightToLeft: true },
      emoticons: [{ start: 6, end: 8, code: ':)', name: 'smile' }],
      charset: 'ISO-8859-1',
      unknownCharset: true,
      malformed: true,
    });
    const outMsg = outgoing('m2', 'c-bob', 'part one', 11, { part: { index: 0, count: 2 }, format: { italic: true } });
    const nudge = outgoing('m3', 'c-bob', '', 12, { kind: 'nudge' });
    await Promise.all([store.append(inMsg), store.append(outMsg), store.append(nudge)]);
    const page = await store.page('c-bob', { kind: 'newest' });
    expect(page.messages).toEqual([
      { ...inMsg, participants: [BOB] },
      { ...outMsg, participants: [BOB] },
      { ...nudge, participants: [BOB] },
    ]);
    expect(page.older).toBeUndefined();
    expect(page.newer).toBeUndefined();
  });

  it('keeps only well-formed formatting and emoticons', async () => {
    const store = await open();
    await store.recordConversation(single('c-bob', BOB));
    await store.append(
      incoming('m1', 'c-bob', BOB, 'hi :)', 1, {
        format: { font: 'x;background:url(evil)', color: 'red', bold: 'yes' as unknown as boolean, italic: true },
        emoticons: [
          { start: 3, end: 5, code: ':)', name: 'smile' },
          { start: 0, end: 99, code: ':(', name: 'sad' },
        ],
      }),
    );
    await store.append(incoming('m2', 'c-bob', BOB, 'ni hao', 2, { format: { font: '微软雅黑', bold: true } }));
    await store.append(incoming('m3', 'c-bob', BOB, 'long', 3, { format: { font: 'x'.repeat(32), underline: true } }));
    const [m, cjk, long] = (await store.page('c-bob', { kind: 'oldest' })).messages;
    expect(m.format).toEqual({ italic: true });
    expect(m.emoticons).toEqual([{ start: 3, end: 5, code: ':)', name: 'smile' }]);
    // A font name the switchboard accepts is kept (any script); one it would refuse is not.
    expect(cjk.format).toEqual({ font: '微软雅黑', bold: true });
    expect(long.format).toEqual({ underline: true });
  });

  it('records who else was there when each message was said', async () => {
    const store = await open();
    await store.recordConversation(group('g1', [BOB]));
    await store.append(incoming('m1', 'g1', BOB, 'just us', 1));
    await store.recordConversation(group('g1', [BOB, CAROL]));
    await store.append(incoming('m2', 'g1', CAROL, 'hi all', 2));
    const { messages } = await store.page('g1', { kind: 'newest' });
    expect(messages.map((m) => m.participants)).toEqual([[BOB], [BOB, CAROL]]);
    expect((await store.conversation('g1'))?.participants.map((p) => p.email)).toEqual([BOB, CAROL]);
  });

  it('refuses a message for a conversation it was never told of, without failing the others written with it', async () => {
    const store = await open();
    await store.recordConversation(single('c-bob', BOB));
    const bad = store.append(incoming('x', 'nowhere', BOB, 'lost?', 1));
    const good = store.append(incoming('m1', 'c-bob', BOB, 'kept', 2));
    await expect(bad).rejects.toMatchObject({ code: 'history.unknown-conversation' });
    await expect(good).resolves.toBeUndefined();
    expect((await store.page('c-bob', { kind: 'newest' })).messages.map((m) => m.id)).toEqual(['m1']);
    await expect(store.append({ ...incoming('y', 'c-bob', BOB, 'x', Number.NaN) })).rejects.toMatchObject({ code: 'history.bad-request' });
  });

  it('ignores the same message id written twice', async () => {
    const store = await open();
    await store.recordConversation(single('c-bob', BOB));
    await store.append(incoming('m1', 'c-bob', BOB, 'once', 1));
    await store.append(incoming('m1', 'c-bob', BOB, 'twice?', 2));
    expect((await store.page('c-bob', { kind: 'newest' })).messages.map((m) => m.text)).toEqual(['once']);
    expect((await store.conversation('c-bob'))?.unread).toBe(1);
  });

  describe('paging', () => {
    const N = 237;
    const ids = Array.from({ length: N }, (_, i) => `m${i}`);

    async function collect(store: HistoryStore, first: PageAnchor, next: (p: MessagePage) => PageAnchor | undefined, size: number) {
      const seen: string[][] = [];
      let anchor: PageAnchor | undefined = first;
      while (anchor && seen.length <= N) {
        const page = await store.page('c-bob', anchor, size);
        expect(page.messages.length).toBeLessThanOrEqual(size);
        seen.push(page.messages.map((m) => m.id));
        anchor = next(page);
      }
      return seen;
    }

    it('walks backwards from the newest and forwards from the oldest with no gap or repeat at the edges', async () => {
      const store = await withBob(N);
      // Another conversation's messages in between must not leak into Bob's pages.
      await store.recordConversation(single('c-carol', CAROL));
      await store.append(incoming('other', 'c-carol', CAROL, 'elsewhere', 5));
      for (const size of [1, 7, 50, 500]) {
        const back = await collect(store, { kind: 'newest' }, (p) => (p.older ? { kind: 'before', cursor: p.older } : undefined), size);
        expect(back.reverse().flat()).toEqual(ids);
        const forward = await collect(store, { kind: 'oldest' }, (p) => (p.newer ? { kind: 'after', cursor: p.newer } : undefined), size);
        expect(forward.flat()).toEqual(ids);
        expect(back.every((page) => page.length === size || page === back[0])).toBe(true);
      }
    });

    it('opens around a message with about half a page each side, and goes on seamlessly both ways', async () => {
      const store = await withBob(N);
      const around = await store.page('c-bob', { kind: 'around', messageId: 'm120' }, 50);
      expect(around.messages.map((m) => m.id)).toEqual(ids.slice(96, 146));
      const before = await store.page('c-bob', { kind: 'before', cursor: around.older as string }, 50);
      const after = await store.page('c-bob', { kind: 'after', cursor: around.newer as string }, 50);
      expect([...before.messages, ...around.messages, ...after.messages].map((m) => m.id)).toEqual(ids.slice(46, 196));
      const start = await store.page('c-bob', { kind: 'around', messageId: 'm0' }, 10);
      // Nothing before the first: the page is what comes from it on.
      expect(start.messages.map((m) => m.id)).toEqual(ids.slice(0, 6));
      expect(start.older).toBeUndefined();
      const end = await store.page('c-bob', { kind: 'around', messageId: `m${N - 1}` }, 10);
      expect(end.messages.map((m) => m.id)).toEqual(ids.slice(N - 5));
      expect(end.newer).toBeUndefined();
    });

    it('refuses bad cursors, limits, anchors and strangers', async () => {
      const store = await withBob(3);
      await expect(store.page('c-bob', { kind: 'before', cursor: 'abc' })).rejects.toMatchObject({ code: 'history.bad-request' });
      await expect(store.page('c-bob', { kind: 'newest' }, 0)).rejects.toMatchObject({ code: 'history.bad-request' });
      await expect(store.page('c-bob', { kind: 'newest' }, 501)).rejects.toMatchObject({ code: 'history.bad-request' });
      await expect(store.page('c-bob', { kind: 'sideways' } as unknown as PageAnchor)).rejects.toMatchObject({ code: 'history.bad-request' });
      await expect(store.page('c-nobody', { kind: 'newest' })).rejects.toMatchObject({ code: 'history.unknown-conversation' });
      await expect(store.page('c-bob', { kind: 'around', messageId: 'nope' })).rejects.toMatchObject({ code: 'history.unknown-message' });
    });
  });

  describe('search', () => {
    const texts = [
      'Viele Grüße aus Köln',
      '我爱北京天安门',
      'great😀 see you',
      'thumbs 👍🏽 up',
      'a book about nothing',
      'ok see you',
      'He said "hello" AND left',
      'hello without quotes',
      'foo only',
      'foo or bar, both',
      'NEAR(a b) col:x ^start -minus * (paren',
      'smiling :) today',
      'I <3 you',
      'Ｆｕｌｌｗｉｄｔｈ and ＣＡＦÉ',
      'Ελλάδα είναι ωραία',
    ];

    async function seeded() {
      const store = await open();
      await store.recordConversation(single('c-bob', BOB));
      await store.recordConversation(single('c-carol', CAROL));
      texts.forEach((text, i) => void store.append(incoming(`m${i}`, i % 2 === 0 ? 'c-bob' : 'c-carol', i % 2 === 0 ? BOB : CAROL, text, 100 + i)));
      await store.flush();
      return store;
    }

    const found = async (store: HistoryStore, text: string, conversationId?: string) =>
      (await store.search({ text, ...(conversationId ? { conversationId } : {}) })).hits.map((h) => h.message.text);

    it('finds whole words with diacritics folded', async () => {
      const store = await seeded();
      expect(await found(store, 'gruße')).toEqual(['Viele Grüße aus Köln']);
      expect(await found(store, 'KOLN')).toEqual(['Viele Grüße aus Köln']);
      expect(await found(store, 'köln grüße')).toEqual(['Viele Grüße aus Köln']);
      expect(await found(store, 'ελλαδα')).toEqual(['Ελλάδα είναι ωραία']);
      expect(await found(store, 'fullwidth cafe')).toEqual(['Ｆｕｌｌｗｉｄｔｈ and ＣＡＦÉ']);
    });

    it('finds CJK substrings of two characters or more, and single characters', async () => {
      const store = await seeded();
      for (const q of ['北京', '京天', '天安门', '我爱北京天安门', '门']) expect(await found(store, q)).toEqual(['我爱北京天安门']);
      expect(await found(store, '京北')).toEqual([]);
    });

    it('finds a single emoji, whatever its skin tone', async () => {
      const store = await seeded();
      expect(await found(store, '😀')).toEqual(['great😀 see you']);
      expect(await found(store, '👍')).toEqual(['thumbs 👍🏽 up']);
      expect(await found(store, '👍🏽')).toEqual(['thumbs 👍🏽 up']);
      expect(await found(store, '😃')).toEqual([]);
    });

    it('takes quotes and FTS operators literally', async () => {
      const store = await seeded();
      expect(await found(store, '"hello"')).toEqual(['He said "hello" AND left']);
      expect(await found(store, 'hello')).toEqual(['hello without quotes', 'He said "hello" AND left']);
      // Every word must be there: "OR" is a word like any other.
      expect(await found(store, 'foo OR bar')).toEqual(['foo or bar, both']);
      expect(await found(store, 'NEAR(a')).toEqual(['NEAR(a b) col:x ^start -minus * (paren']);
      for (const q of ['col:x', '^start', '-minus', '*', '(paren', '"', "'", '\\', 'AND', 'NOT', '"unbalanced']) {
        await expect(store.search({ text: q }), q).resolves.toBeDefined();
      }
      expect(await found(store, '^start')).toEqual(['NEAR(a b) col:x ^start -minus * (paren']);
      expect(await found(store, ':)')).toEqual(['smiling :) today']);
      expect(await found(store, '<3')).toEqual(['I <3 you']);
    });

    it('matches short words whole (ok is not every book), longer text anywhere', async () => {
      const store = await seeded();
      expect(await found(store, 'ok')).toEqual(['ok see you']);
      expect(await found(store, 'boo')).toEqual(['a book about nothing']);
      expect(await found(store, 'see you')).toEqual(['ok see you', 'great😀 see you']);
    });

    it('gives newest first, in one conversation or all, with highlights on what matched', async () => {
      const store = await seeded();
      expect(await found(store, 'you', 'c-bob')).toEqual(['I <3 you', 'great😀 see you']);
      expect(await found(store, 'you', 'c-carol')).toEqual(['ok see you']);
      expect(await found(store, ':)', 'c-bob')).toEqual([]);
      expect(await found(store, ':)', 'c-carol')).toEqual(['smiling :) today']);
      expect(await found(store, 'ok 😀', 'c-carol')).toEqual([]);
      expect(await found(store, 'you 😀', 'c-bob')).toEqual(['great😀 see you']);
      // ß is a letter of its own, not "ss".
      expect(await found(store, 'grüsse')).toEqual([]);
      const [hit] = (await store.search({ text: 'köln gruße' })).hits;
      expect(hit.matches.map((r) => hit.message.text.slice(r.start, r.end))).toEqual(['Grüße', 'Köln']);
      expect(hit.snippet).toEqual({ text: 'Viele Grüße aus Köln', start: 0, highlights: hit.matches, cutStart: false, cutEnd: false });
      const [cjk] = (await store.search({ text: '北京' })).hits;
      expect(cjk.matches.map((r) => cjk.message.text.slice(r.start, r.end))).toEqual(['北京']);
      const [emoji] = (await store.search({ text: '👍' })).hits;
      expect(emoji.matches.map((r) => emoji.message.text.slice(r.start, r.end))).toEqual(['👍🏽']);
    });

    it('cuts a long message to a snippet around the match', async () => {
      const store = await open();
      await store.recordConversation(single('c-bob', BOB));
      const text = `${'lorem ipsum '.repeat(30)}the Needle here ${'dolor sit '.repeat(30)}`;
      await store.append(incoming('long', 'c-bob', BOB, text, 1));
      const [hit] = (await store.search({ text: 'needle' })).hits;
      expect(hit.snippet.cutStart && hit.snippet.cutEnd).toBe(true);
      expect(hit.snippet.text.length).toBeLessThanOrEqual(140);
      const [h] = hit.snippet.highlights;
      expect(hit.snippet.text.slice(h.start, h.end)).toBe('Needle');
      expect(text.slice(hit.snippet.start + h.start, hit.snippet.start + h.end)).toBe('Needle');
    });

    it('pages through many results with a cursor, newest first, without repeats', async () => {
      const store = await withBob(130, (i) => incoming(`m${i}`, 'c-bob', BOB, `ping number ${i}`, i));
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.search({ text: 'ping', limit: 50, ...(cursor ? { cursor } : {}) });
        seen.push(...page.hits.map((h) => h.message.id));
        cursor = page.next;
      } while (cursor);
      expect(seen).toEqual(Array.from({ length: 130 }, (_, i) => `m${129 - i}`));
    });

    it('answers an empty search with nothing and refuses what it cannot take', async () => {
      const store = await seeded();
      expect(await store.search({ text: '   ' })).toEqual({ hits: [] });
      await expect(store.search({ text: 'x'.repeat(257) })).rejects.toMatchObject({ code: 'history.bad-request' });
      await expect(store.search({ text: 'a', limit: 201 })).rejects.toMatchObject({ code: 'history.bad-request' });
      await expect(store.search({ text: 'a', cursor: '-1' })).rejects.toMatchObject({ code: 'history.bad-request' });
      await expect(store.search({ text: 'a', conversationId: 'c-nobody' })).rejects.toMatchObject({ code: 'history.unknown-conversation' });
    });
  });

  it('records every delivery-state change of an outgoing message', async () => {
    const store = await open();
    await store.recordConversation(single('c-bob', BOB));
    await store.append(outgoing('o1', 'c-bob', 'hello', 50));
    const change = (state: 'sent' | 'delivered' | 'failed' | 'queued', attempt: number, reason?: { code: 'not-delivered'; message: string }) =>
      store.recordState({ conversationId: 'c-bob', messageId: 'o1', state, attempt, ...(reason ? { reason } : {}) });
    await change('sent', 1);
    await change('failed', 1, { code: 'not-delivered', message: 'The server could not deliver it.' });
    await change('queued', 2);
    await change('sent', 2);
    await change('delivered', 2);
    const states = await store.stateChanges('o1');
    expect(states.map((s) => [s.state, s.attempt, s.reason?.code])).toEqual([
      ['queued', 1, undefined],
      ['sent', 1, undefined],
      ['failed', 1, 'not-delivered'],
      ['queued', 2, undefined],
      ['sent', 2, undefined],
      ['delivered', 2, undefined],
    ]);
    expect(states[0].at).toBe(50);
    expect(states.every((s, i) => i === 0 || s.at > states[i - 1].at)).toBe(true);
    const [m] = (await store.page('c-bob', { kind: 'newest' })).messages;
    expect(m).toMatchObject({ state: 'delivered', attempt: 2 });
    expect(m).not.toHaveProperty('reason');
    await store.append(incoming('i1', 'c-bob', BOB, 'reply', 60));
    await expect(store.recordState({ conversationId: 'c-bob', messageId: 'i1', state: 'sent', attempt: 1 })).rejects.toMatchObject({ code: 'history.unknown-message' });
    await expect(store.recordState({ conversationId: 'c-bob', messageId: 'zz', state: 'sent', attempt: 1 })).rejects.toMatchObject({ code: 'history.unknown-message' });
    await expect(store.recordState({ conversationId: 'c-bob', messageId: 'o1', state: 'lost' as 'sent', attempt: 1 })).rejects.toMatchObject({ code: 'history.bad-request' });
    expect(await store.stateChanges('i1')).toEqual([]);
  });

  it('counts unread messages and moves the read marker', async () => {
    const store = await open();
    await store.recordConversation(single('c-bob', BOB));
    for (const m of [incoming('i1', 'c-bob', BOB, 'one', 1), outgoing('o1', 'c-bob', 'mine', 2), incoming('i2', 'c-bob', BOB, 'two', 3), incoming('i3', 'c-bob', BOB, 'three', 4)]) void store.append(m);
    expect((await store.conversation('c-bob'))?.unread).toBe(3);
    expect(await store.markRead('c-bob', 'i2')).toBe(1);
    let [c] = (await store.listConversations()).conversations;
    expect(c).toMatchObject({ unread: 1, lastReadMessageId: 'i2' });
    // A marker never moves back.
    expect(await store.markRead('c-bob', 'i1')).toBe(1);
    expect(await store.markRead('c-bob')).toBe(0);
    await store.append(incoming('i4', 'c-bob', BOB, 'four', 5));
    [c] = (await store.listConversations()).conversations;
    expect(c).toMatchObject({ unread: 1, lastReadMessageId: 'i3' });
    await expect(store.markRead('c-bob', 'nope')).rejects.toMatchObject({ code: 'history.unknown-message' });
    await expect(store.markRead('c-nobody')).rejects.toMatchObject({ code: 'history.unknown-conversation' });
  });

  it('lists conversations by newest activity with their last message, in pages', async () => {
    const store = await open();
    for (let i = 0; i < 5; i++) await store.recordConversation(single(`c${i}`, `u${i}@example.com`));
    await store.recordConversation(single('silent', 'quiet@example.com'));
    for (const [conv, at] of [['c0', 10], ['c1', 30], ['c2', 20], ['c3', 50], ['c4', 40], ['c0', 60]] as const) {
      void store.append(incoming(`${conv}-${at}`, conv, 'x@example.com', `at ${at}`, at));
    }
    const first = await store.listConversations({ limit: 2 });
    expect(first.conversations.map((c) => [c.id, c.lastActivity, c.lastMessage?.text])).toEqual([
      ['c0', 60, 'at 60'],
      ['c3', 50, 'at 50'],
    ]);
    const rest = await store.listConversations({ limit: 10, cursor: first.next });
    expect(rest.conversations.map((c) => c.id)).toEqual(['c4', 'c1', 'c2']);
    expect(rest.next).toBeUndefined();
    await expect(store.listConversations({ cursor: 'nonsense' })).rejects.toMatchObject({ code: 'history.bad-request' });
  });

  it('keeps one history per contact when the conversation layer names it anew', async () => {
    const store = await open();
    await store.recordConversation(single('old-id', BOB));
    await store.append(incoming('m1', 'old-id', BOB, 'before the restart', 1));
    await store.recordConversation(single('new-id', 'Bob@Example.com'));
    await store.append(incoming('m2', 'new-id', BOB, 'after it', 2));
    expect((await store.page('new-id', { kind: 'newest' })).messages.map((m) => [m.id, m.conversationId])).toEqual([
      ['m1', 'new-id'],
      ['m2', 'new-id'],
    ]);
    expect((await store.conversationWith('BOB@example.com'))?.id).toBe('new-id');
    expect(await store.conversation('old-id')).toBeUndefined();
  });

  it('tells each single conversation’s contact, id and unread count (what the conversation layer recalls)', async () => {
    const store = await open();
    await store.recordConversation(single('c-bob', BOB));
    await store.recordConversation(single('c-carol', CAROL));
    await store.recordConversation(group('g', [BOB, CAROL]));
    for (const m of [incoming('i1', 'c-bob', BOB, 'one', 1), incoming('i2', 'c-bob', BOB, 'two', 2), incoming('i3', 'g', CAROL, 'three', 3)]) void store.append(m);
    await store.markRead('c-bob', 'i1');
    const singles = await store.singles();
    expect(singles.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { contact: BOB, id: 'c-bob', unread: 1 },
      { contact: CAROL, id: 'c-carol', unread: 0 },
    ]);
    await store.deleteConversation('c-bob');
    expect((await store.singles()).find((s) => s.contact === BOB)).toEqual({ contact: BOB, id: 'c-bob', unread: 0 });
  });

  it('deletes a conversation’s history, and the conversation goes on afresh', async () => {
    const store = await withBob(40, (i) => incoming(`m${i}`, 'c-bob', BOB, `secret ${i}`, i));
    await store.recordConversation(single('c-carol', CAROL));
    await store.append(incoming('keep', 'c-carol', CAROL, 'secret kept', 100));
    await store.deleteConversation('c-bob');
    expect((await store.page('c-bob', { kind: 'newest' })).messages).toEqual([]);
    expect((await store.search({ text: 'secret' })).hits.map((h) => h.message.id)).toEqual(['keep']);
    expect((await store.listConversations()).conversations.map((c) => c.id)).toEqual(['c-carol']);
    expect((await store.conversation('c-bob'))?.unread).toBe(0);
    await store.append(incoming('new', 'c-bob', BOB, 'secret again', 200));
    expect((await store.search({ text: 'secret', conversationId: 'c-bob' })).hits.map((h) => h.message.id)).toEqual(['new']);
    await expect(store.stateChanges('m1')).rejects.toMatchObject({ code: 'history.unknown-message' });
    await store.deleteConversation('c-nobody');
  });

  it('refuses everything once closed', async () => {
    const store = await open();
    await store.close();
    await expect(store.recordConversation(single('c', BOB))).rejects.toMatchObject({ code: 'history.closed' });
    await expect(store.listConversations()).rejects.toMatchObject({ code: 'history.closed' });
  });
});
