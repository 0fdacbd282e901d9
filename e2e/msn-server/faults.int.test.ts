// Each fault switch, observed from a raw socket: what the client receives (and when) is what the switch promises.
import { describe, expect, it } from 'vitest';
import type { TestServer, TestServerOptions } from './index';
import { RawClient } from './testing/raw-client';
import { ALICE_SYNC_REPLY, md5, signInTwn, syncAndGoOnline } from './testing/sign-in';
import { serverPerTest } from './testing/server-per-test';
import { answerRing, openSwitchboard } from './testing/switchboard';

let server: TestServer;
const { start, track } = serverPerTest();

const SYN_REPLY = ALICE_SYNC_REPLY.map((line) => `${line}\r\n`).join('');

describe('write faults', () => {
  it('writes 1-byte chunks', async () => {
    server = await start();
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    server.faults.set({ chunking: 'byte', chunkDelayMs: 1 });
    const before = c.chunks.length;
    c.send('SYN 5 0');
    await c.waitFor('LST');
    const pieces = c.chunks.slice(before);
    expect(Buffer.concat(pieces).toString()).toBe(SYN_REPLY);
    // The kernel may merge a few writes, but nowhere near all of them.
    expect(pieces.length).toBeGreaterThan(SYN_REPLY.length / 4);
  });

  it('writes random-size chunks, deterministic per seed, and the bytes still add up', async () => {
    server = await start({ faults: { chunking: 'random', seed: 7, chunkDelayMs: 1 } });
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    const before = c.chunks.length;
    c.send('SYN 5 0');
    await c.waitFor('LST');
    const pieces = c.chunks.slice(before);
    expect(Buffer.concat(pieces).toString()).toBe(SYN_REPLY);
    expect(pieces.length).toBeGreaterThan(3);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(32);
  });

  it('delays replies', async () => {
    server = await start();
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    server.faults.set({ replyDelayMs: 150 });
    const t0 = Date.now();
    c.send('PNG');
    await c.waitFor('QNG');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('applies write faults only to the chosen server', async () => {
    // A delay far above what a busy machine adds, so "not delayed" cannot be mistaken.
    server = await start({ faults: { replyDelayMs: 5_000, scope: 'sb' } });
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    const t0 = Date.now();
    c.send('PNG');
    await c.waitFor('QNG');
    expect(Date.now() - t0).toBeLessThan(2_500);
  });
});

describe('ordering faults', () => {
  it('answers commands that arrived together in reverse order', async () => {
    server = await start({ faults: { reorderReplies: true } });
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    c.sendRaw('SYN 5 0\r\nCHG 6 NLN 0\r\n');
    const lines = (await c.take(7)).map((f) => f.line);
    expect(lines[0]).toBe('CHG 6 NLN 0');
    expect(lines[1]).toBe('SYN 5 1 1 2');
  });

  it('sends unsolicited commands in the middle of a SYN', async () => {
    server = await start({ faults: { unsolicitedDuringSyn: true }, challenges: true });
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    c.send('SYN 5 0');
    const lines = (await c.take(8)).map((f) => f.line);
    expect(lines.slice(0, 5)).toEqual(['SYN 5 1 1 2', 'GTC A', 'BLP AL', 'LSG 0 Other%20Contacts 0', 'LSG 1 Friends 0']);
    expect(lines[5]).toMatch(/^MSG Hotmail Hotmail \d+$/);
    expect(lines[6]).toMatch(/^CHL 0 \d{20}$/);
    expect(lines[7]).toBe('LST bob@example.com Bob 11 1');
  });
});

describe('drop faults', () => {
  it('drops before replying to the chosen command', async () => {
    server = await start({ faults: { dropAt: { command: 'SYN' } } });
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    const before = c.received().length;
    c.send('SYN 5 0');
    await c.closed;
    expect(c.received().length).toBe(before);
  });

  it('drops in the middle of the reply', async () => {
    server = await start({ faults: { dropAt: { command: 'SYN', phase: 'mid-reply' } } });
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    const before = c.received().length;
    c.send('SYN 5 0');
    await c.closed;
    const got = c.received().subarray(before).toString();
    expect(got).toBe(SYN_REPLY.slice(0, Math.floor(SYN_REPLY.length / 2)));
  });

  it('drops after the reply, on the chosen occurrence', async () => {
    server = await start({ faults: { dropAt: { command: 'PNG', phase: 'after-reply', occurrence: 2 } } });
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    c.send('PNG');
    await c.waitFor('QNG');
    c.send('PNG');
    await c.waitFor('QNG');
    await c.closed;
  });

  it('drops a switchboard connection after USR', async () => {
    server = await start({ faults: { dropAt: { server: 'sb', command: 'USR', phase: 'after-reply' } } });
    const ns = track(await signInTwn(server, 'bob@example.com', 'bobpass'));
    await syncAndGoOnline(ns);
    const sb = track(await openSwitchboard(server, ns, 'bob@example.com', 7));
    await sb.closed;
  });

  it('refuses switchboard connections', async () => {
    server = await start();
    const ns = track(await signInTwn(server, 'bob@example.com', 'bobpass'));
    await syncAndGoOnline(ns);
    server.faults.set({ refuseSb: true });
    const sb = track(await RawClient.connect(server.sb.port));
    await sb.closed;
    expect(sb.received().length).toBe(0);
  });
});

describe('injected bytes', () => {
  const cases = [
    ['garbage-line', Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x20, 0x7e, 0x0d, 0x0a])],
    ['oversized-length', Buffer.from('MSG Hotmail Hotmail 2147483647\r\n')],
    ['bad-length', Buffer.from('MSG Hotmail Hotmail -12x\r\n')],
  ] as const;
  for (const [kind, bytes] of cases) {
    it(`sends a ${kind} after the chosen reply`, async () => {
      server = await start({ faults: { malformed: { command: 'SYN', kind } } });
      const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
      const before = c.received().length;
      c.send('SYN 5 0');
      const all = await c.waitForBytes((b) => b.length - before >= SYN_REPLY.length + bytes.length);
      expect(all.subarray(before).equals(Buffer.concat([Buffer.from(SYN_REPLY), bytes]))).toBe(true);
    });
  }

  it('sends a 70 000-byte line without a line end', async () => {
    server = await start({ faults: { malformed: { command: 'PNG', kind: 'long-line' } } });
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    c.send('PNG');
    await c.waitForBytes((b) => b.toString('latin1').endsWith('QNG\r\n' + 'A'.repeat(70_000)));
  });

  it('sends raw bytes on demand', async () => {
    server = await start();
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    expect(server.faults.sendRaw('alice@example.com', 'NLN NLN\r\n')).toBe(1);
    expect((await c.next()).line).toBe('NLN NLN');
  });
});

describe('server notices', () => {
  it('sends OUT SSD after the chosen command and closes', async () => {
    server = await start({ faults: { outSsdAt: { command: 'CHG' } } });
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    c.send('CHG 5 NLN 0');
    expect((await c.next()).line).toBe('CHG 5 NLN 0');
    expect((await c.next()).line).toBe('OUT SSD');
    await c.closed;
  });

  it('sends OUT SSD on demand', async () => {
    server = await start({ outSsdCloseMs: 20 });
    const a = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    const b = track(await signInTwn(server, 'bob@example.com', 'bobpass'));
    expect(server.faults.sendOutSsd()).toBe(2);
    expect((await a.next()).line).toBe('OUT SSD');
    expect((await b.next()).line).toBe('OUT SSD');
    await Promise.all([a.closed, b.closed]);
  });

  it('drops one account\'s NS connection on demand, with no OUT, and leaves its switchboard and the others up', async () => {
    server = await start();
    const a = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    const b = track(await signInTwn(server, 'bob@example.com', 'bobpass'));
    await syncAndGoOnline(a);
    const sb = track(await openSwitchboard(server, a, 'alice@example.com', 9));
    expect(server.faults.kickNs('alice@example.com')).toBe(1);
    await a.closed;
    expect(a.frames.map((f) => f.line)).not.toContain('OUT');
    // Still answering: the switchboard to a CAL, bob's NS to a PNG.
    sb.send('CAL 2 bob@example.com');
    await sb.waitFor(/^(CAL 2|217 2)/);
    b.send('PNG');
    await b.waitFor('QNG');
    expect(server.faults.kickNs('nobody@example.com')).toBe(0);
  });

  it('stalls PNG', async () => {
    server = await start({ faults: { stallPng: true } });
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    c.send('PNG');
    expect(await c.quiet(150)).toEqual([]);
    server.faults.reset();
    c.send('PNG');
    expect((await c.next()).line).toBe('QNG');
  });
});

describe('HTTP faults', () => {
  it('delays HTTP answers and can make Passport fail with a chosen status', async () => {
    server = await start({ faults: { httpDelayMs: 120 } });
    const t0 = Date.now();
    expect((await fetch(server.nexusUrl)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    server.faults.set({ httpDelayMs: 0, passportStatus: 503 });
    expect((await fetch(server.nexusUrl)).status).toBe(503);
    expect((await fetch(server.loginUrl)).status).toBe(503);
    server.faults.reset();
    expect((await fetch(server.nexusUrl)).status).toBe(200);
  });
});

/** Alice and bob online, bob on a switchboard of his own calling alice (answered RINGING). */
async function bobCallingAlice(): Promise<{ aliceNs: RawClient; bob: RawClient }> {
  const aliceNs = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
  await syncAndGoOnline(aliceNs);
  const bobNs = track(await signInTwn(server, 'bob@example.com', 'bobpass'));
  await syncAndGoOnline(bobNs);
  const bob = track(await openSwitchboard(server, bobNs, 'bob@example.com', 7));
  bob.send('CAL 2 alice@example.com');
  await bob.waitFor('CAL 2 RINGING');
  return { aliceNs, bob };
}

describe('dropped ACK', () => {
  it('relays the message but sends no ACK', async () => {
    server = await start({ faults: { dropAck: true } });
    const { aliceNs, bob } = await bobCallingAlice();
    const alice = track((await answerRing(aliceNs, 'alice@example.com')).sb);
    await bob.waitFor('JOI');
    bob.sendMsg(3, 'A', 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nhi');
    await alice.waitFor('MSG bob@example.com');
    expect(await bob.quiet(100)).toEqual([]);
  });
});

describe('slow ring', () => {
  it('sends the RNG for a CAL of the chosen account late, and it still works', async () => {
    server = await start({ faults: { ringDelay: { email: 'Alice@example.com', ms: 300 } } });
    const { aliceNs, bob } = await bobCallingAlice();
    const rang = Date.now();
    // Still a good invitation, only late.
    const alice = track((await answerRing(aliceNs, 'alice@example.com')).sb);
    expect(Date.now() - rang).toBeGreaterThanOrEqual(250);
    await bob.waitFor('JOI alice@example.com');
    expect(alice.isClosed).toBe(false);
  });
});

describe('challenges', () => {
  async function challenged(options: TestServerOptions = {}): Promise<{ c: RawClient; chl: string }> {
    server = await start({ challenges: true, ...options });
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    c.send('CHG 5 NLN 0');
    const chl = await c.waitFor('CHL 0');
    return { c, chl: chl.fields[2] };
  }

  it('accepts the MSNP8 answer md5(challenge + product key)', async () => {
    const { c, chl } = await challenged();
    c.send('QRY 6 msmsgs@msnmsgr.com 32', md5(chl + 'Q1P7W2E4J9R8U3S5'));
    expect((await c.next()).line).toBe('QRY 6');
    expect(c.isClosed).toBe(false);
  });

  it('answers a wrong QRY with 540 and closes', async () => {
    const { c } = await challenged();
    c.send('QRY 6 msmsgs@msnmsgr.com 32', md5('wrong'));
    expect((await c.next()).line).toBe('540 6');
    await c.closed;
  });

  it('drops a client that never answers', async () => {
    const { c } = await challenged({ challengeTimeoutMs: 100 });
    await c.closed;
  });

  it('stays silent to a QRY nobody asked for (the real server has no handler)', async () => {
    server = await start();
    const c = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    c.send('QRY 6 msmsgs@msnmsgr.com 32', md5('x'));
    expect(await c.quiet(80)).toEqual([]);
    expect(server.challenge('alice@example.com')).toBe(true);
    expect((await c.next()).line).toMatch(/^CHL 0 \d{20}$/);
  });
});
