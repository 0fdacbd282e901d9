// The session at MSNP10–12 against a scripted Escargot (capture 15's lines): sign-in without a nickname in USR OK,
// the GUID list, challenges by the negotiated version's algorithm, personal messages both ways (UUX out, UBX in,
// the literal fallback, what is skipped), the list cache across a version change, and a contact's stored name (SBP).
import { describe, expect, it } from 'vitest';
import type { AccountEvent } from '../../src-shared/messenger-types';
import { ConnectionManager, type ConnectionManagerOptions } from './connection-manager';
import { createMemoryListCache } from './list-cache';
import { fakePassport, msnp12, msnp8, type Msnp12Script } from './testing/fake-server-script';
import { FakeClock } from './testing/fake-clock';
import { ScriptedTransportFactory, type ScriptedTransport } from './testing/scripted-transport';

const timings = { connectTimeoutMs: 500, requestTimeoutMs: 500, passportTimeoutMs: 500, syncTimeoutMs: 1000, pingIntervalMs: 1000, pingTimeoutMs: 300, presenceWindowMs: 0, listWindowMs: 0 };
const flush = async (n = 30) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

function setup(script: Msnp12Script | ((t: ScriptedTransport, i: number) => void) = {}, over: Partial<ConnectionManagerOptions> = {}) {
  const clock = new FakeClock();
  const factory = new ScriptedTransportFactory(typeof script === 'function' ? script : (t) => msnp12(t, script));
  const cache = createMemoryListCache();
  const manager = new ConnectionManager({
    email: 'bob@example.com',
    accountId: 'bob',
    transportFactory: factory,
    httpClient: fakePassport('bobpass'),
    clock,
    listCache: cache,
    server: { host: 'ns.test', port: 1863 },
    nexusUrl: 'https://nexus.test/rdr/pprdr.asp',
    timings,
    ...over,
  });
  const events: AccountEvent[] = [];
  manager.onEvent((e) => events.push(e));
  const traffic: string[] = [];
  manager.onTraffic((t) => traffic.push(`${t.direction} ${t.line}`));
  return { clock, factory, cache, manager, events, traffic };
}

describe('MSNP12 sign-in (capture 15)', () => {
  it('offers MSNP12 first, says Messenger 7.5 in CVR, takes the nickname from PRP MFN and the list by contact id', async () => {
    const { manager, factory } = setup();
    await manager.signIn('bobpass');
    const w = factory.last.written;
    expect(w[0]).toBe('VER 1 MSNP12 MSNP11 MSNP10 MSNP9 MSNP8 MSNP7 MSNP6 MSNP5 MSNP4 MSNP3 MSNP2 CVR0');
    expect(w[1]).toBe('CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 7.5.0324 msmsgs bob@example.com');
    expect(w).toContain('SYN 5 0 0');
    expect(w).toContain('CHG 6 NLN 0');
    expect(manager.state).toMatchObject({ kind: 'connected', protocol: 'MSNP12' });
    expect(manager.profile).toMatchObject({ email: 'bob@example.com', nickname: 'bob@example.com' });
    expect(manager.list.get('alice@example.com')).toMatchObject({ contactId: '9dc77cf1-127e-40a9-a36d-2a1526b38a8f', network: 1, groupIds: [] });
  });

  it('a list cached at another version is not offered as current: SYN 0 0, and the download replaces it', async () => {
    const { manager, factory, cache } = setup();
    await cache.save('bob', { version: 77, protocol: 8, gtc: 'A', blp: 'AL', groups: [], contacts: [{ email: 'old@example.com', nickname: 'Old', lists: { FL: true, AL: false, BL: false, RL: false }, groupIds: [], status: 'FLN', clientId: 0, phones: {} }], ownPhones: {} });
    await manager.signIn('bobpass');
    expect(factory.last.written).toContain('SYN 5 0 0');
    expect(manager.list.get('old@example.com')).toBeUndefined();
    await manager.flush();
    expect(cache.entries.get('bob')).toMatchObject({ protocol: 12, timestamps: { contacts: '2000-01-01T00:00:00.0-00:00' }, ownNickname: 'bob@example.com' });
  });

  it('the nickname comes from the cache when the list is not re-sent (SYN answered without counts)', async () => {
    const stamp = '2000-01-01T00:00:00.0-00:00';
    const { manager, factory, cache } = setup({ override: (_l, f) => (f[0] === 'SYN' ? `SYN {trid} ${stamp} ${stamp}` : undefined) });
    await cache.save('bob', { version: 0, protocol: 12, timestamps: { contacts: stamp, groups: stamp }, ownNickname: 'Bobby', gtc: 'A', blp: 'AL', groups: [], contacts: [], ownPhones: {} });
    await manager.signIn('bobpass');
    expect(factory.last.written).toContain(`SYN 5 ${stamp} ${stamp}`);
    expect(manager.profile?.nickname).toBe('Bobby');
  });
});

describe('challenges follow the negotiated version', () => {
  it.each([
    [11, 'QRY 7 PROD0090YUAUV{2B 32', '85ecb0db8f32113df79ce0892b9a102c'],
    [12, 'QRY 7 PROD0101{0RM?UBW 32', undefined],
    [10, 'QRY 7 msmsgs@msnmsgr.com 32', 'eedf627f65e76d031255a605f5841204'],
  ])('MSNP%i: a CHL is answered with that version’s algorithm and product', async (version, qry, answer) => {
    const { manager, factory } = setup({ version });
    await manager.signIn('bobpass');
    factory.last.lines('CHL 0 22210219642164014968');
    await flush();
    const w = factory.last.written;
    expect(w).toContain(qry);
    expect(w[w.indexOf(qry) + 1]).toMatch(answer ?? /^[0-9a-f]{32}$/);
  });

  it('a challenge that is not ASCII is not answered (noted in the traffic), and the session goes on', async () => {
    const { manager, factory, traffic } = setup({ version: 11 });
    await manager.signIn('bobpass');
    factory.last.lines('CHL 0 2221021964216401496é');
    await flush();
    expect(factory.last.written.some((l) => l.startsWith('QRY'))).toBe(false);
    expect(traffic.some((l) => /^note skipped a challenge/.test(l))).toBe(true);
    expect(manager.state.kind).toBe('connected');
  });
});

describe('personal messages (MSNP11+)', () => {
  const psm = (email: string, xml: string) => {
    const body = Buffer.from(xml, 'utf8');
    return Buffer.concat([Buffer.from(`UBX ${email} ${body.length}\r\n`), body]);
  };
  const presence = (events: AccountEvent[], email: string) => events.filter((e): e is Extract<AccountEvent, { type: 'presence' }> => e.type === 'presence' && e.email === email).at(-1);

  it('sends UUX with both elements, escaped, as the exact XML of the reference; the profile holds what was sent', async () => {
    const { manager, factory } = setup({ version: 11 });
    await manager.signIn('bobpass');
    await manager.setPersonalStatus({ personalMessage: 'fish & chips <3 ✿ שלום' });
    const w = factory.last.written;
    const body = '<Data><PSM>fish &amp; chips &lt;3 ✿ שלום</PSM><CurrentMedia></CurrentMedia></Data>';
    expect(w).toContain(`UUX 7 ${Buffer.byteLength(body)}`);
    expect(w).toContain(body);
    await manager.setPersonalStatus({ currentMedia: { application: '', type: 'Music', enabled: true, format: '{0} - {1}', args: ['Title', 'Artist', ''] } });
    expect(w.at(-1)).toBe('<Data><PSM>fish &amp; chips &lt;3 ✿ שלום</PSM><CurrentMedia>\\0Music\\01\\0{0} - {1}\\0Title\\0Artist\\0\\0</CurrentMedia></Data>');
    expect(manager.profile).toMatchObject({ personalMessage: 'fish & chips <3 ✿ שלום', currentMedia: { format: '{0} - {1}', args: ['Title', 'Artist', ''] } });
    // Clearing sends the empty form.
    await manager.setPersonalStatus({ personalMessage: '', currentMedia: null });
    expect(w.at(-1)).toBe('<Data><PSM></PSM><CurrentMedia></CurrentMedia></Data>');
  });

  it('below MSNP11 a personal message is refused before anything is sent', async () => {
    const { manager, factory } = setup((t) => msnp8(t, { email: 'bob@example.com' }));
    await manager.signIn('bobpass');
    const before = factory.last.written.length;
    await expect(manager.setPersonalStatus({ personalMessage: 'hi' })).rejects.toMatchObject({ code: 'session.not-supported' });
    expect(factory.last.written.length).toBe(before);
  });

  it('reads UBX strictly, falls back to the literal text when the server did not re-escape, and skips what it cannot read', async () => {
    const { manager, factory, events, traffic } = setup({ version: 12, afterChg: ['ILN {chg} NLN alice@example.com Alice 1073741824 %3Cmsnobj%2F%3E'] });
    await manager.signIn('bobpass');
    const t = factory.last;
    t.push(psm('alice@example.com', '<Data><PSM>a &amp; b &lt; c &#x1F98B; &#233;</PSM><CurrentMedia>WMP\\0Music\\01\\0{1} by {0}\\0Artist\\0Song\\0\\0</CurrentMedia></Data>'));
    await manager.flush();
    expect(presence(events, 'alice@example.com')).toMatchObject({ personalMessage: 'a & b < c 🦋 é', currentMedia: { application: 'WMP', type: 'Music', enabled: true, format: '{1} by {0}', args: ['Artist', 'Song', ''] } });
    t.push(psm('alice@example.com', '<Data><PSM>fish & chips</PSM><CurrentMedia></CurrentMedia></Data>'));
    await manager.flush();
    expect(presence(events, 'alice@example.com')?.personalMessage).toBe('fish & chips');
    expect(manager.list.get('alice@example.com')?.currentMedia).toBeUndefined();
    // An XML bomb: never expanded, never read; the message before it stays.
    const bomb = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Data><PSM>&b;</PSM><CurrentMedia></CurrentMedia></Data>';
    t.push(psm('alice@example.com', bomb));
    t.push(psm('alice@example.com', 'not xml at all'));
    // A 1 MB UBX: skipped by the parser without being kept; the connection goes on.
    t.push(`UBX alice@example.com ${1024 * 1024}\r\n${'<'.repeat(1024 * 1024)}`);
    t.push(psm('alice@example.com', '<Data><PSM>still here</PSM><CurrentMedia></CurrentMedia></Data>'));
    await manager.flush();
    expect(traffic.filter((l) => l.startsWith('note skipped the personal message of alice@example.com'))).toHaveLength(2);
    expect(traffic.some((l) => /UBX alice@example.com 1048576 +\[payload of 1048576 bytes skipped/.test(l))).toBe(true);
    expect(manager.list.get('alice@example.com')?.personalMessage).toBe('still here');
    expect(manager.state.kind).toBe('connected');
    // Going offline takes it along.
    t.lines('FLN alice@example.com');
    await manager.flush();
    expect(manager.list.get('alice@example.com')?.personalMessage).toBeUndefined();
  });
});

describe('a contact’s stored name (SBP, MSNP10+)', () => {
  const alice = '9dc77cf1-127e-40a9-a36d-2a1526b38a8f';
  const sbps = (w: string[]) => w.filter((l) => l.startsWith('SBP '));

  it('follows each new name one request at a time: names that came meanwhile collapse into the latest', async () => {
    const { manager, factory, traffic } = setup();
    await manager.signIn('bobpass');
    // The name the list has: nothing to store.
    factory.last.lines('NLN NLN alice@example.com Alice%20✿%20Ünïcødé%20100% 1073741824 %3Cmsnobj%2F%3E');
    await flush();
    expect(sbps(factory.last.written)).toEqual([]);
    factory.last.lines('NLN NLN alice@example.com Ally 0 %3Cmsnobj%2F%3E', 'NLN BSY alice@example.com Al%20B. 0 %3Cmsnobj%2F%3E', 'NLN AWY alice@example.com Al%20✿ 0 %3Cmsnobj%2F%3E');
    await flush();
    expect(sbps(factory.last.written)).toEqual([expect.stringMatching(new RegExp(`^SBP (\\d+) ${alice} MFN Ally$`))]);
    const trid = sbps(factory.last.written)[0].split(' ')[1];
    factory.last.lines(`SBP ${trid} ${alice} MFN Ally`);
    await flush();
    // The latest name, canonically encoded; the one in between is never sent.
    expect(sbps(factory.last.written).slice(1)).toEqual([expect.stringMatching(new RegExp(`^SBP \\d+ ${alice} MFN Al%20%E2%9C%BF$`))]);
    // A refusal is noted; the list goes on showing the name presence brought.
    factory.last.lines(`209 ${sbps(factory.last.written)[1].split(' ')[1]}`);
    await flush();
    expect(traffic.some((l) => l.startsWith('note the server did not store the new name of alice@example.com'))).toBe(true);
    expect(manager.list.get('alice@example.com')?.nickname).toBe('Al%20✿');
    expect(manager.state.kind).toBe('connected');
  });

  it('MSNP8: a new name is shown and nothing is sent', async () => {
    const { manager, factory } = setup((t) => msnp8(t, {}));
    await manager.signIn('bobpass');
    const before = factory.last.written.length;
    factory.last.lines('NLN NLN bob@example.com Bobby 0');
    await flush();
    expect(manager.list.get('bob@example.com')?.nickname).toBe('Bobby');
    expect(factory.last.written.slice(before)).toEqual([]);
  });
});
