// Squid with Basic authentication (basic_ncsa_auth): the one file that starts squid, since it is the slowest proxy
// to start and stop. CONNECT for MSNP, forward requests for the gateway and the nexus, CONNECT for HTTPS-less nexus.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../../e2e/proxies/index';
import { createTransportFactory } from './create-transport-factory';
import { createHttpClient } from './create-http-client';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings, type ProxySettings } from '../../src-shared/connection-settings';
import { expectVerCvrCarried } from './testing/msnp-exchange';
import { expectNoSecret } from './testing/secrets';
import { proxySettingsOf, serverAndProxyPerFile } from './testing/server-and-proxy';

const env = serverAndProxyPerFile('squid', { auth: true });

const proxy = (over: Partial<ProxySettings> = {}): ProxySettings => proxySettingsOf(env.proxy, over);
const settings = (transport: 'http-proxy' | 'gateway', over: Partial<ProxySettings> = {}): ConnectionSettings => ({
  ...DEFAULT_CONNECTION_SETTINGS,
  server: env.server.ns,
  transport,
  proxy: proxy(over),
  gateway: env.server.gateway,
});

describe('squid with Basic auth', () => {
  it('CONNECT carries VER/CVR byte for byte', async () => {
    const transport = await createTransportFactory(settings('http-proxy')).connect({ ...env.server.ns, role: 'NS' });
    await expectVerCvrCarried(transport, env.server);
  });

  it('the gateway through squid carries VER/CVR byte for byte', async () => {
    const transport = await createTransportFactory(settings('gateway'), { pollIntervalMs: 30 }).connect({ ...env.server.ns, role: 'NS' });
    await expectVerCvrCarried(transport, env.server, (ts) => ts.filter((x) => x.via === 'gateway').at(-1));
  });

  it('the nexus through squid (forward request)', async () => {
    const res = await createHttpClient({ transport: 'http-proxy', proxy: proxy() }).request({ url: env.server.nexusUrl, method: 'GET', headers: {} });
    expect(res.status).toBe(200);
    expect(res.headers['passporturls']).toContain('DALogin=');
  });

  it('wrong credentials: 407 → transport.proxy-auth-failed for CONNECT, the gateway and the nexus', async () => {
    const wrong = 'Squid-Wrong-3';
    const errors = await Promise.all([
      createTransportFactory(settings('http-proxy', { password: wrong })).connect({ ...env.server.ns, role: 'NS' }).catch((e) => e),
      createTransportFactory(settings('gateway', { password: wrong })).connect({ ...env.server.ns, role: 'NS' }).catch((e) => e),
      createHttpClient({ transport: 'http-proxy', proxy: proxy({ password: wrong }) }).request({ url: env.server.nexusUrl, method: 'GET', headers: {} }).catch((e) => e),
    ]);
    for (const error of errors) {
      expect(error.code).toBe('transport.proxy-auth-failed');
      expect(error.message).toMatch(new RegExp(`^The HTTP proxy at 127\\.0\\.0\\.1:${env.proxy.port} refused the user name or password \\(HTTP 407`));
      expectNoSecret(wrong, error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10 }));
    }
  });

  it('a refused MSN server: squid answers 503 → transport.target-unreachable', async () => {
    const port = await closedPort();
    const error = await createTransportFactory(settings('http-proxy')).connect({ host: '127.0.0.1', port, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.target-unreachable');
    expect(error.message).toMatch(new RegExp(`^The HTTP proxy at 127\\.0\\.0\\.1:${env.proxy.port} could not connect to the MSN server at 127\\.0\\.0\\.1:${port} \\(HTTP 503`));
  });
});
