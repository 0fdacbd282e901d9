// testConnection step by step against the test server and real proxies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../e2e/msn-server/index';
import { closedPort, startProxy, type RunningProxy } from '../../e2e/proxies/index';
import { testConnection } from './connection-check';
import { OFFERED_VERSIONS } from './sign-in';
import type { ConnectionCheckResult, ConnectionSettings } from '../../src-shared/connection-settings';
import { expectNoSecret } from '../transport/testing/secrets';
import { startOneReplyServer, type OneReplyServer } from '../transport/testing/one-reply-server';
import { serverSide } from '../transport/testing/msnp-exchange';

let server: TestServer;
let dante: RunningProxy;
let tiny: RunningProxy;
let notMsn: OneReplyServer;
let notMsnPort = 0;

beforeAll(async () => {
  [server, dante, tiny] = await Promise.all([startTestServer(), startProxy('dante-socks5-auth'), startProxy('tinyproxy', { auth: true })]);
  notMsn = await startOneReplyServer('HTTP/1.1 400 Bad Request\r\n\r\n');
  notMsnPort = notMsn.port;
});
afterAll(async () => {
  await Promise.all([notMsn?.stop(), dante?.stop(), tiny?.stop(), server?.stop()]);
});

const settings = (over: Partial<ConnectionSettings>): ConnectionSettings => ({
  server: server.ns,
  nexusUrl: server.nexusUrl,
  transport: 'direct',
  gateway: server.gateway,
  ...over,
});
const statuses = (r: ConnectionCheckResult) => r.steps.map((s) => `${s.step}:${s.status}`);

describe('testConnection', () => {
  it('direct: every step passes; proxy steps are skipped', async () => {
    const r = await testConnection(settings({}));
    expect(statuses(r)).toEqual(['resolve:ok', 'reach-proxy:skipped', 'proxy-handshake:skipped', 'reach-server:ok', 'exchange-ver:ok', 'reach-nexus:ok']);
    expect(r.ok).toBe(true);
    expect(r.route).toBe(`direct to 127.0.0.1:${server.ns.port}`);
    expect(r.steps.find((s) => s.step === 'exchange-ver')?.detail).toBe('the server answered "VER 1 MSNP8"');
    for (const s of r.steps) expect(s.ms).toBeGreaterThanOrEqual(0);
  });

  it('SOCKS5 with credentials: every step passes and nothing shows the password', async () => {
    const r = await testConnection(settings({ transport: 'socks5', proxy: { host: dante.host, port: dante.port, username: dante.username, password: dante.password } }));
    expect(statuses(r)).toEqual(['resolve:ok', 'reach-proxy:ok', 'proxy-handshake:ok', 'reach-server:ok', 'exchange-ver:ok', 'reach-nexus:ok']);
    expectNoSecret(dante.password, JSON.stringify(r));
  });

  it('a wrong SOCKS5 password fails the handshake step with the plain reason', async () => {
    const r = await testConnection(settings({ transport: 'socks5', proxy: { host: dante.host, port: dante.port, username: dante.username, password: 'Nope-Secret-1' } }));
    expect(statuses(r)).toEqual(['resolve:ok', 'reach-proxy:ok', 'proxy-handshake:failed', 'reach-server:skipped', 'exchange-ver:skipped', 'reach-nexus:failed']);
    expect(r.ok).toBe(false);
    expect(r.steps[2].error).toEqual({ code: 'transport.proxy-auth-failed', message: `The SOCKS5 proxy at 127.0.0.1:${dante.port} refused the user name or password. Check them in the connection settings.`, retryable: false });
    expectNoSecret('Nope-Secret-1', JSON.stringify(r));
  });

  it('a proxy that is not listening fails the reach-proxy step', async () => {
    const port = await closedPort();
    const r = await testConnection(settings({ transport: 'socks5', proxy: { host: '127.0.0.1', port } }));
    expect(statuses(r)).toEqual(['resolve:ok', 'reach-proxy:failed', 'proxy-handshake:skipped', 'reach-server:skipped', 'exchange-ver:skipped', 'reach-nexus:failed']);
    expect(r.steps[1].error?.code).toBe('transport.proxy-unreachable');
  });

  it('a refused MSN server fails reach-server; the nexus is still checked', async () => {
    const port = await closedPort();
    const r = await testConnection(settings({ server: { host: '127.0.0.1', port } }));
    expect(statuses(r)).toEqual(['resolve:ok', 'reach-proxy:skipped', 'proxy-handshake:skipped', 'reach-server:failed', 'exchange-ver:skipped', 'reach-nexus:ok']);
    expect(r.steps[3].error?.code).toBe('transport.target-unreachable');
  });

  it('something that is not an MSN server fails the VER step', async () => {
    const r = await testConnection(settings({ server: { host: '127.0.0.1', port: notMsnPort } }));
    const ver = r.steps.find((s) => s.step === 'exchange-ver')!;
    expect(ver.status).toBe('failed');
    expect(ver.error).toEqual({ code: 'transport.unexpected-reply', message: `The server at 127.0.0.1:${notMsnPort} answered "HTTP/1.1 400 Bad Request" instead of a VER reply: it may not be an MSN server.`, retryable: false });
  });

  it('VER offers the versions the sign-in offers, so a server that speaks only MSNP7 passes too', async () => {
    const before = server.transcripts().length;
    expect((await testConnection(settings({}))).ok).toBe(true);
    const sent = server.transcripts().slice(before).map((t) => serverSide(t, 'C'));
    expect(sent).toContain(`VER 1 ${OFFERED_VERSIONS.join(' ')} CVR0\r\n`);
    const msnp7 = await startTestServer({ versions: [7] });
    try {
      const r = await testConnection(settings({ server: msnp7.ns }));
      expect(r.steps.find((s) => s.step === 'exchange-ver')).toMatchObject({ status: 'ok', detail: 'the server answered "VER 1 MSNP7"' });
    } finally {
      await msnp7.stop();
    }
  });

  it('a server that speaks none of them, or not MSNP at all, fails the VER step with a plain reason', async () => {
    const noVersion = await startOneReplyServer('VER 1 0 MSNP11 MSNP12\r\n');
    const garbled = await startOneReplyServer('MSG a b many\r\n');
    try {
      const ver = async (port: number) => (await testConnection(settings({ server: { host: '127.0.0.1', port } }))).steps.find((s) => s.step === 'exchange-ver')!;
      expect((await ver(noVersion.port)).error).toEqual({
        code: 'transport.unexpected-reply',
        message: `The server at 127.0.0.1:${noVersion.port} does not speak any of ${OFFERED_VERSIONS.join(', ')} (it answered "VER 1 0 MSNP11 MSNP12").`,
        retryable: false,
      });
      const error = (await ver(garbled.port)).error!;
      expect(error.code).toBe('transport.unexpected-reply');
      expect(error.message).toMatch(new RegExp(`^The server at 127\\.0\\.0\\.1:${garbled.port} answered with something that is not an MSN command \\(.+\\): it may not be an MSN server\\.$`));
    } finally {
      await Promise.all([noVersion.stop(), garbled.stop()]);
    }
  });

  it('the nexus step names the login server the sign-in would use', async () => {
    const r = await testConnection(settings({}));
    expect(r.steps.find((s) => s.step === 'reach-nexus')?.detail).toMatch(/^the nexus answered with PassportURLs \(https?:\/\/[^ ]+\)$/);
  });

  it('the gateway through an HTTP proxy with credentials passes', async () => {
    const r = await testConnection(settings({ transport: 'gateway', proxy: { host: tiny.host, port: tiny.port, username: tiny.username, password: tiny.password } }), { timings: { pollIntervalMs: 50 } });
    expect(statuses(r)).toEqual(['resolve:ok', 'reach-proxy:ok', 'proxy-handshake:ok', 'reach-server:ok', 'exchange-ver:ok', 'reach-nexus:ok']);
    expectNoSecret(tiny.password, JSON.stringify(r));
  });

  it('invalid settings stop before any network step', async () => {
    const r = await testConnection(settings({ transport: 'socks5' }));
    expect(r.ok).toBe(false);
    expect(r.steps).toEqual([{ step: 'resolve', label: 'Check the settings', status: 'failed', ms: 0, error: { code: 'settings.invalid', message: 'A SOCKS5 connection needs a proxy address.', retryable: false } }]);
  });
});
