import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { FakeClock } from './testing/fake-clock';
import { signIn, type SignInOptions } from './sign-in';
import { ScriptedTransportFactory } from './testing/scripted-transport';
import { fakePassport, msnp8 } from './testing/fake-server-script';

const flush = async (n = 20) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

function options(factory: ScriptedTransportFactory, over: Partial<SignInOptions> = {}): SignInOptions {
  return {
    transportFactory: factory,
    httpClient: fakePassport('alicepass'),
    clock: new FakeClock(),
    server: { host: 'ns.test', port: 1863 },
    nexusUrl: 'https://nexus.test/rdr/pprdr.asp',
    email: 'alice@example.com',
    password: 'alicepass',
    connectTimeoutMs: 1000,
    requestTimeoutMs: 1000,
    passportTimeoutMs: 1000,
    maxRedirects: 3,
    ...over,
  };
}

describe('signIn (MSNP8, TWN)', () => {
  it('runs VER, CVR, USR I, Passport, USR S and returns the session', async () => {
    const factory = new ScriptedTransportFactory((t) => msnp8(t));
    const http = fakePassport('alicepass', 't=abc&p=def');
    const steps: string[] = [];
    const traffic: string[] = [];
    const result = await signIn(options(factory, { httpClient: http, onStep: (s) => steps.push(s), onTraffic: (e) => traffic.push(`${e.direction} ${e.line}`) }));
    expect(result).toMatchObject({ version: 8, email: 'alice@example.com', nickname: 'Alice' });
    const w = factory.last.written;
    expect(w[0]).toBe('VER 1 MSNP12 MSNP11 MSNP10 MSNP9 MSNP8 MSNP7 MSNP6 MSNP5 MSNP4 MSNP3 MSNP2 CVR0');
    expect(w[1]).toMatch(/^CVR 2 0x0409 winnt 5\.1 i386 MSNMSGR \S+ MSMSGS alice@example.com$/);
    expect(w[2]).toBe('USR 3 TWN I alice@example.com');
    expect(w[3]).toBe('USR 4 TWN S t=abc&p=def');
    expect(http.requests.map((r) => r.url)).toEqual(['https://nexus.test/rdr/pprdr.asp', 'https://passport.test/login2.srf']);
    expect(http.requests[1].headers.Authorization).toContain('sign-in=alice%40example.com,pwd=alicepass,ct=1,rver=1');
    expect(steps).toEqual(['connecting', 'negotiating', 'authenticating', 'passport', 'authenticating']);
    // Neither the ticket nor the password reaches the traffic stream.
    expect(traffic.join('\n')).not.toMatch(/abc|alicepass/);
    expect(traffic).toContain('out USR 4 TWN S [redacted]');
  });

  it('a 401 from Passport is a wrong password, and the connection is closed by us', async () => {
    const factory = new ScriptedTransportFactory((t) => msnp8(t));
    await expect(signIn(options(factory, { password: 'nope' }))).rejects.toMatchObject({ code: 'auth.wrong-password', retryable: false });
    expect(factory.last.state).toBe('closed');
    expect(factory.last.written.some((l) => l.startsWith('USR 4'))).toBe(false);
  });

  it('911 after the ticket is a wrong password, without waiting for the server to close', async () => {
    const factory = new ScriptedTransportFactory((t) => msnp8(t, { override: (_l, f) => (f[0] === 'USR' && f[3] === 'S' ? '911 {trid}' : undefined) }));
    await expect(signIn(options(factory))).rejects.toMatchObject({ code: 'auth.wrong-password' });
  });

  it('911 on USR I means the account is unknown', async () => {
    const factory = new ScriptedTransportFactory((t) => msnp8(t, { override: (_l, f) => (f[0] === 'USR' && f[3] === 'I' ? '911 {trid}' : undefined) }));
    await expect(signIn(options(factory))).rejects.toMatchObject({ code: 'auth.unknown-account' });
  });

  it('follows XFR NS redirects, then gives up on a loop', async () => {
    const redirecting = new ScriptedTransportFactory((t, i) =>
      msnp8(t, { override: (_l, f) => (f[0] === 'USR' && f[3] === 'I' && i === 0 ? 'XFR {trid} NS 10.0.0.2:1864 0 ns.test:1863' : undefined) }),
    );
    const ok = await signIn(options(redirecting));
    expect(ok.server).toEqual({ host: '10.0.0.2', port: 1864 });
    expect(redirecting.connections.map((c) => c.target.host)).toEqual(['ns.test', '10.0.0.2']);
    expect(redirecting.connections[0].state).toBe('closed');

    const looping = new ScriptedTransportFactory((t) => msnp8(t, { override: (_l, f) => (f[0] === 'USR' && f[3] === 'I' ? 'XFR {trid} NS ns.test:1863 0 ns.test:1863' : undefined) }));
    await expect(signIn(options(looping, { maxRedirects: 2 }))).rejects.toMatchObject({ code: 'session.redirect-loop' });
    expect(looping.connections).toHaveLength(3);
    expect(looping.connections.every((c) => c.state === 'closed')).toBe(true);
  });

  it('shows where a redirect leads, in the steps and as a traffic note', async () => {
    const redirecting = new ScriptedTransportFactory((t, i) =>
      msnp8(t, { override: (_l, f) => (f[0] === 'USR' && f[3] === 'I' && i === 0 ? 'XFR {trid} NS [2001:db8::2]:1864 0 ns.test:1863' : undefined) }),
    );
    const steps: string[] = [];
    const traffic: string[] = [];
    await signIn(options(redirecting, { onStep: (s, server) => steps.push(`${s} ${server}`), onTraffic: (e) => traffic.push(`${e.direction} ${e.line}`) }));
    expect(steps.slice(0, 4)).toEqual(['connecting ns.test:1863', 'negotiating ns.test:1863', 'authenticating ns.test:1863', 'redirected [2001:db8::2]:1864']);
    expect(traffic).toContain('note redirected by ns.test:1863 to [2001:db8::2]:1864 (XFR NS)');
    expect(traffic.indexOf('note redirected by ns.test:1863 to [2001:db8::2]:1864 (XFR NS)')).toBe(traffic.findIndex((l) => l.startsWith('in XFR')) + 1);
  });

  it.each(['ev\x1bil.example:1863', 'user@evil.example:1863', 'a/b:1863', '[fe80::1%eth0]:1863', 'host:0'])('refuses a redirect to %j without connecting there', async (target) => {
    const factory = new ScriptedTransportFactory((t) => msnp8(t, { override: (_l, f) => (f[0] === 'USR' && f[3] === 'I' ? `XFR {trid} NS ${target} 0 ns.test:1863` : undefined) }));
    const error = await signIn(options(factory)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'session.unexpected-reply' });
    // The address is quoted with its control bytes escaped, never raw.
    expect((error as Error).message).toContain(JSON.stringify(target));
    expect(factory.connections).toHaveLength(1);
    expect(factory.last.state).toBe('closed');
  });

  it('VER 0 is a protocol mismatch', async () => {
    const factory = new ScriptedTransportFactory((t) => msnp8(t, { override: (_l, f) => (f[0] === 'VER' ? 'VER {trid} 0 MSNP21 MSNP20' : undefined) }));
    await expect(signIn(options(factory))).rejects.toMatchObject({ code: 'session.protocol-mismatch' });
  });

  it('a silent server times out with a typed error', async () => {
    const clock = new FakeClock();
    const factory = new ScriptedTransportFactory(() => undefined);
    const p = signIn(options(factory, { clock }));
    const caught = p.catch((e) => e);
    await flush();
    clock.advance(999);
    await flush();
    clock.advance(1);
    expect(await caught).toMatchObject({ code: 'session.timeout', retryable: true });
    expect(factory.last.state).toBe('closed');
  });
});

describe('signIn (MSNP7, MD5)', () => {
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const msnp7 = (answer: (f: string[]) => string) =>
    new ScriptedTransportFactory((t) =>
      t.respond((_l, f) => {
        if (f[0] === 'VER') return 'VER {trid} MSNP7';
        if (f[0] === 'USR' && f[3] === 'I') return 'USR {trid} MD5 S 1013928519.693957190';
        if (f[0] === 'USR' && f[2] === 'MD5' && f[3] === 'S') return answer(f);
        return undefined;
      }),
    );

  it('answers the salt with md5(salt + password)', async () => {
    const factory = msnp7((f) => (f[4] === md5('1013928519.693957190alicepass') ? 'USR {trid} OK alice@example.com Alice%20A' : '911 {trid}'));
    const result = await signIn(options(factory));
    expect(result).toMatchObject({ version: 7, nickname: 'Alice%20A' });
    expect(factory.last.written[1]).toBe('USR 2 MD5 I alice@example.com');
  });

  it('911 after the hash is a wrong password, even though the server keeps the connection open', async () => {
    const factory = msnp7(() => '911 {trid}');
    await expect(signIn(options(factory, { password: 'wrong' }))).rejects.toMatchObject({ code: 'auth.wrong-password' });
    expect(factory.last.state).toBe('closed');
  });
});
