// The whole sign-in (VER/CVR/USR, the Passport nexus and login requests, SYN) through real proxies, with the CLI
// run as a real process inside a network namespace where the proxy is the only thing it can reach: the MSN
// server and the Passport servers are unreachable directly, so success proves every connection went through the
// proxy. The same run without --proxy fails with the network exit code, which shows the namespace really blocks.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAccountsFile, startTestServer, type TestServer } from '../../e2e/msn-server/index';
import { startProxy, type RunningProxy } from '../../e2e/proxies/index';
import { ExitCode } from './exit-codes';
import { CLI_ENTRY, runCli, spawnTsx, TSX } from './testing/run-cli';
import { startUnixRelay, type UnixRelay } from './testing/unix-relay';

const ISOLATED = join(import.meta.dirname, 'testing', 'isolated-network.ts');
const accounts = loadAccountsFile(join(import.meta.dirname, 'testing', 'accounts.json'));
const DANA_PW = 'dana-S3cret-pass';

let server: TestServer;
let dante: RunningProxy;
let tiny: RunningProxy;

beforeAll(async () => {
  [server, dante, tiny] = await Promise.all([startTestServer({ accounts }), startProxy('dante-socks5-auth'), startProxy('tinyproxy', { auth: true })]);
});
afterAll(async () => {
  await Promise.all([dante?.stop(), tiny?.stop(), server?.stop()]);
});

const target = () => ['--server', `127.0.0.1:${server.ns.port}`, '--nexus', server.nexusUrl, '--email', 'dana@example.com', '--password-env', 'PW'];

/** The CLI as a real process in a namespace that reaches only `proxy` (at the same address as outside). */
async function runIsolated(proxy: RunningProxy, relay: UnixRelay, argv: string[], env: Record<string, string>) {
  return spawnTsx([ISOLATED, relay.path, String(proxy.port), process.execPath, TSX, CLI_ENTRY, ...argv], env, { timeoutMs: 45_000, prefix: ['unshare', '-n', '--'] });
}

describe.each([
  [
    'a SOCKS5 proxy with a user name and password (dante)',
    () => dante,
    (p: RunningProxy) => ['--proxy', `socks5://${p.username}@127.0.0.1:${p.port}`],
    (p: RunningProxy) => `route: SOCKS5 proxy 127.0.0.1:${p.port} with a user name to 127.0.0.1:${server.ns.port}`,
  ],
  [
    'an HTTP proxy with Basic authentication (tinyproxy)',
    () => tiny,
    (p: RunningProxy) => ['--proxy', `http://${p.username}@127.0.0.1:${p.port}`],
    (p: RunningProxy) => `route: HTTP proxy 127.0.0.1:${p.port} with a user name to 127.0.0.1:${server.ns.port}`,
  ],
  [
    'the HTTP gateway behind an HTTP proxy (tinyproxy)',
    () => tiny,
    (p: RunningProxy) => ['--proxy', `http://${p.username}@127.0.0.1:${p.port}`, '--gateway', `127.0.0.1:${server.gateway.port}`],
    (p: RunningProxy) => `route: HTTP gateway 127.0.0.1:${server.gateway.port} via HTTP proxy 127.0.0.1:${p.port} with a user name`,
  ],
])('check through %s', (_name, proxyOf, proxyArgs, routeLine) => {
  let relay: UnixRelay;
  beforeAll(async () => {
    relay = await startUnixRelay(proxyOf());
  });
  afterAll(async () => {
    await relay?.close();
  });

  it('signs in with every connection (NS, nexus, login) going through the proxy', async () => {
    const proxy = proxyOf();
    const hits = { nexus: server.state.httpHits('/rdr/pprdr.asp'), login: server.state.httpHits('/login'), tickets: server.state.ticketsIssued() };
    const r = await runIsolated(proxy, relay, ['check', ...target(), ...proxyArgs(proxy), '--proxy-password-env', 'PROXY_PW'], { PW: DANA_PW, PROXY_PW: proxy.password! });
    expect(r.timedOut).toBe(false);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout.split('\n')[0]).toBe(routeLine(proxy));
    expect(r.stdout).toMatch(/^passport +\d+ ms {2}http:\/\/127\.0\.0\.1:\d+\/rdr\/pprdr\.asp$/m);
    expect(r.stdout).toMatch(/^connected as dana@example\.com with MSNP8 at /m);
    expect(r.stdout).toMatch(/^ok: signed in, 2 contacts in 2 groups/m);
    // The server saw this run's nexus and login requests and issued its ticket; they could only come via the proxy.
    expect(server.state.httpHits('/rdr/pprdr.asp')).toBe(hits.nexus + 1);
    expect(server.state.httpHits('/login')).toBe(hits.login + 1);
    expect(server.state.ticketsIssued()).toBe(hits.tickets + 1);
    expect(relay.connections()).toBeGreaterThanOrEqual(3);
    for (const secret of [proxy.password!, DANA_PW]) expect(r.stdout + r.stderr).not.toContain(secret);
  });
});

describe('the isolated network', () => {
  it('has no direct route: without --proxy the same run fails with the network code', async () => {
    const relay = await startUnixRelay(dante);
    try {
      const connections = server.transcripts().length;
      const r = await runIsolated(dante, relay, ['check', ...target()], { PW: DANA_PW });
      expect(r.timedOut).toBe(false);
      expect(r.code).toBe(ExitCode.network);
      expect(r.stderr).toContain(`Could not connect to the MSN server at 127.0.0.1:${server.ns.port}: nothing is accepting connections there (connection refused).`);
      expect(server.transcripts().length).toBe(connections);
      expect(relay.connections()).toBe(0);
    } finally {
      await relay.close();
    }
  });
});

describe('proxy failures', () => {
  it('a wrong SOCKS5 password exits with the network code and names the proxy, without the password', async () => {
    const wrong = 'wrong-proxy-pass';
    const r = await runCli(['check', ...target(), '--proxy', `socks5://${dante.username}@127.0.0.1:${dante.port}`, '--proxy-password-env', 'PROXY_PW'], { PW: DANA_PW, PROXY_PW: wrong });
    expect(r.code).toBe(ExitCode.network);
    expect(r.stderr).toMatch(/^failed: .*proxy.* \[transport\.[a-z-]+\]\n$/i);
    // The route check pins it on the handshake: the proxy was reached, the credentials were not accepted.
    expect(r.stdout).toMatch(new RegExp(`^  ok +\\d+ ms  Reach the SOCKS5 proxy at 127\\.0\\.0\\.1:${dante.port}`, 'm'));
    expect(r.stdout).toMatch(/^ {2}failed +\d+ ms {2}Handshake with the proxy: /m);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });

  it('the proxy password may also be given in the URL (kept out of the printed route)', async () => {
    const r = await runCli(['check', ...target(), '--proxy', `socks5://${dante.username}:${encodeURIComponent(dante.password!)}@127.0.0.1:${dante.port}`], { PW: DANA_PW });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout).toContain(`route: SOCKS5 proxy 127.0.0.1:${dante.port} with a user name to 127.0.0.1:${server.ns.port}\n`);
    expect(r.stdout + r.stderr).not.toContain(dante.password!);
  });
});
