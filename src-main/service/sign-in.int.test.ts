// Sign-in through the messenger service against the test server over real sockets: MSNP8 with Passport (nexus and
// login over HTTP), MSNP7 with MD5, and every failure a person can run into, each checked as the UI sees it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../e2e/msn-server';
import { LiveServices } from './testing/live-service';

let server: TestServer;
const services = new LiveServices(() => server);

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await services.disposeAll();
  server.faults.reset();
  server.setRedirects(0);
});
afterAll(async () => {
  await server?.stop();
});

describe('sign-in', () => {
  it('signs in with TWN (MSNP8): Passport nexus and login over HTTP, then connected with the synced list', async () => {
    const { signIn, snapshot, log, traffic } = services.create();
    const nexusBefore = server.state.httpHits('/rdr/pprdr.asp');
    const ticketsBefore = server.state.ticketsIssued();
    await signIn('alice@example.com', 'alicepass');

    const steps = log.events.flatMap((e) => (e.type === 'connection-state' && e.state.kind === 'connecting' ? [e.state.step] : []));
    expect(steps).toEqual(['connecting', 'negotiating', 'authenticating', 'passport', 'authenticating', 'syncing']);
    expect(snapshot().connection).toEqual({ kind: 'connected', email: 'alice@example.com', protocol: 'MSNP8', server: `${server.ns.host}:${server.ns.port}` });
    expect(server.state.httpHits('/rdr/pprdr.asp')).toBe(nexusBefore + 1);
    expect(server.state.ticketsIssued()).toBe(ticketsBefore + 1);
    const list = snapshot().list;
    expect(list.contacts.map((c) => c.email)).toEqual(['bob@example.com']);
    expect(list.groups.map((g) => g.name).sort()).toEqual(['Friends', 'Other%20Contacts']);
    expect(snapshot().profile).toEqual({ email: 'alice@example.com', nickname: 'Alice%20✿%20Ünïcødé', status: 'NLN' });
    expect(server.state.online()).toContainEqual(expect.objectContaining({ email: 'alice@example.com', status: 'NLN' }));
    // The ticket and the password never reach the traffic stream.
    expect(JSON.stringify(traffic)).not.toMatch(/alicepass/);
    expect(traffic.find((t) => t.line.startsWith('USR') && t.line.includes(' S ') && t.direction === 'out')?.line).toMatch(/USR \d+ TWN S \[redacted\]$/);
  });

  it('signs in with MD5 when only MSNP7 is offered', async () => {
    const { signIn, snapshot, traffic } = services.create({ protocolVersions: ['MSNP7'] });
    const nexusBefore = server.state.httpHits('/rdr/pprdr.asp');
    await signIn('bob@example.com', 'bobpass');
    expect(snapshot().connection).toMatchObject({ kind: 'connected', protocol: 'MSNP7' });
    expect(server.state.httpHits('/rdr/pprdr.asp')).toBe(nexusBefore);
    expect(traffic.some((t) => t.direction === 'out' && /^USR \d+ MD5 I bob@example\.com$/.test(t.line))).toBe(true);
    // MSNP7's list shape (TrID and version on every line) gives the same model.
    const bob = snapshot().list;
    expect(bob.contacts).toEqual([expect.objectContaining({ email: 'alice@example.com', lists: { FL: true, AL: true, BL: false, RL: true }, groupIds: ['0'] })]);
  });

  it('a wrong password on TWN (Passport 401) fails with auth.wrong-password and does not reconnect', async () => {
    const { signIn, snapshot, log } = services.create();
    await expect(signIn('alice@example.com', 'not-it')).rejects.toMatchObject({ code: 'auth.wrong-password' });
    expect(snapshot().connection).toMatchObject({ kind: 'signed-out', reason: 'error', error: { code: 'auth.wrong-password', retryable: false } });
    expect(log.stateKinds().at(-1)).toBe('signed-out');
    expect(JSON.stringify(log.events)).not.toContain('not-it');
  });

  it('a wrong password on MD5 (911, connection left open by the server) fails promptly', async () => {
    const { signIn, snapshot } = services.create({ protocolVersions: ['MSNP7'], timings: { requestTimeoutMs: 4_000 } });
    const started = Date.now();
    await expect(signIn('bob@example.com', 'not-it')).rejects.toMatchObject({ code: 'auth.wrong-password' });
    // Waiting for the server to close (it never does) would take the request timeout.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(snapshot().connection).toMatchObject({ kind: 'signed-out', reason: 'error', error: { code: 'auth.wrong-password' } });
    // We closed it ourselves: no connection of bob's stays open on the server.
    await expect.poll(() => server.state.connections().filter((c) => c.server === 'ns').length, { timeout: 5_000 }).toBe(0);
  });

  it.each([
    ['TWN', undefined],
    ['MD5', ['MSNP7']],
  ])('an unknown account fails with auth.unknown-account (%s)', async (_name, versions) => {
    const { signIn, snapshot } = services.create({ protocolVersions: versions });
    await expect(signIn('nobody@example.com', 'x')).rejects.toMatchObject({ code: 'auth.unknown-account' });
    expect(snapshot().connection).toMatchObject({ kind: 'signed-out', reason: 'error', error: { code: 'auth.unknown-account' } });
  });

  it('Passport trouble is a retryable failure with its own reason: an HTTP 500, and no answer in time', async () => {
    const { signIn, snapshot } = services.create({ timings: { passportTimeoutMs: 300 } });
    server.faults.set({ passportStatus: 500 });
    await expect(signIn('alice@example.com', 'alicepass')).rejects.toMatchObject({ code: 'auth.passport-failed', retryable: true });
    server.faults.set({ passportStatus: null, httpDelayMs: 2_000 });
    await expect(signIn('alice@example.com', 'alicepass')).rejects.toMatchObject({
      code: 'session.timeout',
      message: expect.stringContaining('Passport'),
    });
    expect(snapshot().connection).toMatchObject({ kind: 'signed-out', reason: 'error', error: { code: 'session.timeout' } });
  });

  it('a server that stops answering during sign-in is a timeout, not a hang', async () => {
    const { signIn } = services.create({ timings: { requestTimeoutMs: 300 } });
    server.faults.set({ replyDelayMs: 2_000 });
    await expect(signIn('alice@example.com', 'alicepass')).rejects.toMatchObject({ code: 'session.timeout', message: expect.stringContaining('VER') });
  });

  it('follows one XFR NS redirect', async () => {
    const { signIn, snapshot, log } = services.create();
    server.setRedirects(1);
    await signIn('alice@example.com', 'alicepass');
    expect(snapshot().connection.kind).toBe('connected');
    const steps = log.events.flatMap((e) => (e.type === 'connection-state' && e.state.kind === 'connecting' ? [e.state.step] : []));
    expect(steps.filter((s) => s === 'redirected')).toHaveLength(1);
  });

  it('a redirect loop fails clearly after maxRedirects', async () => {
    const { signIn, snapshot, log } = services.create({ maxRedirects: 2 });
    server.setRedirects(100);
    const usrBefore = countUsrI(server);
    await expect(signIn('alice@example.com', 'alicepass')).rejects.toMatchObject({
      code: 'session.redirect-loop',
      message: expect.stringContaining('3 times'),
    });
    // The first server plus two redirects: three USR I, no more.
    expect(countUsrI(server) - usrBefore).toBe(3);
    expect(snapshot().connection).toMatchObject({ kind: 'signed-out', reason: 'error', error: { code: 'session.redirect-loop' } });
    expect(log.stateKinds()).not.toContain('reconnecting');
  });
});

function countUsrI(s: TestServer): number {
  return s.transcripts().reduce((n, t) => n + t.entries.filter((e) => e.dir === 'C' && /^USR \d+ TWN I /.test(e.bytes.toString('latin1'))).length, 0);
}
