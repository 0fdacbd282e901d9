// Staying signed in over real sockets: challenges answered, a dead connection noticed by the ping detector, a
// server that drops everyone or announces a shutdown, being signed in elsewhere, and garbage from the server. Each
// checked as the UI sees it: connection states in order, the list re-synced, a fresh Passport ticket per attempt.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from '../../e2e/msn-server';
import { FakeClock } from '../session/testing/fake-clock';
import { LiveServices, type LiveService } from './testing/live-service';

let server: TestServer | undefined;
const services = new LiveServices(() => server!);

async function start(options: TestServerOptions = {}): Promise<TestServer> {
  server = await startTestServer(options);
  return server;
}
afterEach(async () => {
  await services.disposeAll();
  await server?.stop();
  server = undefined;
});

const synsSent = (s: LiveService) => s.traffic.filter((t) => t.direction === 'out' && /^SYN \d+ /.test(t.line)).length;
const bobAt = (s: LiveService) => s.snapshot().list.contacts.find((c) => c.email === 'bob@example.com');

/** alice and bob online; returns alice's service with its log marked after sign-in. */
async function aliceWithBobOnline(options: Parameters<LiveServices['create']>[0] = {}): Promise<{ alice: LiveService; bob: LiveService }> {
  const bob = services.create();
  await bob.signIn('bob@example.com', 'bobpass');
  const alice = services.create(options);
  await alice.signIn('alice@example.com', 'alicepass');
  await expect.poll(() => bobAt(alice)?.status, { timeout: 5_000 }).toBe('NLN');
  alice.log.mark();
  return { alice, bob };
}

/** After a drop: reconnecting (with this error), then connecting, then connected again with bob's presence back. */
async function expectReconnect(alice: LiveService, errorCode: string): Promise<void> {
  const reconnecting = await alice.log.state('reconnecting');
  expect(reconnecting).toMatchObject({ attempt: 1, inSeconds: 1, error: { code: errorCode, retryable: true } });
  await alice.log.state('connecting');
  await alice.log.state('connected');
  await expect.poll(() => bobAt(alice)?.status, { timeout: 5_000 }).toBe('NLN');
  expect(alice.snapshot().list.contacts.map((c) => c.email)).toEqual(['bob@example.com']);
}

describe('keep-alive', () => {
  it('answers every CHL right and stays connected', async () => {
    await start({ challenges: true, challengeIntervalMs: 50, challengeTimeoutMs: 2_000 });
    const { alice } = await aliceWithBobOnline();
    // Five acknowledged answers: the first challenge after CHG and four periodic ones.
    await expect.poll(() => alice.linesIn().filter((l) => /^QRY \d+$/.test(l)).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(5);
    expect(alice.traffic.filter((t) => t.direction === 'out' && t.line.startsWith('QRY ')).every((t) => /^QRY \d+ msmsgs@msnmsgr\.com 32$/.test(t.line) && t.payloadBytes === 32)).toBe(true);
    expect(alice.linesIn()).not.toContainEqual(expect.stringMatching(/^540 /));
    expect(alice.log.stateKinds()).not.toContain('reconnecting');
    expect(alice.log.stateKinds().at(-1)).toBe('connected');
    expect(alice.snapshot().connection.kind).toBe('connected');
  });

  it('a stalled PNG is a dead connection: reconnects with a fresh ticket and re-syncs', async () => {
    await start();
    const { alice } = await aliceWithBobOnline({ timings: { pingIntervalMs: 50, pingTimeoutMs: 400 } });
    const tickets = server!.state.ticketsIssued();
    const syns = synsSent(alice);
    server!.faults.set({ stallPng: true });
    await alice.log.state('reconnecting').then((s) => expect(s.error.code).toBe('session.ping-timeout'));
    server!.faults.set({ stallPng: false });
    await alice.log.state('connected');
    await expect.poll(() => bobAt(alice)?.status, { timeout: 5_000 }).toBe('NLN');
    // A new ticket was issued and accepted (a reused one would get 911 and end in a wrong-password sign-out).
    expect(server!.state.ticketsIssued()).toBe(tickets + 1);
    expect(synsSent(alice)).toBe(syns + 1);
    expect(alice.log.stateKinds()).not.toContain('signed-out');
    // Pings flow again and are answered.
    const pongs = alice.linesIn().filter((l) => l.startsWith('QNG')).length;
    await expect.poll(() => alice.linesIn().filter((l) => l.startsWith('QNG')).length, { timeout: 5_000 }).toBeGreaterThan(pongs);
  });
});

describe('reconnect', () => {
  it.each([
    ['TWN', undefined],
    ['MD5', ['MSNP7']],
  ])('the server drops every connection: reconnect with backoff, re-sync, presence back (%s)', async (_name, protocolVersions) => {
    await start();
    const { alice } = await aliceWithBobOnline({ protocolVersions });
    const tickets = server!.state.ticketsIssued();
    server!.kickAll();
    await expectReconnect(alice, 'session.connection-closed');
    // bob was kicked too and reconnects on his own; both are online again.
    await expect.poll(() => server!.state.online().map((u) => u.email).sort(), { timeout: 5_000 }).toEqual(['alice@example.com', 'bob@example.com']);
    // A fresh ticket for each TWN reconnect (alice's and bob's); MD5 needs none.
    expect(server!.state.ticketsIssued()).toBe(tickets + (protocolVersions ? 1 : 2));
  });

  it('a reconnect cut off in the middle of the list download tries again and ends with the whole list', async () => {
    await start();
    const { alice } = await aliceWithBobOnline();
    // Every new connection's first SYN is cut off half-way through its answer, until the fault is cleared.
    server!.faults.set({ dropAt: { command: 'SYN', phase: 'mid-reply' } });
    server!.kickAll();
    const first = await alice.log.state('reconnecting');
    expect(first.attempt).toBe(1);
    const second = await alice.log.state('reconnecting');
    expect(second).toMatchObject({ attempt: 2, error: { retryable: true } });
    // Meanwhile the list a window would draw is the last whole one, everyone offline — not half a download.
    const meanwhile = alice.snapshot().list;
    expect(meanwhile.contacts.map((c) => [c.email, c.status])).toEqual([['bob@example.com', 'FLN']]);
    expect(meanwhile.groups.map((g) => g.id).sort()).toEqual(['0', '1']);
    server!.faults.reset();
    await alice.log.state('connected');
    const list = alice.snapshot().list;
    expect(list.contacts.map((c) => c.email)).toEqual(['bob@example.com']);
    expect(list.groups.map((g) => g.id).sort()).toEqual(['0', '1']);
    await expect.poll(() => bobAt(alice)?.status, { timeout: 5_000 }).toBe('NLN');
  });

  it('signing out while waiting to reconnect stops for good', async () => {
    await start();
    const clock = new FakeClock(Date.now());
    const alice = services.create({ clock });
    await alice.signIn('alice@example.com', 'alicepass');
    alice.log.mark();
    server!.kickAll();
    await alice.log.state('reconnecting');
    await alice.call('messenger:sign-out', {});
    expect(alice.snapshot().connection).toEqual({ kind: 'signed-out', reason: 'user' });
    clock.advance(60 * 60_000);
    expect(alice.log.stateKinds().slice(-2)).toEqual(['reconnecting', 'signed-out']);
    await expect(alice.call('contacts:add-group', { name: 'X' })).rejects.toMatchObject({ code: 'session.not-connected' });
  });

  it('a reconnect does not ask again about someone already asked about', async () => {
    await start();
    const carol = services.create();
    await carol.signIn('carol@example.com', 'carolpass');
    await carol.call('contacts:add', { email: 'alice@example.com' });
    const alice = services.create();
    await alice.signIn('alice@example.com', 'alicepass');
    expect(alice.log.events.filter((e) => e.type === 'added-you')).toHaveLength(1);
    alice.log.mark();
    server!.kickAll();
    await alice.log.state('reconnecting');
    await alice.log.state('connected');
    expect(alice.log.events.filter((e) => e.type === 'added-you')).toHaveLength(1);
    // A new sign-in asks again: the person is still undecided.
    await alice.call('messenger:sign-out', {});
    alice.log.mark();
    await alice.signIn('alice@example.com', 'alicepass');
    expect(alice.log.events.filter((e) => e.type === 'added-you')).toHaveLength(2);
  });

  it('failed attempts back off and count up, then it gets through', async () => {
    await start();
    const { alice } = await aliceWithBobOnline();
    server!.faults.set({ passportStatus: 503 });
    server!.kickAll();
    const attempts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await alice.log.state('reconnecting');
      attempts.push(s.attempt);
      if (i > 0) expect(s.error.code).toBe('auth.passport-failed');
    }
    expect(attempts).toEqual([1, 2, 3]);
    server!.faults.reset();
    await alice.log.state('connected');
    // The next drop starts counting from 1 again.
    alice.log.mark();
    server!.kickAll();
    expect((await alice.log.state('reconnecting')).attempt).toBe(1);
    await alice.log.state('connected');
  });

  it('OUT SSD: the server is going down; reconnect later', async () => {
    await start({ outSsdCloseMs: 20 });
    const { alice } = await aliceWithBobOnline();
    expect(server!.faults.sendOutSsd('alice@example.com')).toBe(1);
    await expectReconnect(alice, 'session.server-shutdown');
  });

  it('OUT OTH: signed in elsewhere; the first one signs out with reason "elsewhere" and does not come back', async () => {
    await start();
    // The first client runs on a manual clock, so "does not reconnect" can be checked by moving time far ahead.
    const clock = new FakeClock(Date.now());
    const first = services.create({ clock });
    await first.signIn('alice@example.com', 'alicepass');
    first.log.mark();
    const second = services.create();
    await second.signIn('alice@example.com', 'alicepass');
    const out = await first.log.state('signed-out');
    expect(out).toEqual({ kind: 'signed-out', reason: 'elsewhere', error: expect.objectContaining({ code: 'session.signed-in-elsewhere', retryable: false }) });
    // We closed the connection ourselves (the server leaves it open after OUT OTH).
    await expect.poll(() => server!.state.connections().filter((c) => c.server === 'ns').length, { timeout: 5_000 }).toBe(1);
    clock.advance(60 * 60_000);
    expect(first.log.events.slice(first.log.events.indexOf(first.log.events.find((e) => e.type === 'connection-state' && e.state.kind === 'signed-out')!))).not.toContainEqual(
      expect.objectContaining({ type: 'connection-state', state: expect.objectContaining({ kind: 'connecting' }) }),
    );
    expect(first.snapshot().connection.kind).toBe('signed-out');
    expect(second.snapshot().connection.kind).toBe('connected');
    expect(server!.state.online().filter((u) => u.email === 'alice@example.com')).toHaveLength(1);
  });
});

describe('malformed input from the server', () => {
  it.each([
    ['oversized-length', 'protocol.payload-too-large'],
    ['bad-length', 'protocol.bad-length'],
    ['long-line', 'protocol.line-too-long'],
  ] as const)('%s after a reply mid-session: typed error, reconnect, nothing crashes', async (kind, code) => {
    await start();
    const { alice } = await aliceWithBobOnline();
    server!.faults.set({ malformed: { command: 'ADG', kind } });
    // The reply itself came before the garbage, so the command succeeds.
    await alice.call('contacts:add-group', { name: 'Garbage follows' });
    server!.faults.reset();
    await expectReconnect(alice, code);
    expect(alice.snapshot().list.groups.map((g) => g.name)).toContain('Garbage%20follows');
    expect(server!.state.internalErrors()).toEqual([]);
  });

  it('a garbage line (no command) after a reply is skipped: no reconnect, the traffic log shows it', async () => {
    await start();
    const { alice } = await aliceWithBobOnline();
    server!.faults.set({ malformed: { command: 'ADG', kind: 'garbage-line' } });
    await alice.call('contacts:add-group', { name: 'Garbage follows' });
    server!.faults.reset();
    await expect.poll(() => alice.linesIn().some((l) => l.endsWith('[not a command]')), { timeout: 5_000 }).toBe(true);
    await alice.call('contacts:add-group', { name: 'Still here' });
    expect(alice.log.stateKinds()).not.toContain('reconnecting');
    expect(alice.snapshot().connection.kind).toBe('connected');
  });

  it('garbage in the middle of signing in: the sign-in fails with the typed error, not a crash or a hang', async () => {
    await start();
    server!.faults.set({ malformed: { command: 'SYN', kind: 'oversized-length' } });
    const alice = services.create();
    await expect(alice.signIn('alice@example.com', 'alicepass')).rejects.toMatchObject({ code: 'protocol.payload-too-large', retryable: true });
    expect(alice.snapshot().connection).toMatchObject({ kind: 'signed-out', reason: 'error', error: { code: 'protocol.payload-too-large' } });
    // Signing in again works once the server behaves.
    server!.faults.reset();
    await alice.signIn('alice@example.com', 'alicepass');
    expect(alice.snapshot().connection.kind).toBe('connected');
    expect(server!.state.internalErrors()).toEqual([]);
  });
});
