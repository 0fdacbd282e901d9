// The account registry on real files: ids fixed at first use and found again by the next run, (server, address) as
// the key, an unreadable accounts.json set aside, and an older Butterfly's list caches (named by address alone)
// moved once to the configured server's accounts.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileListCache } from '../session/list-cache';
import { createMemoryAccountRegistry, openFileAccountRegistry } from './account-registry';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'bf-accounts-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const live = { host: 'm1.escargot.chat', port: 1863 };
const test = { host: '127.0.0.1', port: 40001 };
const list = (version: number) => ({ format: 1, list: { version, gtc: 'A', blp: 'AL', groups: [], contacts: [], ownPhones: {} } });

describe('account registry', () => {
  it('gives (server, address) a stable id: the same one again, in this run and the next; another server is another account', async () => {
    const dir = tempDir();
    const first = openFileAccountRegistry(dir);
    const alice = await first.resolve(live, 'alice@example.com');
    expect(alice).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), server: live, email: 'alice@example.com' });
    expect((await first.resolve({ host: 'M1.Escargot.Chat', port: 1863 }, 'Alice@Example.com')).id).toBe(alice.id);
    const elsewhere = await first.resolve(test, 'alice@example.com');
    expect(elsewhere.id).not.toBe(alice.id);
    expect((await first.resolve({ ...live, port: 1864 }, 'alice@example.com')).id).not.toBe(alice.id);

    const next = openFileAccountRegistry(dir);
    expect((await next.resolve(live, 'alice@example.com')).id).toBe(alice.id);
    expect((await next.resolve(test, 'alice@example.com')).id).toBe(elsewhere.id);
    expect(JSON.parse(readFileSync(join(dir, 'accounts.json'), 'utf8'))).toMatchObject({ format: 1, accounts: expect.arrayContaining([alice, elsewhere]) });
  });

  it('answers concurrent first uses of one account with one id', async () => {
    const registry = openFileAccountRegistry(tempDir());
    const ids = await Promise.all(Array.from({ length: 5 }, () => registry.resolve(live, 'bob@example.com').then((r) => r.id)));
    expect(new Set(ids).size).toBe(1);
    const memory = createMemoryAccountRegistry();
    expect((await memory.resolve(live, 'bob@example.com')).id).toBe((await memory.resolve(live, 'BOB@example.com')).id);
  });

  it("keeps an account's own settings with it: keep-no-history saved, found by the next run, back to the default when on again", async () => {
    const dir = tempDir();
    const registry = openFileAccountRegistry(dir);
    const alice = await registry.resolve(live, 'alice@example.com');
    const bob = await registry.resolve(live, 'bob@example.com');
    expect(await registry.update(alice.id, { keepHistory: false })).toEqual({ ...alice, keepHistory: false });
    const next = openFileAccountRegistry(dir);
    expect(await next.resolve(live, 'alice@example.com')).toEqual({ ...alice, keepHistory: false });
    expect(await next.find(live, 'bob@example.com')).toEqual(bob);
    expect(await next.update(alice.id, { keepHistory: true })).toEqual(alice);
    expect(JSON.parse(readFileSync(join(dir, 'accounts.json'), 'utf8')).accounts).toEqual([alice, bob]);
    await expect(next.update('nobody', { keepHistory: false })).rejects.toMatchObject({ code: 'service.unknown-account' });
    const memory = createMemoryAccountRegistry();
    const carol = await memory.resolve(live, 'carol@example.com');
    await memory.update(carol.id, { keepHistory: false });
    expect(await memory.resolve(live, 'carol@example.com')).toEqual({ ...carol, keepHistory: false });
  });

  it('keeps an account’s highest protocol version across runs, and lifts it with null', async () => {
    const dir = tempDir();
    const registry = openFileAccountRegistry(dir);
    const alice = await registry.resolve(live, 'alice@example.com');
    expect(await registry.update(alice.id, { maxVersion: 9 })).toEqual({ ...alice, maxVersion: 9 });
    const next = openFileAccountRegistry(dir);
    expect(await next.resolve(live, 'alice@example.com')).toEqual({ ...alice, maxVersion: 9 });
    expect(await next.update(alice.id, { maxVersion: null })).toEqual(alice);
    // A hand-edited file with a version Butterfly does not speak is unreadable as a whole, as any other damage.
    writeFileSync(join(dir, 'accounts.json'), JSON.stringify({ format: 1, accounts: [{ ...alice, maxVersion: 13 }] }));
    expect((await openFileAccountRegistry(dir, { now: () => 1 }).resolve(live, 'alice@example.com')).id).not.toBe(alice.id);
  });

  it('sets an unreadable accounts.json aside and starts afresh', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'accounts.json'), '{"format":1,"accounts":[{"id":"../../etc","server":{"host":"h","port":1},"email":"a@b.c"}]}');
    const registry = openFileAccountRegistry(dir, { now: () => 1234 });
    const alice = await registry.resolve(live, 'alice@example.com');
    expect(alice.id).not.toBe('../../etc');
    expect(readdirSync(dir).sort()).toEqual(['accounts.json', 'accounts.json.unreadable-1234']);
  });

  it("moves an older Butterfly's list caches to the configured server's accounts, once, and never over an account's own", async () => {
    const dir = tempDir();
    const lists = join(dir, 'lists');
    mkdirSync(lists);
    writeFileSync(join(lists, `${encodeURIComponent('alice@example.com')}.json`), JSON.stringify(list(42)));
    writeFileSync(join(lists, `${encodeURIComponent('bob@example.com')}.json`), JSON.stringify(list(7)));
    writeFileSync(join(lists, 'notes.txt'), 'not a cache');
    // bob already has a cache under his account's id (a newer Butterfly ran): it stays, and his old one goes.
    const setUp = openFileAccountRegistry(dir);
    const bobId = (await setUp.resolve(test, 'bob@example.com')).id;
    writeFileSync(join(lists, `${bobId}.json`), JSON.stringify(list(9)));

    const registry = openFileAccountRegistry(dir, { legacyListCaches: { dir: lists, server: test } });
    const alice = await registry.resolve(test, 'alice@example.com');
    const cache = createFileListCache(lists);
    expect((await cache.load(alice.id))?.version).toBe(42);
    expect((await cache.load(bobId))?.version).toBe(9);
    expect(existsSync(join(lists, `${encodeURIComponent('alice@example.com')}.json`))).toBe(false);
    expect(existsSync(join(lists, `${encodeURIComponent('bob@example.com')}.json`))).toBe(false);
    expect(existsSync(join(lists, 'notes.txt'))).toBe(true);
    // The same address on another server is another account, without the old cache.
    expect(await cache.load((await registry.resolve(live, 'alice@example.com')).id)).toBeUndefined();
    // The next run, whatever server is configured then, finds nothing left to move, and the same ids.
    const again = openFileAccountRegistry(dir, { legacyListCaches: { dir: lists, server: live } });
    expect((await again.resolve(test, 'alice@example.com')).id).toBe(alice.id);
    expect(await cache.load((await again.resolve(live, 'bob@example.com')).id)).toBeUndefined();
    expect((await cache.load(alice.id))?.version).toBe(42);
  });
});
