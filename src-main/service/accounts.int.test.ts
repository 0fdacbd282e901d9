// Several accounts in one service, over real sockets to two test servers: the same address on both is two accounts,
// signed in at the same time, each with its own server, route, events, list and cache file; one signing out leaves
// the other up.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../e2e/msn-server';
import type { MessengerEvent } from '../../src-shared/messenger-types';
import { decodeName } from '../../src-shared/url-codec';
import { createFileListCache } from '../session/list-cache';
import { openFileAccountRegistry } from './account-registry';
import type { RouteSettings } from './messenger-service';
import { directSettings, LiveServices, type LiveService } from './testing/live-service';

let serverA: TestServer;
let serverB: TestServer;
let dataDir: string;
const onA = new LiveServices(() => serverA);
const onB = new LiveServices(() => serverB);

beforeEach(async () => {
  [serverA, serverB] = await Promise.all([startTestServer(), startTestServer()]);
  dataDir = mkdtempSync(join(tmpdir(), 'bf-accounts-'));
});
afterEach(async () => {
  await Promise.all([onA.disposeAll(), onB.disposeAll()]);
  await Promise.all([serverA?.stop(), serverB?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

/** B's route: its own Passport nexus (the server itself is part of the account). */
const routeOf = (s: TestServer): RouteSettings => {
  const { server: _server, ...route } = directSettings(s);
  return route;
};

/** One service, its accounts and caches in a data directory, configured for server A. */
function twoAccountService(): LiveService {
  return onA.create({ registry: openFileAccountRegistry(dataDir), listCache: createFileListCache(join(dataDir, 'lists')) });
}

const connectedAt = (live: LiveService, accountId: string) => live.log.next((e) => e.accountId === accountId && e.type === 'connection-state' && e.state.kind === 'connected', `${accountId} connected`);
const groupsOf = (live: LiveService, accountId: string) => live.service.snapshot(accountId).list.groups.map((g) => decodeName(g.name));

describe('two accounts in one service', () => {
  it('the same address on two servers: two accounts signed in at once, events and lists kept apart', async () => {
    const live = twoAccountService();
    const [a, b] = await Promise.all([
      live.service.signIn({ email: 'alice@example.com', password: 'alicepass' }),
      live.service.signIn({ email: 'alice@example.com', password: 'alicepass', server: serverB.ns, route: routeOf(serverB) }),
    ]).then((r) => r.map((x) => x.accountId));
    expect(a).not.toBe(b);
    expect(live.service.snapshot(a)).toMatchObject({ accountId: a, server: `127.0.0.1:${serverA.ns.port}`, email: 'alice@example.com', connection: { kind: 'connected', server: `127.0.0.1:${serverA.ns.port}` } });
    expect(live.service.snapshot(b)).toMatchObject({ accountId: b, server: `127.0.0.1:${serverB.ns.port}`, email: 'alice@example.com', connection: { kind: 'connected', server: `127.0.0.1:${serverB.ns.port}` } });
    // Each through its own server and its own Passport.
    for (const s of [serverA, serverB]) {
      expect(s.state.online()).toContainEqual(expect.objectContaining({ email: 'alice@example.com', status: 'NLN' }));
      expect(s.state.ticketsIssued()).toBe(1);
    }
    await connectedAt(live, a);
    await connectedAt(live, b);
    // Every event names its account; each account's connection states name its own server.
    expect(live.log.events.every((e) => e.accountId === a || e.accountId === b)).toBe(true);
    const servers = (id: string) => new Set(live.log.events.flatMap((e) => (e.accountId === id && e.type === 'connection-state' && 'server' in e.state ? [e.state.server] : [])));
    expect(servers(a)).toEqual(new Set([`127.0.0.1:${serverA.ns.port}`]));
    expect(servers(b)).toEqual(new Set([`127.0.0.1:${serverB.ns.port}`]));
    expect(new Set(live.traffic.map((t) => t.accountId))).toEqual(new Set([a, b]));

    // A change on B is B's alone: on B's server, in B's list and events, in B's cache file.
    live.log.mark();
    expect(await live.service.calls['contacts:add-group']({ accountId: b, name: 'Only on B' })).toEqual({ groupId: expect.any(String) });
    expect(groupsOf(live, b)).toContain('Only on B');
    expect(groupsOf(live, a)).not.toContain('Only on B');
    expect(serverB.state.account('alice@example.com')?.groups.map((g) => g.name)).toContain('Only on B');
    expect(serverA.state.account('alice@example.com')?.groups.map((g) => g.name)).not.toContain('Only on B');
    await live.service.flush();
    const listed = (e: MessengerEvent) => e.type === 'contact-list' && e.list.groups.some((g) => decodeName(g.name) === 'Only on B');
    expect(new Set(live.log.events.filter(listed).map((e) => e.accountId))).toEqual(new Set([b]));
    const cached = (id: string) => (JSON.parse(readFileSync(join(dataDir, 'lists', `${id}.json`), 'utf8')) as { list: { groups: { name: string }[] } }).list.groups.map((g) => decodeName(g.name));
    expect(cached(b)).toContain('Only on B');
    expect(cached(a)).not.toContain('Only on B');

    // bob comes online on A: only A's alice hears of it.
    live.log.mark();
    const bobOnA = onA.create();
    await bobOnA.signIn('bob@example.com', 'bobpass');
    const presence = await live.log.next((e) => e.type === 'presence' && e.email === 'bob@example.com' && e.status === 'NLN', 'bob online');
    expect(presence.accountId).toBe(a);
    await live.service.flush();
    expect(live.log.events.filter((e) => e.type === 'presence' && e.accountId === b)).toEqual([]);
    expect(live.service.snapshot(b).list.contacts.find((c) => c.email === 'bob@example.com')?.status).toBe('FLN');
  });

  it('one signing out leaves the other up and working; signing in again finds the same account', async () => {
    const live = twoAccountService();
    const a = await live.signIn('alice@example.com', 'alicepass');
    const b = await live.signIn('alice@example.com', 'alicepass', { server: serverB.ns, route: routeOf(serverB) });
    const from = live.log.events.length;
    await live.service.calls['messenger:sign-out']({ accountId: b });
    expect(live.service.snapshot(b).connection).toEqual({ kind: 'signed-out', reason: 'user' });
    await expect.poll(() => serverB.state.online().filter((u) => u.email === 'alice@example.com'), { timeout: 5_000 }).toEqual([]);
    // A is still connected and still answers.
    expect(live.service.snapshot(a).connection.kind).toBe('connected');
    await live.service.calls['messenger:set-status']({ accountId: a, status: 'BSY' });
    expect(serverA.state.online()).toContainEqual(expect.objectContaining({ email: 'alice@example.com', status: 'BSY' }));
    // Not a single state change for A meanwhile.
    expect(live.log.events.slice(from).filter((e) => e.accountId === a && e.type === 'connection-state')).toEqual([]);
    // B's calls fail as a signed-out account's do; A's do not.
    await expect(live.service.calls['contacts:add-group']({ accountId: b, name: 'X' })).rejects.toMatchObject({ code: 'session.not-connected' });
    // The same (server, address) again is the same account, here and in a new service on the same data directory.
    expect(await live.signIn('alice@example.com', 'alicepass', { server: serverB.ns, route: routeOf(serverB) })).toBe(b);
    const later = twoAccountService();
    expect(await later.signIn('alice@example.com', 'alicepass')).toBe(a);
    expect(live.service.accounts().map((x) => x.id)).toEqual([b, a]);
  });

  it('two addresses on one server, signed in at once: each its own list and presence', async () => {
    const live = twoAccountService();
    const [alice, bob] = await Promise.all([live.service.signIn({ email: 'alice@example.com', password: 'alicepass' }), live.service.signIn({ email: 'bob@example.com', password: 'bobpass' })]).then((r) =>
      r.map((x) => x.accountId),
    );
    expect(live.service.snapshot(alice).list.contacts.map((c) => c.email)).toEqual(['bob@example.com']);
    expect(live.service.snapshot(bob).list.contacts.map((c) => c.email)).toEqual(['alice@example.com']);
    // Each sees the other come online: through the server, not through the service.
    await expect.poll(() => live.service.snapshot(alice).list.contacts[0]?.status, { timeout: 5_000 }).toBe('NLN');
    await expect.poll(() => live.service.snapshot(bob).list.contacts[0]?.status, { timeout: 5_000 }).toBe('NLN');
    // bob's nickname change reaches alice as alice's event.
    live.log.mark();
    const from = live.log.events.length;
    await live.service.calls['messenger:set-nickname']({ accountId: bob, nickname: 'Bob ✿' });
    const seen = await live.log.next((e) => e.type === 'presence' && e.email === 'bob@example.com' && decodeName(e.nickname) === 'Bob ✿', 'bob renamed at alice');
    expect(seen.accountId).toBe(alice);
    const own = live.log.events.slice(from).filter((e) => e.type === 'own-profile');
    expect(own.map((e) => e.accountId)).toEqual([bob]);
  });
});
