// Butterfly at every version it speaks, against the test server speaking MSNP2–12 over real sockets: sign-in and the
// whole list at MSNP7–12, the version cap, challenges answered by the negotiated version's algorithm (the server
// drops a wrong answer), every list change at MSNP10–12 as the server stored it, refusals rolled back exactly, what
// the real server only pretends to do told to the person, personal messages and now playing both ways, and a
// conversation over a switchboard that follows the NS's version.
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_VERSIONS, startTestServer, type TestServer, type TestServerOptions } from '../../e2e/msn-server';
import type { MessengerEvent } from '../../src-shared/messenger-types';
import { decodeName } from '../../src-shared/url-codec';
import { md5ChallengeAnswer } from '../protocol/challenge';
import { LiveServices, type AccountCall, type LiveService, contactIn as contact, presenceOf, type PresenceEvent } from './testing/live-service';

let server: TestServer;
const services = new LiveServices(() => server);

async function boot(options: TestServerOptions = {}): Promise<void> {
  server = await startTestServer({ versions: [...ALL_VERSIONS], ...options });
}
afterEach(async () => {
  await services.disposeAll();
  await server?.stop();
});

const groupNamed = (s: LiveService, name: string) => s.snapshot().list.groups.find((g) => decodeName(g.name) === name);

/** The client's list in the server's terms (MSNP10+: no group 0; the server's group 0 is "no group"). */
function clientView(s: LiveService) {
  const list = s.snapshot().list;
  return {
    groups: list.groups.map((g) => ({ id: Number(g.id), name: decodeName(g.name) })).filter((g) => g.id !== 0).sort((a, b) => a.id - b.id),
    contacts: list.contacts
      .map((c) => ({ email: c.email, lists: (['FL', 'AL', 'BL', 'RL'] as const).filter((l) => c.lists[l]), groups: c.groupIds.map(Number).filter((g) => g !== 0).sort() }))
      .sort((a, b) => a.email.localeCompare(b.email)),
  };
}
function serverView(email: string) {
  const a = server.state.account(email)!;
  return {
    groups: a.groups.filter((g) => g.id !== 0).sort((x, y) => x.id - y.id),
    contacts: a.contacts
      .map((c) => ({ email: c.email, lists: (['FL', 'AL', 'BL', 'RL'] as const).filter((l) => c.lists.includes(l)), groups: c.lists.includes('FL') ? c.groups.filter((g) => g !== 0).sort() : [] }))
      .sort((x, y) => x.email.localeCompare(y.email)),
  };
}

async function signedIn(email: string, password: string, maxVersion?: number): Promise<LiveService> {
  const s = services.create({ maxVersion });
  await s.signIn(email, password);
  return s;
}

describe('sign-in and the whole list at each version', () => {
  it.each([12, 11, 10, 9, 8, 7])('MSNP%i', async (version) => {
    await boot();
    const a = await signedIn('alice@example.com', 'alicepass', version);
    const state = a.snapshot().connection;
    expect(state).toMatchObject({ kind: 'connected', protocol: `MSNP${version}` });
    expect(clientView(a)).toEqual(serverView('alice@example.com'));
    expect(decodeName(groupNamed(a, 'Friends')!.name)).toBe('Friends');
    expect(contact(a, 'bob@example.com')).toMatchObject({ lists: { FL: true, AL: true, BL: false, RL: true }, nickname: 'Bob' });
    // The own nickname: from USR OK up to MSNP9, from the list's PRP MFN after.
    expect(decodeName(a.snapshot().profile!.nickname)).toBe('Alice ✿ Ünïcødé');
    if (version >= 10) expect(contact(a, 'bob@example.com')?.contactId).toBe(server.state.account('bob@example.com')!.uuid);
    if (version === 12) expect(contact(a, 'bob@example.com')?.network).toBe(1);
  });

  it('the version cap is honoured: at most MSNP9 offered, MSNP9 spoken; the next sign-in without it is MSNP12', async () => {
    await boot();
    const a = services.create();
    await a.signIn('alice@example.com', 'alicepass');
    await a.call('messenger:set-max-version', { maxVersion: 9 });
    expect(a.snapshot().maxVersion).toBe(9);
    a.service.account(a.accountId).signOut();
    a.traffic.length = 0;
    await a.signIn('alice@example.com', 'alicepass');
    expect(a.traffic.find((t) => t.direction === 'out' && t.line.startsWith('VER'))?.line).toBe('VER 1 MSNP9 MSNP8 MSNP7 MSNP6 MSNP5 MSNP4 MSNP3 MSNP2 CVR0');
    expect(a.snapshot().connection).toMatchObject({ protocol: 'MSNP9' });
    await a.call('messenger:set-max-version', { maxVersion: null });
    a.service.account(a.accountId).signOut();
    await a.signIn('alice@example.com', 'alicepass');
    expect(a.snapshot().connection).toMatchObject({ protocol: 'MSNP12' });
    await expect(a.call('messenger:set-max-version', { maxVersion: 9 })).resolves.toBeNull();
  });

  it('both Escargot generations: with the current one’s SBS and profile MSG after USR OK, the list is the same', async () => {
    await boot({ loginBurst: true });
    const a = await signedIn('alice@example.com', 'alicepass', 11);
    expect(a.linesIn().slice(0, 8).some((l) => l === 'SBS 0 null')).toBe(true);
    expect(clientView(a)).toEqual(serverView('alice@example.com'));
  });
});

describe('challenges follow the negotiated version', () => {
  it('MSNP11: the CHL is answered with the MSNP11 algorithm and the session stays; the MSNP8 answer would be dropped', async () => {
    await boot({ challenges: true });
    const a = await signedIn('alice@example.com', 'alicepass', 11);
    await expect.poll(() => a.traffic.some((t) => t.direction === 'in' && t.line === 'QRY 7'), { timeout: 5_000 }).toBe(true);
    expect(a.traffic.find((t) => t.direction === 'out' && t.line.startsWith('QRY'))?.line).toBe('QRY 7 PROD0090YUAUV{2B 32');
    expect(a.snapshot().connection.kind).toBe('connected');

    // A client still answering with MSNP8's algorithm (what the session did before the dialects) is dropped: 540.
    const old = services.create({ maxVersion: 11, answerChallenge: (chl) => ({ productId: 'msmsgs@msnmsgr.com', answer: md5ChallengeAnswer(chl, 'Q1P7W2E4J9R8U3S5') }) });
    await old.signIn('bob@example.com', 'bobpass');
    await old.log.state('reconnecting', 5_000);
    expect(old.linesIn()).toContain('540 7');
  });
});

describe('list changes at MSNP10–12', () => {
  it.each([10, 12])('MSNP%i: add, block, unblock, remove, groups and a move — each as the server stored it', async (version) => {
    await boot();
    const a = await signedIn('alice@example.com', 'alicepass', version);
    const run = async (call: AccountCall) => {
      await a.run(call);
      expect(clientView(a), call.channel).toEqual(serverView('alice@example.com'));
    };
    await run({ channel: 'contacts:add', request: { email: 'carol@example.com' } });
    expect(contact(a, 'carol@example.com')).toMatchObject({ lists: { FL: true, AL: true }, groupIds: [], contactId: server.state.account('carol@example.com')!.uuid });
    await run({ channel: 'contacts:block', request: { email: 'carol@example.com' } });
    expect(contact(a, 'carol@example.com')?.lists).toMatchObject({ AL: false, BL: true });
    await run({ channel: 'contacts:unblock', request: { email: 'carol@example.com' } });
    await run({ channel: 'contacts:add-group', request: { name: 'Work ✿ 100%' } });
    const work = groupNamed(a, 'Work ✿ 100%')!.id;
    await run({ channel: 'contacts:move', request: { email: 'bob@example.com', fromGroupId: '1', toGroupId: work } });
    expect(contact(a, 'bob@example.com')?.groupIds).toEqual([work]);
    // From no group into one (MSNP10+ have no group 0).
    await run({ channel: 'contacts:move', request: { email: 'carol@example.com', fromGroupId: '0', toGroupId: work } });
    expect(contact(a, 'carol@example.com')?.groupIds).toEqual([work]);
    await run({ channel: 'contacts:add', request: { email: 'carol@example.com', groupId: '1' } });
    expect(contact(a, 'carol@example.com')?.groupIds.sort()).toEqual(['1', work].sort());
    await run({ channel: 'contacts:remove', request: { email: 'carol@example.com' } });
    expect(contact(a, 'carol@example.com')?.lists).toMatchObject({ FL: false, AL: true });
    await run({ channel: 'contacts:remove-group', request: { groupId: work } });
    expect(contact(a, 'bob@example.com')?.groupIds).toEqual([]);
    // Adding a new contact straight into a group: ADC N= then ADC C= group.
    await run({ channel: 'contacts:add', request: { email: 'carol@example.com', groupId: '1' } });
    expect(contact(a, 'carol@example.com')?.groupIds).toEqual(['1']);
    expect(a.traffic.filter((t) => t.direction === 'out' && /^(ADD|REA) /.test(t.line))).toEqual([]);
  });

  it.each<[string, AccountCall, string]>([
    ['add an account that does not exist', { channel: 'contacts:add', request: { email: 'nobody@example.com' } }, 'server.207'],
    ['add a contact already in that group', { channel: 'contacts:add', request: { email: 'bob@example.com', groupId: '1' } }, 'server.215'],
    ['add a contact to a group that does not exist', { channel: 'contacts:add', request: { email: 'carol@example.com', groupId: '77' } }, 'server.224'],
    ['add a group with a name too long', { channel: 'contacts:add-group', request: { name: '✿'.repeat(61) + 'xx' } }, 'server.229'],
    ['remove a group that does not exist', { channel: 'contacts:remove-group', request: { groupId: '99' } }, 'server.224'],
    ['move into a group that does not exist', { channel: 'contacts:move', request: { email: 'bob@example.com', fromGroupId: '1', toGroupId: '99' } }, 'server.224'],
  ])('MSNP12: %s is refused, rolled back exactly, reported', async (_name, call, code) => {
    await boot();
    const a = await signedIn('alice@example.com', 'alicepass', 12);
    const before = a.snapshot().list;
    const serverBefore = serverView('alice@example.com');
    a.log.mark();
    await expect(a.run(call)).rejects.toMatchObject({ code });
    await a.log.next((e) => e.type === 'list-change-failed' && e.change === call.channel, 'list-change-failed');
    expect(a.snapshot().list).toEqual(before);
    expect(serverView('alice@example.com')).toEqual(serverBefore);
  });

  it('a rename the server only pretends to make (Escargot’s REG) is shown, then told as not kept when the next list says so', async () => {
    await boot();
    const a = await signedIn('alice@example.com', 'alicepass', 11);
    await a.call('contacts:rename-group', { groupId: '1', name: 'Pals' });
    expect(decodeName(a.snapshot().list.groups.find((g) => g.id === '1')!.name)).toBe('Pals');
    a.log.mark();
    a.service.account(a.accountId).signOut();
    await a.signIn('alice@example.com', 'alicepass');
    const told = await a.log.next((e): e is Extract<MessengerEvent, { type: 'list-change-not-kept' }> => e.type === 'list-change-not-kept', 'list-change-not-kept');
    expect(told).toMatchObject({ change: 'contacts:rename-group', what: expect.stringContaining('"Friends"') });
    expect(decodeName(a.snapshot().list.groups.find((g) => g.id === '1')!.name)).toBe('Friends');
  });

  it('privacy the server acknowledges without keeping (GTC/BLP at MSNP10+) is told as not kept; at MSNP8 it is kept', async () => {
    await boot();
    const a = await signedIn('alice@example.com', 'alicepass', 12);
    await a.call('contacts:set-privacy', { blp: 'BL', gtc: 'N' });
    expect(a.snapshot().list).toMatchObject({ blp: 'BL', gtc: 'N' });
    a.log.mark();
    a.service.account(a.accountId).signOut();
    await a.signIn('alice@example.com', 'alicepass');
    const told = await a.log.next((e): e is Extract<MessengerEvent, { type: 'list-change-not-kept' }> => e.type === 'list-change-not-kept', 'not kept');
    expect(told).toMatchObject({ change: 'contacts:set-privacy' });
    expect(a.snapshot().list).toMatchObject({ blp: 'AL', gtc: 'A' });

    const b = await signedIn('bob@example.com', 'bobpass', 8);
    await b.call('contacts:set-privacy', { blp: 'BL' });
    b.service.account(b.accountId).signOut();
    await b.signIn('bob@example.com', 'bobpass');
    expect(b.snapshot().list.blp).toBe('BL');
    expect(b.log.events.some((e) => e.type === 'list-change-not-kept')).toBe(false);
  });

  it('the added-you prompt at MSNP12 (ADC 0 RL): allow and add back; nothing of RL is ever sent', async () => {
    await boot();
    const a = await signedIn('alice@example.com', 'alicepass', 12);
    const carol = await signedIn('carol@example.com', 'carolpass', 10);
    a.log.mark();
    await carol.call('contacts:add', { email: 'alice@example.com' });
    const prompt = await a.log.next((e): e is Extract<MessengerEvent, { type: 'added-you' }> => e.type === 'added-you', 'added-you');
    expect(prompt).toMatchObject({ email: 'carol@example.com' });
    await a.call('contacts:answer-added-you', { email: 'carol@example.com', allow: true, addBack: true });
    expect(clientView(a)).toEqual(serverView('alice@example.com'));
    expect(contact(a, 'carol@example.com')?.lists).toEqual({ FL: true, AL: true, BL: false, RL: true });
    for (const s of [a, carol]) expect(s.traffic.filter((t) => t.direction === 'out' && / RL( |$)/.test(t.line))).toEqual([]);
  });
});

describe('personal messages and now playing, MSNP11+', () => {
  async function pair(aliceVersion = 12, bobVersion = 11): Promise<{ alice: LiveService; bob: LiveService }> {
    const alice = await signedIn('alice@example.com', 'alicepass', aliceVersion);
    const bob = await signedIn('bob@example.com', 'bobpass', bobVersion);
    await expect.poll(() => contact(alice, 'bob@example.com')?.status, { timeout: 5_000 }).toBe('NLN');
    return { alice, bob };
  }

  it.each([
    ['&', 'fish & chips'],
    ['<', 'a < b > c'],
    ['emoji', 'Probe ✿ 🦋 status'],
    ['right-to-left text', 'שלום עולם — مرحبا'],
  ])('both ways with %s (Escargot sends it back unescaped: read by the literal fallback)', async (_what, text) => {
    await boot();
    const { alice, bob } = await pair();
    alice.log.mark();
    await bob.call('messenger:set-personal-message', { message: text });
    expect(bob.snapshot().profile?.personalMessage).toBe(text);
    await alice.log.next((e) => presenceOf('bob@example.com')(e) && e.personalMessage === text, `bob's message at alice`);
    expect(contact(alice, 'bob@example.com')?.personalMessage).toBe(text);
    bob.log.mark();
    await alice.call('messenger:set-personal-message', { message: `re: ${text}` });
    await bob.log.next((e) => presenceOf('alice@example.com')(e) && e.personalMessage === `re: ${text}`, `alice's message at bob`);
  });

  it('escaped the way the official servers send it, the same text arrives', async () => {
    await boot({ ubxEscaped: true });
    const { alice, bob } = await pair(11, 12);
    alice.log.mark();
    await bob.call('messenger:set-personal-message', { message: 'fish & <chips>' });
    await alice.log.next((e) => presenceOf('bob@example.com')(e) && e.personalMessage === 'fish & <chips>', 'escaped message');
  });

  it('now playing: sent as Music with its template, rendered by it; clearing the message leaves what the server kept', async () => {
    await boot();
    const { alice, bob } = await pair();
    alice.log.mark();
    await bob.call('messenger:set-now-playing', { media: { artist: 'Daft Punk', title: 'One More Time' } });
    const p = await alice.log.next((e): e is PresenceEvent => presenceOf('bob@example.com')(e) && e.currentMedia !== undefined, 'media at alice');
    expect(p.currentMedia).toEqual({ application: '', type: 'Music', enabled: true, format: '{0} - {1}', args: ['One More Time', 'Daft Punk', ''] });
    await bob.call('messenger:set-personal-message', { message: 'hello' });
    await expect.poll(() => contact(alice, 'bob@example.com')?.personalMessage, { timeout: 5_000 }).toBe('hello');
    // Clearing sends the empty form; Escargot keeps the old text (both elements empty → not updated), and alice sees it.
    await bob.call('messenger:set-now-playing', { media: null });
    await bob.call('messenger:set-personal-message', { message: '' });
    expect(bob.traffic.filter((t) => t.direction === 'out' && t.line.startsWith('UUX')).at(-1)?.payloadBytes).toBe(53);
    expect(server.state.account('bob@example.com')?.personalMessage).toBe('hello');
  });

  it('below MSNP11 a personal message is refused up front, and a contact at MSNP10 sees none', async () => {
    await boot();
    const { alice, bob } = await pair(10, 12);
    await expect(alice.call('messenger:set-personal-message', { message: 'x' })).rejects.toMatchObject({ code: 'session.not-supported' });
    await bob.call('messenger:set-personal-message', { message: 'only for 11+' });
    await expect.poll(() => server.state.account('bob@example.com')?.personalMessage).toBe('only for 11+');
    expect(contact(alice, 'bob@example.com')?.personalMessage).toBeUndefined();
  });

  it('the personal message is sent again after a reconnect', async () => {
    await boot();
    const { bob } = await pair();
    await bob.call('messenger:set-personal-message', { message: 'back again' });
    const before = bob.traffic.filter((t) => t.direction === 'out' && t.line.startsWith('UUX')).length;
    server.kickAll();
    await bob.log.state('reconnecting', 5_000);
    await bob.log.state('connected', 10_000);
    expect(bob.traffic.filter((t) => t.direction === 'out' && t.line.startsWith('UUX')).length).toBe(before + 1);
  });
});

describe('bad input from the server at MSNP12: each item skipped and noted, the connection and the list kept', () => {
  it('malformed UBX XML, an XML bomb, a 1 MB UBX, an LST without fields or with unknown bits, a CHL that is not ASCII', async () => {
    await boot();
    const alice = await signedIn('alice@example.com', 'alicepass', 12);
    const bob = await signedIn('bob@example.com', 'bobpass', 12);
    await bob.call('messenger:set-personal-message', { message: 'before' });
    await expect.poll(() => contact(alice, 'bob@example.com')?.personalMessage, { timeout: 5_000 }).toBe('before');
    const listBefore = alice.snapshot().list.contacts.map((c) => c.email);
    const ubx = (xml: string) => Buffer.concat([Buffer.from(`UBX bob@example.com ${Buffer.byteLength(xml)}\r\n`), Buffer.from(xml)]);
    const bomb = '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><Data><PSM>&c;</PSM><CurrentMedia/></Data>';
    server.faults.sendRaw('alice@example.com', Buffer.concat([
      ubx('<Data><PSM>unclosed</Data>'),
      ubx(bomb),
      Buffer.from(`UBX bob@example.com ${1024 * 1024}\r\n`),
      Buffer.alloc(1024 * 1024, 0x3c),
      Buffer.from('LST N=dave@example.com F=Dave\r\nLST F=nobody 11\r\nLST N=erin@example.com F=Erin C=e 255 1 \r\nCHL 0 2221021964216401496\u00e9\r\n'),
      ubx('<Data><PSM>after</PSM><CurrentMedia></CurrentMedia></Data>'),
    ]));
    await expect.poll(() => contact(alice, 'bob@example.com')?.personalMessage, { timeout: 5_000 }).toBe('after');
    const notes = alice.traffic.filter((t) => t.direction === 'note').map((t) => t.line);
    expect(notes.filter((n) => n.startsWith('skipped the personal message of bob@example.com'))).toHaveLength(2);
    expect(notes.some((n) => n.startsWith('skipped a challenge'))).toBe(true);
    expect(alice.traffic.some((t) => /^UBX bob@example.com 1048576 +\[payload of 1048576 bytes skipped/.test(t.line))).toBe(true);
    expect(alice.snapshot().connection.kind).toBe('connected');
    // The list lines outside a download are changes: nobody was lost; the unknown bits were left out.
    for (const email of listBefore) expect(contact(alice, email)).toBeDefined();
    expect(contact(alice, 'erin@example.com')?.lists).toEqual({ FL: true, AL: true, BL: true, RL: true });
    expect(alice.traffic.some((t) => t.direction === 'out' && t.line.startsWith('QRY'))).toBe(false);
    expect(server.state.internalErrors()).toEqual([]);
  });
});

describe('conversations follow the NS’s version', () => {
  it.each([12, 9])('MSNP%i: a message from alice reaches bob over a switchboard', async (version) => {
    await boot();
    const alice = await signedIn('alice@example.com', 'alicepass', version);
    const bob = await signedIn('bob@example.com', 'bobpass', version);
    await expect.poll(() => contact(alice, 'bob@example.com')?.status, { timeout: 5_000 }).toBe('NLN');
    const { conversationId } = await alice.call('conversations:open', { email: 'bob@example.com' });
    bob.log.mark();
    await alice.call('conversations:send-text', { conversationId, text: 'hi at MSNP' + version });
    const got = await bob.log.next((e) => e.type === 'message' && JSON.stringify(e).includes('hi at MSNP'), 'message at bob', 10_000);
    expect(JSON.stringify(got)).toContain(`hi at MSNP${version}`);
  });
});
