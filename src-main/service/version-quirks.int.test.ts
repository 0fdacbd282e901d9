// More of Butterfly at MSNP8–12 against the test server over real sockets, where the versions and the two kinds of
// server differ: a contact's stored name following their new one (SBP, MSNP10+; nothing below), presence the 2017
// Escargot sends for people only on RL or BL (shown for FL contacts only), the capability field on the switchboard's
// IRO/JOI at MSNP12 (kept with the member; the MSNP8 forms from Escargot read the same), and an MSNP12 download
// with garbage timestamps and bad LST lines (each skipped and noted, the list kept, the next sign-in downloading it
// whole).
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_VERSIONS, startTestServer, type AccountSpec, type TestServer, type TestServerOptions } from '../../e2e/msn-server';
import type { RawClient } from '../../e2e/msn-server/testing/raw-client';
import { signInTwn } from '../../e2e/msn-server/testing/sign-in';
import { decodeName } from '../../src-shared/url-codec';
import { parseRing, parseSwitchboardGrant } from '../protocol/sb-commands';
import { systemClock } from '../session/clock';
import { dialectFor, type Dialect } from '../session/dialects';
import { SwitchboardSession, type SwitchboardOptions } from '../session/switchboard-session';
import { createTransportFactory } from '../transport';
import { directSettings, LiveServices, type LiveService, contactIn as contact, presenceOf } from './testing/live-service';
import { startSpliceRelay, type SpliceRelay } from './testing/splice-relay';

let server: TestServer;
const services = new LiveServices(() => server);
const raws: RawClient[] = [];
const switchboards: SwitchboardSession[] = [];
let relay: SpliceRelay | undefined;

async function boot(options: TestServerOptions = {}): Promise<void> {
  server = await startTestServer({ versions: [...ALL_VERSIONS], ...options });
}
afterEach(async () => {
  for (const sb of switchboards.splice(0)) sb.close();
  for (const c of raws.splice(0)) c.close();
  await services.disposeAll();
  await relay?.stop();
  relay = undefined;
  await server?.stop();
});

async function signedIn(email: string, password: string, maxVersion: number): Promise<LiveService> {
  const s = services.create({ maxVersion });
  await s.signIn(email, password);
  return s;
}

/** Someone online through raw commands, with the capabilities `clientId`. */
async function rawOnline(email: string, password: string, version: number, clientId = '0'): Promise<RawClient> {
  const c = await signInTwn(server, email, password, version);
  raws.push(c);
  c.send(version >= 10 ? 'SYN 5 0 0' : 'SYN 5 0');
  await c.waitFor('SYN 5 ');
  c.send(`CHG 6 NLN ${clientId}`);
  await c.waitFor('CHG 6 ');
  return c;
}

const sent = (s: LiveService, command: string) => s.traffic.filter((t) => t.direction === 'out' && t.channel === 'NS' && t.line.startsWith(`${command} `)).map((t) => t.line);

describe('a contact’s stored name follows the name they go by (SBP)', () => {
  it.each([10, 11, 12])('MSNP%i: bob renames himself; alice sends SBP with his contact id once, the server echoes it', async (version) => {
    await boot();
    const alice = await signedIn('alice@example.com', 'alicepass', version);
    const bob = await signedIn('bob@example.com', 'bobpass', 12);
    await expect.poll(() => contact(alice, 'bob@example.com')?.status, { timeout: 5_000 }).toBe('NLN');
    // The name presence brought is the list's: nothing to store.
    expect(sent(alice, 'SBP')).toEqual([]);

    await bob.call('messenger:set-nickname', { nickname: 'Bobby ✿ 100%' });
    await expect.poll(() => decodeName(contact(alice, 'bob@example.com')?.nickname ?? ''), { timeout: 5_000 }).toBe('Bobby ✿ 100%');
    const id = server.state.account('bob@example.com')!.uuid;
    await expect.poll(() => sent(alice, 'SBP'), { timeout: 5_000 }).toEqual([expect.stringMatching(new RegExp(`^SBP \\d+ ${id} MFN Bobby%20%E2%9C%BF%20100%25$`))]);
    const trid = sent(alice, 'SBP')[0].split(' ')[1];
    await expect.poll(() => alice.linesIn().find((l) => l.startsWith(`SBP ${trid} `)), { timeout: 5_000 }).toBe(sent(alice, 'SBP')[0]);

    // A new status under the same name stores nothing more; the connection stayed and no error was noted.
    alice.log.mark();
    await bob.call('messenger:set-status', { status: 'BSY' });
    await alice.log.next((e) => presenceOf('bob@example.com')(e) && e.type === 'presence' && e.status === 'BSY', 'bob busy');
    expect(sent(alice, 'SBP')).toHaveLength(1);
    expect(alice.traffic.filter((t) => t.direction === 'note' && t.line.includes('did not store'))).toEqual([]);
    expect(alice.snapshot().connection.kind).toBe('connected');
  });

  it.each([8, 9])('MSNP%i: the new name is shown and nothing is sent (no stored name to follow; SBP would close the connection)', async (version) => {
    await boot();
    const alice = await signedIn('alice@example.com', 'alicepass', version);
    const bob = await signedIn('bob@example.com', 'bobpass', 12);
    await expect.poll(() => contact(alice, 'bob@example.com')?.status, { timeout: 5_000 }).toBe('NLN');
    const before = alice.traffic.filter((t) => t.direction === 'out').length;
    await bob.call('messenger:set-nickname', { nickname: 'Bobby' });
    await expect.poll(() => contact(alice, 'bob@example.com')?.nickname, { timeout: 5_000 }).toBe('Bobby');
    expect(alice.traffic.filter((t) => t.direction === 'out').slice(before).filter((t) => !t.line.startsWith('PNG'))).toEqual([]);
    expect(alice.snapshot().connection.kind).toBe('connected');
  });
});

describe('presence for people only on RL or BL (the 2017 Escargot sends it; presenceToEveryEntry)', () => {
  // alice lists bob on FL, carol only on RL (carol added her), dave only on BL (she blocked him, never added him).
  const accounts: AccountSpec[] = [
    {
      email: 'alice@example.com',
      password: 'alicepass',
      contacts: [
        { email: 'bob@example.com', lists: ['FL', 'AL', 'RL'] },
        { email: 'carol@example.com', lists: ['RL'] },
        { email: 'dave@example.com', lists: ['BL'] },
      ],
    },
    { email: 'bob@example.com', password: 'bobpass', contacts: [{ email: 'alice@example.com', lists: ['FL', 'AL', 'RL'] }] },
    { email: 'carol@example.com', password: 'carolpass', contacts: [{ email: 'alice@example.com', lists: ['FL', 'AL'] }] },
    { email: 'dave@example.com', password: 'davepass' },
  ];

  it.each([12, 8])('MSNP%i: their ILN/NLN/UBX are not shown; added to FL, carol’s presence is', async (version) => {
    await boot({ accounts, faults: { presenceToEveryEntry: true } });
    await rawOnline('bob@example.com', 'bobpass', 12);
    const carol = await rawOnline('carol@example.com', 'carolpass', 12);
    const alice = await signedIn('alice@example.com', 'alicepass', version);
    await expect.poll(() => contact(alice, 'bob@example.com')?.status, { timeout: 5_000 }).toBe('NLN');
    await rawOnline('dave@example.com', 'davepass', 12);
    const body = Buffer.from('<Data><PSM>only on your RL</PSM><CurrentMedia></CurrentMedia></Data>');
    carol.send(`UUX 7 ${body.length}`, body);
    await carol.waitFor('UUX 7');
    // The server did send them (so the filter is Butterfly's), and nothing of them shows.
    const seen = () => new Set(alice.linesIn().filter((l) => /^(ILN \d+|NLN) NLN /.test(l)).map((l) => l.split(' ').at(l.startsWith('ILN') ? 3 : 2)));
    await expect.poll(() => ['carol@example.com', 'dave@example.com'].every((e) => seen().has(e)), { timeout: 5_000 }).toBe(true);
    for (const email of ['carol@example.com', 'dave@example.com']) {
      expect(contact(alice, email)).toMatchObject({ status: 'FLN' });
      expect(contact(alice, email)?.personalMessage).toBeUndefined();
      expect(alice.log.events.some(presenceOf(email))).toBe(false);
    }

    await alice.call('contacts:add', { email: 'carol@example.com' });
    await expect.poll(() => contact(alice, 'carol@example.com')?.status, { timeout: 5_000 }).toBe('NLN');
    if (version >= 11) expect(contact(alice, 'carol@example.com')?.personalMessage).toBe('only on your RL');
    expect(contact(alice, 'dave@example.com')?.status).toBe('FLN');
  });
});

describe('the capability field on the switchboard’s IRO/JOI (MSNP12)', () => {
  const sbOptions = (selfEmail: string, dialect: Dialect): SwitchboardOptions => ({
    transportFactory: createTransportFactory(directSettings(server), { closeTimeoutMs: 500 }),
    clock: systemClock,
    selfEmail,
    connectTimeoutMs: 5_000,
    requestTimeoutMs: 5_000,
    ackTimeoutMs: 5_000,
    dialect,
  });

  /** bob (Butterfly's switchboard session) is rung by alice (raw, Messenger 7.5's capabilities), then calls carol. */
  async function roster(version: number) {
    const dialect = dialectFor(version)!;
    const alice = await rawOnline('alice@example.com', 'alicepass', version, '1342177280');
    const bobNs = await rawOnline('bob@example.com', 'bobpass', version, '0');
    alice.send('XFR 7 SB');
    const grant = parseSwitchboardGrant((await alice.waitFor('XFR 7 SB')).fields.slice(2));
    const aliceSb = await SwitchboardSession.call(sbOptions('alice@example.com', dialect), grant!);
    switchboards.push(aliceSb);
    await aliceSb.invite('bob@example.com');
    const ring = parseRing((await bobNs.waitFor('RNG')).fields.slice(1));
    const bobSb = await SwitchboardSession.answer(sbOptions('bob@example.com', dialect), ring!);
    switchboards.push(bobSb);
    await expect.poll(() => aliceSb.members.size, { timeout: 5_000 }).toBe(1);
    return { bobSees: [...bobSb.members.values()], aliceSees: [...aliceSb.members.values()] };
  }

  it('MSNP12 (the official servers): each member is read with their capabilities, nickname and address intact', async () => {
    await boot();
    expect(await roster(12)).toEqual({
      bobSees: [{ email: 'alice@example.com', nickname: 'Alice%20✿%20Ünïcødé', clientId: 1342177280 }],
      aliceSees: [{ email: 'bob@example.com', nickname: 'Bob', clientId: 0 }],
    });
  });

  it('MSNP12 from Escargot (the MSNP8 forms) and MSNP11: the same members, without capabilities', async () => {
    await boot({ faults: { sbCapabilitiesFrom: 13 } });
    const members = { bobSees: [{ email: 'alice@example.com', nickname: 'Alice%20✿%20Ünïcødé' }], aliceSees: [{ email: 'bob@example.com', nickname: 'Bob' }] };
    expect(await roster(12)).toEqual(members);
    for (const c of raws.splice(0)) c.close();
    expect(await roster(11)).toEqual(members);
  });

  it('MSNP12 through the whole app: alice’s message reaches bob, whose conversation shows her by name', async () => {
    await boot();
    const bob = await signedIn('bob@example.com', 'bobpass', 12);
    const alice = await rawOnline('alice@example.com', 'alicepass', 12, '1342177280');
    await expect.poll(() => contact(bob, 'alice@example.com')?.status, { timeout: 5_000 }).toBe('NLN');
    alice.send('XFR 7 SB');
    const grant = parseSwitchboardGrant((await alice.waitFor('XFR 7 SB')).fields.slice(2));
    const aliceSb = await SwitchboardSession.call(sbOptions('alice@example.com', dialectFor(12)!), grant!);
    switchboards.push(aliceSb);
    await aliceSb.invite('bob@example.com');
    await expect.poll(() => aliceSb.members.size, { timeout: 5_000 }).toBe(1);
    bob.log.mark();
    const text = 'hi from 7.5';
    await aliceSb.sendMessage(Buffer.from(`MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n${text}`));
    await bob.log.next((e) => e.type === 'message' && e.message.direction === 'in' && e.message.text === text, 'message at bob');
    const { conversations } = await bob.call('conversations:list', {});
    expect(conversations).toHaveLength(1);
    expect(conversations[0]).toMatchObject({ kind: 'single', contact: 'alice@example.com' });
    // The conversation has her address and name; the capabilities stay with the switchboard member.
    expect(conversations[0]?.participants).toEqual([{ email: 'alice@example.com', nickname: 'Alice%20✿%20Ünïcødé' }]);
    expect(bob.traffic.some((t) => t.channel === 'SB' && t.direction === 'in' && t.line === 'IRO 1 1 1 alice@example.com Alice%20✿%20Ünïcødé 1342177280')).toBe(true);
  });
});

describe('an MSNP12 download with garbage in it', () => {
  it('timestamps that are not, an LST without an address and one with unknown bits: each skipped and noted, the list kept; the next sign-in asks for the whole list again (SYN 0 0)', async () => {
    await boot({ faults: { synStamps: 'yesterday-at-noon' } });
    // In the middle of the download, before bob's line (a relay: the server writes its SYN answer in one piece).
    relay = await startSpliceRelay(server.ns, [{ prefix: 'LST ', nth: 1, insert: 'LST F=nobody 11 1\r\nLST N=erin@example.com F=Erin C=e 255 1 \r\n' }]);
    const alice = services.create({ maxVersion: 12, ns: relay });
    await alice.signIn('alice@example.com', 'alicepass');
    expect(contact(alice, 'bob@example.com')).toMatchObject({ lists: { FL: true, AL: true, RL: true }, nickname: 'Bob' });
    expect(contact(alice, 'erin@example.com')?.lists).toEqual({ FL: true, AL: true, BL: true, RL: true });
    const notes = alice.traffic.filter((t) => t.direction === 'note').map((t) => t.line);
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"yesterday-at-noon yesterday-at-noon" are not timestamps'),
        expect.stringContaining('an LST line without an address'),
        expect.stringContaining('list bits 255 for erin@example.com'),
      ]),
    );
    expect(alice.snapshot().connection.kind).toBe('connected');

    server.faults.set({ synStamps: null });
    alice.service.account(alice.accountId).signOut();
    await alice.signIn('alice@example.com', 'alicepass');
    expect(sent(alice, 'SYN').map((l) => l.replace(/^SYN \d+ /, ''))).toEqual(['0 0', '0 0']);
    // With real stamps kept (once the list is written to the cache), the sign-in after offers them.
    await expect.poll(() => alice.snapshot().list.timestamps, { timeout: 5_000 }).toBeDefined();
    await alice.service.flush();
    alice.service.account(alice.accountId).signOut();
    await alice.signIn('alice@example.com', 'alicepass');
    expect(sent(alice, 'SYN').at(-1)).toMatch(/^SYN \d+ 2000-01-01T00:00:00\.0-00:00 2000-01-01T00:00:00\.0-00:00$/);
    expect(contact(alice, 'bob@example.com')?.lists.FL).toBe(true);
  });
});
