// What a server can push at the session, and the bounds that hold: list changes coalesced (one snapshot per window,
// one cache write at a time), the unsolicited-change budget, the list-size limit, the "added you" prompt once per
// person per sign-in, stray lines, oversized payloads, and reconnects that keep failing the same way. Memory is
// checked through counts (snapshots taken, writes in flight), time through a manual clock.
import { describe, expect, it } from 'vitest';
import type { ConnectionState, ContactListSnapshot } from '../../src-shared/messenger-types';
import { TransportError } from '../transport/transport-error';
import { ConnectionManager, type ConnectionManagerOptions } from './connection-manager';
import { createMemoryListCache, type ListCache } from './list-cache';
import { DEFAULT_LIST_LIMITS } from './notification-session';
import { FakeClock } from './testing/fake-clock';
import { fakePassport, msnp8, type Msnp8Script } from './testing/fake-server-script';
import { ScriptedTransportFactory, type ScriptedTransport } from './testing/scripted-transport';

const settle = async (n = 40) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

/** A cache whose writes finish only when the test says so, counting how many run at once. */
function slowCache(): ListCache & { saves: number; inFlight: number; maxInFlight: number; finishAll(): void; last?: ContactListSnapshot } {
  const inner = createMemoryListCache();
  const waiting: (() => void)[] = [];
  const cache = {
    saves: 0,
    inFlight: 0,
    maxInFlight: 0,
    last: undefined as ContactListSnapshot | undefined,
    load: inner.load,
    async save(email: string, snapshot: ContactListSnapshot) {
      cache.saves++;
      cache.inFlight++;
      cache.maxInFlight = Math.max(cache.maxInFlight, cache.inFlight);
      await new Promise<void>((resolve) => waiting.push(resolve));
      cache.last = snapshot;
      cache.inFlight--;
      await inner.save(email, snapshot);
    },
    finishAll() {
      for (const w of waiting.splice(0)) w();
    },
  };
  return cache;
}

const contacts = (n: number, bits = 11) => Array.from({ length: n }, (_, i) => `LST c${i}@example.com C${i} ${bits} 0`);
const listOf = (lines: string[]) => ['GTC A', 'BLP AL', 'LSG 0 Other%20Contacts 0', ...lines];

function setup(script: Msnp8Script | ((t: ScriptedTransport, i: number) => void) = {}, over: Partial<ConnectionManagerOptions> = {}) {
  const clock = new FakeClock();
  const factory = new ScriptedTransportFactory(typeof script === 'function' ? script : (t) => msnp8(t, script));
  const manager = new ConnectionManager({
    email: 'alice@example.com',
    accountId: 'alice@example.com',
    transportFactory: factory,
    httpClient: fakePassport('alicepass'),
    clock,
    listCache: createMemoryListCache(),
    server: { host: 'ns.test', port: 1863 },
    nexusUrl: 'https://nexus.test/rdr/pprdr.asp',
    answerChallenge: () => ({ productId: 'msmsgs@msnmsgr.com', answer: '0'.repeat(32) }),
    timings: { requestTimeoutMs: 5_000, syncTimeoutMs: 5_000, pingIntervalMs: 3_600_000, listWindowMs: 100, presenceWindowMs: 100, stableConnectionMs: 60_000 },
    backoff: { initialMs: 1000, maxMs: 8000, factor: 2, jitter: 0 },
    random: () => 0.5,
    ...over,
  });
  const states: ConnectionState[] = [];
  const lists: ContactListSnapshot[] = [];
  const asked: string[] = [];
  manager.onState((s) => states.push(s));
  manager.onEvent((e) => e.type === 'contact-list' && lists.push(e.list));
  manager.onEvent((p) => p.type === 'added-you' && asked.push(p.email));
  return { clock, factory, manager, states, lists, asked };
}

/** `ADD 0 RL v email nick` / `REM 0 RL v email` toggles for the given people, version counting up from `from`. */
function toggles(count: number, people: number, from: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const who = `c${i % people}@example.com`;
    // Everyone starts on RL (bits 11): the first change of each person removes, the next adds back, and so on.
    return Math.floor(i / people) % 2 === 0 ? `REM 0 RL ${from + i} ${who}` : `ADD 0 RL ${from + i} ${who} C${i % people}`;
  });
}

describe('list changes are coalesced', () => {
  it('600 contacts and 10,000 toggles: a snapshot per window, one cache write at a time, every change applied', async () => {
    const cache = slowCache();
    const { manager, factory, clock, lists } = setup({ list: listOf(contacts(600)), listVersion: 7 }, { listCache: cache });
    await manager.signIn('alicepass');
    await settle();
    const before = lists.length;
    // Ten reads of 1,000 changes, 10 ms apart, while the cache is slow to write.
    const changes = toggles(10_000, 600, 8);
    for (let i = 0; i < 10; i++) {
      factory.last.lines(...changes.slice(i * 1000, (i + 1) * 1000));
      await settle();
      clock.advance(10);
    }
    clock.advance(100);
    await settle();
    // 100 ms of changes, a 100 ms window: the first read's snapshot at once, the rest folded into one more.
    expect(lists.length - before).toBeLessThanOrEqual(2);
    expect(cache.maxInFlight).toBe(1);
    expect(cache.saves).toBeLessThanOrEqual(2);
    cache.finishAll();
    await settle();
    cache.finishAll();
    const done = manager.flush();
    cache.finishAll();
    await done;
    const final = lists.at(-1)!;
    expect(final.version).toBe(8 + 9_999);
    expect(cache.last?.version).toBe(8 + 9_999);
    // 10,000 = 16 full rounds of 600 plus 400: the first 400 people end off RL (an even number of changes... odd: 17).
    const onRl = (c: ContactListSnapshot['contacts'][number]) => c.lists.RL;
    const rlIndex = (i: number) => Math.floor(10_000 / 600) + (i < 10_000 % 600 ? 1 : 0);
    for (const i of [0, 399, 400, 599]) {
      const c = final.contacts.find((x) => x.email === `c${i}@example.com`)!;
      expect(onRl(c)).toBe(rlIndex(i) % 2 === 0);
    }
    expect(manager.state.kind).toBe('connected');
  });

  it('flush() hands out what is waiting at once', async () => {
    const { manager, factory, lists } = setup();
    await manager.signIn('alicepass');
    await settle();
    factory.last.lines('ADD 0 RL 8 zed@example.com Zed');
    await settle();
    factory.last.lines('ADD 0 RL 9 amy@example.com Amy');
    const before = lists.length;
    await manager.flush();
    expect(lists.length).toBe(before + 1);
    expect(lists.at(-1)!.contacts.map((c) => c.email)).toContain('amy@example.com');
  });
});

describe('the "added you" prompt', () => {
  it('is asked once per person per sign-in, however often the server toggles them', async () => {
    const { manager, factory, asked } = setup();
    await manager.signIn('alicepass');
    const flips = Array.from({ length: 200 }, (_, i) => (i % 2 ? `REM 0 RL ${8 + i} eve@example.com` : `ADD 0 RL ${8 + i} eve@example.com Eve`));
    factory.last.lines(...flips);
    expect(asked).toEqual(['eve@example.com']);
    manager.signOut();
    await manager.signIn('alicepass');
    factory.last.lines('ADD 0 RL 300 eve@example.com Eve');
    expect(asked).toEqual(['eve@example.com', 'eve@example.com']);
  });
});

describe('the unsolicited-change budget', () => {
  const { burst, perSecond } = DEFAULT_LIST_LIMITS.unsolicitedChanges;

  it(`lets a burst of ${burst} through, refills at ${perSecond}/s, and ends a flood past it as a garbled stream`, async () => {
    const { manager, factory, clock, states } = setup();
    await manager.signIn('alicepass');
    const adds = Array.from({ length: burst + perSecond + 1 }, (_, i) => `ADD 0 RL ${8 + i} p${i}@example.com P${i}`);
    factory.last.lines(...adds.slice(0, burst));
    expect(manager.state.kind).toBe('connected');
    clock.advance(1000);
    factory.last.lines(...adds.slice(burst, burst + perSecond));
    expect(manager.state.kind).toBe('connected');
    expect(manager.list.contactCount).toBe(2 + burst + perSecond);
    factory.last.lines(adds[burst + perSecond]);
    await settle();
    expect(factory.connections[0].closedWith).toEqual({ abort: true });
    expect(states.at(-1)).toMatchObject({ kind: 'reconnecting', error: { code: 'session.garbled-stream', message: expect.stringContaining(`more than ${burst.toLocaleString('en-US')} contact-list changes`) } });
  });

  it('does not count the changes you make yourself, nor the download', async () => {
    const { manager, factory } = setup(
      { list: listOf(contacts(50)), override: (_l, f) => (f[0] === 'ADD' ? `ADD {trid} ${f[2]} 9 ${f[3]} ${f[4]}${f[5] ? ` ${f[5]}` : ''}` : undefined) },
      { limits: { unsolicitedChanges: { burst: 3, perSecond: 0 } } },
    );
    await manager.signIn('alicepass');
    for (let i = 0; i < 5; i++) await manager.session().addContact(`me${i}@example.com`);
    factory.last.lines('ADD 0 RL 20 a@example.com A', 'ADD 0 RL 21 b@example.com B', 'ADD 0 RL 22 c@example.com C');
    expect(manager.state.kind).toBe('connected');
    factory.last.lines('ADD 0 RL 23 d@example.com D');
    await settle();
    expect(manager.state.kind).toBe('reconnecting');
  });
});

describe('the list-size limit', () => {
  const max = DEFAULT_LIST_LIMITS.maxContacts;

  it(`a SYN announcing 100,000 contacts (more than ${max}) ends the sign-in with "list too large" before any download`, async () => {
    const { manager, factory } = setup({ override: (_l, f) => (f[0] === 'SYN' ? 'SYN {trid} 9 100000 1' : undefined) });
    await expect(manager.signIn('alicepass')).rejects.toMatchObject({
      code: 'session.list-too-large',
      retryable: false,
      message: `Your contact list is too large: it has 100,000 contacts, and Butterfly handles at most ${max.toLocaleString('en-US')}.`,
    });
    expect(manager.state).toMatchObject({ kind: 'signed-out', reason: 'error', error: { code: 'session.list-too-large' } });
    expect(factory.last.closedWith).toEqual({ abort: true });
  });

  it(`a server that sends more than it announced is stopped at ${max} + 1 contacts`, async () => {
    const { manager, states } = setup({ override: (_l, f) => (f[0] === 'SYN' ? [`SYN ${f[1]} 9 ${max} 1`, ...listOf(contacts(max + 5))] : undefined) });
    await manager.signIn('alicepass').catch(() => undefined);
    await settle();
    expect(states.at(-1)).toMatchObject({ kind: 'signed-out', error: { code: 'session.list-too-large', message: expect.stringContaining(`more than ${max.toLocaleString('en-US')} contacts`) } });
  });

  it('a download without counts (MSNP2–7) is stopped at the limit + 1, and the list from before it is kept', async () => {
    const cached = { version: 3, gtc: 'A' as const, blp: 'AL' as const, groups: [], contacts: [], ownPhones: {} };
    const cache = createMemoryListCache();
    await cache.save('alice@example.com', { ...cached, contacts: [{ email: 'old@example.com', nickname: 'Old', lists: { FL: true, AL: true, BL: false, RL: false }, groupIds: [], status: 'FLN', clientId: 0, phones: {} }] });
    const { manager } = setup(
      (t) =>
        t.respond((_l, f) => {
          if (f[0] === 'VER') return 'VER {trid} MSNP7';
          if (f[0] === 'USR' && f[3] === 'I') return 'USR {trid} MD5 S salt';
          if (f[0] === 'USR') return 'USR {trid} OK alice@example.com alice@example.com';
          if (f[0] === 'SYN') return ['SYN {trid} 4', ...Array.from({ length: 200 }, (_, i) => `LST {trid} FL 4 ${i + 1} 1000 c${i}@example.com C${i} 0`)];
          return undefined;
        }),
      { listCache: cache, limits: { maxContacts: 100 } },
    );
    await expect(manager.signIn('alicepass')).rejects.toMatchObject({ code: 'session.list-too-large', message: expect.stringContaining('more than 100 contacts') });
    expect(manager.list.snapshot().contacts.map((c) => c.email)).toEqual(['old@example.com']);
  });

  it('a list that grows past the limit while signed in signs out for good, not in a reconnect loop', async () => {
    const { manager, factory, clock, states } = setup({ list: listOf(contacts(5)) }, { limits: { maxContacts: 6 } });
    await manager.signIn('alicepass');
    factory.last.lines('ADD 0 RL 8 one@example.com One', 'ADD 0 RL 9 two@example.com Two');
    await settle();
    expect(states.at(-1)).toMatchObject({ kind: 'signed-out', reason: 'error', error: { code: 'session.list-too-large', retryable: false } });
    clock.advance(60_000);
    await settle();
    expect(factory.connections).toHaveLength(1);
  });

  it('presence held back during a download is bounded by the same limit', async () => {
    const { manager } = setup(
      (t) =>
        msnp8(t, {
          override: (_l, f) => {
            if (f[0] !== 'SYN') return undefined;
            // 1,000 NLN for strangers in the middle of the download, then the list.
            return [`SYN ${f[1]} 9 3 1`, 'GTC A', 'NLN BSY c2@example.com Two 0', ...Array.from({ length: 1000 }, (_, i) => `NLN NLN s${i}@example.com S 0`), 'LSG 0 G 0', ...contacts(3)];
          },
        }),
      { limits: { maxContacts: 10 } },
    );
    await manager.signIn('alicepass');
    expect(manager.list.get('c2@example.com')).toMatchObject({ status: 'BSY', nickname: 'Two' });
    expect(manager.list.contactCount).toBe(3);
  });
});

describe('stray lines (no command)', () => {
  it('a nickname with a raw CR/LF in the list download: the contact is kept whole, nobody is kept offline', async () => {
    const { manager } = setup({ list: listOf(['LST bob@example.com Bob\r\nthe\r\nBuilder 11 0', 'LST carol@example.com Carol 11 0']) });
    await manager.signIn('alicepass');
    expect(manager.state.kind).toBe('connected');
    expect(manager.list.get('bob@example.com')).toMatchObject({ nickname: 'Bob%0D%0Athe%0D%0ABuilder', lists: { FL: true, AL: true, RL: true }, groupIds: ['0'] });
    expect(manager.list.get('carol@example.com')?.nickname).toBe('Carol');
  });

  it('a nickname with a raw CR/LF in NLN/ILN: nickname and client id joined up; garbage lines skipped', async () => {
    // carol on FL here (the default list has her on AL and RL only, whose presence is not shown).
    const { manager, factory } = setup({ list: listOf(['LST bob@example.com Bob 11 0', 'LST carol@example.com Carol 11 0']), afterChg: ['ILN {chg} AWY carol@example.com Ca\r\nrol 268435492'] });
    await manager.signIn('alicepass');
    factory.last.push(Buffer.concat([Buffer.from('NLN BSY bob@example.com Bob\r\nthe%20Builder 268435492\r\n'), Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x20, 0x7e, 0x0d, 0x0a])]));
    expect(manager.list.get('bob@example.com')).toMatchObject({ status: 'BSY', nickname: 'Bob%0D%0Athe%20Builder', clientId: 268435492 });
    expect(manager.list.get('carol@example.com')).toMatchObject({ status: 'AWY', nickname: 'Ca%0D%0Arol', clientId: 268435492 });
    expect(manager.state.kind).toBe('connected');
  });
});

describe('oversized payloads', () => {
  it('a 2 MiB UBX is skipped; the connection and what follows it go on', async () => {
    const { manager, factory } = setup();
    await manager.signIn('alicepass');
    factory.last.push(`UBX bob@example.com ${2 * 1024 * 1024}\r\n${'x'.repeat(2 * 1024 * 1024)}NLN AWY bob@example.com Bob 0\r\n`, 65536);
    expect(manager.state.kind).toBe('connected');
    expect(manager.list.get('bob@example.com')?.status).toBe('AWY');
  });
});

describe('reconnects that fail the same way', () => {
  /** Connection 0 signs in fine; later ones get `poison` in the middle of the download. */
  const poisoned = (poison: (i: number) => string | undefined) => (t: ScriptedTransport, i: number) =>
    msnp8(t, {
      override: (_l, f) => {
        const bad = f[0] === 'SYN' ? poison(i) : undefined;
        return bad === undefined ? undefined : ['SYN {trid} 9 2 1', 'GTC A', bad];
      },
    });

  /** Lets time pass a second at a time until `n` connections were made and the last attempt is over. */
  async function untilConnections(env: ReturnType<typeof setup>, n: number): Promise<void> {
    for (let guard = 0; guard < 120 && env.factory.connections.length < n; guard++) {
      await settle(80);
      env.clock.advance(1000);
    }
    await settle(80);
  }

  it('stop after three running (same code, same step) with an error that names the cause', async () => {
    const env = setup(poisoned((i) => (i > 0 ? 'MSG Hotmail Hotmail -5' : undefined)));
    await env.manager.signIn('alicepass');
    env.factory.last.serverClose();
    await untilConnections(env, 4);
    expect(env.states.at(-1)).toEqual({
      kind: 'signed-out',
      reason: 'error',
      error: {
        code: 'protocol.bad-length',
        retryable: false,
        message: expect.stringMatching(/^Butterfly stopped reconnecting: it failed the same way 3 times in a row while getting your contact list\. MSG at byte \d+ has "-5" where its payload length belongs\.$/),
      },
    });
    env.clock.advance(3_600_000);
    await settle();
    expect(env.factory.connections).toHaveLength(4);
  });

  it('keep going when the failures differ, or when the network is the trouble', async () => {
    let refuse = false;
    const env = setup((t, i) => {
      if (refuse) throw new TransportError('transport.target-unreachable', 'The MSN server at ns.test:1863 refused the connection.');
      poisoned((n) => (n === 0 ? undefined : n % 2 ? 'MSG Hotmail Hotmail -5' : 'MSG Hotmail Hotmail 99999999999'))(t, i);
    });
    await env.manager.signIn('alicepass');
    env.factory.last.serverClose();
    await untilConnections(env, 8);
    expect(env.manager.state.kind).toBe('reconnecting');
    // Connection refused, many times over: still trying.
    refuse = true;
    for (let i = 0; i < 10; i++) {
      await settle(80);
      env.clock.advance(10_000);
    }
    await settle(80);
    expect(env.manager.state).toMatchObject({ kind: 'reconnecting' });
  });

  it('count afresh after a connection that stayed up', async () => {
    let poison = true;
    const env = setup(poisoned((i) => (i > 0 && poison ? 'MSG Hotmail Hotmail -5' : undefined)));
    await env.manager.signIn('alicepass');
    env.factory.last.serverClose();
    await untilConnections(env, 3);
    // Two failures running; then the server heals and a connection stays up past stableConnectionMs.
    poison = false;
    await untilConnections(env, 4);
    expect(env.manager.state.kind).toBe('connected');
    env.clock.advance(60_000);
    poison = true;
    env.factory.last.serverClose();
    await untilConnections(env, 6);
    // Two failed reconnects since: without the fresh count the first of them would have been the third.
    expect(env.manager.state.kind).toBe('reconnecting');
    await untilConnections(env, 7);
    expect(env.manager.state).toMatchObject({ kind: 'signed-out', error: { code: 'protocol.bad-length' } });
  });
});
