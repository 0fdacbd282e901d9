// The switchboard over real sockets: a two-person conversation shaped like captures 09/10, multi-party joins,
// ack modes, cookies and the idle timeout.
import { describe, expect, it } from 'vitest';
import type { AccountSpec, TestServer } from './index';
import type { RawClient } from './testing/raw-client';
import { signInTwn, syncAndGoOnline } from './testing/sign-in';
import { serverPerTest } from './testing/server-per-test';
import { answerRing, openSwitchboard } from './testing/switchboard';

let server: TestServer;
const { start, track } = serverPerTest();

async function online(email: string, password: string): Promise<RawClient> {
  const c = track(await signInTwn(server, email, password));
  await syncAndGoOnline(c);
  return c;
}

const typing = 'MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: bob@example.com\r\n\r\n\r\n';
const text = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Arial; EF=; CO=0; CS=0; PF=22\r\n\r\nHi Alice — ça va? ☃ 你好';
const latin1 = Buffer.concat([Buffer.from('MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n\r\n'), Buffer.from('Olá, ça va très bien', 'latin1')]);

describe('a conversation (captures 09 and 10)', () => {
  it('invites, joins, relays with ACKs per ack mode, and says BYE', async () => {
    server = await start();
    const aliceNs = await online('alice@example.com', 'alicepass');
    const bobNs = await online('bob@example.com', 'bobpass');
    const bob = track(await openSwitchboard(server, bobNs, 'bob@example.com', 7));
    bob.send('CAL 2 carol@example.com');
    expect((await bob.next()).line).toBe('205 2');
    bob.send('CAL 3 alice@example.com');
    const ringing = await bob.next();
    expect(ringing.line).toMatch(/^CAL 3 RINGING [0-9a-f-]{36}$/);
    const { sb: alice, joinLines, rngLine } = await answerRing(aliceNs, 'alice@example.com');
    track(alice);
    expect(rngLine).toMatch(new RegExp(`^RNG ${ringing.fields[3]} 127\\.0\\.0\\.1:${server.sb.port} CKI [0-9a-f]{20} bob@example.com Bob$`));
    // The invited side gets its own JOI first, then the roster, then ANS OK.
    expect(joinLines).toEqual(['JOI alice@example.com Alice%20✿%20Ünïcødé', 'IRO 1 1 1 bob@example.com Bob', 'ANS 1 OK']);
    expect((await bob.next()).line).toBe('JOI alice@example.com Alice%20✿%20Ünïcødé');

    bob.sendMsg(4, 'U', typing);
    bob.sendMsg(5, 'A', text);
    expect((await bob.next()).line).toBe('ACK 5');
    const m1 = await alice.next();
    expect(m1.line).toBe(`MSG bob@example.com Bob ${Buffer.byteLength(typing)}`);
    expect(m1.payload?.toString('utf8')).toBe(typing);
    const m2 = await alice.next();
    expect(m2.payload?.toString('utf8')).toBe(text);

    alice.sendMsg(2, 'N', 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nHello Bob!');
    alice.sendMsg(3, 'A', latin1);
    expect((await alice.next()).line).toBe('ACK 3');
    await bob.next();
    const relayed = await bob.next();
    // Payload bytes are relayed untouched, whatever the charset.
    expect(relayed.payload?.equals(latin1)).toBe(true);
    expect(await alice.quiet(50)).toEqual([]);

    bob.send('OUT');
    expect((await bob.next()).line).toBe('OUT');
    expect((await alice.next()).line).toBe('BYE bob@example.com');
  });

  it('refuses a bad or reused cookie with 911, and CAL of an offline contact with 217', async () => {
    server = await start();
    const bobNs = await online('bob@example.com', 'bobpass');
    bobNs.send('XFR 7 SB');
    const x = await bobNs.waitFor('XFR 7');
    const { RawClient } = await import('./testing/raw-client');
    const bad = track(await RawClient.connect(server.sb.port));
    bad.send('USR 1 bob@example.com 0000');
    expect((await bad.next()).line).toBe('911 1');
    const good = track(await RawClient.connect(server.sb.port));
    good.send(`USR 1 bob@example.com ${x.fields[5]}`);
    expect((await good.next()).line).toBe('USR 1 OK bob@example.com Bob');
    good.send('CAL 2 alice@example.com');
    expect((await good.next()).line).toBe('217 2');
    const reuse = track(await RawClient.connect(server.sb.port));
    reuse.send(`USR 1 bob@example.com ${x.fields[5]}`);
    expect((await reuse.next()).line).toBe('911 1');
  });

  it('refuses XFR SB with 913 before the first CHG', async () => {
    server = await start();
    const c = track(await signInTwn(server, 'bob@example.com', 'bobpass'));
    c.send('XFR 5 SB');
    expect((await c.next()).line).toBe('913 5');
  });
});

describe('multi-party and idle timeout', () => {
  const three: AccountSpec[] = ['a', 'b', 'c'].map((n) => ({
    email: `${n}@example.com`,
    password: `${n}pass`,
    contacts: ['a', 'b', 'c'].filter((m) => m !== n).map((m) => ({ email: `${m}@example.com`, lists: ['FL', 'AL'] as ('FL' | 'AL')[] })),
  }));

  it('tells everyone about each newcomer and relays to all others', async () => {
    server = await start({ accounts: three });
    const [aNs, bNs, cNs] = [await online('a@example.com', 'apass'), await online('b@example.com', 'bpass'), await online('c@example.com', 'cpass')];
    const a = track(await openSwitchboard(server, aNs, 'a@example.com', 9));
    a.send('CAL 2 b@example.com');
    await a.waitFor('CAL 2 RINGING');
    const b = track((await answerRing(bNs, 'b@example.com')).sb);
    await a.waitFor('JOI b@example.com');
    a.send('CAL 3 c@example.com');
    await a.waitFor('CAL 3 RINGING');
    const joined = await answerRing(cNs, 'c@example.com');
    const c = track(joined.sb);
    expect(joined.joinLines).toEqual([
      'JOI c@example.com c@example.com',
      'IRO 1 1 2 a@example.com a@example.com',
      'IRO 1 2 2 b@example.com b@example.com',
      'ANS 1 OK',
    ]);
    expect((await a.next()).line).toBe('JOI c@example.com c@example.com');
    expect((await b.next()).line).toBe('JOI c@example.com c@example.com');
    c.sendMsg(2, 'A', 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nhello all');
    expect((await a.next()).line).toMatch(/^MSG c@example.com c@example.com \d+$/);
    expect((await b.next()).line).toMatch(/^MSG c@example.com c@example.com \d+$/);
    expect((await c.next()).line).toBe('ACK 2');
    a.send('CAL 4 b@example.com');
    expect((await a.next()).line).toBe('215 4');
  });

  it('closes a conversation after the idle timeout', async () => {
    server = await start({ accounts: three, sbIdleTimeoutMs: 150 });
    const aNs = await online('a@example.com', 'apass');
    const a = track(await openSwitchboard(server, aNs, 'a@example.com', 9));
    const started = Date.now();
    await a.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(server.state.conversations()).toEqual([]);
  });
});

describe('switchboard fault switches', () => {
  /** alice and bob online, bob in a switchboard with alice; returns both SB clients. */
  async function chat(): Promise<{ bob: RawClient; alice: RawClient }> {
    const aliceNs = await online('alice@example.com', 'alicepass');
    const bobNs = await online('bob@example.com', 'bobpass');
    const bob = track(await openSwitchboard(server, bobNs, 'bob@example.com', 7));
    bob.send('CAL 2 alice@example.com');
    await bob.waitFor('CAL 2 RINGING');
    const alice = track((await answerRing(aliceNs, 'alice@example.com')).sb);
    await bob.waitFor('JOI alice@example.com');
    return { bob, alice };
  }
  const hello = 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nhello';

  it('nakMessages: the next MSGs are NAKed and not relayed, then relaying resumes', async () => {
    server = await start({ faults: { nakMessages: 1 } });
    const { bob, alice } = await chat();
    bob.sendMsg(3, 'A', hello);
    expect((await bob.next()).line).toBe('NAK 3');
    bob.sendMsg(4, 'A', hello);
    expect((await bob.next()).line).toBe('ACK 4');
    expect((await alice.next()).payload?.toString()).toBe(hello);
    expect(await alice.quiet(50)).toEqual([]);
  });

  it('sbDrop before a MSG: not relayed, the connection dropped, the others get BYE; spent after count', async () => {
    server = await start();
    const { bob, alice } = await chat();
    server.faults.set({ sbDrop: { command: 'MSG', phase: 'before', count: 1 } });
    bob.sendMsg(3, 'A', hello);
    await bob.closed;
    expect(bob.frames.map((f) => f.line)).not.toContain('ACK 3');
    expect((await alice.next()).line).toBe('BYE bob@example.com');
    expect(server.faults.current.sbDrop).toBeNull();
  });

  it('sbDrop after a MSG: relayed and ACKed, then dropped', async () => {
    server = await start();
    const { bob, alice } = await chat();
    server.faults.set({ sbDrop: { command: 'MSG', phase: 'after', count: 1 } });
    bob.sendMsg(3, 'A', hello);
    expect((await bob.next()).line).toBe('ACK 3');
    await bob.closed;
    expect((await alice.next()).payload?.toString()).toBe(hello);
    expect((await alice.next()).line).toBe('BYE bob@example.com');
  });

  it('a dropped connection is BYE email; the server timing someone out is BYE email 1', async () => {
    server = await start();
    const { bob, alice } = await chat();
    expect(server.faults.timeOutOfSwitchboards('alice@example.com')).toBe(1);
    expect((await bob.next()).line).toBe('BYE alice@example.com 1');
    await alice.closed;
    const again = await chat();
    expect(server.faults.kickSwitchboards('alice@example.com')).toBe(1);
    expect((await again.bob.next()).line).toBe('BYE alice@example.com');
  });

  it('sendRawSb writes any bytes to an account\'s switchboard connections', async () => {
    server = await start();
    const { alice } = await chat();
    expect(server.faults.sendRawSb('alice@example.com', 'MSG bob@example.com Bob 99999999\r\nxx')).toBe(1);
    await expect.poll(() => Buffer.concat(alice.chunks).toString('latin1')).toContain('MSG bob@example.com Bob 99999999\r\nxx');
  });

  it('XFR SB while HDN or before the first CHG: 913 by default, an SB with xfrSbWhenHidden "sb"', async () => {
    server = await start();
    const early = track(await signInTwn(server, 'bob@example.com', 'bobpass'));
    early.send('XFR 5 SB');
    expect((await early.next()).line).toBe('913 5');
    server.faults.set({ xfrSbWhenHidden: 'sb' });
    early.send('XFR 6 SB');
    expect((await early.next()).line).toMatch(/^XFR 6 SB 127\.0\.0\.1:\d+ CKI [0-9a-f]{20}$/);
    early.send('SYN 7 0');
    await early.waitFor('SYN 7 ');
    early.send('CHG 8 HDN 0');
    await early.waitFor('CHG 8 HDN');
    early.send('XFR 9 SB');
    expect((await early.waitFor('XFR 9')).line).toMatch(/^XFR 9 SB /);
    server.faults.set({ xfrSbWhenHidden: '913' });
    early.send('XFR 10 SB');
    expect((await early.waitFor('913 10')).line).toBe('913 10');
  });
});
