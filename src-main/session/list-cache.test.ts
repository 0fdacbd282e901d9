import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileListCache } from './list-cache';
import type { ContactListSnapshot } from '../../src-shared/messenger-types';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'bf-cache-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const list: ContactListSnapshot = {
  version: 42,
  gtc: 'N',
  blp: 'BL',
  groups: [{ id: '0', name: 'Other%20Contacts' }],
  contacts: [
    { email: 'bob@example.com', nickname: 'Bob%20✿%', lists: { FL: true, AL: true, BL: false, RL: true }, groupIds: ['0'], status: 'AWY', clientId: 5, phones: { PHH: '555' } },
  ],
  ownPhones: { PHM: '1' },
};
const ALICE = `${encodeURIComponent('alice@example.com')}.json`;
const fileText = (over: (file: { format: number; list: Record<string, unknown> }) => void) => {
  const file = { format: 1, list: structuredClone(list) as unknown as Record<string, unknown> };
  over(file);
  return JSON.stringify(file);
};
const unreadable = (dir: string) => readdirSync(dir).filter((f) => f.includes('.unreadable-'));

describe('file list cache', () => {
  it('round-trips per account, case-insensitively, without presence', async () => {
    const dir = tempDir();
    const cache = createFileListCache(join(dir, 'lists'));
    await cache.save('Alice@Example.com', list);
    const back = await cache.load('alice@example.com');
    expect(back?.version).toBe(42);
    expect(back?.contacts[0]).toMatchObject({ nickname: 'Bob%20✿%', status: 'FLN', clientId: 0, phones: { PHH: '555' } });
    expect(await cache.load('carol@example.com')).toBeUndefined();
  });

  it('sets an unreadable cache aside instead of failing or deleting it', async () => {
    const dir = tempDir();
    const cache = createFileListCache(dir);
    writeFileSync(join(dir, ALICE), '{"format":1,"list":{"version":"x"}}');
    expect(await cache.load('alice@example.com')).toBeUndefined();
    expect(unreadable(dir)).toHaveLength(1);
    expect(readFileSync(join(dir, unreadable(dir)[0]), 'utf8')).toBe('{"format":1,"list":{"version":"x"}}');
  });

  it.each<[string, (file: { format: number; list: Record<string, unknown> }) => void]>([
    ['lists: null', (f) => ((f.list.contacts as Record<string, unknown>[])[0].lists = null)],
    ['a number among the groupIds', (f) => ((f.list.contacts as Record<string, unknown>[])[0].groupIds = ['0', 1])],
    ['version 1e21', (f) => (f.list.version = 1e21)],
    ['a negative version', (f) => (f.list.version = -1)],
    ['a fractional clientId', (f) => ((f.list.contacts as Record<string, unknown>[])[0].clientId = 1.5)],
    ['an unknown key', (f) => (f.list.extra = true)],
    ['an unknown status', (f) => ((f.list.contacts as Record<string, unknown>[])[0].status = 'XXX')],
    ['a 40 KiB nickname', (f) => ((f.list.contacts as Record<string, unknown>[])[0].nickname = 'n'.repeat(40 * 1024))],
    ['an empty group id', (f) => ((f.list.groups as Record<string, unknown>[])[0].id = '')],
    ['format 2', (f) => (f.format = 2)],
  ])('refuses %s: the list is fetched anew, the file kept aside', async (_name, spoil) => {
    const dir = tempDir();
    writeFileSync(join(dir, ALICE), fileText(spoil));
    expect(await createFileListCache(dir).load('alice@example.com')).toBeUndefined();
    expect(unreadable(dir)).toHaveLength(1);
    expect(existsSync(join(dir, ALICE))).toBe(false);
  });

  it('does not save what it would refuse to read, and drops the stale file instead', async () => {
    const dir = tempDir();
    const cache = createFileListCache(dir);
    await cache.save('alice@example.com', list);
    await cache.save('alice@example.com', { ...list, version: 1e21 });
    expect(readdirSync(dir)).toEqual([]);
    expect(await cache.load('alice@example.com')).toBeUndefined();
  });

  it('keeps only the last three unreadable copies', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bob%40example.com.json.unreadable-5'), 'another account');
    let now = 1_000;
    for (let i = 0; i < 6; i++) {
      writeFileSync(join(dir, ALICE), `broken ${i}`);
      // The same clock reading twice: the second copy takes the next free name instead of replacing the first.
      if (i !== 4) now += 10;
      await createFileListCache(dir, { now: () => now }).load('alice@example.com');
    }
    const kept = unreadable(dir).filter((f) => f.startsWith('alice')).sort();
    expect(kept).toEqual([`${ALICE}.unreadable-1040`, `${ALICE}.unreadable-1041`, `${ALICE}.unreadable-1050`]);
    expect(kept.map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(['broken 3', 'broken 4', 'broken 5']);
    expect(existsSync(join(dir, 'bob%40example.com.json.unreadable-5'))).toBe(true);
  });

  it('a directory in place of the cache file: set aside on load, and no stray .tmp when saving onto one', async () => {
    const dir = tempDir();
    const cache = createFileListCache(dir);
    mkdirSync(join(dir, ALICE));
    expect(await cache.load('alice@example.com')).toBeUndefined();
    expect(unreadable(dir)).toHaveLength(1);
    await cache.save('alice@example.com', list);
    expect((await cache.load('alice@example.com'))?.version).toBe(42);

    mkdirSync(join(dir, 'bob%40example.com.json', 'inside'), { recursive: true });
    await expect(cache.save('bob@example.com', list)).rejects.toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a file over the size cap is set aside without being read', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, ALICE), fileText(() => undefined));
    expect(await createFileListCache(dir, { maxBytes: 100 }).load('alice@example.com')).toBeUndefined();
    expect(unreadable(dir)).toHaveLength(1);
  });

  it('makes lists/ private (0700), and closes one an older version left readable by everyone', async () => {
    const dir = tempDir();
    const lists = join(dir, 'lists');
    await createFileListCache(lists).save('alice@example.com', list);
    expect(statSync(lists).mode & 0o777).toBe(0o700);
    expect(statSync(join(lists, ALICE)).mode & 0o777).toBe(0o600);
    chmodSync(lists, 0o755);
    await createFileListCache(lists).load('alice@example.com');
    expect(statSync(lists).mode & 0o777).toBe(0o700);
  });
});
