import { describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../src-shared/messenger-types';
import { ConnectionManager, type ConnectionManagerOptions } from './connection-manager';
import { FakeClock } from './testing/fake-clock';
import { createMemoryListCache } from './list-cache';
import { ScriptedTransportFactory, type ScriptedTransport } from './testing/scripted-transport';
import { defaultList, fakePassport, msnp8, type Msnp8Script } from './testing/fake-server-script';

const flush = async (n = 30) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

const timings = { connectTimeoutMs: 500, requestTimeoutMs: 500, passportTimeoutMs: 500, syncTimeoutMs: 1000, pingIntervalMs: 1000, pingTimeoutMs: 300 };

function setup(script: Msnp8Script | ((t: ScriptedTransport, i: number) => void) = {}, over: Partial<ConnectionManagerOptions> = {}) {
  const clock = new FakeClock();
  const factory = new ScriptedTransportFactory(typeof script === 'function' ? script : (t) => msnp8(t, script));
  const http = fakePassport('alicepass');
  const cache = createMemoryListCache();
  const manager = new ConnectionManager({
    email: 'alice@example.com',
    accountId: 'alice@example.com',
    transportFactory: factory,
    httpClient: http,
    clock,
    listCache: cache,
    server: { host: 'ns.test', port: 1863 },
    nexusUrl: 'https://nexus.test/rdr/pprdr.asp',
    answerChallenge: (c) => ({ productId: 'msmsgs@msnmsgr.com', answer: `${c}`.padEnd(32, '0').slice(0, 32) }),
    timings,
    backoff: { initialMs: 1000, maxMs: 8000, factor: 2, jitter: 0 },
    random: () => 0.5,
    ...over,
  });
  const states: ConnectionState[] = [];
  manager.onState((s) => states.push(s));
  return { clock, factory, http, cache, manager, states };
}

describe('ConnectionManager: sign-in and sync', () => {
  it('syncs the list, sends CHG with the client id, applies ILN after the CHG reply, and caches the list', async () => {
    const { manager, factory, states, cache } = setup({ afterChg: ['ILN {chg} AWY bob@example.com Bobby%20%E2%9C%BF 268435492'] });
    await manager.signIn('alicepass', 'BSY');
    await flush();
    const w = factory.last.written;
    expect(w).toContain('SYN 5 0');
    expect(w).toContain('CHG 6 BSY 0');
    expect(states.map((s) => (s.kind === 'connecting' ? s.step : s.kind))).toEqual(['connecting', 'negotiating', 'authenticating', 'passport', 'authenticating', 'syncing', 'connected']);
    const snap = manager.list.snapshot();
    expect(snap.version).toBe(7);
    expect(snap.groups.map((g) => g.name)).toEqual(['Other%20Contacts', 'Friends']);
    expect(manager.list.get('bob@example.com')).toMatchObject({ nickname: 'Bobby%20%E2%9C%BF', status: 'AWY', clientId: 268435492, groupIds: ['0', '1'], phones: { PHH: '555%20999' } });
    expect(manager.list.get('carol@example.com')).toMatchObject({ lists: { FL: false, AL: true, BL: false, RL: true } });
    await manager.flush();
    expect(cache.entries.get('alice@example.com')?.version).toBe(7);
    expect(manager.profile).toMatchObject({ status: 'BSY', nickname: 'Alice' });
  });

  it('skips the download when the cached version is current', async () => {
    const { manager, factory, cache } = setup({ override: (_l, f) => (f[0] === 'SYN' ? 'SYN {trid} 42' : undefined) });
    await cache.save('alice@example.com', {
      version: 42,
      protocol: 8,
      gtc: 'N',
      blp: 'BL',
      groups: [{ id: '0', name: 'Cached' }],
      contacts: [{ email: 'dave@example.com', nickname: 'Dave', lists: { FL: true, AL: true, BL: false, RL: false }, groupIds: ['0'], status: 'FLN', clientId: 0, phones: {} }],
      ownPhones: {},
    });
    await manager.signIn('alicepass');
    expect(factory.last.written).toContain('SYN 5 42');
    expect(manager.list.snapshot()).toMatchObject({ version: 42, gtc: 'N', groups: [{ name: 'Cached' }] });
    expect(manager.list.get('dave@example.com')).toBeDefined();
  });

  it('takes 500 contacts in 1-byte chunks with unsolicited NLN interleaved', async () => {
    const contacts = Array.from({ length: 500 }, (_, i) => `LST c${i}@example.com Nick%20${i}%20✿ 11 0`);
    const body = ['GTC A', 'BLP AL', 'LSG 0 Other%20Contacts 0'];
    contacts.forEach((l, i) => {
      // Presence for people already listed, and for people not listed yet: both must end up applied.
      if (i % 50 === 10) body.push(`NLN BSY c${i - 5}@example.com Early${i} 0`, `NLN AWY c${i + 5}@example.com Ahead${i} 0`);
      body.push(l);
    });
    const { manager, factory } = setup((t) =>
      msnp8(t, {
        override: (_l, f) => {
          if (f[0] !== 'SYN') return undefined;
          queueMicrotask(() => t.push([`SYN ${f[1]} 9 500 1`, ...body].map((l) => `${l}\r\n`).join(''), 1));
          return [];
        },
      }),
    );
    await manager.signIn('alicepass');
    expect(factory.last.written.some((l) => l.startsWith('CHG'))).toBe(true);
    expect(manager.list.contactCount).toBe(500);
    expect(manager.list.get('c5@example.com')).toMatchObject({ status: 'BSY', nickname: 'Early10' });
    expect(manager.list.get('c15@example.com')).toMatchObject({ status: 'AWY', nickname: 'Ahead10' });
    expect(manager.list.get('c499@example.com')?.nickname).toBe('Nick%20499%20✿');
  });

  it('handles MSNP7 list lines (TrID and version on every line, one LST per list)', async () => {
    const { manager } = setup((t) =>
      t.respond((_l, f) => {
        if (f[0] === 'VER') return 'VER {trid} MSNP7';
        if (f[0] === 'USR' && f[3] === 'I') return 'USR {trid} MD5 S salt';
        if (f[0] === 'USR') return 'USR {trid} OK alice@example.com alice@example.com';
        if (f[0] === 'SYN')
          return [
            'SYN {trid} 3',
            'LSG {trid} 3 1 1 0 Other%20Contacts 0',
            'LST {trid} FL 3 1 1 bob@example.com Bob 0',
            'LST {trid} AL 3 1 1 bob@example.com Bob',
            'LST {trid} BL 3 0 0',
            'LST {trid} RL 3 1 1 bob@example.com Bob',
            'GTC {trid} 3 N',
            'BLP {trid} 3 BL',
          ];
        if (f[0] === 'CHG') return `CHG {trid} ${f[2]}`;
        return undefined;
      }),
    );
    await manager.signIn('alicepass');
    expect(manager.list.snapshot()).toMatchObject({ version: 3, gtc: 'N', blp: 'BL', groups: [{ id: '0' }] });
    expect(manager.list.get('bob@example.com')).toMatchObject({ lists: { FL: true, AL: true, BL: false, RL: true }, groupIds: ['0'] });
  });
});

describe('ConnectionManager: presence and list management', () => {
  it('applies NLN/FLN and nickname changes from presence', async () => {
    const { manager, factory, clock } = setup();
    const seen: string[] = [];
    manager.onEvent((p) => p.type === 'presence' && seen.push(`${p.email} ${p.status} ${p.nickname}`));
    await manager.signIn('alicepass');
    factory.last.lines('NLN PHN bob@example.com Bob%20on%20phone 0', 'NLN IDL stranger@example.com S 0');
    await flush();
    clock.advance(100);
    factory.last.lines('FLN bob@example.com');
    await flush();
    expect(seen).toEqual(['bob@example.com PHN Bob%20on%20phone', 'bob@example.com FLN Bob%20on%20phone']);
    expect(manager.list.get('bob@example.com')?.nickname).toBe('Bob%20on%20phone');
  });

  it('coalesces presence per contact within the window: the latest state of each, once', async () => {
    const { manager, factory, clock } = setup({ list: [...defaultList.slice(0, -1), 'LST carol@example.com Carol 11 0'] });
    const seen: string[] = [];
    manager.onEvent((p) => p.type === 'presence' && seen.push(`${p.email} ${p.status}`));
    await manager.signIn('alicepass');
    await flush();
    // A flood: 100,000 lines in one read, alternating two contacts' states.
    const flood = Array.from({ length: 100_000 }, (_, i) => (i % 2 ? `NLN ${i % 4 === 1 ? 'AWY' : 'BSY'} carol@example.com Carol 0` : `NLN ${i % 4 === 0 ? 'IDL' : 'NLN'} bob@example.com Bob 0`));
    factory.last.lines(...flood, 'FLN bob@example.com');
    await flush();
    expect(seen).toEqual(['bob@example.com FLN', 'carol@example.com BSY']);
    expect(manager.list.get('carol@example.com')?.status).toBe('BSY');
    // A change inside the window that follows is reported at its end.
    factory.last.lines('NLN NLN bob@example.com Bob 0');
    await flush();
    clock.advance(99);
    expect(seen).toHaveLength(2);
    clock.advance(1);
    expect(seen.at(-1)).toBe('bob@example.com NLN');
  });

  it('keeps initial presence initial when it is coalesced with a change that follows it in the window', async () => {
    const { manager, factory, clock } = setup({ list: [...defaultList.slice(0, -1), 'LST carol@example.com Carol 11 0'] });
    const seen: string[] = [];
    manager.onEvent((p) => p.type === 'presence' && seen.push(`${p.email} ${p.status}${p.initial ? ' initial' : ''}`));
    await manager.signIn('alicepass');
    await flush();
    clock.advance(100);
    factory.last.lines('ILN 9 NLN bob@example.com Bob 0', 'NLN AWY bob@example.com Bob 0', 'NLN BSY carol@example.com Carol 0');
    await flush();
    clock.advance(100);
    factory.last.lines('NLN NLN bob@example.com Bob 0');
    await flush();
    clock.advance(100);
    expect(seen).toEqual(['bob@example.com AWY initial', 'carol@example.com BSY', 'bob@example.com NLN']);
  });

  it('drops presence not reported yet when the connection ends (everyone is offline then)', async () => {
    const { manager, factory, clock, states } = setup();
    const seen: string[] = [];
    manager.onEvent((p) => p.type === 'presence' && seen.push(`${p.email} ${p.status}`));
    await manager.signIn('alicepass');
    await flush();
    factory.last.lines('NLN NLN bob@example.com Bob 0');
    factory.last.serverClose();
    await flush();
    clock.advance(100);
    expect(seen).toEqual([]);
    expect(states.at(-1)?.kind).toBe('reconnecting');
    expect(manager.list.get('bob@example.com')?.status).toBe('FLN');
  });

  it('sets every status including idle and appear offline, and the nickname with REA', async () => {
    const { manager, factory } = setup({ override: (_l, f) => (f[0] === 'REA' ? `REA {trid} 8 ${f[2]} ${f[3]}` : undefined) });
    await manager.signIn('alicepass');
    for (const s of ['IDL', 'HDN', 'BRB', 'LUN', 'PHN', 'AWY', 'NLN'] as const) await manager.setStatus(s);
    expect(factory.last.written.filter((l) => l.startsWith('CHG')).map((l) => l.split(' ')[2])).toEqual(['NLN', 'IDL', 'HDN', 'BRB', 'LUN', 'PHN', 'AWY', 'NLN']);
    await manager.session().setNickname('Al%20%25');
    expect(factory.last.written).toContain('REA 14 alice@example.com Al%20%25');
    expect(manager.profile?.nickname).toBe('Al%20%25');
    expect(manager.list.version).toBe(8);
  });

  const listServer = (fail: (f: string[]) => string | undefined): Msnp8Script => ({
    override: (_l, f) => {
      const err = fail(f);
      if (err) return `${err} {trid}`;
      if (f[0] === 'ADD') return `ADD {trid} ${f[2]} 20 ${f[3]} ${f[4]}${f[5] ? ` ${f[5]}` : ''}`;
      if (f[0] === 'REM') return `REM {trid} ${f[2]} 21 ${f[3]}${f[4] ? ` ${f[4]}` : ''}`;
      if (f[0] === 'ADG') return `ADG {trid} 22 ${f[2]} 5 0`;
      if (f[0] === 'REG') return `REG {trid} 23 ${f[2]} ${f[3]} 0`;
      if (f[0] === 'RMG') return `RMG {trid} 24 ${f[2]}`;
      return undefined;
    },
  });

  it('performs every list operation', async () => {
    const { manager, factory } = setup(listServer(() => undefined));
    await manager.signIn('alicepass');
    const s = manager.session();
    await s.addContact('dave@example.com');
    expect(manager.list.get('dave@example.com')).toMatchObject({ lists: { FL: true, AL: true }, groupIds: ['0'] });
    await s.blockContact('dave@example.com');
    expect(manager.list.get('dave@example.com')?.lists).toMatchObject({ AL: false, BL: true });
    await s.unblockContact('dave@example.com');
    expect(manager.list.get('dave@example.com')?.lists).toMatchObject({ AL: true, BL: false });
    const id = await s.addGroup('New%20Group');
    expect(id).toBe('5');
    expect(manager.list.getGroup('5')?.name).toBe('New%20Group');
    await s.moveContact('dave@example.com', '0', '5');
    expect(manager.list.get('dave@example.com')?.groupIds).toEqual(['5']);
    await s.renameGroup('5', 'Renamed');
    expect(manager.list.getGroup('5')?.name).toBe('Renamed');
    await s.removeGroup('5');
    expect(manager.list.getGroup('5')).toBeUndefined();
    await s.removeContact('dave@example.com');
    expect(manager.list.get('dave@example.com')?.lists.FL).toBe(false);
    const sent = factory.last.written.filter((l) => /^(ADD|REM|ADG|REG|RMG) /.test(l)).map((l) => l.replace(/^(\w+) \d+/, '$1'));
    expect(sent).toEqual([
      'ADD FL dave@example.com dave@example.com 0',
      'ADD AL dave@example.com dave@example.com',
      'REM AL dave@example.com',
      'ADD BL dave@example.com dave@example.com',
      'REM BL dave@example.com',
      'ADD AL dave@example.com dave@example.com',
      'ADG New%20Group 0',
      'ADD FL dave@example.com dave@example.com 5',
      'REM FL dave@example.com 0',
      'REG 5 Renamed 0',
      'RMG 5',
      'REM FL dave@example.com',
    ]);
    // The script's fixed versions are not in order (a real server's only grow); the list keeps the highest seen.
    expect(manager.list.version).toBe(24);
  });

  it('rolls every list operation back on a server error', async () => {
    const { manager, factory } = setup(listServer((f) => (f[0] === 'ADD' && f[2] === 'BL') || f[0] === 'ADG' || f[0] === 'RMG' || f[0] === 'REG' || (f[0] === 'REM' && f[4] === '0') || (f[0] === 'ADD' && f[3] === 'nobody@example.com') ? '2' + '19' : undefined), { timings: { ...timings, listWindowMs: 0 } });
    await manager.signIn('alicepass');
    const s = manager.session();
    // The list version is the server's truth (undone steps move it on too); everything else must be as before.
    const withoutVersion = () => JSON.stringify({ ...manager.list.snapshot(), version: 0 });
    const before = withoutVersion();
    const changes: number[] = [];
    manager.onEvent((e) => e.type === 'contact-list' && changes.push(manager.list.contactCount));

    await expect(s.addContact('nobody@example.com')).rejects.toMatchObject({ code: 'server.219' });
    expect(manager.list.get('nobody@example.com')).toBeUndefined();
    expect(changes[0]).toBe(3); // the optimistic state was visible first

    await expect(s.blockContact('bob@example.com')).rejects.toMatchObject({ code: 'server.219' });
    // REM AL succeeded before ADD BL failed: it is undone on the server too.
    expect(factory.last.written.filter((l) => /^(ADD|REM) \d+ AL bob/.test(l)).map((l) => l.split(' ')[0])).toEqual(['REM', 'ADD']);

    await expect(s.addGroup('G')).rejects.toMatchObject({ code: 'server.219' });
    await expect(s.renameGroup('1', 'X')).rejects.toMatchObject({ code: 'server.219' });
    await expect(s.removeGroup('1')).rejects.toMatchObject({ code: 'server.219' });
    await expect(s.moveContact('bob@example.com', '0', '1')).rejects.toBeTruthy();
    expect(withoutVersion()).toBe(before);
  });

  it('asks about someone who added you (both ADD orders) and answers allow + add back', async () => {
    const { manager, factory } = setup(listServer(() => undefined));
    const asked: string[] = [];
    manager.onEvent((p) => p.type === 'added-you' && asked.push(`${p.email} ${p.nickname}`));
    await manager.signIn('alicepass');
    factory.last.lines('ADD 0 RL 30 eve@example.com Eve%20%', 'ADD 0 31 RL frank@example.com Frank', 'REM 0 RL 32 N=frank@example.com');
    expect(asked).toEqual(['eve@example.com Eve%20%', 'frank@example.com Frank']);
    expect(manager.list.get('frank@example.com')).toBeUndefined();
    expect(manager.list.version).toBe(32);
    await manager.session().answerAddedYou('eve@example.com', true, true);
    expect(manager.list.get('eve@example.com')?.lists).toEqual({ FL: true, AL: true, BL: false, RL: true });
    expect(factory.last.written.filter((l) => l.startsWith('ADD')).map((l) => l.split(' ').slice(2, 4).join(' '))).toEqual(['AL eve@example.com', 'FL eve@example.com']);
  });

  it('answers CHL with QRY and a 32-byte body', async () => {
    const { manager, factory } = setup();
    await manager.signIn('alicepass');
    factory.last.lines('CHL 0 22210219642164014968');
    const w = factory.last.written;
    const at = w.findIndex((l) => l.startsWith('QRY'));
    expect(w[at]).toMatch(/^QRY \d+ msmsgs@msnmsgr.com 32$/);
    expect(w[at + 1]).toBe('22210219642164014968000000000000');
  });
});

describe('ConnectionManager: staying in', () => {
  it('a stalled PNG makes it reconnect with backoff, a fresh ticket and a re-sync', async () => {
    const { manager, factory, clock, states, http } = setup({ override: (_l, f) => (f[0] === 'PNG' ? [] : undefined) });
    await manager.signIn('alicepass');
    clock.advance(1000); // PNG sent
    expect(factory.last.written).toContain('PNG');
    clock.advance(300); // no QNG
    await flush();
    expect(factory.connections[0].state).toBe('closed');
    expect(states.at(-1)).toMatchObject({ kind: 'reconnecting', attempt: 1, inSeconds: 1, error: { code: 'session.ping-timeout' } });
    expect(manager.list.get('bob@example.com')?.status).toBe('FLN');
    clock.advance(1000);
    await flush(60);
    expect(factory.connections).toHaveLength(2);
    expect(states.at(-1)).toMatchObject({ kind: 'connected' });
    expect(factory.last.written).toContain('SYN 5 7');
    // Two Passport logins: the ticket is single-use.
    expect(http.requests.filter((r) => r.url.includes('login2')).length).toBe(2);
  });

  it('a QNG keeps the connection; QNG n shortens the interval', async () => {
    const { manager, factory, clock, states } = setup({ override: (_l, f) => (f[0] === 'PNG' ? 'QNG 1' : undefined) });
    await manager.signIn('alicepass');
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await flush();
    }
    expect(factory.last.written.filter((l) => l === 'PNG').length).toBe(5);
    expect(states.at(-1)?.kind).toBe('connected');
  });

  it('a killed connection reconnects with growing delays until the server is back', async () => {
    let refuse = false;
    const { manager, factory, clock, states } = setup((t) => {
      if (refuse) throw Object.assign(new Error('refused'), { code: 'transport.refused' });
      msnp8(t);
    });
    await manager.signIn('alicepass');
    refuse = true;
    factory.last.serverClose();
    await flush();
    expect(states.at(-1)).toMatchObject({ kind: 'reconnecting', attempt: 1, inSeconds: 1 });
    clock.advance(1000);
    await flush();
    expect(states.at(-1)).toMatchObject({ kind: 'reconnecting', attempt: 2, inSeconds: 2 });
    refuse = false;
    clock.advance(2000);
    await flush(60);
    expect(states.at(-1)).toMatchObject({ kind: 'connected' });
  });

  it('OUT OTH: closes the connection itself, signs out with a reason, never reconnects', async () => {
    const { manager, factory, clock, states } = setup();
    await manager.signIn('alicepass');
    factory.last.lines('OUT OTH');
    await flush();
    expect(factory.last.state).toBe('closed');
    expect(states.at(-1)).toMatchObject({ kind: 'signed-out', reason: 'elsewhere', error: { code: 'session.signed-in-elsewhere' } });
    clock.advance(60_000);
    await flush();
    expect(factory.connections).toHaveLength(1);
  });

  it('OUT SSD: reconnects later', async () => {
    const { manager, factory, clock, states } = setup();
    await manager.signIn('alicepass');
    factory.last.lines('OUT SSD');
    await flush();
    expect(states.at(-1)).toMatchObject({ kind: 'reconnecting', error: { code: 'session.server-shutdown' } });
    clock.advance(1000);
    await flush(60);
    expect(factory.connections).toHaveLength(2);
  });

  it('a wrong password during a reconnect stops it with the reason', async () => {
    const { manager, factory, clock, states, http } = setup();
    await manager.signIn('alicepass');
    const original = http.request.bind(http);
    http.request = async (r) => (r.url.includes('login2') ? { status: 401, headers: {}, body: new Uint8Array() } : original(r));
    factory.last.serverClose();
    await flush();
    clock.advance(1000);
    await flush(60);
    expect(states.at(-1)).toMatchObject({ kind: 'signed-out', reason: 'error', error: { code: 'auth.wrong-password' } });
  });

  it('sign-out sends OUT and stays out', async () => {
    const { manager, factory, states } = setup();
    await manager.signIn('alicepass');
    manager.signOut();
    expect(factory.last.written.at(-1)).toBe('OUT');
    expect(factory.last.state).toBe('closed');
    expect(states.at(-1)).toMatchObject({ kind: 'signed-out', reason: 'user' });
    expect(() => manager.session()).toThrow(/not signed in/);
  });
});
