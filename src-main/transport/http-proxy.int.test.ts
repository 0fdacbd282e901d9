// MSNP through an HTTP proxy's CONNECT tunnel, against tinyproxy with Basic authentication (squid has its own file).
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../e2e/msn-server/index';
import { closedPort, startProxy, type RunningProxy } from '../../e2e/proxies/index';
import { createTransportFactory } from './create-transport-factory';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings, type ProxySettings } from '../../src-shared/connection-settings';
import { record, serverSide, verCvrExchange, VER_LINE, CVR_LINE } from './testing/msnp-exchange';
import { expectNoSecret } from './testing/secrets';

let server: TestServer;
let proxy: RunningProxy;

beforeAll(async () => {
  [server, proxy] = await Promise.all([startTestServer(), startProxy('tinyproxy', { auth: true })]);
});
afterAll(async () => {
  await Promise.all([proxy?.stop(), server?.stop()]);
});

const settings = (over: Partial<ProxySettings> = {}, p: RunningProxy = proxy): ConnectionSettings => ({
  ...DEFAULT_CONNECTION_SETTINGS,
  server: server.ns,
  transport: 'http-proxy',
  proxy: { host: p.host, port: p.port, username: p.username, password: p.password, ...over },
});

describe('HTTP CONNECT via tinyproxy with Basic auth', () => {
  it('carries VER/CVR byte for byte', async () => {
    const transport = await createTransportFactory(settings()).connect({ ...server.ns, role: 'NS' });
    expect(transport.description).toBe(`HTTP proxy 127.0.0.1:${proxy.port} → 127.0.0.1:${server.ns.port}`);
    const rec = record(transport);
    const received = await verCvrExchange(transport, rec);
    transport.close();
    await rec.closed;
    const t = server.transcripts().at(-1)!;
    expect(serverSide(t, 'C')).toBe(VER_LINE + CVR_LINE);
    expect(serverSide(t, 'S')).toBe(received);
    expect(rec.tapped('out')).toBe(VER_LINE + CVR_LINE);
    expectNoSecret(proxy.password, transport.description, rec.tapped('out'), rec.tapped('in'));
  });

  it('a wrong password is transport.proxy-auth-failed (407), with no secret in the error', async () => {
    const wrong = 'Wrong-Pass-77';
    const error = await createTransportFactory(settings({ password: wrong })).connect({ ...server.ns, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.proxy-auth-failed');
    expect(error.message).toMatch(new RegExp(`^The HTTP proxy at 127\\.0\\.0\\.1:${proxy.port} refused the user name or password \\(HTTP 40[17][^)]*\\)\\. Check them in the connection settings\\.$`));
    expectNoSecret(wrong, error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10 }));
    expectNoSecret(proxy.password, error.message, String(error.stack));
  });

  it('no credentials is transport.proxy-auth-required', async () => {
    const error = await createTransportFactory(settings({ username: undefined, password: undefined })).connect({ ...server.ns, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.proxy-auth-required');
    expect(error.message).toMatch(/requires a user name and password \(HTTP 407[^)]*\)\. Enter them in the connection settings\.$/);
  });

  it('a refused MSN server is transport.target-unreachable', async () => {
    const port = await closedPort();
    const error = await createTransportFactory(settings()).connect({ host: '127.0.0.1', port, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.target-unreachable');
    expect(error.message).toMatch(new RegExp(`^The HTTP proxy at 127\\.0\\.0\\.1:${proxy.port} could not (connect to the MSN server at|open a tunnel to) 127\\.0\\.0\\.1:${port} \\(HTTP 5\\d\\d[^)]*\\)`));
  });

  it('a proxy that is not listening is transport.proxy-unreachable', async () => {
    const port = await closedPort();
    const error = await createTransportFactory(settings({ port })).connect({ ...server.ns, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.proxy-unreachable');
    expect(error.message).toContain(`the proxy at 127.0.0.1:${port}: nothing is accepting connections there`);
  });

  it('a tinyproxy killed with our bytes unread resets: transport.connection-lost', async () => {
    const own = await startProxy('tinyproxy');
    try {
      const transport = await createTransportFactory(settings({ username: undefined, password: undefined }, own)).connect({ ...server.ns, role: 'NS' });
      const rec = record(transport);
      await verCvrExchange(transport, rec);
      own.freeze();
      transport.write(new TextEncoder().encode('PNG\r\n'));
      await new Promise((r) => setTimeout(r, 50));
      await own.kill();
      const info = await rec.closed;
      expect(info.error?.code).toBe('transport.connection-lost');
      expect(info.error?.message).toBe(`The connection to the MSN server at 127.0.0.1:${server.ns.port} via the HTTP proxy at 127.0.0.1:${own.port} was lost (ECONNRESET).`);
    } finally {
      await own.stop();
    }
  });

  it('a tinyproxy that dies mid-stream closes the transport from the remote side', async () => {
    const own = await startProxy('tinyproxy');
    try {
      const transport = await createTransportFactory(settings({ username: undefined, password: undefined }, own)).connect({ ...server.ns, role: 'NS' });
      const rec = record(transport);
      await verCvrExchange(transport, rec);
      await own.kill();
      // A FIN from the dying proxy: a clean remote close (see socks.int.test.ts).
      expect(await rec.closed).toEqual({ local: false });
    } finally {
      await own.stop();
    }
  });
});
