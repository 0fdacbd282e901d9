// The HTTP polling gateway in front of the same NS and SB (capture 13), driven with plain fetch.
import { beforeEach, describe, expect, it } from 'vitest';
import type { TestServer } from './index';
import { GatewayClient } from './testing/gateway-client';
import { RawClient } from './testing/raw-client';
import { ALICE_SYNC_REPLY, passportTicket, signInTwn, syncAndGoOnline } from './testing/sign-in';
import { serverPerTest } from './testing/server-per-test';

let server: TestServer;
const { start, track } = serverPerTest();
beforeEach(async () => {
  server = await start();
});

async function signInThroughGateway(gw: GatewayClient): Promise<void> {
  const open = await gw.open('NS', '127.0.0.1', 'VER 1 MSNP8 CVR0\r\n');
  expect(open.status).toBe(200);
  expect(open.body).toBe('VER 1 MSNP8\r\n');
  expect(open.header).toMatch(/^SessionID=[0-9a-f-]{36}; GW-IP=127\.0\.0\.1$/);
  expect((await gw.send('CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.2.0208 MSMSGS alice@example.com\r\n')).body).toMatch(/^CVR 2 6\.2\.0208 /);
  expect((await gw.send('USR 3 TWN I alice@example.com\r\n')).body).toBe('USR 3 TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1\r\n');
  const { ticket } = await passportTicket(server, 'alice@example.com', 'alicepass');
  expect((await gw.send(`USR 4 TWN S ${ticket}\r\n`)).body).toBe('USR 4 OK alice@example.com Alice%20✿%20Ünïcødé 1 0\r\n');
}

describe('HTTP gateway', () => {
  it('runs the capture 13 flow: open, posts answered in their own body, poll, OUT, then 400', async () => {
    const gw = new GatewayClient(server);
    await signInThroughGateway(gw);
    const first = gw.sessionId;
    const both = await gw.send('SYN 5 0\r\nCHG 6 NLN 0\r\n');
    expect(both.body).toBe([...ALICE_SYNC_REPLY, 'CHG 6 NLN 0', ''].join('\r\n'));
    expect(gw.sessionId).toBe(first);
    const poll = await gw.poll();
    expect(poll).toMatchObject({ status: 200, body: '' });
    expect(server.state.online().find((u) => u.email === 'alice@example.com')?.via).toBe('gateway');
    expect((await gw.send('OUT\r\n')).body).toBe('OUT\r\n');
    const dead = await gw.poll();
    expect(dead.status).toBe(400);
    expect(dead.header).toBeNull();
  });

  it('delivers presence from a TCP user on the next poll, and carries a switchboard session', async () => {
    const gw = new GatewayClient(server);
    await signInThroughGateway(gw);
    await gw.send('SYN 5 0\r\nCHG 6 NLN 0\r\n');
    const bob = await signInTwn(server, 'bob@example.com', 'bobpass');
    track(bob);
    await syncAndGoOnline(bob);
    expect((await gw.poll()).body).toBe('NLN NLN bob@example.com Bob 0\r\n');
    // Alice starts a conversation over a second gateway session (Server=SB).
    const xfr = (await gw.send('XFR 7 SB\r\n')).body;
    const [, , , address, , cookie] = xfr.trim().split(' ');
    const sb = new GatewayClient(server);
    const usr = await sb.open('SB', address.split(':')[0], `USR 1 alice@example.com ${cookie}\r\n`);
    expect(usr.body).toBe('USR 1 OK alice@example.com Alice%20✿%20Ünïcødé\r\n');
    expect(sb.sessionId).not.toBe(gw.sessionId);
    const cal = await sb.send('CAL 2 bob@example.com\r\n');
    expect(cal.body).toMatch(/^CAL 2 RINGING \S+\r\n$/);
    const rng = await bob.waitFor('RNG');
    const bobSb = await RawClient.connect(server.sb.port);
    track(bobSb);
    bobSb.send(`ANS 1 bob@example.com ${rng.fields[4]} ${rng.fields[1]}`);
    await bobSb.waitFor('ANS 1 OK');
    expect((await sb.poll()).body).toBe('JOI bob@example.com Bob\r\n');
    const payload = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nvia the gateway ✓';
    const sent = await sb.send(`MSG 3 A ${Buffer.byteLength(payload)}\r\n${payload}`);
    expect(sent.body).toBe('ACK 3\r\n');
    expect((await bobSb.waitFor('MSG')).payload?.toString('utf8')).toBe(payload);
    const back = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nback';
    bobSb.sendMsg(2, 'N', back);
    // Poll until the server has the relayed copy: bob's MSG may still be on its way.
    let polled = '';
    for (let i = 0; i < 200 && polled === ''; i++) polled = (await sb.poll()).body;
    expect(polled).toBe(`MSG bob@example.com Bob ${Buffer.byteLength(back)}\r\n${back}`);
  });

  it('answers 400 to an unknown session id and to a request while another is in flight', async () => {
    const gw = new GatewayClient(server);
    gw.sessionId = 'no-such-session';
    expect((await gw.poll()).status).toBe(400);
    await gw.open('NS', '127.0.0.1', 'VER 1 MSNP8 CVR0\r\n');
    // Hold the first request open (headers sent, body not yet complete), then overlap a poll.
    const { request } = await import('node:http');
    const body = 'CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.2.0208 MSMSGS alice@example.com\r\n';
    const first = request(`${server.gateway.url}?SessionID=${gw.sessionId}`, { method: 'POST', headers: { 'Content-Length': String(body.length) } });
    const firstDone = new Promise<{ status: number; text: string }>((resolve) =>
      first.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      }),
    );
    first.write(body.slice(0, 10));
    await expect.poll(() => server.state.gatewayBusySessions()).toBe(1);
    expect((await gw.poll()).status).toBe(400);
    first.end(body.slice(10));
    expect(await firstDone).toEqual({ status: 200, text: 'CVR 2 6.2.0208 6.2.0208 6.2.0208 ' + server.nexusUrl.replace('/rdr/pprdr.asp', '') + ' ' + server.nexusUrl.replace('/rdr/pprdr.asp', '') + '\r\n' });
  });

  it('applies drop faults to gateway sessions: the id is dead afterwards', async () => {
    server.faults.set({ dropAt: { command: 'CVR' } });
    const gw = new GatewayClient(server);
    expect((await gw.open('NS', '127.0.0.1', 'VER 1 MSNP8 CVR0\r\n')).body).toBe('VER 1 MSNP8\r\n');
    const dropped = await gw.send('CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.2.0208 MSMSGS alice@example.com\r\n');
    expect(dropped).toMatchObject({ status: 200, body: '' });
    expect((await gw.poll()).status).toBe(400);
    server.faults.set({ dropAt: null, refuseSb: true });
    const sb = new GatewayClient(server);
    expect((await sb.open('SB', '127.0.0.1', 'USR 1 alice@example.com 0123\r\n')).body).toBe('');
    expect((await sb.poll()).status).toBe(400);
  });

  it('closes a session that stops polling', async () => {
    await server.stop();
    server = await start({ gatewayIdleTimeoutMs: 100 });
    const gw = new GatewayClient(server);
    await gw.open('NS', '127.0.0.1', 'VER 1 MSNP8 CVR0\r\n');
    await new Promise((r) => setTimeout(r, 200));
    expect((await gw.poll()).status).toBe(400);
  });
});
