// What only the SQLite store has: a real file that outlives the process, its place and modes, what a restart does to
// messages left in flight, batching and back-pressure, the sweeper, a full disk, migrations from every earlier
// schema, and damaged or unusable files.
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOSED_BEFORE_CONFIRMATION, CLOSED_BEFORE_SENDING, type HistoryStore } from './history-types';
import { historyFile, openHistoryStore, type OpenHistoryOptions } from './open-history';
import { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion } from './schema';
import { foldText, wordsIndexText } from './search-text';
import { incoming, outgoing, single } from './testing/history-fixtures';

const dirs: string[] = [];
const stores: HistoryStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close().catch(() => undefined);
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'bf-history-'));
  dirs.push(d);
  return d;
};

const BOB = 'bob@example.com';
const ACCOUNT = 'acct-1';
let clock = 1_800_000_000_000;
const now = () => ++clock;

async function open(dataDir: string, extra: Partial<OpenHistoryOptions> = {}): Promise<HistoryStore> {
  const store = await openHistoryStore({ dataDir, accountId: ACCOUNT, now, ...extra });
  stores.push(store);
  return store;
}

/** A second, plain connection to the file, as another program would see it. */
function peek<T>(dataDir: string, sql: string, ...args: unknown[]): T {
  const db = new Database(historyFile(dataDir, ACCOUNT), { readonly: true });
  try {
    return db.prepare(sql).get(...args) as T;
  } finally {
    db.close();
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SQLite history store', () => {
  it('lives in <data dir>/history/<account>.sqlite, private, in WAL mode with synchronous=NORMAL', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.recordConversation(single('c-bob', BOB));
    const file = historyFile(dir, ACCOUNT);
    expect(file).toBe(join(dir, 'history', 'acct-1.sqlite'));
    if (process.platform !== 'win32') {
      expect(statSync(join(dir, 'history')).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    }
    expect(peek<{ journal_mode: string }>(dir, 'PRAGMA journal_mode').journal_mode).toBe('wal');
    const db = new Database(file);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
    await expect(openHistoryStore({ dataDir: dir, accountId: '../escape' })).rejects.toMatchObject({ code: 'history.bad-request' });
  });

  it('keeps everything across a restart: messages both ways, states, read marker, participants', async () => {
    const dir = tempDir();
    const first = await open(dir);
    await first.recordConversation(single('c-bob', BOB, 'Bob%20B'));
    const sent = [
      incoming('i1', 'c-bob', BOB, 'Grüße aus Köln 😀', 1, { format: { bold: true }, charset: 'ISO-8859-1' }),
      outgoing('o1', 'c-bob', '我爱北京天安门', 2, { emoticons: [] }),
      incoming('i2', 'c-bob', BOB, 'second', 3),
    ];
    for (const m of sent) await first.append(m);
    await first.recordState({ conversationId: 'c-bob', messageId: 'o1', state: 'sent', attempt: 1 });
    await first.recordState({ conversationId: 'c-bob', messageId: 'o1', state: 'delivered', attempt: 1 });
    await first.markRead('c-bob', 'i1');
    const before = { list: await first.listConversations(), page: await first.page('c-bob', { kind: 'newest' }), states: await first.stateChanges('o1') };
    await first.close();

    const again = await open(dir);
    expect(await again.listConversations()).toEqual(before.list);
    expect(await again.page('c-bob', { kind: 'newest' })).toEqual(before.page);
    expect(await again.stateChanges('o1')).toEqual(before.states);
    expect(before.page.messages[1]).toMatchObject({ state: 'delivered', participants: [BOB] });
    expect(before.list.conversations[0]).toMatchObject({ unread: 1, lastReadMessageId: 'i1', participants: [{ email: BOB, nickname: 'Bob%20B' }] });
    expect((await again.search({ text: 'köln' })).hits.map((h) => h.message.id)).toEqual(['i1']);
    expect((await again.search({ text: '北京' })).hits.map((h) => h.message.id)).toEqual(['o1']);
  });

  it('after a restart, queued messages have failed and sent ones are unconfirmed (a sent nudge stays sent)', async () => {
    const dir = tempDir();
    const first = await open(dir);
    await first.recordConversation(single('c-bob', BOB));
    await first.append(outgoing('q', 'c-bob', 'still queued', 1));
    await first.append(outgoing('s', 'c-bob', 'sent, no ACK', 2, { state: 'sent', attempt: 2 }));
    await first.append(outgoing('d', 'c-bob', 'delivered', 3, { state: 'delivered' }));
    await first.append(outgoing('n', 'c-bob', '', 4, { kind: 'nudge', state: 'sent' }));
    await first.close();

    const again = await open(dir);
    const states = Object.fromEntries((await again.page('c-bob', { kind: 'newest' })).messages.map((m) => [m.id, m.direction === 'out' ? [m.state, m.reason] : []]));
    expect(states).toEqual({
      q: ['failed', CLOSED_BEFORE_SENDING],
      s: ['unconfirmed', CLOSED_BEFORE_CONFIRMATION],
      d: ['delivered', undefined],
      n: ['sent', undefined],
    });
    expect(CLOSED_BEFORE_SENDING.message).toBe('Not sent: Butterfly closed.');
    const history = await again.stateChanges('s');
    expect(history.map((c) => [c.state, c.attempt])).toEqual([
      ['sent', 2],
      ['unconfirmed', 2],
    ]);
  });

  it('leaves the settling to the process that owns the history while it runs (the CLI beside the app)', async () => {
    const dir = tempDir();
    const app = await open(dir);
    await app.recordConversation(single('c-bob', BOB));
    await app.append(outgoing('q', 'c-bob', 'on its way', 1));
    const beside = await open(dir);
    expect((await beside.page('c-bob', { kind: 'newest' })).messages[0]).toMatchObject({ state: 'queued' });
    await beside.close();
    await app.recordState({ conversationId: 'c-bob', messageId: 'q', state: 'sent', attempt: 1 });
    await app.close();
    const next = await open(dir);
    expect((await next.page('c-bob', { kind: 'newest' })).messages[0]).toMatchObject({ state: 'unconfirmed' });
  });

  it('batches writes into one transaction per tick, and a full queue commits at once instead of growing', async () => {
    const dir = tempDir();
    const store = await open(dir, { maxBatch: 10 });
    await store.recordConversation(single('c-bob', BOB));
    const pending = Array.from({ length: 25 }, (_, i) => store.append(incoming(`m${i}`, 'c-bob', BOB, `n ${i}`, i)));
    // Two full batches were committed inside the calls; the last five wait for the tick.
    expect(peek<{ n: number }>(dir, 'SELECT count(*) AS n FROM messages').n).toBe(20);
    await Promise.all(pending);
    expect(peek<{ n: number }>(dir, 'SELECT count(*) AS n FROM messages').n).toBe(25);
  });

  it('checkpoints the WAL from a worker thread, never inside a commit on the main thread', async () => {
    const dir = tempDir();
    let db: Database.Database | undefined;
    const store = await open(dir, { checkpointIntervalMs: 10, onConnection: (d) => (db = d) });
    expect(db?.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const file = historyFile(dir, ACCOUNT);
    const before = statSync(file).size;
    await store.recordConversation(single('c-bob', BOB));
    for (let i = 0; i < 2000; i++) void store.append(incoming(`m${i}`, 'c-bob', BOB, `words to fill pages ${i}`, i));
    await store.flush();
    // Only a checkpoint moves pages from the WAL into the database file.
    for (let i = 0; i < 300 && statSync(file).size <= before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(statSync(file).size).toBeGreaterThan(before);
  });

  it('sweeps a deleted conversation’s messages away a slice at a time, resuming after a restart', async () => {
    const dir = tempDir();
    const store = await open(dir, { sweepSlice: 7 });
    await store.recordConversation(single('c-bob', BOB));
    for (let i = 0; i < 50; i++) void store.append(incoming(`m${i}`, 'c-bob', BOB, `old words ${i}`, i));
    await store.deleteConversation('c-bob');
    await store.close();
    expect(peek<{ n: number }>(dir, 'SELECT count(*) AS n FROM messages').n).toBe(50);

    const again = await open(dir, { sweepSlice: 7 });
    const counts: number[] = [];
    for (let i = 0; i < 20 && counts[counts.length - 1] !== 0; i++) {
      await tick();
      counts.push(peek<{ n: number }>(dir, 'SELECT count(*) AS n FROM messages').n);
    }
    expect(counts[counts.length - 1]).toBe(0);
    expect(counts.length).toBeGreaterThanOrEqual(7);
    expect(peek<{ n: number }>(dir, 'SELECT (SELECT count(*) FROM message_words_docsize) + (SELECT count(*) FROM message_trigrams_docsize) + (SELECT count(*) FROM message_states) AS n').n).toBe(0);
    expect(peek<{ n: number }>(dir, 'SELECT count(*) AS n FROM conversations').n).toBe(1);
    expect((await again.conversation('c-bob'))?.id).toBe('c-bob');
  });

  it('a full disk fails the writes with a notice, loses nothing already saved, and recovers', async () => {
    const dir = tempDir();
    let db: Database.Database | undefined;
    const store = await open(dir, { onConnection: (d) => (db = d) });
    await store.recordConversation(single('c-bob', BOB));
    await store.append(incoming('kept', 'c-bob', BOB, 'saved before', 1));
    const notices: string[] = [];
    store.onNotice((n) => notices.push(n.kind));
    db?.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 2}`);
    const big = 'x'.repeat(4000);
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.append(incoming(`f${i}`, 'c-bob', BOB, `${big} ${i}`, 10 + i))));
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].reason).toMatchObject({ code: 'history.write-failed', retryable: true });
    expect(failed[0].reason.message).toContain('the disk is full');
    expect(notices).toEqual(['write-failed']);
    expect((await store.page('c-bob', { kind: 'oldest' }, 1)).messages[0].id).toBe('kept');
    // The conversation is still known after the rolled-back batch.
    db?.pragma('max_page_count = 1000000');
    await store.append(incoming('after', 'c-bob', BOB, 'room again', 100));
    expect(notices).toEqual(['write-failed', 'write-recovered']);
    expect(store.notices().map((n) => n.kind)).toEqual(['write-failed', 'write-recovered']);
  });

  describe('migrations', () => {
    /** A database as the Butterfly that had schema `version` left it, with two conversations' messages in it. */
    function buildAt(dataDir: string, version: number): void {
      mkdirSync(join(dataDir, 'history'), { recursive: true });
      const db = new Database(historyFile(dataDir, ACCOUNT));
      db.function('bf_words', { deterministic: true }, (t) => wordsIndexText(String(t)));
      db.function('bf_fold', { deterministic: true }, (t) => foldText(String(t)));
      db.pragma('journal_mode = WAL');
      migrate(db, version);
      expect(schemaVersion(db)).toBe(version);
      if (version >= 1) {
        // Every version so far has the v1 tables; a later migration that changes them adds its own seed here.
        db.exec(`INSERT INTO conversations (cid, id, kind, contact, contact_key, participants, created_at, last_activity)
                 VALUES (1, 'c-bob', 'single', '${BOB}', '${BOB}', '[{"email":"${BOB}","nickname":"bob"}]', 1, 1)`);
        const insert = db.prepare(`INSERT INTO messages (id, cid, at, direction, kind, sender, nickname, participants, text, state, attempt)
                                   VALUES (?, 1, ?, ?, 'text', ?, ?, '["${BOB}"]', ?, ?, ?)`);
        insert.run('old-1', 10, 'in', BOB, 'bob', 'the meeting is tomorrow in Zürich', null, null);
        insert.run('old-2', 11, 'out', 'me@example.com', null, '我爱北京天安门 😀', 'sent', 1);
      }
      db.close();
    }

    for (let version = 0; version < SCHEMA_VERSION; version++) {
      it(`brings a schema-${version} database up to ${SCHEMA_VERSION}, its messages found by both indexes`, async () => {
        const dir = tempDir();
        buildAt(dir, version);
        const store = await open(dir);
        expect(store.notices()).toEqual([]);
        expect(peek<{ user_version: number }>(dir, 'PRAGMA user_version').user_version).toBe(SCHEMA_VERSION);
        if (version === 0) return;
        const ids = async (text: string) => (await store.search({ text })).hits.map((h) => h.message.id);
        // Inside a word (trigram, added in v2), whole short words and CJK (words, v1), diacritics folded.
        expect(await ids('eeti')).toEqual(['old-1']);
        expect(await ids('zurich')).toEqual(['old-1']);
        expect(await ids('in')).toEqual(['old-1']);
        expect(await ids('北京')).toEqual(['old-2']);
        expect(await ids('😀')).toEqual(['old-2']);
        expect((await store.page('c-bob', { kind: 'newest' })).messages.map((m) => m.id)).toEqual(['old-1', 'old-2']);
        // And the unsettled message of that old run is settled like any other.
        expect((await store.page('c-bob', { kind: 'newest' })).messages[1]).toMatchObject({ state: 'unconfirmed' });
      });
    }

    it('each step runs whole or not at all', () => {
      const db = new Database(':memory:');
      db.function('bf_words', { deterministic: true }, (t) => wordsIndexText(String(t)));
      db.function('bf_fold', { deterministic: true }, (t) => foldText(String(t)));
      const broken = [
        ...MIGRATIONS,
        {
          version: SCHEMA_VERSION + 1,
          description: 'fails halfway',
          up(d: Database.Database) {
            d.exec('CREATE TABLE half_done (x)');
            throw new Error('boom');
          },
        },
      ];
      expect(() => migrate(db, SCHEMA_VERSION + 1, broken)).toThrow('boom');
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half_done'").get()).toEqual({ n: 0 });
      expect(migrate(db)).toEqual([]);
      db.close();
    });

    it('leaves a database from a newer Butterfly untouched and keeps this session in memory, saying so', async () => {
      const dir = tempDir();
      buildAt(dir, SCHEMA_VERSION);
      const db = new Database(historyFile(dir, ACCOUNT));
      db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
      db.close();
      const bytes = readFileSync(historyFile(dir, ACCOUNT));
      const store = await open(dir);
      expect(store.persistent).toBe(false);
      expect(store.notices()).toEqual([{ kind: 'memory-only', reason: expect.stringContaining('newer Butterfly') }]);
      await store.close();
      expect(readFileSync(historyFile(dir, ACCOUNT)).equals(bytes)).toBe(true);
      expect(readdirSync(join(dir, 'history')).some((n) => n.includes('unreadable'))).toBe(false);
    });
  });

  describe('a database that cannot be used', () => {
    it('is kept aside when it is not a database, and a new one is started (the newest three copies kept)', async () => {
      const dir = tempDir();
      const file = historyFile(dir, ACCOUNT);
      mkdirSync(join(dir, 'history'), { recursive: true });
      for (let round = 0; round < 4; round++) {
        writeFileSync(file, `not a database, round ${round} `.repeat(200));
        const store = await open(dir);
        const [notice] = store.notices();
        expect(notice).toMatchObject({ kind: 'started-anew', reason: expect.stringContaining('damaged') });
        const keptAs = (notice as { keptAs: string }).keptAs;
        expect(readFileSync(join(dir, 'history', keptAs), 'utf8')).toContain(`round ${round}`);
        expect(store.persistent).toBe(true);
        await store.recordConversation(single('c-bob', BOB));
        await store.append(incoming('m', 'c-bob', BOB, 'fresh start', 1));
        expect((await store.search({ text: 'fresh' })).hits).toHaveLength(1);
        await store.close();
      }
      expect(readdirSync(join(dir, 'history')).filter((n) => /\.unreadable-\d+$/.test(n))).toHaveLength(3);
    });

    it('found damaged while in use: reads fail with a notice, and the next start checks it and sets it aside', async () => {
      const dir = tempDir();
      const first = await open(dir);
      await first.recordConversation(single('c-bob', BOB));
      for (let i = 0; i < 3000; i++) void first.append(incoming(`m${i}`, 'c-bob', BOB, `common words number ${i} in a message long enough to need pages`, i));
      await first.close();
      // Spoil the trigram index's leaf pages (not its root: the database still opens).
      const file = historyFile(dir, ACCOUNT);
      const probe = new Database(file, { readonly: true });
      const pageSize = probe.pragma('page_size', { simple: true }) as number;
      const leaves = probe.prepare("SELECT pageno FROM dbstat WHERE name = 'message_trigrams_data' AND pagetype = 'leaf'").all() as { pageno: number }[];
      probe.close();
      expect(leaves.length).toBeGreaterThan(3);
      const fd = openSync(file, 'r+');
      for (const { pageno } of leaves) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (pageno - 1) * pageSize);
      closeSync(fd);

      const damaged = await open(dir);
      expect(damaged.notices()).toEqual([]);
      await expect(damaged.search({ text: 'common words' })).rejects.toMatchObject({ code: 'history.unreadable' });
      expect(damaged.notices()).toEqual([{ kind: 'damaged', reason: expect.stringContaining('damaged') }]);
      await damaged.close();
      expect(existsSync(`${file}.damaged`)).toBe(true);

      const next = await open(dir);
      expect(next.notices()).toEqual([{ kind: 'started-anew', reason: expect.any(String), keptAs: expect.stringMatching(/^acct-1\.sqlite\.unreadable-\d+$/) }]);
      expect(existsSync(`${file}.damaged`)).toBe(false);
      expect(await next.listConversations()).toEqual({ conversations: [] });
    });

    it('keeps history in memory for the session, with a notice, when the file cannot be opened at all', async () => {
      const dir = tempDir();
      mkdirSync(historyFile(dir, ACCOUNT), { recursive: true });
      const store = await open(dir);
      expect(store.persistent).toBe(false);
      expect(store.notices()).toEqual([{ kind: 'memory-only', reason: expect.stringContaining('not a file') }]);
      await store.recordConversation(single('c-bob', BOB));
      await store.append(incoming('m', 'c-bob', BOB, 'still kept for now', 1));
      expect((await store.page('c-bob', { kind: 'newest' })).messages).toHaveLength(1);
      expect(statSync(historyFile(dir, ACCOUNT)).isDirectory()).toBe(true);
    });
  });

  describe('read only (the CLI)', () => {
    it('reads what is there, writes and settles nothing, and says when there is nothing', async () => {
      const dir = tempDir();
      await expect(open(dir, { readOnly: true })).rejects.toMatchObject({ code: 'history.not-found' });
      const app = await open(dir);
      await app.recordConversation(single('c-bob', BOB));
      await app.append(outgoing('q', 'c-bob', 'queued', 1));
      await app.close();
      const reader = await open(dir, { readOnly: true });
      expect((await reader.page('c-bob', { kind: 'newest' })).messages[0]).toMatchObject({ state: 'queued' });
      await expect(reader.append(incoming('x', 'c-bob', BOB, 'no', 2))).rejects.toMatchObject({ code: 'history.read-only' });
      await reader.close();
      writeFileSync(historyFile(dir, ACCOUNT), 'garbage '.repeat(100));
      rmSync(`${historyFile(dir, ACCOUNT)}-wal`, { force: true });
      await expect(open(dir, { readOnly: true })).rejects.toMatchObject({ code: 'history.unreadable' });
      expect(readFileSync(historyFile(dir, ACCOUNT), 'utf8')).toContain('garbage');
    });
  });
});
