// MSNP through an HTTP proxy's CONNECT tunnel, against tinyproxy with Basic authentication (squid has its own file).
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { closedPort, type RunningProxy } from '../../e2e/proxies/index';
import { createTransportFactory } from './create-transport-factory';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings, type ProxySettings } from '../../src-shared/connection-settings';
import { expectVerCvrCarried, VER_LINE, CVR_LINE } from './testing/msnp-exchange';
import { expectNoSecret } from './testing/secrets';
import { killWithBytesUnread, withOwnProxy } from './testing/own-proxy';
import { proxySettingsOf, serverAndProxyPerFile } from './testing/server-and-proxy';

const env = serverAndProxyPerFile('tinyproxy', { auth: true });

const settings = (over: Partial<ProxySettings> = {}, p: RunningProxy = env.proxy): ConnectionSettings => ({
  ...DEFAULT_CONNECTION_SETTINGS,
  server: env.server.ns,
  transport: 'http-proxy',
  proxy: proxySettingsOf(p, over),
});
/** Through a tinyproxy of the test's own, started without authentication. */
const connectWithoutAuth = (own: RunningProxy) => createTransportFactory(settings({ username: undefined, password: undefined }, own)).connect({ ...env.server.ns, role: 'NS' });

describe('HTTP CONNECT via tinyproxy with Basic auth', () => {
  it('carries VER/CVR byte for byte', async () => {
    const transport = await createTransportFactory(settings()).connect({ ...env.server.ns, role: 'NS' });
    expect(transport.description).toBe(`HTTP proxy 127.0.0.1:${env.proxy.port} → 127.0.0.1:${env.server.ns.port}`);
    const { rec } = await expectVerCvrCarried(transport, env.server);
    expect(rec.tapped('out')).toBe(VER_LINE + CVR_LINE);
    expectNoSecret(env.proxy.password, transport.description, rec.tapped('out'), rec.tapped('in'));
  });

  it('a wrong password is transport.proxy-auth-failed (407), with no secret in the error', async () => {
    const wrong = 'Wrong-Pass-77';
    const error = await createTransportFactory(settings({ password: wrong })).connect({ ...env.server.ns, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.proxy-auth-failed');
    expect(error.message).toMatch(new RegExp(`^The HTTP proxy at 127\\.0\\.0\\.1:${env.proxy.port} refused the user name or password \\(HTTP 40[17][^)]*\\)\\. Check them in the connection settings\\.$`));
    expectNoSecret(wrong, error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10 }));
    expectNoSecret(env.proxy.password, error.message, String(error.stack));
  });

  it('no credentials is transport.proxy-auth-required', async () => {
    const error = await createTransportFactory(settings({ username: undefined, password: undefined })).connect({ ...env.server.ns, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.proxy-auth-required');
    expect(error.message).toMatch(/requires a user name and password \(HTTP 407[^)]*\)\. Enter them in the connection settings\.$/);
  });

  it('a refused MSN server is transport.target-unreachable', async () => {
    const port = await closedPort();
    const error = await createTransportFactory(settings()).connect({ host: '127.0.0.1', port, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.target-unreachable');
    expect(error.message).toMatch(new RegExp(`^The HTTP proxy at 127\\.0\\.0\\.1:${env.proxy.port} could not (connect to the MSN server at|open a tunnel to) 127\\.0\\.0\\.1:${port} \\(HTTP 5\\d\\d[^)]*\\)`));
  });

  it('a proxy that is not listening is transport.proxy-unreachable', async () => {
    const port = await closedPort();
    const error = await createTransportFactory(settings({ port })).connect({ ...env.server.ns, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.proxy-unreachable');
    expect(error.message).toContain(`the proxy at 127.0.0.1:${port}: nothing is accepting connections there`);
  });

  it('a tinyproxy killed with our bytes unread resets: transport.connection-lost', async () => {
    await withOwnProxy('tinyproxy', connectWithoutAuth, async ({ proxy: own, transport, rec }) => {
      await killWithBytesUnread(own, transport);
      const info = await rec.closed;
      expect(info.error?.code).toBe('transport.connection-lost');
      expect(info.error?.message).toBe(`The connection to the MSN server at 127.0.0.1:${env.server.ns.port} via the HTTP proxy at 127.0.0.1:${own.port} was lost (ECONNRESET).`);
    });
  });

  it('a tinyproxy that dies mid-stream closes the transport from the remote side', async () => {
    await withOwnProxy('tinyproxy', connectWithoutAuth, async ({ proxy: own, rec }) => {
      await own.kill();
      // A FIN from the dying proxy: a clean remote close (see socks.int.test.ts).
      expect(await rec.closed).toEqual({ local: false });
    });
  });
});
