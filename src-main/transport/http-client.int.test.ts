// The Passport HTTP client along each route: the test server's nexus directly, through SOCKS5 (microsocks), through
// an HTTP proxy (tinyproxy: forward requests for http://, CONNECT for https://), and the gateway's proxy; HTTPS to a
// loopback TLS server with a throwaway certificate; limits, timeouts, and that redirects are handed back.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { startTestServer, type TestServer } from '../../e2e/msn-server/index';
import { startProxy, type RunningProxy } from '../../e2e/proxies/index';
import { createHttpClient } from './create-http-client';
import type { ConnectionSettings, ProxySettings, TransportKind } from '../../src-shared/connection-settings';
import { expectNoSecret } from './testing/secrets';

let server: TestServer;
let socks: RunningProxy;
let tiny: RunningProxy;
let https: HttpsServer;
let httpsPort = 0;
let ca = '';
let web: HttpServer;
let webPort = 0;
const certDir = mkdtempSync(join(tmpdir(), 'bf-tls-'));

beforeAll(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore' });
  ca = readFileSync(join(certDir, 'cert.pem'), 'utf8');
  https = createHttpsServer({ key: readFileSync(join(certDir, 'key.pem')), cert: ca }, (req, res) => {
    res.writeHead(200, { PassportURLs: 'DALogin=https://localhost/login', 'Content-Type': 'text/plain' });
    res.end(`secure ${req.method} ${req.url}`);
  });
  web = createHttpServer((req, res) => {
    if (req.url === '/redirect') res.writeHead(302, { Location: 'https://elsewhere.invalid/login' }).end();
    else if (req.url === '/big') res.writeHead(200, { 'Content-Length': String(2 * 1024 * 1024) }).end(Buffer.alloc(2 * 1024 * 1024));
    else if (req.url === '/chunked') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('one,');
      setTimeout(() => res.end('two'), 20);
    } else if (req.url === '/stall') res.writeHead(200, { 'Content-Length': '10' }).write('12345');
    else if (req.method === 'POST') {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => res.writeHead(200).end(`got ${Buffer.concat(parts).toString()}`));
    } else res.writeHead(404).end();
  });
  await Promise.all([new Promise<void>((r) => https.listen(0, '127.0.0.1', r)), new Promise<void>((r) => web.listen(0, '127.0.0.1', r))]);
  httpsPort = (https.address() as { port: number }).port;
  webPort = (web.address() as { port: number }).port;
  [server, socks, tiny] = await Promise.all([startTestServer(), startProxy('microsocks', { auth: true }), startProxy('tinyproxy', { auth: true })]);
});
afterAll(async () => {
  https?.close();
  web?.closeAllConnections();
  web?.close();
  await Promise.all([socks?.stop(), tiny?.stop(), server?.stop()]);
  rmSync(certDir, { recursive: true, force: true });
});

const creds = (p: RunningProxy, over: Partial<ProxySettings> = {}): ProxySettings => ({ host: p.host, port: p.port, username: p.username, password: p.password, ...over });
const routes: [string, () => Pick<ConnectionSettings, 'transport' | 'proxy'>][] = [
  ['direct', () => ({ transport: 'direct' as TransportKind })],
  ['SOCKS5 with credentials', () => ({ transport: 'socks5' as TransportKind, proxy: creds(socks) })],
  ['HTTP proxy with credentials', () => ({ transport: 'http-proxy' as TransportKind, proxy: creds(tiny) })],
  ['the gateway through its HTTP proxy', () => ({ transport: 'gateway' as TransportKind, proxy: creds(tiny) })],
];

describe.each(routes)('HTTP client, %s', (_name, route) => {
  it('reaches the test server nexus over plain HTTP', async () => {
    const before = server.state.httpHits('/rdr/pprdr.asp');
    const res = await createHttpClient(route()).request({ url: server.nexusUrl, method: 'GET', headers: {} });
    expect(res.status).toBe(200);
    expect(res.headers['passporturls']).toContain(`DALogin=${server.loginUrl}`);
    expect(server.state.httpHits('/rdr/pprdr.asp')).toBe(before + 1);
  });

  it('reaches an HTTPS server (TLS inside the tunnel)', async () => {
    const res = await createHttpClient(route(), { ca }).request({ url: `https://localhost:${httpsPort}/rdr/pprdr.asp?x=1`, method: 'GET', headers: {} });
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(res.body)).toBe('secure GET /rdr/pprdr.asp?x=1');
  });

  it('posts a body and reads a chunked answer', async () => {
    const client = createHttpClient(route());
    const post = await client.request({ url: `http://127.0.0.1:${webPort}/post`, method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hello ✿' });
    expect(new TextDecoder().decode(post.body)).toBe('got hello ✿');
    const chunked = await client.request({ url: `http://127.0.0.1:${webPort}/chunked`, method: 'GET', headers: {} });
    expect(new TextDecoder().decode(chunked.body)).toBe('one,two');
  });
});

describe('HTTP client limits and failures', () => {
  it('hands redirects back instead of following them', async () => {
    const res = await createHttpClient({ transport: 'direct' }).request({ url: `http://127.0.0.1:${webPort}/redirect`, method: 'GET', headers: { Authorization: 'Passport1.4 secret' } });
    expect(res.status).toBe(302);
    expect(res.headers['location']).toBe('https://elsewhere.invalid/login');
  });

  it('refuses a body over the cap', async () => {
    const error = await createHttpClient({ transport: 'direct' }, { maxResponseBytes: 1024 }).request({ url: `http://127.0.0.1:${webPort}/big`, method: 'GET', headers: {} }).catch((e) => e);
    expect(error.code).toBe('transport.response-too-large');
  });

  it('times out a stalled answer', async () => {
    const error = await createHttpClient({ transport: 'direct' }, { requestTimeoutMs: 300 }).request({ url: `http://127.0.0.1:${webPort}/stall`, method: 'GET', headers: {} }).catch((e) => e);
    expect(error.code).toBe('transport.timeout');
    expect(error.message).toBe(`The request to 127.0.0.1:${webPort} took longer than 0.3 s.`);
  });

  it('does not trust an unknown certificate', async () => {
    const error = await createHttpClient({ transport: 'direct' }).request({ url: `https://localhost:${httpsPort}/`, method: 'GET', headers: {} }).catch((e) => e);
    expect(error.code).toBe('transport.http-failed');
    expect(error.message).toMatch(/certificate is not trusted/);
  });

  it('wrong proxy credentials fail as such, for http:// (forward) and https:// (CONNECT), with no secret in the error', async () => {
    const wrong = 'Http-Wrong-Secret-9';
    for (const url of [server.nexusUrl, `https://localhost:${httpsPort}/`]) {
      const error = await createHttpClient({ transport: 'http-proxy', proxy: creds(tiny, { password: wrong }) }, { ca }).request({ url, method: 'GET', headers: {} }).catch((e) => e);
      expect(error.code, url).toBe('transport.proxy-auth-failed');
      expectNoSecret(wrong, error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10 }));
    }
    const socksError = await createHttpClient({ transport: 'socks5', proxy: creds(socks, { password: wrong }) }).request({ url: server.nexusUrl, method: 'GET', headers: {} }).catch((e) => e);
    expect(socksError.code).toBe('transport.proxy-auth-failed');
  });

  it('rejects URLs it must not send', async () => {
    const client = createHttpClient({ transport: 'direct' });
    await expect(client.request({ url: 'ftp://127.0.0.1/x', method: 'GET', headers: {} })).rejects.toMatchObject({ code: 'transport.unsupported' });
    await expect(client.request({ url: 'http://user:hunter2@127.0.0.1/x', method: 'GET', headers: {} })).rejects.toMatchObject({ code: 'transport.http-failed' });
    await expect(client.request({ url: server.nexusUrl, method: 'GET', headers: { 'X-Evil': 'a\r\nInjected: 1' } })).rejects.toMatchObject({ code: 'transport.http-failed' });
  });
});
