// SOCKS4 (dante, ssh -D), SOCKS4a (ssh -D), SOCKS5 (dante with RFC 1929 accounts, microsocks, ssh -D) — real proxy
// processes from Debian in front of the project's MSN test server. One proxy process per kind for the whole file;
// the mid-stream drop tests start their own, since they kill it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { startTestServer, type TestServer } from '../../e2e/msn-server/index';
import { closedPort, startProxy, type ProxyKind, type RunningProxy } from '../../e2e/proxies/index';
import { createTransportFactory } from './create-transport-factory';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings, type TransportKind } from '../../src-shared/connection-settings';
import { record, serverSide, verCvrExchange, VER_LINE, CVR_LINE } from './testing/msnp-exchange';
import { expectNoSecret } from './testing/secrets';
import { killWithBytesUnread, withOwnProxy } from './testing/own-proxy';
import { proxySettingsOf } from './testing/server-and-proxy';

let server: TestServer;
const proxies = new Map<string, RunningProxy>();

beforeAll(async () => {
  server = await startTestServer({ advertisedHost: 'localhost' });
  const started = await Promise.all([
    startProxy('dante-socks'),
    startProxy('dante-socks5-auth'),
    startProxy('microsocks', { auth: true }),
    startProxy('ssh-socks'),
  ]);
  for (const p of started) proxies.set(p.kind, p);
});
afterAll(async () => {
  await Promise.all([...proxies.values()].map((p) => p.stop()));
  await server?.stop();
});

interface Case {
  name: string;
  proxy: ProxyKind;
  kind: Extract<TransportKind, 'socks4' | 'socks4a' | 'socks5'>;
  /** The server's host as the client names it: 'localhost' exercises remote (4a/5) or local (4) resolution. */
  host: string;
}

const cases: Case[] = [
  { name: 'SOCKS4 via dante (name resolved here)', proxy: 'dante-socks', kind: 'socks4', host: 'localhost' },
  { name: 'SOCKS5 via dante, no auth', proxy: 'dante-socks', kind: 'socks5', host: '127.0.0.1' },
  { name: 'SOCKS5 via dante with a user name and password', proxy: 'dante-socks5-auth', kind: 'socks5', host: 'localhost' },
  { name: 'SOCKS5 via microsocks with a user name and password', proxy: 'microsocks', kind: 'socks5', host: '127.0.0.1' },
  { name: 'SOCKS4a via ssh -D (name resolved by the proxy)', proxy: 'ssh-socks', kind: 'socks4a', host: 'localhost' },
  { name: 'SOCKS5 via ssh -D', proxy: 'ssh-socks', kind: 'socks5', host: 'localhost' },
];

const settingsFor = (c: Case, p: RunningProxy, overrides: Partial<ConnectionSettings['proxy']> = {}): ConnectionSettings => ({
  ...DEFAULT_CONNECTION_SETTINGS,
  server: { host: c.host, port: server.ns.port },
  transport: c.kind,
  proxy: proxySettingsOf(p, overrides),
});

describe.each(cases)('$name', (c) => {
  it('carries VER/CVR byte for byte', async () => {
    const p = proxies.get(c.proxy)!;
    const before = server.transcripts().length;
    const transport = await createTransportFactory(settingsFor(c, p)).connect({ host: c.host, port: server.ns.port, role: 'NS' });
    expect(transport.description).toBe(`${c.kind === 'socks4' ? 'SOCKS4' : c.kind === 'socks4a' ? 'SOCKS4a' : 'SOCKS5'} 127.0.0.1:${p.port} → ${c.host}:${server.ns.port}`);
    const rec = record(transport);
    const received = await verCvrExchange(transport, rec);
    transport.close();
    expect(await rec.closed).toEqual({ local: true });
    const t = server.transcripts().slice(before).find((x) => serverSide(x, 'C').startsWith(VER_LINE))!;
    expect(serverSide(t, 'C')).toBe(VER_LINE + CVR_LINE);
    expect(serverSide(t, 'S')).toBe(received);
    expect(rec.tapped('in')).toBe(received);
    expectNoSecret(p.password, transport.description, rec.tapped('out'));
  });

  it('a refused MSN server is reported as the proxy could not connect to it', async () => {
    const p = proxies.get(c.proxy)!;
    const port = await closedPort();
    const error = await createTransportFactory(settingsFor(c, p)).connect({ host: '127.0.0.1', port, role: 'NS' }).catch((e) => e);
    if (c.kind === 'socks5' && c.proxy !== 'ssh-socks') {
      expect(error.code).toBe('transport.target-unreachable');
      expect(error.message).toMatch(new RegExp(`^The SOCKS5 proxy at 127\\.0\\.0\\.1:${p.port} (could not connect to the MSN server at 127\\.0\\.0\\.1:${port}: the server refused the connection|could not reach the MSN server at 127\\.0\\.0\\.1:${port} \\(host unreachable or not found\\))\\.$`));
    } else if (c.kind === 'socks5') {
      // OpenSSH hangs up instead of sending a reply code.
      expect(error.code).toBe('transport.target-unreachable');
      expect(error.message).toBe(`The SOCKS5 proxy at 127.0.0.1:${p.port} hung up instead of answering the request to connect to 127.0.0.1:${port}: it most likely could not reach the MSN server there.`);
    } else if (c.proxy === 'ssh-socks') {
      expect(error.code).toBe('transport.proxy-closed');
      expect(error.message).toBe(`The SOCKS4 proxy at 127.0.0.1:${p.port} hung up without answering the request to connect to 127.0.0.1:${port}: it most likely could not reach the MSN server there (or it is not a SOCKS4 proxy).`);
    } else {
      expect(error.code).toBe('transport.proxy-refused');
      expect(error.message).toBe(`The SOCKS4 proxy at 127.0.0.1:${p.port} rejected the connection to 127.0.0.1:${port}, or could not make it (the MSN server may be down, or the proxy's rules forbid it).`);
    }
    expectNoSecret(p.password, error.message, String(error.stack), JSON.stringify(error));
  });

  it('a proxy that is not listening is transport.proxy-unreachable', async () => {
    const port = await closedPort();
    const p = proxies.get(c.proxy)!;
    const settings = settingsFor(c, p, { port });
    const error = await createTransportFactory(settings).connect({ host: c.host, port: server.ns.port, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.proxy-unreachable');
    expect(error.message).toBe(`Could not connect to the proxy at 127.0.0.1:${port}: nothing is accepting connections there (connection refused). Check the proxy address and port, and that the proxy is running.`);
  });
});

describe('SOCKS5 credentials', () => {
  for (const kind of ['dante-socks5-auth', 'microsocks'] as const) {
    it(`${kind}: a wrong password is transport.proxy-auth-failed, and the password appears nowhere`, async () => {
      const p = proxies.get(kind)!;
      const wrong = 'wrong-Secret-42';
      const c: Case = { name: '', proxy: kind, kind: 'socks5', host: '127.0.0.1' };
      const error = await createTransportFactory(settingsFor(c, p, { password: wrong })).connect({ host: '127.0.0.1', port: server.ns.port, role: 'NS' }).catch((e) => e);
      expect(error.code).toBe('transport.proxy-auth-failed');
      expect(error.message).toBe(`The SOCKS5 proxy at 127.0.0.1:${p.port} refused the user name or password. Check them in the connection settings.`);
      expect(error.retryable).toBe(false);
      // inspect() prints causes and own properties too: what a logger would show.
      expectNoSecret(wrong, error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10 }));
    });

    it(`${kind}: no credentials at all is transport.proxy-auth-required`, async () => {
      const p = proxies.get(kind)!;
      const c: Case = { name: '', proxy: kind, kind: 'socks5', host: '127.0.0.1' };
      const error = await createTransportFactory(settingsFor(c, p, { username: undefined, password: undefined })).connect({ host: '127.0.0.1', port: server.ns.port, role: 'NS' }).catch((e) => e);
      expect(error.code).toBe('transport.proxy-auth-required');
      expect(error.message).toBe(`The SOCKS5 proxy at 127.0.0.1:${p.port} requires a user name and password. Enter them in the connection settings.`);
    });
  }
});

/** Connects to the server at 127.0.0.1 through `p`, a proxy of the test's own. */
const connectVia = (kind: ProxyKind, transportKind: Case['kind']) => (p: RunningProxy) =>
  createTransportFactory(settingsFor({ name: '', proxy: kind, kind: transportKind, host: '127.0.0.1' }, p)).connect({ host: '127.0.0.1', port: server.ns.port, role: 'NS' });

describe('mid-stream proxy drop', () => {
  for (const [kind, transportKind] of [['dante-socks', 'socks4'], ['microsocks', 'socks5'], ['ssh-socks', 'socks4a']] as const) {
    it(`${kind} (${transportKind}) dying mid-stream closes the transport from the remote side`, async () => {
      await withOwnProxy(kind, connectVia(kind, transportKind), async ({ proxy: p, transport, rec }) => {
        await p.kill();
        const info = await rec.closed;
        expect(info.local).toBe(false);
        // The proxy's FIN looks exactly like the server's: TCP cannot tell them apart, so this is a clean remote
        // close; the session knows whether it expected one.
        expect(info).toEqual({ local: false });
        expect(transport.state).toBe('closed');
      });
    });
  }
});

describe('proxy killed with our bytes unread (it resets the connection)', () => {
  for (const [kind, transportKind] of [['dante-socks5-auth', 'socks5'], ['ssh-socks', 'socks4a']] as const) {
    it(`${kind} (${transportKind}): transport.connection-lost naming the route`, async () => {
      await withOwnProxy(kind, connectVia(kind, transportKind), async ({ proxy: p, transport, rec }) => {
        await killWithBytesUnread(p, transport);
        const info = await rec.closed;
        expect(info.local).toBe(false);
        expect(info.error?.code).toBe('transport.connection-lost');
        const label = transportKind === 'socks5' ? 'SOCKS5' : 'SOCKS4a';
        expect(info.error?.message).toBe(`The connection to the MSN server at 127.0.0.1:${server.ns.port} via the ${label} proxy at 127.0.0.1:${p.port} was lost (ECONNRESET).`);
        expectNoSecret(p.password, info.error!.message);
      });
    });
  }
});

describe('IPv6 targets', () => {
  it('SOCKS5 (dante and microsocks) carry VER to a test server on ::1, where the machine has IPv6 loopback', async (ctx) => {
    let v6: TestServer;
    try {
      v6 = await startTestServer({ host: '::1' });
    } catch {
      return ctx.skip();
    }
    try {
      for (const kind of ['dante-socks5-auth', 'microsocks'] as const) {
        const p = proxies.get(kind)!;
        const c: Case = { name: '', proxy: kind, kind: 'socks5', host: '::1' };
        const transport = await createTransportFactory({ ...settingsFor(c, p), server: { host: '::1', port: v6.ns.port } }).connect({ host: '::1', port: v6.ns.port, role: 'NS' });
        expect(transport.description).toBe(`SOCKS5 127.0.0.1:${p.port} → [::1]:${v6.ns.port}`);
        const rec = record(transport);
        await verCvrExchange(transport, rec);
        transport.close();
        await rec.closed;
      }
      expect(v6.transcripts().length).toBe(2);
    } finally {
      await v6.stop();
    }
  });
});
