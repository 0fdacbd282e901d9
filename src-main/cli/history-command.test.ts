// `cli history` against a real history store in a temp data directory: what it prints, for which account, and what
// it refuses — with no password and no server anywhere.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileAccountRegistry } from '../service/account-registry';
import { historyFile, openHistoryStore } from '../storage/history/open-history';
import { incoming, outgoing, single } from '../storage/history/testing/history-fixtures';
import { main } from './main';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const SERVER = { host: '127.0.0.1', port: 1863 };
const BOB = 'bob@example.com';

async function seeded(): Promise<{ dataDir: string; accountId: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bf-cli-history-'));
  dirs.push(dataDir);
  const { id } = await openFileAccountRegistry(dataDir).resolve(SERVER, 'me@example.com');
  const store = await openHistoryStore({ dataDir, accountId: id });
  await store.recordConversation(single('c-bob', BOB, 'Bob%20%E2%9C%BF'));
  await store.append(incoming('m1', 'c-bob', BOB, 'Viele Grüße aus Köln', Date.UTC(2026, 0, 1, 12), { nickname: 'Bob%20%E2%9C%BF' }));
  await store.append(outgoing('m2', 'c-bob', 'he said "AND" then left', Date.UTC(2026, 0, 1, 12, 1), { state: 'delivered' }));
  await store.append(incoming('m3', 'c-bob', BOB, 'gruss \u001b]0;evil\u0007 zurück', Date.UTC(2026, 0, 1, 12, 2)));
  await store.recordConversation(single('c-carol', 'carol@example.com'));
  await store.append(incoming('x1', 'c-carol', 'carol@example.com', 'Grüße von Carol', Date.UTC(2026, 0, 1, 13)));
  await store.close();
  return { dataDir, accountId: id };
}

async function cli(dataDir: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main({ argv, env: { BUTTERFLY_DATA_DIR: dataDir }, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  const lines = stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  return { code, lines, stdout, stderr };
}

const account = ['--email', 'me@example.com', '--server', '127.0.0.1:1863'];

describe('cli history', () => {
  it('prints the newest messages with a contact as JSON lines, oldest first, names decoded, without a password', async () => {
    const { dataDir } = await seeded();
    const all = await cli(dataDir, 'history', 'Bob@Example.com', ...account);
    expect(all.code).toBe(0);
    expect(all.stderr).toBe('');
    expect(all.lines.map((l) => l.id)).toEqual(['m1', 'm2', 'm3']);
    expect(all.lines[0]).toMatchObject({ time: '2026-01-01T12:00:00.000Z', direction: 'in', from: BOB, nickname: 'Bob ✿', text: 'Viele Grüße aus Köln', participants: [BOB] });
    expect(all.lines[1]).toMatchObject({ direction: 'out', state: 'delivered', text: 'he said "AND" then left' });
    // A control character in stored text reaches the terminal escaped, and the line is still JSON.
    expect(all.stdout).not.toContain('\u001b');
    expect(all.lines[2].text).toBe('gruss \u001b]0;evil\u0007 zurück');
    const last = await cli(dataDir, 'history', BOB, ...account, '--limit', '2');
    expect(last.lines.map((l) => l.id)).toEqual(['m2', 'm3']);
  });

  it('--search prints the matches with that contact, newest first, with their offsets, operators taken literally', async () => {
    const { dataDir } = await seeded();
    const found = await cli(dataDir, 'history', BOB, ...account, '--search', 'grüsse');
    expect(found.lines).toEqual([]);
    const folded = await cli(dataDir, 'history', BOB, ...account, '--search', 'GRÜ');
    expect(folded.lines.map((l) => [l.id, l.matches])).toEqual([
      ['m3', [{ start: 0, end: 3 }]],
      ['m1', [{ start: 6, end: 9 }]],
    ]);
    const literal = await cli(dataDir, 'history', BOB, ...account, '--search', '"AND"', '--limit', '5');
    expect(literal.lines.map((l) => l.id)).toEqual(['m2']);
  });

  it('reads only the account asked for, and says so on stderr when there is nothing — creating nothing', async () => {
    const { dataDir } = await seeded();
    const registry = readFileSync(join(dataDir, 'accounts.json'), 'utf8');
    const otherServer = await cli(dataDir, 'history', BOB, '--email', 'me@example.com', '--server', 'other.example:1863');
    expect(otherServer).toMatchObject({ code: 0, lines: [], stderr: expect.stringContaining('has not been used') });
    const stranger = await cli(dataDir, 'history', 'nobody@example.com', ...account);
    expect(stranger).toMatchObject({ code: 0, lines: [], stderr: expect.stringContaining('no messages with nobody@example.com') });
    expect(readFileSync(join(dataDir, 'accounts.json'), 'utf8')).toBe(registry);

    const fresh = mkdtempSync(join(tmpdir(), 'bf-cli-history-'));
    dirs.push(fresh);
    const { id } = await openFileAccountRegistry(fresh).resolve(SERVER, 'me@example.com');
    const none = await cli(fresh, 'history', BOB, ...account);
    expect(none).toMatchObject({ code: 0, lines: [], stderr: expect.stringContaining('no history is stored') });
    expect(existsSync(historyFile(fresh, id))).toBe(false);
  });

  it('reports a history it cannot read without touching it', async () => {
    const { dataDir, accountId } = await seeded();
    rmSync(historyFile(dataDir, accountId));
    rmSync(`${historyFile(dataDir, accountId)}-wal`, { force: true });
    writeFileSync(historyFile(dataDir, accountId), 'not a database '.repeat(100));
    const broken = await cli(dataDir, 'history', BOB, ...account);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('[history.unreadable]');
    expect(readFileSync(historyFile(dataDir, accountId), 'utf8')).toContain('not a database');
  });

  it('refuses what it cannot take', async () => {
    const { dataDir } = await seeded();
    for (const argv of [
      ['history', ...account],
      ['history', BOB, 'carol@example.com', ...account],
      ['history', BOB, ...account, '--limit', '0'],
      ['history', BOB, ...account, '--limit', 'lots'],
      ['history', BOB, ...account, '--search'],
      ['contacts', ...account, '--search', 'x'],
      ['history', BOB, '--email', 'me@example.com', '--server', 'bad host:x'],
    ]) {
      const run = await cli(dataDir, ...argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.lines).toEqual([]);
    }
  });
});
