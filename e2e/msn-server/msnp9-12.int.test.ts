// The server at MSNP9–12 over real sockets, line for line as the reference shows the 2017 Escargot (msnp9-12.md),
// and where current Escargot differs (versions.md's last section) behind its switch. Quirks of the real server
// mirrored here, each checked below:
//  - `USR OK email 1 0` without the nickname from MSNP10; the nickname as `PRP MFN` in the SYN (MSNP10+);
//  - SYN always answers the whole list with the fixed stamps `2000-01-01T00:00:00.0-00:00`; group 0 is never listed;
//    the empty group field leaves the LST ending in a space; `C=` is the contact's account UUID; MSNP12 adds `1`;
//  - `ADC 0 RL N= F=` to the added user; nobody is told about a removal; `REM … RL` closes the connection;
//  - an unknown account is 207; ADC to FL adds no AL; no AL/BL conflict check (no 219);
//  - `REG` answers `REG trid 1 name id 0` and renames nothing; `GTC`/`BLP` are echoed and never kept; SBP is echoed
//    and stores nothing (below MSNP10 it closes the connection, as newer Escargot);
//  - presence for FL contacts only by default (the official servers); with `presenceToEveryEntry` for everyone on the
//    list, RL-only and BL-only people too, as the 2017 Escargot (`build_msnp_presence_notif`);
//  - switchboard IRO/JOI with the member's capabilities from MSNP12 (the official servers); with
//    `sbCapabilitiesFrom: 13` the MSNP8 forms until MSNP13, as Escargot;
//  - `REA` → 502 from MSNP10; `GCF` returns the fixed 151-byte Shields.xml for any name;
//  - UBX after every ILN/NLN from MSNP11, with the text put back unescaped; an empty UUX changes nothing; a missing
//    element is stored as `None`; a malformed UUX body drops the connection; `QNG 60` from MSNP9;
//  - the msnobject echoed re-encoded on CHG, `%3Cmsnobj%2F%3E` on ILN/NLN for a contact without one (MSNP9+);
//  - current Escargot only (`loginBurst`): `SBS 0 null` and the profile MSG after USR OK;
//  - challenges (`challenges: true`; the real server never sends one below MSNP21): the MSNP11 algorithm from MSNP11,
//    a wrong answer → 540 and the connection closed.
import { describe, expect, it } from 'vitest';
import { msnp11Answer, PRODUCTS } from './challenge';
import { ALL_VERSIONS, type AccountSpec, type TestServer, type TestServerOptions } from './index';
import type { RawClient } from './testing/raw-client';
import { serverPerTest } from './testing/server-per-test';
import { signInTwn } from './testing/sign-in';
import { answerRing, openSwitchboard } from './testing/switchboard';

let server: TestServer;
const { start, track } = serverPerTest();
const STAMP = '2000-01-01T00:00:00.0-00:00';

// Capture 15's bob and alice (her account UUID as recorded), carol's from the reference's table.
const ACCOUNTS: AccountSpec[] = [
  { email: 'alice@example.com', password: 'alicepass', nickname: 'Alice ✿ Ünïcødé 100%', uuid: '9dc77cf1-127e-40a9-a36d-2a1526b38a8f', contacts: [{ email: 'bob@example.com', lists: ['FL', 'AL', 'RL'] }] },
  { email: 'bob@example.com', password: 'bobpass', contacts: [{ email: 'alice@example.com', lists: ['FL', 'AL', 'RL'] }] },
  { email: 'carol@example.com', password: 'carolpass', uuid: '241637e6-f03e-47b1-a674-24155c5ed565' },
];

async function online(email: string, password: string, version: number, clientId = '0'): Promise<RawClient> {
  const c = track(await signInTwn(server, email, password, version));
  c.send(version >= 10 ? 'SYN 5 0 0' : 'SYN 5 0');
  await c.waitFor('SYN 5 ');
  c.send(`CHG 6 NLN ${clientId}`);
  await c.waitFor('CHG 6 ');
  return c;
}

const boot = (options: TestServerOptions = {}) => start({ accounts: ACCOUNTS, versions: [...ALL_VERSIONS], ...options }).then((s) => (server = s));

describe('sign-in and lists, MSNP9–12', () => {
  it('MSNP12: USR OK without the nickname, the two-timestamp SYN with PRP MFN and capture 15’s LST', async () => {
    await boot();
    const c = track(await signInTwn(server, 'bob@example.com', 'bobpass', 12));
    expect(c.frames.map((f) => f.line).at(-1)).toBe('USR 4 OK bob@example.com 1 0');
    c.send('SYN 5 0 0');
    const lines = (await c.take(5)).map((f) => f.line);
    expect(lines).toEqual([`SYN 5 ${STAMP} ${STAMP} 1 0`, 'GTC A', 'BLP AL', 'PRP MFN bob@example.com', 'LST N=alice@example.com F=Alice%20✿%20Ünïcødé%20100% C=9dc77cf1-127e-40a9-a36d-2a1526b38a8f 11 1 ']);
    expect(await c.quiet(50)).toEqual([]);
  });

  it('MSNP10/11: no network field; groups by id, group 0 never listed; MSNP9 keeps MSNP8’s USR OK and SYN', async () => {
    await boot({ accounts: [{ ...ACCOUNTS[0], groups: [{ id: 1, name: 'Friends' }], contacts: [{ email: 'bob@example.com', lists: ['FL', 'AL', 'RL'], groups: [1] }] }, ACCOUNTS[1], ACCOUNTS[2]] });
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass', 10));
    c.send('SYN 5 0 0');
    const lines = (await c.take(6)).map((f) => f.line);
    const bob = server.state.account('bob@example.com')!.uuid;
    expect(lines).toEqual([`SYN 5 ${STAMP} ${STAMP} 1 1`, 'GTC A', 'BLP AL', 'PRP MFN Alice%20✿%20Ünïcødé%20100%', 'LSG Friends 1', `LST N=bob@example.com F=bob@example.com C=${bob} 11 1`]);
    const nine = track(await signInTwn(server, 'bob@example.com', 'bobpass', 9));
    expect(nine.frames.map((f) => f.line).at(-1)).toBe('USR 4 OK bob@example.com bob@example.com 1 0');
    nine.send('SYN 5 0');
    expect((await nine.take(5)).map((f) => f.line)).toEqual(['SYN 5 1 1 1', 'GTC A', 'BLP AL', 'LSG 0 Other%20Contacts 0', 'LST alice@example.com Alice%20✿%20Ünïcødé%20100% 11 0']);
    nine.send('PNG');
    expect((await nine.next()).line).toBe('QNG 60');
  });

  it('current Escargot (loginBurst): SBS 0 null and the profile MSG after USR OK at MSNP11; nothing at MSNP10', async () => {
    await boot({ loginBurst: true });
    const c = track(await signInTwn(server, 'bob@example.com', 'bobpass', 11));
    const sbs = await c.next();
    const msg = await c.next();
    expect([sbs.line, msg.line.replace(/\d+$/, 'n')]).toEqual(['SBS 0 null', 'MSG Hotmail Hotmail n']);
    expect(msg.payload?.toString()).toContain('text/x-msmsgsprofile');
    const ten = track(await signInTwn(server, 'alice@example.com', 'alicepass', 10));
    expect((await ten.next()).line).toMatch(/^MSG Hotmail Hotmail /);
  });
});

describe('list edits, MSNP10–12 (the reference’s table)', () => {
  it('ADC/REM by id and address, ADG/RMG/REG, GTC/BLP/PRP/SBP, REA → 502, each with Escargot’s reply', async () => {
    await boot();
    const bob = await online('bob@example.com', 'bobpass', 12);
    const carol = await online('carol@example.com', 'carolpass', 11);
    const id = '241637e6-f03e-47b1-a674-24155c5ed565';
    const exchange = async (line: string) => {
      bob.send(line);
      return (await bob.waitFor(new RegExp(`^\\S+ ${line.split(' ')[1]}( |$)`))).line;
    };
    expect(await exchange('ADC 10 FL N=carol@example.com F=carol@example.com')).toBe(`ADC 10 FL N=carol@example.com C=${id}`);
    expect((await carol.waitFor('ADC 0 RL')).line).toBe('ADC 0 RL N=bob@example.com F=bob@example.com');
    expect(await exchange('ADC 11 AL N=carol@example.com')).toBe('ADC 11 AL N=carol@example.com');
    // No AL/BL conflict check (the official servers answered 219).
    expect(await exchange('ADC 12 BL N=carol@example.com')).toBe('ADC 12 BL N=carol@example.com');
    expect(await exchange('ADG 13 Friends')).toBe('ADG 13 Friends 1 0');
    expect(await exchange(`ADC 14 FL C=${id} 1`)).toBe(`ADC 14 FL C=${id} 1`);
    expect(await exchange(`REM 15 FL ${id} 1`)).toBe(`REM 15 FL ${id} 1`);
    expect(await exchange(`REM 16 FL ${id}`)).toBe(`REM 16 FL ${id}`);
    expect(await exchange('REM 17 AL carol@example.com')).toBe('REM 17 AL carol@example.com');
    expect(await exchange('RMG 18 1')).toBe('RMG 18 1 1');
    expect(await exchange('ADG 19 Work')).toBe('ADG 19 Work 1 0');
    expect(await exchange('REG 20 1 Home')).toBe('REG 20 1 Home 1 0');
    expect(await exchange('GTC 21 N')).toBe('GTC 21 N');
    expect(await exchange('BLP 22 BL')).toBe('BLP 22 BL');
    expect(await exchange('PRP 23 MFN Bob%20B.')).toBe('PRP 23 MFN Bob%20B.');
    expect(await exchange(`SBP 24 ${id} MFN Carol`)).toBe(`SBP 24 ${id} MFN Carol`);
    expect(await exchange('REA 25 bob@example.com x')).toBe('502 25');
    // Errors: unknown account 207, not on the list 205, unknown group 224, a name over 61 characters 229, group 0 230.
    expect(await exchange('ADC 26 FL N=nobody@example.com F=x')).toBe('207 26');
    expect(await exchange('REM 27 FL 00000000-0000-0000-0000-000000000000')).toBe('205 27');
    expect(await exchange(`ADC 28 FL C=${server.state.account('alice@example.com')!.uuid} 99`)).toBe('224 28');
    expect(await exchange(`ADG 29 ${'x'.repeat(62)}`)).toBe('229 29');
    expect(await exchange('RMG 30 0')).toBe('230 30');
    // What the server kept: the rename and the privacy settings did not stick; carol was never told she was removed.
    const kept = server.state.account('bob@example.com')!;
    expect(kept.groups.find((g) => g.id === 1)?.name).toBe('Work');
    expect([kept.gtc, kept.blp, kept.nickname]).toEqual(['A', 'AL', 'Bob B.']);
    expect((await carol.quiet(50)).filter((l) => l.startsWith('REM'))).toEqual([]);
    bob.send('SYN 31 0 0');
    expect((await bob.take(5)).map((f) => f.line).slice(1, 5)).toEqual(['GTC A', 'BLP AL', 'PRP MFN Bob%20B.', 'LSG Work 1']);
  });

  it('REM … RL closes the connection', async () => {
    await boot();
    const bob = await online('bob@example.com', 'bobpass', 10);
    bob.send('REM 7 RL alice@example.com');
    await bob.closed;
  });

  it('SBP is echoed at MSNP10–12 and stores nothing; below MSNP10 it closes the connection (newer Escargot)', async () => {
    await boot();
    const alice = server.state.account('alice@example.com')!.uuid;
    for (const version of [10, 11, 12]) {
      const bob = await online('bob@example.com', 'bobpass', version);
      bob.send(`SBP 7 ${alice} MFN Ally%20✿`);
      expect((await bob.waitFor('SBP 7')).line).toBe(`SBP 7 ${alice} MFN Ally%20✿`);
      bob.send('SYN 8 0 0');
      expect((await bob.waitFor('LST ')).line).toContain(' F=Alice%20✿%20Ünïcødé%20100% ');
      bob.close();
    }
    const old = await online('bob@example.com', 'bobpass', 9);
    old.send(`SBP 7 ${alice} MFN Ally`);
    await old.closed;
  });
});

describe('who gets presence: the official servers and Escargot', () => {
  // alice lists bob on FL, carol only on RL (carol added her), dave only on BL (she blocked him, never added him).
  const accounts: AccountSpec[] = [
    {
      ...ACCOUNTS[0],
      contacts: [
        { email: 'bob@example.com', lists: ['FL', 'AL', 'RL'] },
        { email: 'carol@example.com', lists: ['RL'] },
        { email: 'dave@example.com', lists: ['BL'] },
      ],
    },
    ACCOUNTS[1],
    { ...ACCOUNTS[2], contacts: [{ email: 'alice@example.com', lists: ['FL', 'AL'] }] },
    { email: 'dave@example.com', password: 'davepass' },
  ];

  it.each([
    [false, ['bob@example.com']],
    [true, ['bob@example.com', 'carol@example.com', 'dave@example.com']],
  ])('presenceToEveryEntry %s: the ILNs at the first CHG and the NLNs after are for %j', async (presenceToEveryEntry, expected) => {
    await boot({ accounts, faults: { presenceToEveryEntry } });
    await online('bob@example.com', 'bobpass', 12);
    await online('carol@example.com', 'carolpass', 12);
    const alice = await online('alice@example.com', 'alicepass', 12);
    const first = await alice.quiet(50);
    await alice.take(first.length);
    const ilns = first.filter((l) => l.startsWith('ILN ')).map((l) => l.split(' ')[3]);
    expect(ilns.sort()).toEqual(expected.filter((e) => e !== 'dave@example.com'));
    // dave comes online after alice: an NLN, or nothing.
    await online('dave@example.com', 'davepass', 11);
    const nlns = (await alice.quiet(50)).filter((l) => l.startsWith('NLN '));
    expect(nlns).toEqual(presenceToEveryEntry ? ['NLN NLN dave@example.com dave@example.com 0 %3Cmsnobj%2F%3E'] : []);
  });
});

describe('presence and personal messages', () => {
  it('MSNP9+: msnobject echoed re-encoded and carried on ILN/NLN; MSNP11+: UBX after each, unescaped', async () => {
    await boot();
    const msnobj = '<msnobj Creator="alice@example.com" Size="4" Type="3" Location="0" Friendly="AAA=" SHA1D="qUqP5cyxm6YcTAhz05Hph5gvu9M=" SHA1C="GJCYymsgxmKvL7+bfmeD+GfMjCQ="/>';
    const alice = track(await signInTwn(server, 'alice@example.com', 'alicepass', 9));
    alice.send('SYN 5 0');
    await alice.waitFor('SYN 5 ');
    alice.send(`CHG 6 NLN 1342177280 ${encodeURIComponent(msnobj)}`);
    expect((await alice.waitFor('CHG 6')).line).toBe(`CHG 6 NLN 1342177280 ${encodeURIComponent(msnobj)}`);
    const bob = track(await signInTwn(server, 'bob@example.com', 'bobpass', 11));
    bob.send('SYN 5 0 0');
    await bob.waitFor('LST ');
    bob.send('CHG 6 NLN 0');
    await bob.waitFor('CHG 6');
    expect((await bob.next()).line).toBe(`ILN 6 NLN alice@example.com Alice%20✿%20Ünïcødé%20100% 1342177280 ${encodeURIComponent(msnobj)}`);
    const ubx = await bob.next();
    expect([ubx.line, ubx.payload?.toString()]).toEqual(['UBX alice@example.com 53', '<Data><PSM></PSM><CurrentMedia></CurrentMedia></Data>']);
    // alice (MSNP9) sees bob with <msnobj/> and no UBX.
    expect((await alice.waitFor('NLN')).line).toBe('NLN NLN bob@example.com bob@example.com 0 %3Cmsnobj%2F%3E');

    // bob sets a personal message with an ampersand: stored unescaped, and sent back so.
    const body = Buffer.from('<Data><PSM>fish &amp; chips ✿</PSM><CurrentMedia></CurrentMedia></Data>');
    bob.send(`UUX 7 ${body.length}`, body);
    expect((await bob.waitFor('UUX 7')).line).toBe('UUX 7 0');
    expect(server.state.account('bob@example.com')).toMatchObject({ personalMessage: 'fish & chips ✿', currentMedia: '' });
    // An empty UUX changes nothing: the old message stays.
    const empty = Buffer.from('<Data><PSM></PSM><CurrentMedia></CurrentMedia></Data>');
    bob.send(`UUX 8 ${empty.length}`, empty);
    expect((await bob.waitFor('UUX 8')).line).toBe('UUX 8 0');
    expect(server.state.account('bob@example.com')?.personalMessage).toBe('fish & chips ✿');
    // A missing element is stored as "None"; numbers are normalised.
    const partial = Buffer.from('<Data><PSM>007</PSM></Data>');
    bob.send(`UUX 9 ${partial.length}`, partial);
    await bob.waitFor('UUX 9');
    expect(server.state.account('bob@example.com')).toMatchObject({ personalMessage: '7', currentMedia: 'None' });
    // A body with an encoding declaration drops the connection.
    const declared = Buffer.from('<?xml version="1.0" encoding="utf-8"?><Data><PSM>x</PSM><CurrentMedia></CurrentMedia></Data>');
    bob.send(`UUX 10 ${declared.length}`, declared);
    await bob.closed;
  });

  it('a watcher at MSNP11 gets the UBX raw (fish & chips), or escaped with ubxEscaped', async () => {
    for (const ubxEscaped of [false, true]) {
      await boot({ ubxEscaped });
      const bob = await online('bob@example.com', 'bobpass', 11);
      const alice = await online('alice@example.com', 'alicepass', 12);
      await alice.waitFor('UBX bob@example.com');
      const body = Buffer.from('<Data><PSM>fish &amp; chips &lt;3</PSM><CurrentMedia></CurrentMedia></Data>');
      bob.send(`UUX 7 ${body.length}`, body);
      await alice.waitFor('NLN NLN bob@example.com');
      const ubx = await alice.next();
      expect(ubx.payload?.toString()).toBe(ubxEscaped ? '<Data><PSM>fish &amp; chips &lt;3</PSM><CurrentMedia></CurrentMedia></Data>' : '<Data><PSM>fish & chips <3</PSM><CurrentMedia></CurrentMedia></Data>');
      await server.stop();
    }
  });

  it('GCF answers the fixed 151-byte Shields.xml at MSNP11+; below MSNP11 it closes the connection', async () => {
    await boot();
    const c = await online('bob@example.com', 'bobpass', 12);
    c.send('GCF 7 Shields.xml');
    const gcf = await c.waitFor('GCF 7');
    expect(gcf.line).toBe('GCF 7 Shields.xml 151');
    expect(gcf.payload?.toString()).toContain('<shield><cli maj="7"');
    const old = await online('alice@example.com', 'alicepass', 8);
    old.send('GCF 7 Shields.xml');
    await old.closed;
  });
});

describe('the switchboard follows the NS session’s version', () => {
  /** alice (Messenger 7.5's capabilities) calls bob; what bob's roster and alice's JOI say. */
  async function call(aliceVersion: number, bobVersion: number) {
    const alice = await online('alice@example.com', 'alicepass', aliceVersion, '1342177280');
    const bob = await online('bob@example.com', 'bobpass', bobVersion, '268435456');
    const sb = track(await openSwitchboard(server, alice, 'alice@example.com', 10));
    sb.send('CAL 2 bob@example.com');
    await sb.waitFor('CAL 2 RINGING');
    const { sb: bobSb, joinLines } = await answerRing(bob, 'bob@example.com');
    track(bobSb);
    return { joinLines, aliceJoi: (await sb.waitFor('JOI')).line };
  }

  it('MSNP12: IRO and JOI end in the member’s capabilities (the official servers); an MSNP11 side gets none', async () => {
    await boot();
    expect(await call(12, 12)).toEqual({
      joinLines: ['JOI bob@example.com bob@example.com 268435456', 'IRO 1 1 1 alice@example.com Alice%20✿%20Ünïcødé%20100% 1342177280', 'ANS 1 OK'],
      aliceJoi: 'JOI bob@example.com bob@example.com 268435456',
    });
    await server.stop();
    await boot();
    expect(await call(12, 11)).toEqual({
      joinLines: ['JOI bob@example.com bob@example.com', 'IRO 1 1 1 alice@example.com Alice%20✿%20Ünïcødé%20100%', 'ANS 1 OK'],
      aliceJoi: 'JOI bob@example.com bob@example.com 268435456',
    });
  });

  it('sbCapabilitiesFrom 13: an MSNP12 client gets the MSNP8 forms, as from Escargot', async () => {
    await boot({ faults: { sbCapabilitiesFrom: 13 } });
    expect(await call(12, 12)).toEqual({
      joinLines: ['JOI bob@example.com bob@example.com', 'IRO 1 1 1 alice@example.com Alice%20✿%20Ünïcødé%20100%', 'ANS 1 OK'],
      aliceJoi: 'JOI bob@example.com bob@example.com',
    });
  });
});

describe('challenges by version', () => {
  it('MSNP11: a right MSNP11 answer is accepted; an MSNP8-style answer gets 540 and the connection closed', async () => {
    await boot({ challenges: true });
    const c = await online('bob@example.com', 'bobpass', 11);
    const chl = (await c.waitFor('CHL 0')).fields[2];
    c.send('QRY 7 PROD0090YUAUV{2B 32', msnp11Answer(chl, 'PROD0090YUAUV{2B', PRODUCTS['PROD0090YUAUV{2B'].key));
    expect((await c.waitFor('QRY 7')).line).toBe('QRY 7');
    server.challenge('bob@example.com');
    const again = (await c.waitFor('CHL 0')).fields[2];
    c.send('QRY 8 msmsgs@msnmsgr.com 32', (await import('./testing/sign-in')).md5(again + 'Q1P7W2E4J9R8U3S5'));
    expect((await c.waitFor('540')).line).toBe('540 8');
    await c.closed;
  });
});
