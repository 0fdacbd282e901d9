// Presence between two people signed in at the same time (two services, two real connections): every status you
// can set, appear offline, a nickname typed as plain text arriving once-encoded on the wire, and signing out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../e2e/msn-server';
import { ownStatuses } from '../../src-shared/messenger-types';
import { decodeName, encodeName } from '../../src-shared/url-codec';
import { createMemoryListCache } from '../session/list-cache';
import { LiveServices, type LiveService, contactIn as contact, presenceOf } from './testing/live-service';

let server: TestServer;
const services = new LiveServices(() => server);

// A fresh server per test: nicknames and statuses set in one test must not leak into the next.
beforeEach(async () => {
  server = await startTestServer({ synSkipWhenCurrent: true });
});
afterEach(async () => {
  await services.disposeAll();
  await server?.stop();
});


async function bothOnline(): Promise<{ alice: LiveService; bob: LiveService }> {
  const alice = services.create();
  const bob = services.create();
  await alice.signIn('alice@example.com', 'alicepass');
  alice.log.mark();
  await bob.signIn('bob@example.com', 'bobpass');
  // bob learns alice is online from the ILN after his first CHG, alice from the NLN that CHG fans out.
  await alice.log.next(presenceOf('bob@example.com'), 'bob online (NLN) at alice');
  await expect.poll(() => contact(bob, 'alice@example.com')?.status, { timeout: 5_000 }).toBe('NLN');
  return { alice, bob };
}

describe('presence', () => {
  it('every own status reaches the other side; appear offline (HDN) is FLN there', async () => {
    const { alice, bob } = await bothOnline();
    expect(contact(alice, 'bob@example.com')?.status).toBe('NLN');
    for (const status of [...ownStatuses.filter((s) => s !== 'NLN'), 'NLN' as const]) {
      alice.log.mark();
      bob.log.mark();
      await bob.call('messenger:set-status', { status });
      await bob.log.next((e) => e.type === 'own-profile' && e.profile.status === status, `bob's own profile ${status}`);
      const seen = status === 'HDN' ? 'FLN' : status;
      const p = await alice.log.next(presenceOf('bob@example.com'), `bob ${seen} at alice`);
      expect(p).toMatchObject({ status: seen, nickname: 'Bob' });
      expect(contact(alice, 'bob@example.com')?.status).toBe(seen);
      expect(server.state.online()).toContainEqual(expect.objectContaining({ email: 'bob@example.com', status }));
    }
    expect(bob.snapshot().profile?.status).toBe('NLN');
  });

  it('presence says whether it is the server’s initial presence (ILN) or a change it saw happen (NLN, FLN)', async () => {
    const alice = services.create();
    const bob = services.create();
    await alice.signIn('alice@example.com', 'alicepass');
    alice.log.mark();
    await bob.signIn('bob@example.com', 'bobpass');
    // bob hears of alice in the ILN after his first CHG; alice of bob in the NLN that CHG fans out.
    await expect.poll(() => bob.log.events.find(presenceOf('alice@example.com')), { timeout: 5_000 }).toMatchObject({ status: 'NLN', initial: true });
    expect(await alice.log.next(presenceOf('bob@example.com'), 'bob online at alice')).not.toHaveProperty('initial');
    bob.log.mark();
    await alice.call('messenger:set-status', { status: 'AWY' });
    expect(await bob.log.next(presenceOf('alice@example.com'), 'alice away at bob')).toMatchObject({ status: 'AWY' });
    expect(bob.log.events.filter(presenceOf('alice@example.com')).at(-1)).not.toHaveProperty('initial');
  });

  it('a nickname typed as plain text goes out encoded once and comes back decoded to the same text', async () => {
    const { alice, bob } = await bothOnline();
    const typed = 'Bob ✿ Ünï 100% sure';
    alice.log.mark();
    await bob.call('messenger:set-nickname', { nickname: typed });
    const rea = bob.traffic.find((t) => t.direction === 'out' && t.line.startsWith('REA '))?.line;
    expect(rea).toMatch(new RegExp(`^REA \\d+ bob@example\\.com ${escape(encodeName(typed))}$`));
    expect(rea).toContain('100%25%20sure');
    expect(rea).not.toContain('%2525');
    // The server keeps the text, not its encoding.
    expect(server.state.account('bob@example.com')?.nickname).toBe(typed);
    expect(decodeName(bob.snapshot().profile!.nickname)).toBe(typed);

    const p = await alice.log.next(presenceOf('bob@example.com'), "bob's new nickname at alice");
    expect(decodeName(p.nickname)).toBe(typed);
    expect(decodeName(contact(alice, 'bob@example.com')!.nickname)).toBe(typed);
  });

  it("the nickname in ILN replaces the cached list's older one", async () => {
    const cache = createMemoryListCache();
    const first = services.create({ listCache: cache });
    await first.signIn('alice@example.com', 'alicepass');
    expect(contact(first, 'bob@example.com')?.nickname).toBe('Bob');
    await services.disposeAll();

    const bob = services.create();
    await bob.signIn('bob@example.com', 'bobpass');
    await bob.call('messenger:set-nickname', { nickname: 'Bobby Tables' });
    // alice's list did not change, so her next SYN is skipped and the list (with "Bob") comes from the cache.
    const alice = services.create({ listCache: cache });
    await alice.signIn('alice@example.com', 'alicepass');
    expect(alice.linesIn().filter((l) => l.startsWith('LST '))).toEqual([]);
    expect(alice.linesIn()).toContainEqual(expect.stringMatching(/^ILN \d+ NLN bob@example\.com Bobby%20Tables/));
    expect(contact(alice, 'bob@example.com')).toMatchObject({ status: 'NLN', nickname: 'Bobby%20Tables' });
  });

  it('signing in as appear offline: the other side never sees you online, you still see them', async () => {
    const bob = services.create();
    await bob.signIn('bob@example.com', 'bobpass');
    const alice = services.create();
    await alice.signIn('alice@example.com', 'alicepass', { status: 'HDN' });
    expect(alice.snapshot().profile?.status).toBe('HDN');
    expect(alice.traffic.some((t) => t.direction === 'out' && /^CHG \d+ HDN 0$/.test(t.line))).toBe(true);
    await expect.poll(() => contact(alice, 'bob@example.com')?.status, { timeout: 5_000 }).toBe('NLN');
    // bob's session heard nothing about alice: no NLN line ever reached it.
    expect(bob.linesIn().filter((l) => l.includes('alice@example.com') && /^(NLN|ILN)/.test(l))).toEqual([]);
    expect(contact(bob, 'alice@example.com')?.status).toBe('FLN');
  });

  it('the status you chose comes back after a reconnect', async () => {
    const { alice, bob } = await bothOnline();
    await alice.call('messenger:set-status', { status: 'BSY' });
    await bob.log.next(presenceOf('alice@example.com'), 'alice BSY at bob');
    alice.log.mark();
    server.kickAll();
    await alice.log.state('reconnecting');
    await alice.log.state('connected');
    expect(alice.snapshot().profile?.status).toBe('BSY');
    await expect.poll(() => server.state.online().find((u) => u.email === 'alice@example.com')?.status, { timeout: 5_000 }).toBe('BSY');
    await expect.poll(() => contact(bob, 'alice@example.com')?.status, { timeout: 5_000 }).toBe('BSY');
  });

  it('signing out is FLN on the other side', async () => {
    const { alice, bob } = await bothOnline();
    alice.log.mark();
    await bob.call('messenger:sign-out', {});
    expect(bob.snapshot().connection).toEqual({ kind: 'signed-out', reason: 'user' });
    const p = await alice.log.next(presenceOf('bob@example.com'), 'bob FLN at alice');
    expect(p.status).toBe('FLN');
    expect(contact(alice, 'bob@example.com')?.status).toBe('FLN');
    // Signing out left alice's session alone.
    expect(alice.snapshot().connection.kind).toBe('connected');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
