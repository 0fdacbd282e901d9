// Squid with Basic authentication (basic_ncsa_auth): the one file that starts squid, since it is the slowest proxy
// to start and stop. CONNECT for MSNP, forward requests for the gateway and the nexus, CONNECT for HTTPS-less nexus.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../e2e/msn-server/index';
import { closedPort, startProxy, type RunningProxy } from '../../e2e/proxies/index';
import { createTransportFactory } from './create-transport-factory';
import { createHttpClient } from './create-http-client';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings, type ProxySettings } from '../../src-shared/connection-settings';
import { record, serverSide, verCvrExchange, VER_LINE, CVR_LINE } from './testing/msnp-exchange';
import { expectNoSecret } from './testing/secrets';

let server: TestServer;
let squid: RunningProxy;

beforeAll(async () => {
  [server, squid] = await Promise.all([startTestServer(), startProxy('squid', { auth: true })]);
});
afterAll(async () => {
  await Promise.all([squid?.stop(), server?.stop()]);
});

const proxy = (over: Partial<ProxySettings> = {}): ProxySettings => ({ host: squid.host, port: squid.port, username: squid.username, password: squid.password, ...over });
const settings = (transport: 'http-proxy' | 'gateway', over: Partial<ProxySettings> = {}): ConnectionSettings => ({
  ...DEFAULT_CONNECTION_SETTINGS,
  server: server.ns,
  transport,
  proxy: proxy(over),
  gateway: server.gateway,
});

describe('squid with Basic auth', () => {
  it('CONNECT carries VER/CVR byte for byte', async () => {
    const transport = await createTransportFactory(settings('http-proxy')).connect({ ...server.ns, role: 'NS' });
    const rec = record(transport);
    const received = await verCvrExchange(transport, rec);
    transport.close();
    await rec.closed;
    const t = server.transcripts().at(-1)!;
    expect(serverSide(t, 'C')).toBe(VER_LINE + CVR_LINE);
    expect(serverSide(t, 'S')).toBe(received);
  });

  it('the gateway through squid carries VER/CVR byte for byte', async () => {
    const transport = await createTransportFactory(settings('gateway'), { pollIntervalMs: 30 }).connect({ ...server.ns, role: 'NS' });
    const rec = record(transport);
    const received = await verCvrExchange(transport, rec);
    transport.close();
    await rec.closed;
    const t = server.transcripts().filter((x) => x.via === 'gateway').at(-1)!;
    expect(serverSide(t, 'C')).toBe(VER_LINE + CVR_LINE);
    expect(serverSide(t, 'S')).toBe(received);
  });

  it('the nexus through squid (forward request)', async () => {
    const res = await createHttpClient({ transport: 'http-proxy', proxy: proxy() }).request({ url: server.nexusUrl, method: 'GET', headers: {} });
    expect(res.status).toBe(200);
    expect(res.headers['passporturls']).toContain('DALogin=');
  });

  it('wrong credentials: 407 → transport.proxy-auth-failed for CONNECT, the gateway and the nexus', async () => {
    const wrong = 'Squid-Wrong-3';
    const errors = await Promise.all([
      createTransportFactory(settings('http-proxy', { password: wrong })).connect({ ...server.ns, role: 'NS' }).catch((e) => e),
      createTransportFactory(settings('gateway', { password: wrong })).connect({ ...server.ns, role: 'NS' }).catch((e) => e),
      createHttpClient({ transport: 'http-proxy', proxy: proxy({ password: wrong }) }).request({ url: server.nexusUrl, method: 'GET', headers: {} }).catch((e) => e),
    ]);
    for (const error of errors) {
      expect(error.code).toBe('transport.proxy-auth-failed');
      expect(error.message).toMatch(new RegExp(`^The HTTP proxy at 127\\.0\\.0\\.1:${squid.port} refused the user name or password \\(HTTP 407`));
      expectNoSecret(wrong, error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10 }));
    }
  });

  it('a refused MSN server: squid answers 503 → transport.target-unreachable', async () => {
    const port = await closedPort();
    const error = await createTransportFactory(settings('http-proxy')).connect({ host: '127.0.0.1', port, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.target-unreachable');
    expect(error.message).toMatch(new RegExp(`^The HTTP proxy at 127\\.0\\.0\\.1:${squid.port} could not connect to the MSN server at 127\\.0\\.0\\.1:${port} \\(HTTP 503`));
  });
});
