// The handle's controls and the timers: kickAll, state, advertised host, ticket/cookie/NS idle expiry, the
// Passport endpoints' failure answers, CORS on the gateway, a second VER.
import { describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './index';
import { RawClient } from './testing/raw-client';
import { passportTicket, signInTwn, syncAndGoOnline } from './testing/sign-in';
import { serverPerTest } from './testing/server-per-test';

let server: TestServer;
const { start, track } = serverPerTest();

describe('server handle', () => {
  it('kickAll drops every client connection and the state shows nobody online', async () => {
    server = await start();
    const a = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    await syncAndGoOnline(a);
    const b = track(await signInTwn(server, 'bob@example.com', 'bobpass'));
    expect(server.state.online().map((u) => [u.email, u.status, u.via])).toEqual([
      ['alice@example.com', 'NLN', 'tcp'],
      ['bob@example.com', null, 'tcp'],
    ]);
    expect(server.state.connections()).toHaveLength(2);
    server.kickAll();
    await Promise.all([a.closed, b.closed]);
    expect(server.state.online()).toEqual([]);
    // Accounts survive: signing in again works.
    track(await signInTwn(server, 'alice@example.com', 'alicepass'));
  });

  it('records transcripts per connection in the captures\' notation', async () => {
    server = await start();
    const a = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    a.send('PNG');
    await a.waitFor('QNG');
    const [t] = server.transcripts();
    expect(t).toMatchObject({ server: 'ns', via: 'tcp', email: 'alice@example.com' });
    const text = server.formatTranscripts();
    expect(text).toContain('C: VER 1 MSNP8 CVR0\\r\\n');
    expect(text).toContain('S: QNG\\r\\n');
    // The ticket goes over the wire (it is the client's own), but the password never does.
    expect(text).not.toContain('alicepass');
  });

  it('puts the advertised host name into XFR SB and RNG addresses', async () => {
    server = await start({ advertisedHost: 'localhost' });
    const a = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    await syncAndGoOnline(a);
    a.send('XFR 9 SB');
    expect((await a.waitFor('XFR 9')).line).toMatch(new RegExp(`^XFR 9 SB localhost:${server.sb.port} CKI [0-9a-f]{20}$`));
  });

  it('refuses non-loopback listen addresses', async () => {
    await expect(startTestServer({ host: '0.0.0.0' })).rejects.toThrow(/loopback only/);
    server = await start();
  });

  it('answers a second VER with 715 and closes', async () => {
    server = await start();
    const c = track(await RawClient.connect(server.ns.port));
    c.send('VER 1 MSNP8 CVR0');
    await c.next();
    c.send('VER 2 MSNP8 CVR0');
    expect((await c.next()).line).toBe('715 2');
    await c.closed;
  });
});

describe('expiry timers', () => {
  it('expires Passport tickets', async () => {
    server = await start({ ticketTtlMs: 20 });
    const { ticket } = await passportTicket(server, 'bob@example.com', 'bobpass');
    await new Promise((r) => setTimeout(r, 40));
    const c = track(await RawClient.connect(server.ns.port));
    c.send('VER 1 MSNP8 CVR0');
    c.send('USR 2 TWN I bob@example.com');
    await c.waitFor('USR 2 TWN S');
    c.send(`USR 3 TWN S ${ticket}`);
    expect((await c.next()).line).toBe('911 3');
  });

  it('expires switchboard cookies', async () => {
    server = await start({ sbCookieTtlMs: 20 });
    const ns = track(await signInTwn(server, 'bob@example.com', 'bobpass'));
    await syncAndGoOnline(ns);
    ns.send('XFR 7 SB');
    const x = await ns.waitFor('XFR 7');
    await new Promise((r) => setTimeout(r, 40));
    const sb = track(await RawClient.connect(server.sb.port));
    sb.send(`USR 1 bob@example.com ${x.fields[5]}`);
    expect((await sb.next()).line).toBe('911 1');
  });

  it('drops an NS connection that stays silent for nsIdleTimeoutMs', async () => {
    server = await start({ nsIdleTimeoutMs: 80 });
    // Timed from before connecting: the server's clock starts at accept, which a busy machine can report to us late.
    const t0 = Date.now();
    const c = track(await RawClient.connect(server.ns.port));
    await c.closed;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(75);
  });
});

describe('HTTP endpoints', () => {
  it('answers /login without a Passport1.4 header with 401, and counts nexus hits', async () => {
    server = await start();
    const res = await fetch(server.loginUrl);
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Passport1.4 da-status=failed');
    const nexus = await fetch(server.nexusUrl);
    expect(nexus.headers.get('PassportURLs')).toBe(`DALogin=${server.loginUrl}`);
    expect(server.state.httpHits('/rdr/pprdr.asp')).toBe(1);
    expect((await fetch(`http://127.0.0.1:${server.http.port}/nothing`)).status).toBe(404);
  });

  it('answers CORS preflight on the gateway', async () => {
    server = await start();
    const res = await fetch(server.gateway.url, { method: 'OPTIONS' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('Access-Control-Expose-Headers')).toBe('X-MSN-Messenger');
  });
});
