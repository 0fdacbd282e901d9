// The notification server over real sockets: sign-in both ways, SYN in both shapes, presence fan-out, list
// edits, errors and keep-alive — each checked against what the captures show the real server doing.
import { beforeEach, describe, expect, it } from 'vitest';
import type { TestServer } from './index';
import { RawClient } from './testing/raw-client';
import { ALICE_SYNC_REPLY, md5, passportTicket, signInMd5, signInTwn, syncAndGoOnline } from './testing/sign-in';
import { serverPerTest } from './testing/server-per-test';

let server: TestServer;
const { start, track } = serverPerTest();
beforeEach(async () => {
  server = await start();
});

describe('version negotiation', () => {
  it('picks the highest common version', async () => {
    const c = track(await RawClient.connect(server.ns.port));
    c.send('VER 1 MSNP12 MSNP8 MSNP7 CVR0');
    expect((await c.next()).line).toBe('VER 1 MSNP8');
  });

  it('answers unsupported versions with 0 and its own list, keeping the connection (capture 03)', async () => {
    const c = track(await RawClient.connect(server.ns.port));
    c.send('VER 1 MSNP1 MSNP99 CVR0');
    expect((await c.next()).line).toBe('VER 1 0 MSNP8 MSNP7 MSNP6 MSNP5 MSNP4 MSNP3 MSNP2');
    c.send('OUT');
    expect((await c.next()).line).toBe('OUT');
    await c.closed;
  });
});

describe('MD5 sign-in (MSNP7)', () => {
  it('signs in and syncs the MSNP7 list shape (capture 01)', async () => {
    const c = track(await RawClient.connect(server.ns.port));
    c.send('VER 1 MSNP7 CVR0');
    expect((await c.next()).line).toBe('VER 1 MSNP7');
    c.send('INF 2');
    expect((await c.next()).line).toBe('INF 2 MD5');
    c.send('USR 3 MD5 I bob@example.com');
    const s = await c.next();
    expect(s.line).toMatch(/^USR 3 MD5 S [0-9a-f]{15}$/);
    c.send(`USR 4 MD5 S ${md5(s.fields[4] + 'bobpass')}`);
    expect((await c.next()).line).toBe('USR 4 OK bob@example.com Bob');
    c.send('SYN 5 0');
    const lines = (await c.take(8)).map((f) => f.line);
    expect(lines).toEqual([
      'SYN 5 1',
      'LSG 5 1 1 1 0 Other%20Contacts 0',
      'LST 5 FL 1 1 1 alice@example.com Alice%20✿%20Ünïcødé 0',
      'LST 5 AL 1 1 1 alice@example.com Alice%20✿%20Ünïcødé',
      'LST 5 BL 1 0 0',
      'LST 5 RL 1 1 1 alice@example.com Alice%20✿%20Ünïcødé',
      'GTC 5 1 A',
      'BLP 5 1 AL',
    ]);
  });

  it('answers a wrong hash with 911 and keeps the connection open and silent (capture 02)', async () => {
    const c = track(await RawClient.connect(server.ns.port));
    c.send('VER 1 MSNP7 CVR0');
    await c.next();
    c.send('USR 3 MD5 I carol@example.com');
    await c.next();
    c.send(`USR 4 MD5 S ${md5('wrong')}`);
    expect((await c.next()).line).toBe('911 4');
    expect(await c.quiet(80)).toEqual([]);
    expect(c.isClosed).toBe(false);
    c.send('OUT');
    expect((await c.next()).line).toBe('OUT');
  });
});

describe('TWN sign-in (MSNP8)', () => {
  it('runs the capture 04 flow: nexus, login, ticket, USR OK, MSNP8 SYN', async () => {
    const c = track(await RawClient.connect(server.ns.port));
    c.send('VER 1 MSNP8 CVR0');
    expect((await c.next()).line).toBe('VER 1 MSNP8');
    c.send('CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.2.0208 MSMSGS alice@example.com');
    expect((await c.next()).line).toMatch(/^CVR 2 6\.2\.0208 6\.2\.0208 6\.2\.0208 \S+ \S+$/);
    c.send('USR 3 TWN I alice@example.com');
    expect((await c.next()).line).toBe('USR 3 TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1');
    const { status, ticket } = await passportTicket(server, 'alice@example.com', 'alicepass');
    expect(status).toBe(200);
    expect(ticket).toMatch(/^[0-9a-f]{20}$/);
    c.send(`USR 4 TWN S ${ticket}`);
    expect((await c.next()).line).toBe('USR 4 OK alice@example.com Alice%20✿%20Ünïcødé 1 0');
    c.send('SYN 5 0');
    expect((await c.take(6)).map((f) => f.line)).toEqual(ALICE_SYNC_REPLY);
  });

  it('refuses a wrong password with 401 and WWW-Authenticate (capture 07)', async () => {
    const r = await passportTicket(server, 'bob@example.com', 'not-bobpass');
    expect(r.status).toBe(401);
    expect(r.headers.get('WWW-Authenticate')).toBe('Passport1.4 da-status=failed');
    expect(r.ticket).toBeUndefined();
  });

  it('accepts a ticket once only, and only for its account; 911 keeps the connection', async () => {
    const { ticket } = await passportTicket(server, 'bob@example.com', 'bobpass');
    const a = track(await RawClient.connect(server.ns.port));
    a.send('VER 1 MSNP8 CVR0');
    a.send('USR 2 TWN I alice@example.com');
    await a.waitFor('USR 2 TWN S');
    a.send(`USR 3 TWN S ${ticket}`);
    expect((await a.waitFor(/^911/)).line).toBe('911 3');
    const b = track(await RawClient.connect(server.ns.port));
    b.send('VER 1 MSNP8 CVR0');
    b.send('USR 2 TWN I bob@example.com');
    await b.waitFor('USR 2 TWN S');
    b.send(`USR 3 TWN S t=${ticket}&p=whatever`);
    // The ticket was consumed by alice's failed attempt: single use.
    expect((await b.waitFor(/^911|^USR 3/)).line).toBe('911 3');
    expect(b.isClosed).toBe(false);
  });

  it('answers 911 and closes for an unknown account', async () => {
    const c = track(await RawClient.connect(server.ns.port));
    c.send('VER 1 MSNP8 CVR0');
    c.send('USR 2 TWN I nobody@example.com');
    expect((await c.waitFor(/^911/)).line).toBe('911 2');
    await c.closed;
  });

  it('redirects with XFR NS when asked to', async () => {
    server.setRedirects(1);
    const c = track(await RawClient.connect(server.ns.port));
    c.send('VER 1 MSNP8 CVR0');
    c.send('USR 2 TWN I alice@example.com');
    const x = await c.waitFor('XFR 2');
    expect(x.line).toBe(`XFR 2 NS 127.0.0.1:${server.ns.port} 0 127.0.0.1:${server.ns.port}`);
    const again = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    expect(again.isClosed).toBe(false);
  });
});

describe('presence', () => {
  it('fans out CHG as ILN/NLN/FLN between alice and bob (captures 04/06)', async () => {
    const alice = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    await syncAndGoOnline(alice, 5, '0');
    const bob = track(await signInTwn(server, 'bob@example.com', 'bobpass'));
    bob.send('SYN 5 0');
    await bob.waitFor('LST alice@example.com');
    bob.send('CHG 6 NLN 268435488');
    expect((await bob.next()).line).toBe('CHG 6 NLN 268435488');
    expect((await bob.next()).line).toBe('ILN 6 NLN alice@example.com Alice%20✿%20Ünïcødé 0');
    expect((await alice.waitFor('NLN')).line).toBe('NLN NLN bob@example.com Bob 268435488');
    // A nickname change is an NLN with the same status; the reply re-encodes the server's way (capture 04).
    alice.send('REA 7 alice@example.com Alice%20%E2%9C%BF%20%C3%9Cn%C3%AFc%C3%B8d%C3%A9%20100%25');
    expect((await alice.waitFor('REA 7')).line).toBe('REA 7 2 alice@example.com Alice%20✿%20Ünïcødé%20100%');
    expect((await bob.waitFor('NLN')).line).toBe('NLN NLN alice@example.com Alice%20✿%20Ünïcødé%20100% 0');
    bob.send('CHG 8 AWY 268435488');
    expect((await alice.waitFor('NLN')).line).toBe('NLN AWY bob@example.com Bob 268435488');
    bob.send('CHG 9 HDN 268435488');
    expect((await alice.waitFor(/^FLN/)).line).toBe('FLN bob@example.com');
    bob.send('CHG 10 NLN 268435488');
    await alice.waitFor('NLN NLN bob');
    bob.send('OUT');
    expect((await alice.waitFor(/^FLN/)).line).toBe('FLN bob@example.com');
  });

  it('uses the MSNP7 shapes (no client id) for an MD5 user watching an MSNP8 user', async () => {
    const bob = track(await signInMd5(server, 'bob@example.com', 'bobpass'));
    bob.send('CHG 5 NLN');
    expect((await bob.next()).line).toBe('CHG 5 NLN');
    const alice = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    alice.send('CHG 5 BSY 0');
    expect((await alice.waitFor('ILN')).line).toBe('ILN 5 NLN bob@example.com Bob 0');
    expect((await bob.waitFor('NLN')).line).toBe('NLN BSY alice@example.com Alice%20✿%20Ünïcødé');
  });

  it('ignores an MSNP8 CHG without client id, and drops the connection for CHG without status (capture 11)', async () => {
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    c.send('CHG 5 NLN');
    expect(await c.quiet(80)).toEqual([]);
    c.send('CHG 6');
    await c.closed;
  });

  it('sends OUT OTH to the first connection on a second sign-in and leaves it open', async () => {
    const first = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    const second = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    expect((await first.waitFor('OUT')).line).toBe('OUT OTH');
    expect(await first.quiet(80)).toEqual([]);
    expect(first.isClosed).toBe(false);
    second.send('PNG');
    expect((await second.next()).line).toBe('QNG');
  });
});

describe('errors, keep-alive and unknown commands (capture 04)', () => {
  it('502 for INF on MSNP8, 201 for XFR NS, silence for unknown, QNG for a bare-\\n PNG', async () => {
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    c.send('INF 8');
    expect((await c.next()).line).toBe('502 8');
    c.send('XFR 9 NS');
    expect((await c.next()).line).toBe('201 9');
    c.send('ZZZ 10 unknown');
    c.sendRaw('PNG\n');
    expect((await c.next()).line).toBe('QNG');
  });

  it('drops a connection that sends SYN before signing in', async () => {
    const c = track(await RawClient.connect(server.ns.port));
    c.send('VER 1 MSNP8 CVR0');
    await c.next();
    c.send('SYN 2 0');
    await c.closed;
  });
});
