import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountsError, defaultTestAccounts, loadAccountsFile, validateAccounts } from './accounts';
import { Directory } from './directory';
import { demoAccounts, DEMO_BOT_EMAIL } from './demo-bot';

describe('account specs', () => {
  it('default accounts: alice and bob on each other\'s FL/AL/RL, a group, a non-ASCII nickname', () => {
    const [alice, bob, carol] = defaultTestAccounts();
    expect([alice.email, alice.password, bob.email, bob.password, carol.email, carol.password]).toEqual([
      'alice@example.com', 'alicepass', 'bob@example.com', 'bobpass', 'carol@example.com', 'carolpass',
    ]);
    expect([...(alice.nickname ?? "")].some((ch) => (ch.codePointAt(0) ?? 0) > 0x7f)).toBe(true);
    expect(alice.groups?.some((g) => g.id !== 0)).toBe(true);
    expect(alice.contacts?.[0]).toMatchObject({ email: 'bob@example.com', lists: ['FL', 'AL', 'RL'] });
    expect(bob.contacts?.[0]).toMatchObject({ email: 'alice@example.com', lists: ['FL', 'AL', 'RL'] });
    expect(validateAccounts(defaultTestAccounts())).toHaveLength(3);
    expect(validateAccounts(demoAccounts()).map((a) => a.email)).toContain(DEMO_BOT_EMAIL);
  });

  const bad: [unknown, RegExp][] = [
    [{}, /expected a JSON array/],
    [[{ email: 'nope', password: 'x' }], /\[0\]\.email: not an e-mail/],
    [[{ email: 'a@b.c' }], /\[0\]\.password: required/],
    [[{ email: 'a@b.c', password: 'x' }, { email: 'A@b.c', password: 'y' }], /\[1\]\.email: duplicate/],
    [[{ email: 'a@b.c', password: 'x', gtc: 'Y' }], /gtc/],
    [[{ email: 'a@b.c', password: 'x', blp: 'XX' }], /blp/],
    [[{ email: 'a@b.c', password: 'x', contacts: [{ email: 'b@b.c', lists: ['ZL'] }] }], /contacts\[0\]\.lists/],
    [[{ email: 'a@b.c', password: 'x', contacts: [{ email: 'b@b.c', lists: ['AL', 'BL'] }] }], /exclude each other/],
    [[{ email: 'a@b.c', password: 'x', contacts: [{ email: 'b@b.c', lists: ['FL'], groups: [4] }] }], /groups/],
    [[{ email: 'a@b.c', password: 'x', groups: [{ id: -1, name: 'x' }] }], /groups\[0\]/],
    [[{ email: 'a@b.c', password: 'x', listVersion: 1.5 }], /listVersion/],
  ];
  for (const [value, message] of bad) {
    it(`rejects ${JSON.stringify(value)}`, () => {
      expect(() => validateAccounts(value)).toThrow(AccountsError);
      expect(() => validateAccounts(value)).toThrow(message);
    });
  }

  it('loads a file (array or { accounts }) and reports unreadable or invalid JSON clearly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'msn-accounts-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ accounts: [{ email: 'x@example.com', password: 'p', nickname: 'Ïx' }] }));
    expect(loadAccountsFile(good)[0].nickname).toBe('Ïx');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '[{');
    expect(() => loadAccountsFile(broken)).toThrow(/not valid JSON/);
    expect(() => loadAccountsFile(join(dir, 'missing.json'))).toThrow(/cannot read/);
  });
});

describe('Directory', () => {
  it('adds group 0, puts FL contacts without groups in it, and derives RL from the other side\'s FL', () => {
    const d = new Directory([
      { email: 'a@example.com', password: 'a', contacts: [{ email: 'b@example.com', lists: ['FL'] }] },
      { email: 'b@example.com', password: 'b' },
    ]);
    const a = d.get('A@example.com');
    const b = d.get('b@example.com');
    expect(a?.groups.get(0)).toBe('Other Contacts');
    expect([...(a?.contacts.get('b@example.com')?.groups ?? [])]).toEqual([0]);
    expect([...(b?.contacts.get('a@example.com')?.lists ?? [])]).toEqual(['RL']);
  });

  it('edits lists with versions and the documented error codes', () => {
    const d = new Directory(defaultTestAccounts());
    const alice = d.get('alice@example.com');
    if (!alice) throw new Error('no alice');
    expect(d.add(alice, 'FL', 'carol@example.com', 'Carol', undefined)).toEqual({ ok: true, version: 2 });
    expect(d.add(alice, 'FL', 'carol@example.com', 'Carol', 1)).toEqual({ ok: true, version: 3 });
    expect(d.remove(alice, 'FL', 'carol@example.com', 1)).toEqual({ ok: true, version: 4 });
    expect(d.remove(alice, 'FL', 'carol@example.com', 1)).toEqual({ ok: false, error: 225 });
    expect(d.add(alice, 'FL', 'bad-address', 'x', undefined)).toEqual({ ok: false, error: 201 });
    expect(d.add(alice, 'RL', 'carol@example.com', 'x', undefined)).toEqual({ ok: false, error: 201 });
    expect(d.remove(alice, 'AL', 'carol@example.com', undefined)).toEqual({ ok: false, error: 216 });
    expect(d.addGroup(alice, 'x'.repeat(62))).toEqual({ ok: false, error: 229 });
    expect(d.renameGroup(alice, 42, 'x')).toEqual({ ok: false, error: 224 });
    expect(d.rename(alice, 'nobody@example.com', 'x')).toEqual({ ok: false, error: 216 });
    expect(d.allows(alice, 'stranger@example.com')).toBe(true);
    d.setBlp(alice, 'BL');
    expect(d.allows(alice, 'stranger@example.com')).toBe(false);
    expect(d.allows(alice, 'bob@example.com')).toBe(true);
  });
});
