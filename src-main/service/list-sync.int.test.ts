// The contact list download at scale and under hostile delivery: 500 contacts in 1-byte chunks, with presence lines,
// an e-mail notice and a challenge arriving in the middle of the list; then the list-version cache skipping the
// download on the next sign-in.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultTestAccounts, startTestServer, type AccountSpec, type ContactSpec, type ListName, type TestServer } from '../../e2e/msn-server';
import { decodeName } from '../../src-shared/url-codec';
import { createFileListCache } from '../session/list-cache';
import { LiveServices } from './testing/live-service';
import { startSpliceRelay, type SpliceRelay } from './testing/splice-relay';

const BIG = 'big@example.com';
const N = 500;
const email = (i: number) => `c${String(i).padStart(3, '0')}@example.com`;

/** 500 contacts that are not accounts here (their stored nicknames are what SYN shows), spread over 5 groups, some
 *  blocked, some only on RL; plus alice, an account, to get real presence (ILN) and phone numbers (BPR). */
function accounts(): AccountSpec[] {
  const contacts: ContactSpec[] = [];
  for (let i = 1; i <= N; i++) {
    const lists: ListName[] = i % 50 === 0 ? ['RL'] : i % 25 === 0 ? ['FL', 'BL'] : ['FL', 'AL', 'RL'];
    contacts.push({ email: email(i), nickname: `Contact ${i} ✿ 100%`, lists, groups: lists.includes('FL') ? [i % 5] : undefined });
  }
  contacts.push({ email: 'alice@example.com', lists: ['FL', 'AL'], groups: [1] });
  const base = defaultTestAccounts();
  base[0].phones = { PHH: '555 0100' };
  return [
    ...base,
    {
      email: BIG,
      password: 'bigpass',
      nickname: 'Big',
      groups: [0, 1, 2, 3, 4].map((id) => ({ id, name: id === 0 ? 'Other Contacts' : `Group ${id} ✿` })),
      contacts,
    },
  ];
}

let server: TestServer;
let relay: SpliceRelay;
let cacheDir: string;
const services = new LiveServices(() => server);

beforeAll(async () => {
  server = await startTestServer({ accounts: accounts(), synSkipWhenCurrent: true, challenges: true });
  // Presence for a contact listed long ago (c005), and for one not listed yet (c401, on FL: presence for people only
  // on RL is not shown): that one must be held back until its LST line comes, then applied.
  relay = await startSpliceRelay(server.ns, [
    { prefix: 'LST ', nth: 10, insert: 'NLN BSY c005@example.com Five%20%E2%9C%BF 0\r\n' },
    { prefix: 'LST ', nth: 250, insert: 'NLN AWY c401@example.com Four%20Hundred%20100% 268435456\r\nFLN c006@example.com\r\n' },
  ]);
  cacheDir = await mkdtemp(join(tmpdir(), 'butterfly-list-cache-'));
});
afterEach(async () => {
  await services.disposeAll();
  server.faults.reset();
});
afterAll(async () => {
  await relay?.stop();
  await server?.stop();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

describe('list sync', () => {
  it('downloads 500 contacts in 1-byte chunks with NLN, FLN, an e-mail notice and a CHL in the middle', async () => {
    // alice is online and busy, so big gets an ILN after its first CHG.
    const alice = services.create();
    await alice.signIn('alice@example.com', 'alicepass');
    await alice.call('messenger:set-status', { status: 'BSY' });

    server.faults.set({ chunking: 'byte', scope: 'ns', unsolicitedDuringSyn: true });
    const big = services.create({ ns: relay, listCache: createFileListCache(cacheDir) });
    const inserted = relay.inserted;
    await big.signIn(BIG, 'bigpass');
    expect(relay.inserted - inserted).toBe(2);

    const list = big.snapshot().list;
    expect(list.contacts).toHaveLength(N + 1);
    expect(list.groups.map((g) => decodeName(g.name)).sort()).toEqual(['Group 1 ✿', 'Group 2 ✿', 'Group 3 ✿', 'Group 4 ✿', 'Other Contacts']);
    const byEmail = new Map(list.contacts.map((c) => [c.email, c]));
    for (let i = 1; i <= N; i++) {
      const c = byEmail.get(email(i));
      expect(c, email(i)).toBeDefined();
      const rlOnly = i % 50 === 0;
      expect(c!.lists, email(i)).toEqual(rlOnly ? { FL: false, AL: false, BL: false, RL: true } : i % 25 === 0 ? { FL: true, AL: false, BL: true, RL: false } : { FL: true, AL: true, BL: false, RL: true });
      expect(c!.groupIds, email(i)).toEqual(rlOnly ? [] : [String(i % 5)]);
    }
    // Presence from the middle of the download: applied, and its nickname replaces the list's.
    expect(byEmail.get('c005@example.com')).toMatchObject({ status: 'BSY', nickname: 'Five%20%E2%9C%BF' });
    expect(decodeName(byEmail.get('c005@example.com')!.nickname)).toBe('Five ✿');
    expect(byEmail.get('c401@example.com')).toMatchObject({ status: 'AWY', nickname: 'Four%20Hundred%20100%', clientId: 268435456 });
    expect(decodeName(byEmail.get('c401@example.com')!.nickname)).toBe('Four Hundred 100%');
    expect(byEmail.get('c006@example.com')).toMatchObject({ status: 'FLN' });
    expect(decodeName(byEmail.get('c007@example.com')!.nickname)).toBe('Contact 7 ✿ 100%');
    // Real presence after the first CHG, and the contact's phone numbers from BPR.
    await expect.poll(() => big.snapshot().list.contacts.find((c) => c.email === 'alice@example.com')?.status, { timeout: 5_000 }).toBe('BSY');
    expect(byEmail.get('alice@example.com')).toMatchObject({ phones: { PHH: '555%200100' }, groupIds: ['1'] });
    // The challenge in the middle of the list was answered right (a wrong answer gets 540 and a closed connection).
    await expect.poll(() => big.linesIn().filter((l) => /^QRY \d+$/.test(l)).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    expect(big.linesIn()).not.toContainEqual(expect.stringMatching(/^540 /));
    expect(big.snapshot().connection.kind).toBe('connected');
    // The RL-only people are asked about, once each.
    const asked = big.log.events.flatMap((e) => (e.type === 'added-you' ? [e.email] : []));
    expect(asked.sort()).toEqual(Array.from({ length: N / 50 }, (_, k) => email((k + 1) * 50)));
  });

  it('a second sign-in with the cached version skips the download and still has the whole list', async () => {
    // Fills the cache (the first test may not have run when this one is run alone).
    const first = services.create({ listCache: createFileListCache(cacheDir) });
    await first.signIn(BIG, 'bigpass');
    const before = first.snapshot().list;
    expect(before.contacts).toHaveLength(N + 1);
    await services.disposeAll();

    const second = services.create({ listCache: createFileListCache(cacheDir) });
    await second.signIn(BIG, 'bigpass');
    const lines = second.linesIn();
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^SYN \\d+ ${before.version}$`)));
    expect(lines.filter((l) => l.startsWith('LST ') || l.startsWith('LSG '))).toEqual([]);
    const after = second.snapshot().list;
    const listsOnly = (l: typeof after) => ({ ...l, contacts: l.contacts.map(({ status: _s, clientId: _c, ...rest }) => rest) });
    expect(listsOnly(after)).toEqual(listsOnly(before));
    expect(second.snapshot().connection.kind).toBe('connected');
    // The people still waiting for an answer are asked about again, as after a full download.
    expect(second.log.events.filter((e) => e.type === 'added-you')).toHaveLength(N / 50);
  });

  it('a list changed since the cache was written is downloaded again', async () => {
    const first = services.create({ listCache: createFileListCache(cacheDir) });
    await first.signIn(BIG, 'bigpass');
    await first.call('contacts:remove', { email: email(1) });
    const version = first.snapshot().list.version;
    await services.disposeAll();
    // Someone else changes the list meanwhile: bob adds big, so the server's version moves on.
    const bob = services.create();
    await bob.signIn('bob@example.com', 'bobpass');
    await bob.call('contacts:add', { email: BIG });
    expect(server.state.account(BIG)!.listVersion).toBeGreaterThan(version);

    const second = services.create({ listCache: createFileListCache(cacheDir) });
    await second.signIn(BIG, 'bigpass');
    // c001 left FL but is still on AL and RL; bob is new on RL.
    expect(second.linesIn().filter((l) => l.startsWith('LST '))).toHaveLength(N + 2);
    const list = second.snapshot().list;
    expect(list.version).toBe(server.state.account(BIG)!.listVersion);
    expect(list.contacts.find((c) => c.email === email(1))?.lists).toEqual({ FL: false, AL: true, BL: false, RL: true });
    expect(list.contacts.find((c) => c.email === 'bob@example.com')?.lists).toEqual({ FL: false, AL: false, BL: false, RL: true });
  });
});
