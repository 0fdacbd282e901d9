// The command-line client against a hostile server (e2e/hostile-server) over real sockets: the classics — payload
// lengths of 2^31, 10^12 and −5, a 10 MiB line, a lying length and then a close, NUL and invalid UTF-8 in names, raw
// CR/LF inside a nickname, 100,000 contacts, silence, one byte at a time, redirect loops — each checked for the exit
// code, the message a person sees, and that the run settles: it ends (fast where the client decides), and as a real
// process it leaves no connection or timer open behind it.
import { afterEach, describe, expect, it } from 'vitest';
import { lines, startHostileServer, type HostileServer, type Scenario } from '../../e2e/hostile-server';
import { endlessLine, synWith } from '../../e2e/hostile-server/payloads';
import type { SessionTimings } from '../session/connection-manager';
import { ExitCode } from './exit-codes';
import { runCli, spawnCli } from './testing/run-cli';

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const QUICK: Partial<SessionTimings> = { connectTimeoutMs: 5_000, requestTimeoutMs: 1_000, passportTimeoutMs: 5_000, syncTimeoutMs: 5_000 };
const args = (s: HostileServer, command = 'contacts') => [command, '--server', `${s.ns.host}:${s.ns.port}`, '--nexus', s.nexusUrl, '--email', 'alice@example.com'];
const ENV = { BUTTERFLY_PASSWORD: 'any' };

async function run(scenario: Scenario, command = 'contacts', timings = QUICK) {
  server = await startHostileServer(scenario);
  const started = Date.now();
  const result = await runCli(args(server, command), ENV, { timings });
  return { ...result, ms: Date.now() - started };
}

/** The SYN answer's first line, then `tail` (bytes the client must judge). */
const synThen = (tail: string | Iterable<string | Uint8Array>): Scenario => ({
  instead: { SYN: (c) => (typeof tail === 'string' ? `SYN ${c.trid} 1 1 1\r\n${tail}` : [`SYN ${c.trid} 1 1 1\r\n`, ...tail]) },
});

describe('lying payload lengths', () => {
  it.each([
    ['2^31', '2147483648', 'protocol.payload-too-large', 'announces a 2147483648-byte payload; the limit is 1048576'],
    ['10^12', '1000000000000', 'protocol.payload-too-large', 'announces a 1000000000000-byte payload; the limit is 1048576'],
    ['−5', '-5', 'protocol.bad-length', 'has "-5" where its payload length belongs'],
  ])('a MSG announcing %s bytes: exit 5 with the reason, at once', async (_name, length, code, text) => {
    const r = await run(synThen(`MSG Hotmail Hotmail ${length}\r\n`));
    expect(r.code).toBe(ExitCode.protocol);
    expect(r.stderr).toContain(text);
    expect(r.stderr).toContain(`[${code}]`);
    expect(r.stdout).toBe('');
  });

  it('a UBX announcing 2^31 bytes is past even the skip limit: exit 5', async () => {
    const r = await run(synThen('UBX bob@example.com 2147483648\r\n'));
    expect(r.code).toBe(ExitCode.protocol);
    expect(r.stderr).toContain('[protocol.payload-too-large]');
  });

  it('a lying length, then the server closes: exit 4, "closed the connection"', async () => {
    const r = await run({ instead: { SYN: (c) => `SYN ${c.trid} 1 1 1\r\nMSG Hotmail Hotmail 5000\r\nonly a few bytes` }, closeAfter: 'SYN' });
    expect(r.code).toBe(ExitCode.network);
    expect(r.stderr).toBe('failed: The server closed the connection during the contact list download. [session.connection-closed]\n');
  });
});

describe('lines and names', () => {
  it('a 10 MiB line: refused as soon as it passes 32 KiB, exit 5, without reading the rest', async () => {
    const r = await run(synThen(endlessLine(10 * 1024 * 1024)));
    expect(r.code).toBe(ExitCode.protocol);
    expect(r.stderr).toContain('is longer than 32768 bytes');
    expect(r.stderr).toContain('[protocol.line-too-long]');
  });

  it('NUL and invalid UTF-8 in names: listed, the bad bytes shown as U+FFFD, nothing lost around them', async () => {
    const nick = Buffer.concat([Buffer.from('Bo'), Buffer.from([0x00]), Buffer.from('b'), Buffer.from([0xff, 0xfe]), Buffer.from('%E2%9C%BF')]);
    const r = await run({
      instead: { SYN: (c) => [lines([`SYN ${c.trid} 1 2 1`, 'GTC A', 'BLP AL', 'LSG 0 Fr%00iends 0']), Buffer.concat([Buffer.from('LST bob@example.com '), nick, Buffer.from(' 11 0\r\n')]), 'LST carol@example.com Carol 11 0\r\n'] },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.ok);
    const list = JSON.parse(r.stdout) as { contacts: { email: string; nickname: string }[]; groups: { name: string }[] };
    expect(list.contacts.map((c) => c.email)).toEqual(expect.arrayContaining(['bob@example.com', 'carol@example.com']));
    expect(list.contacts.find((c) => c.email === 'bob@example.com')?.nickname).toBe('Bo\u0000b\ufffd\ufffd✿');
  });

  it('a raw CR/LF inside a nickname (as the real server relays it): signed in, the nickname whole (finding 11)', async () => {
    const r = await run({
      instead: { SYN: (c) => lines([`SYN ${c.trid} 1 2 1`, 'GTC A', 'BLP AL', 'LSG 0 Friends 0', 'LST bob@example.com Bob\r\nthe\r\nBuilder 11 0', 'LST carol@example.com Carol 11 0']) },
      after: { CHG: () => 'NLN AWY carol@example.com Ca\r\nrol 268435492\r\n' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.ok);
    const list = JSON.parse(r.stdout) as { contacts: { email: string; nickname: string; lists: string[] }[] };
    expect(list.contacts.find((c) => c.email === 'bob@example.com')?.nickname).toBe('Bob\r\nthe\r\nBuilder');
    expect(list.contacts).toHaveLength(2);
  });
});

describe('size', () => {
  it('100,000 contacts: "list too large" with the numbers, before any of them is kept', async () => {
    const r = await run({ instead: { SYN: (c) => synWith(c.trid, 100_000) } });
    expect(r.code).toBe(ExitCode.protocol);
    expect(r.stderr).toBe('failed: Your contact list is too large: it has 100,000 contacts, and Butterfly handles at most 30,000. [session.list-too-large]\n');
  });

  it('100,000 contacts announced as 30,000: stopped at 30,001, the same error', async () => {
    const r = await run({ instead: { SYN: (c) => synWith(c.trid, 100_000, { announced: 30_000 }) } });
    expect(r.code).toBe(ExitCode.protocol);
    expect(r.stderr).toContain('it has more than 30,000 contacts');
  });
});

describe('slow and silent servers', () => {
  it('never answering: the first command times out, exit 4', async () => {
    const r = await run({ silent: true });
    expect(r.code).toBe(ExitCode.network);
    expect(r.stderr).toBe('failed: The server did not answer VER within 1 s. [session.timeout]\n');
  });

  it('one byte at a time: each answer must arrive within the request timeout, exit 4 when one does not', async () => {
    // 20 bytes a second: VER's answer (19 bytes) makes it in under a second, CVR's (~60) does not.
    const r = await run({ drip: { bytes: 1, everyMs: 50 } });
    expect(r.code).toBe(ExitCode.network);
    expect(r.stderr).toBe('failed: The server did not answer CVR within 1 s. [session.timeout]\n');
    expect(server!.find((e) => e.what === 'sent VER')).toBeDefined();
  });

  it('an XFR NS redirect loop (to itself, forever): exit 5 after a bounded number of hops', async () => {
    const r = await run({ instead: { 'USR I': (c) => `XFR ${c.trid} NS ${c.server.ns.host}:${c.server.ns.port} 0 ${c.server.ns.host}:${c.server.ns.port}\r\n` } });
    expect(r.code).toBe(ExitCode.protocol);
    expect(r.stderr).toBe('failed: The server redirected Butterfly 4 times without letting it sign in; giving up. [session.redirect-loop]\n');
    expect(server!.connections()).toBe(4);
  });

  it('a Passport login that redirects to itself forever (over http): stopped at the first redirect, exit 5', async () => {
    const r = await run({ passport: 'redirect-loop' });
    expect(r.code).toBe(ExitCode.protocol);
    expect(r.stderr).toMatch(/^failed: The Passport login server sent Butterfly on to http:\/\/127\.0\.0\.1:\d+\..* \[auth\.passport-redirect-refused\]\n$/);
    expect(server!.log.filter((e) => e.what === 'http /login')).toHaveLength(1);
  });
});

describe('finding 9: ending at once, leaving nothing open', () => {
  it('a framing error while the server keeps the socket open ends the run at once, not after the 5 s graceful-close wait', async () => {
    server = await startHostileServer({ ...synThen('MSG Hotmail Hotmail -5\r\n'), holdOpen: true });
    const r = await runCli(args(server), ENV, { timings: QUICK });
    const sent = server.find((e) => e.what === 'sent SYN')!;
    expect(r.code).toBe(ExitCode.protocol);
    expect(Date.now() - sent.at).toBeLessThan(2_000);
    // The client dropped the connection itself (the server never closes its side), well before 5 s.
    await expect.poll(() => server!.find((e) => e.what === 'client-end'), { timeout: 2_000 }).toBeDefined();
    expect(server.find((e) => e.what === 'client-end')!.at - sent.at).toBeLessThan(2_000);
  });

  it('a real CLI process exits as soon as it is done when the server never closes its side (no lingering handle)', async () => {
    server = await startHostileServer({ holdOpen: true });
    const r = await spawnCli(args(server), ENV, { timeoutMs: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.ok);
    expect(JSON.parse(r.stdout).contacts).toHaveLength(2);
  });

  it('a real CLI process after a framing error with the socket held open: exit 5, nothing left open', async () => {
    server = await startHostileServer({ ...synThen('MSG Hotmail Hotmail 2147483648\r\n'), holdOpen: true });
    const r = await spawnCli(args(server), ENV, { timeoutMs: 30_000 });
    expect(r.code).toBe(ExitCode.protocol);
    expect(r.stderr).toMatch(/^failed: .+ \[protocol\.payload-too-large\]\n$/);
  });
});
