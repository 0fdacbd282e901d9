// The dialect table: per version, what the wire carries (payload commands per direction, TrID rules), sign-in, the
// challenge, command names and line shapes — checked against the reference's tables (versions.md, msnp9-12.md).
import { describe, expect, it } from 'vitest';
import { answerChallenge } from '../../protocol/challenge';
import { parseCommand } from '../../protocol/command';
import { ContactList } from '../contact-list';
import type { Incoming } from '../wire';
import { dialectFor, offeredVersions, OFFERED_VERSIONS, type Dialect } from './index';

const d = (v: number): Dialect => {
  const found = dialectFor(v);
  if (!found) throw new Error(`no dialect for ${v}`);
  return found;
};
const all = OFFERED_VERSIONS.map((name) => d(Number(name.slice(4))));
const line = (text: string, dialect: Dialect, payload?: string): Incoming => ({
  ...parseCommand({ line: text }, dialect.ns),
  ...(payload !== undefined ? { payload: new TextEncoder().encode(payload) } : {}),
});

describe('the versions', () => {
  it('offers MSNP12 down to MSNP2, and a cap lowers the top', () => {
    expect(OFFERED_VERSIONS.join(' ')).toBe('MSNP12 MSNP11 MSNP10 MSNP9 MSNP8 MSNP7 MSNP6 MSNP5 MSNP4 MSNP3 MSNP2');
    expect(offeredVersions(9)).toEqual(['MSNP9', 'MSNP8', 'MSNP7', 'MSNP6', 'MSNP5', 'MSNP4', 'MSNP3', 'MSNP2']);
    expect(offeredVersions()).toEqual([...OFFERED_VERSIONS]);
    expect(dialectFor(13)).toBeUndefined();
    expect(dialectFor(1)).toBeUndefined();
    expect(all.map((x) => x.name)).toEqual([...OFFERED_VERSIONS]);
  });
});

describe('the wire, per version and direction', () => {
  it.each([
    [2, ['MSG', 'NOT', 'IPG', 'UBX', 'GCF'], ['MSG']],
    [5, ['MSG', 'NOT', 'IPG', 'UBX', 'GCF'], ['MSG']],
    [6, ['MSG', 'NOT', 'IPG', 'UBX', 'GCF'], ['MSG', 'QRY']],
    [7, ['MSG', 'NOT', 'IPG', 'UBX', 'GCF'], ['MSG', 'QRY']],
    [8, ['MSG', 'NOT', 'IPG', 'UBX', 'GCF'], ['MSG', 'QRY']],
    [9, ['MSG', 'NOT', 'IPG', 'UBX', 'GCF'], ['MSG', 'QRY']],
    [10, ['MSG', 'NOT', 'IPG', 'UBX', 'GCF'], ['MSG', 'QRY']],
    // `UUX trid 0` answers a UUX: a payload command with an empty body (versions.md, Table C).
    [11, ['MSG', 'NOT', 'IPG', 'UBX', 'GCF', 'UUX'], ['MSG', 'QRY', 'UUX']],
    [12, ['MSG', 'NOT', 'IPG', 'UBX', 'GCF', 'UUX'], ['MSG', 'QRY', 'UUX']],
  ])('MSNP%i: NS payload commands from the server %j, from the client %j; the switchboard MSG both ways', (v, fromServer, fromClient) => {
    expect(d(v).ns.payloads).toEqual({ fromServer, fromClient });
    expect(d(v).sb.payloads).toEqual({ fromServer: ['MSG'], fromClient: ['MSG'] });
  });

  it('MSNP2–7 put the SYN’s TrID on LST/LSG/BPR; from MSNP8 on nothing does', () => {
    for (const x of all) expect([x.version, x.ns.listLinesCarryTrid]).toEqual([x.version, x.version <= 7]);
    expect(line('LST 5 FL 3 1 1 bob@example.com Bob 0', d(7)).args[0]).toBe('FL');
    expect(line('LST N=bob@example.com F=Bob C=x 11 1 ', d(12)).args).toEqual(['N=bob@example.com', 'F=Bob', 'C=x', '11', '1']);
  });
});

describe('sign-in', () => {
  it('MD5 up to MSNP7, TWN (with CVR) from MSNP8; the CVR names the Messenger of the version', () => {
    expect(all.map((x) => `${x.version}:${x.auth}`)).toEqual(['12:TWN', '11:TWN', '10:TWN', '9:TWN', '8:TWN', '7:MD5', '6:MD5', '5:MD5', '4:MD5', '3:MD5', '2:MD5']);
    expect(d(8).clientVersion).toEqual(['0x0409', 'winnt', '5.1', 'i386', 'MSNMSGR', '6.0.0602', 'MSMSGS']);
    // Capture 15.
    expect(d(12).clientVersion).toEqual(['0x0409', 'winnt', '5.1', 'i386', 'MSNMSGR', '7.5.0324', 'msmsgs']);
  });

  it('USR OK: email and nickname up to MSNP9, the e-mail alone from MSNP10', () => {
    expect(d(7).signedIn(['OK', 'a@b.c', 'Nick'])).toEqual({ email: 'a@b.c', nickname: 'Nick' });
    expect(d(7).signedIn(['OK', 'a@b.c', 'Nick', '1'])).toEqual({ email: 'a@b.c', nickname: 'Nick' });
    expect(d(9).signedIn(['OK', 'a@b.c', 'Nick', '1', '0'])).toEqual({ email: 'a@b.c', nickname: 'Nick' });
    expect(d(10).signedIn(['OK', 'bob@example.com', '1', '0'])).toEqual({ email: 'bob@example.com' });
    expect(d(12).signedIn(['TWN', 'S', 'x'])).toBeUndefined();
  });
});

describe('challenges', () => {
  it.each([
    [6, 'md5', 'msmsgs@msnmsgr.com'],
    [8, 'md5', 'msmsgs@msnmsgr.com'],
    [10, 'md5', 'msmsgs@msnmsgr.com'],
    [11, 'msnp11', 'PROD0090YUAUV{2B'],
    [12, 'msnp11', 'PROD0101{0RM?UBW'],
  ])('MSNP%i: %s with %s', (v, algorithm, productId) => {
    expect(d(v).challengeAlgorithm).toBe(algorithm);
    expect(d(v).challengeProduct.id).toBe(productId);
  });

  it('answers the reference vectors through the dialect: MD5 at MSNP8, the MSNP11 algorithm at MSNP11', () => {
    expect(answerChallenge('22210219642164014968', d(8))).toEqual({ productId: 'msmsgs@msnmsgr.com', answer: 'eedf627f65e76d031255a605f5841204' });
    expect(answerChallenge('22210219642164014968', d(11))).toEqual({ productId: 'PROD0090YUAUV{2B', answer: '85ecb0db8f32113df79ce0892b9a102c' });
    expect(answerChallenge('1663122458434562624782678054', d(12))).toEqual({ productId: 'PROD0101{0RM?UBW', answer: '47c010619a78401d6036f418d089b34c' });
  });
});

describe('command names', () => {
  const list = new ContactList();
  list.putContact('carol@example.com', 'Carol', 1 | 2, [], { contactId: '241637e6-f03e-47b1-a674-24155c5ed565' });

  it('ADD up to MSNP9, ADC from MSNP10; REA up to MSNP9, PRP MFN from MSNP10', () => {
    const add = { list: 'FL' as const, add: true, email: 'dave@example.com' };
    expect(d(8).lists.request({ ...add, group: '0' }, list)).toEqual({ command: 'ADD', args: ['FL', 'dave@example.com', 'dave@example.com', '0'] });
    expect(d(6).lists.request(add, list)).toEqual({ command: 'ADD', args: ['FL', 'dave@example.com', 'dave@example.com'] });
    expect(d(10).lists.request(add, list)).toEqual({ command: 'ADC', args: ['FL', 'N=dave@example.com', 'F=dave@example.com'] });
    expect(d(9).lists.setNickname('a@b.c', 'Bob%20B.')).toEqual({ command: 'REA', args: ['a@b.c', 'Bob%20B.'] });
    expect(d(10).lists.setNickname('a@b.c', 'Bob%20B.')).toEqual({ command: 'PRP', args: ['MFN', 'Bob%20B.'] });
    for (const x of all) expect([x.version, x.sends('REA'), x.sends('ADD'), x.sends('ADC')]).toEqual([x.version, x.version <= 9, x.version <= 9, x.version >= 10]);
  });

  it('MSNP10+ edit FL by contact id and AL/BL by address, as in the reference’s table', () => {
    const id = '241637e6-f03e-47b1-a674-24155c5ed565';
    const l = d(11).lists;
    expect(l.request({ list: 'FL', add: true, email: 'carol@example.com', group: '1' }, list)).toEqual({ command: 'ADC', args: ['FL', `C=${id}`, '1'] });
    expect(l.request({ list: 'FL', add: false, email: 'carol@example.com', group: '1' }, list)).toEqual({ command: 'REM', args: ['FL', id, '1'] });
    expect(l.request({ list: 'FL', add: false, email: 'carol@example.com' }, list)).toEqual({ command: 'REM', args: ['FL', id] });
    expect(l.request({ list: 'AL', add: true, email: 'carol@example.com' }, list)).toEqual({ command: 'ADC', args: ['AL', 'N=carol@example.com'] });
    expect(l.request({ list: 'BL', add: false, email: 'carol@example.com' }, list)).toEqual({ command: 'REM', args: ['BL', 'carol@example.com'] });
    expect(l.addGroup('Friends')).toEqual({ command: 'ADG', args: ['Friends'] });
    expect(l.renameGroup('2', 'Work')).toEqual({ command: 'REG', args: ['2', 'Work'] });
    expect(d(8).lists.renameGroup('2', 'Work')).toEqual({ command: 'REG', args: ['2', 'Work', '0'] });
    expect(d(8).lists.addGroup('Friends')).toEqual({ command: 'ADG', args: ['Friends', '0'] });
  });

  it('a contact’s stored name follows their new one by SBP id MFN nick from MSNP10; MSNP2–9 send nothing', () => {
    const id = '241637e6-f03e-47b1-a674-24155c5ed565';
    for (const x of all) {
      const request = x.lists.storedName('carol@example.com', 'Carol%20B.', list);
      expect([x.version, request]).toEqual([x.version, x.version >= 10 ? { command: 'SBP', args: [id, 'MFN', 'Carol%20B.'] } : undefined]);
      if (request) expect(x.sends(request.command)).toBe(true);
    }
    // Without the server's contact id there is nobody to name.
    expect(d(12).lists.storedName('nobody@example.com', 'x', list)).toBeUndefined();
  });

  it('never sends a change of the reverse list (REM … RL closes the connection)', () => {
    for (const x of all) {
      expect(() => x.lists.request({ list: 'RL', add: false, email: 'carol@example.com' }, list)).toThrow(expect.objectContaining({ code: 'session.not-supported' }));
    }
  });

  it('reads the replies as the reference shows them (ADG name id 0, REG 1 name id 0, ADC … C=id)', () => {
    const l = d(12).lists;
    const fresh = new ContactList();
    expect(l.groupAdded(line('ADG 13 Friends 1 0', d(12)), 'Friends', fresh)).toEqual({ id: '1', name: 'Friends' });
    expect(l.groupRenamed(line('REG 19 1 Work 2 0', d(12)), '2', 'Work', fresh)).toBe('Work');
    fresh.addToList('carol@example.com', 'FL', 'carol@example.com');
    l.accepted({ list: 'FL', add: true, email: 'carol@example.com' }, line('ADC 10 FL N=carol@example.com C=241637e6-f03e-47b1-a674-24155c5ed565', d(12)), fresh);
    expect(fresh.get('carol@example.com')?.contactId).toBe('241637e6-f03e-47b1-a674-24155c5ed565');
    expect(l.nicknameSet(line('PRP 22 MFN Bob%20B.', d(12)), 'x', fresh)).toBe('Bob%20B.');
    expect(fresh.ownNickname).toBe('Bob%20B.');
    expect(l.privacySet(line('BLP 21 BL', d(12)), fresh)).toBe('BL');
    expect(d(8).lists.privacySet(line('BLP 21 7 BL', d(8)), fresh)).toBe('BL');
  });

  it('UUX and GCF only from MSNP11; INF only with MD5', () => {
    for (const x of all) expect([x.version, x.sends('UUX'), x.personalStatus, x.sends('INF')]).toEqual([x.version, x.version >= 11, x.version >= 11, x.version <= 7]);
  });
});

describe('line shapes', () => {
  const msnobj = '<msnobj Creator="alice@example.com" Size="4" Type="3" Location="0" Friendly="AAA=" SHA1D="qUqP5cyxm6YcTAhz05Hph5gvu9M=" SHA1C="GJCYymsgxmKvL7+bfmeD+GfMjCQ="/>';
  const field = encodeURIComponent(msnobj);

  it('CHG: the status alone up to MSNP7, with the client id from MSNP8, and a URL-encoded msnobject from MSNP9', () => {
    expect(d(7).setStatus('NLN', 0)).toEqual(['NLN']);
    expect(d(8).setStatus('NLN', 1342177280, msnobj)).toEqual(['NLN', '1342177280']);
    expect(d(9).setStatus('NLN', 1342177280, msnobj)).toEqual(['NLN', '1342177280', field]);
    expect(d(9).setStatus('NLN', 0, msnobj)[2]).not.toMatch(/[ <>"=/]/);
    expect(d(12).setStatus('BSY', 0)).toEqual(['BSY', '0']);
  });

  it('ILN/NLN: the msnobject is read from MSNP9, and one without Creator/SHA1D is no picture', () => {
    const iln = `ILN 6 NLN alice@example.com Alice 1342177280 ${field}`;
    expect(d(8).presence(line(iln, d(8)))).toEqual({ status: 'NLN', email: 'alice@example.com', nickname: 'Alice', clientId: 1342177280, endsAtNickname: false });
    expect(d(9).presence(line(iln, d(9)))?.picture?.msnObject).toMatchObject({ creator: 'alice@example.com', sha1d: 'qUqP5cyxm6YcTAhz05Hph5gvu9M=', type: 3, size: 4 });
    expect(d(11).presence(line('NLN NLN bob@example.com Bob 1073741824 %3Cmsnobj%2F%3E', d(11)))?.picture).toEqual({ msnObject: undefined });
    expect(d(9).presence(line('NLN NLN bob@example.com Bob 0 %3Cmsnobj%20Creator%3D%22x', d(9)))?.picture).toEqual({ msnObject: undefined });
    expect(d(12).presence(line('NLN ZZZ bob@example.com Bob 0', d(12)))).toBeUndefined();
  });

  it('someone adding you: ADD 0 RL (with or without a list version) up to MSNP9, ADC 0 RL N= F= from MSNP10', () => {
    expect(d(8).reverseListChange(line('ADD 0 RL 12 bob@example.com Bob', d(8)))).toEqual({ added: true, email: 'bob@example.com', nickname: 'Bob', listVersion: '12' });
    expect(d(9).reverseListChange(line('ADD 0 RL bob@example.com Bob', d(9)))).toEqual({ added: true, email: 'bob@example.com', nickname: 'Bob', listVersion: undefined });
    expect(d(10).reverseListChange(line('ADC 0 RL N=alice@example.com F=Alice', d(10)))).toEqual({ added: true, email: 'alice@example.com', nickname: 'Alice', listVersion: undefined });
    expect(d(8).reverseListChange(line('REM 0 RL 13 bob@example.com', d(8)))).toMatchObject({ added: false, email: 'bob@example.com' });
    expect(d(10).reverseListChange(line('ADC 10 FL N=x@y.z C=1', d(10)))).toBeUndefined();
  });

  it('IRO/JOI: the capability field from MSNP12 only', () => {
    expect(d(12).switchboardMember('JOI', ['bob@example.com', 'Bob', '1342177280'])).toEqual({ email: 'bob@example.com', nickname: 'Bob', clientId: 1342177280 });
    expect(d(12).switchboardMember('IRO', ['1', '1', 'bob@example.com', 'Bob'])).toEqual({ email: 'bob@example.com', nickname: 'Bob' });
    expect(d(11).switchboardMember('JOI', ['bob@example.com', 'Bob', '1342177280'])).toEqual({ email: 'bob@example.com', nickname: 'Bob' });
    expect(d(12).switchboardMember('IRO', ['1', '2', 'bob@example.com', 'Bob', '268435456'])).toEqual({ email: 'bob@example.com', nickname: 'Bob', clientId: 268435456 });
  });
});

describe('list downloads', () => {
  /** Runs a SYN reply and its lines through a dialect's list sync; what it skipped, and the list. */
  function download(dialect: Dialect, list: ContactList, reply: string, lines: string[]) {
    const sync = dialect.createListSync(list);
    const skipped: string[] = [];
    sync.onSkip = (why) => skipped.push(why);
    const args = sync.synArgs();
    const unchanged = sync.begin(line(reply, dialect));
    for (const l of lines) if (!sync.apply(line(l, dialect))) throw new Error(`not a list line: ${l}`);
    return { args, unchanged, complete: sync.complete, skipped, sync };
  }

  it('MSNP12 (capture 15): two timestamps, PRP MFN, LST N= F= C= bits network with the trailing empty group field', () => {
    const list = new ContactList();
    const r = download(d(12), list, 'SYN 5 2000-01-01T00:00:00.0-00:00 2000-01-01T00:00:00.0-00:00 1 0', [
      'GTC A',
      'BLP AL',
      'PRP MFN bob@example.com',
      'LST N=alice@example.com F=Alice%20✿%20Ünïcødé%20100% C=9dc77cf1-127e-40a9-a36d-2a1526b38a8f 11 1 ',
    ]);
    expect(r).toMatchObject({ args: ['0', '0'], unchanged: false, complete: true, skipped: [] });
    expect(list.get('alice@example.com')).toMatchObject({
      nickname: 'Alice%20✿%20Ünïcødé%20100%',
      contactId: '9dc77cf1-127e-40a9-a36d-2a1526b38a8f',
      network: 1,
      lists: { FL: true, AL: true, BL: false, RL: true },
      groupIds: [],
    });
    expect(list.snapshot()).toMatchObject({ protocol: 12, ownNickname: 'bob@example.com', timestamps: { contacts: '2000-01-01T00:00:00.0-00:00', groups: '2000-01-01T00:00:00.0-00:00' } });
    // The next SYN offers them back, at this version only.
    expect(d(12).createListSync(list).synArgs()).toEqual(['2000-01-01T00:00:00.0-00:00', '2000-01-01T00:00:00.0-00:00']);
    expect(d(11).createListSync(list).synArgs()).toEqual(['0', '0']);
    expect(d(8).createListSync(list).synArgs()).toEqual(['0']);
  });

  it('MSNP10/11: no network field, so the field after the bits is the groups; LSG name id', () => {
    const list = new ContactList();
    download(d(10), list, 'SYN 5 0 0 2 1', ['LSG Friends 1', 'LST N=bob@example.com F=Bob C=b-1 11 1,2', 'LST N=carol@example.com F=carol@example.com C=c-1 8']);
    expect(list.getGroup('1')).toEqual({ id: '1', name: 'Friends' });
    expect(list.get('bob@example.com')).toMatchObject({ groupIds: ['1', '2'], contactId: 'b-1' });
    expect(list.get('bob@example.com')?.network).toBeUndefined();
    expect(list.get('carol@example.com')).toMatchObject({ lists: { RL: true, FL: false }, groupIds: [] });
  });

  it('bad lines are skipped one by one, never the list: missing fields, unknown bits, garbage timestamps', () => {
    const list = new ContactList();
    const r = download(d(12), list, 'SYN 5 garbage 2000-01-01 4 1', [
      'LSG Friends',
      'LST F=Nobody 11 1',
      'LST N=bob@example.com F=Bob C=b 27 1 1',
      'LST N=carol@example.com F=Carol C=c',
      'LST N=dave@example.com F=Dave C=d 1 1',
    ]);
    expect(r.complete).toBe(true);
    expect(r.skipped).toHaveLength(5);
    expect(r.skipped.join('\n')).toMatch(/timestamps[\s\S]*without a group id[\s\S]*without an address[\s\S]*list bits 27[\s\S]*without its list bits/);
    expect(list.get('bob@example.com')).toMatchObject({ lists: { FL: true, AL: true, BL: false, RL: true }, groupIds: ['1'] });
    expect(list.get('dave@example.com')).toBeDefined();
    expect(list.timestamps).toBeUndefined();
  });

  it('a SYN reply without counts leaves the list we hold (a current cache, or a server that says nothing)', () => {
    const list = new ContactList();
    list.putContact('old@example.com', 'Old', 3, []);
    list.protocol = 12;
    list.timestamps = { contacts: '2001-01-01T00:00:00.0-00:00', groups: '2001-01-01T00:00:00.0-00:00' };
    expect(download(d(12), list, 'SYN 5 2001-01-01T00:00:00.0-00:00 2001-01-01T00:00:00.0-00:00', []).unchanged).toBe(true);
    expect(list.get('old@example.com')).toBeDefined();
  });

  it('a nickname cut by a raw line break is joined with the stray line after it (MSNP10+ too)', () => {
    const list = new ContactList();
    const sync = d(11).createListSync(list);
    sync.begin(line('SYN 5 0 0 1 0', d(11)));
    sync.apply(line('LST N=bob@example.com F=Bob', d(11)));
    expect(sync.cut).toEqual(['N=bob@example.com', 'F=Bob']);
    sync.continueCut('the%20Builder C=b 11');
    expect(list.get('bob@example.com')).toMatchObject({ nickname: 'Bob%0D%0Athe%20Builder', contactId: 'b' });
  });

  it('MSNP7 and MSNP8 lists still download as before (version in and out)', () => {
    const l7 = new ContactList();
    const r7 = download(d(7), l7, 'SYN 5 9', ['LSG 5 9 1 1 0 Other%20Contacts 0', 'LST 5 FL 9 1 1 bob@example.com Bob 0', 'LST 5 AL 9 1 1 bob@example.com Bob', 'LST 5 BL 9 0 0', 'LST 5 RL 9 0 0', 'GTC 5 9 A', 'BLP 5 9 AL']);
    expect(r7).toMatchObject({ args: ['0'], complete: true });
    expect(l7.snapshot()).toMatchObject({ version: 9, protocol: 7 });
    expect(l7.get('bob@example.com')).toMatchObject({ lists: { FL: true, AL: true }, groupIds: ['0'] });
    const l8 = new ContactList();
    download(d(8), l8, 'SYN 5 12 1 1', ['GTC A', 'BLP AL', 'LSG 0 Other%20Contacts 0', 'LST bob@example.com Bob 11 0']);
    expect(d(8).createListSync(l8).synArgs()).toEqual(['12']);
    expect(d(9).createListSync(l8).synArgs()).toEqual(['0']);
  });
});
