import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
    writeFileSync(join(dir, `${encodeURIComponent('alice@example.com')}.json`), '{"format":1,"list":{"version":"x"}}');
    expect(await cache.load('alice@example.com')).toBeUndefined();
    expect(readdirSync(dir).some((f) => f.includes('.unreadable-'))).toBe(true);
  });
});
