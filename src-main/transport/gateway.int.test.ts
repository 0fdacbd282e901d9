// The MSN HTTP gateway transport against the test server's gateway: directly, and through tinyproxy with Basic auth
// (absolute-URI forward requests). Squid has its own file.
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { startTestServer, type TestServer } from '../../e2e/msn-server/index';
import { closedPort, startProxy, type RunningProxy } from '../../e2e/proxies/index';
import { createTransportFactory, type TransportTimings } from './create-transport-factory';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings, type ProxySettings } from '../../src-shared/connection-settings';
import { record, serverSide, verCvrExchange, VER_LINE, CVR_LINE } from './testing/msnp-exchange';
import { expectNoSecret } from './testing/secrets';

let server: TestServer;
let proxy: RunningProxy;
const fast: Partial<TransportTimings> = { pollIntervalMs: 30, gatewayRequestTimeoutMs: 3000 };

beforeAll(async () => {
  [server, proxy] = await Promise.all([startTestServer(), startProxy('tinyproxy', { auth: true })]);
});
afterEach(() => server.faults.reset());
afterAll(async () => {
  const internal = server.state.internalErrors();
  await Promise.all([proxy?.stop(), server?.stop()]);
  expect(internal).toEqual([]);
});

const gatewaySettings = (proxySettings?: ProxySettings): ConnectionSettings => ({
  ...DEFAULT_CONNECTION_SETTINGS,
  server: server.ns,
  transport: 'gateway',
  gateway: { host: server.gateway.host, port: server.gateway.port },
  proxy: proxySettings,
});
const viaProxy = (over: Partial<ProxySettings> = {}, p = proxy): ProxySettings => ({ host: p.host, port: p.port, username: p.username, password: p.password, ...over });
const enc = (s: string) => new TextEncoder().encode(s);
const lastGatewayTranscript = () => server.transcripts().filter((t) => t.via === 'gateway').at(-1)!;

describe.each([
  ['directly', (): ProxySettings | undefined => undefined],
  ['through tinyproxy with Basic auth', (): ProxySettings | undefined => viaProxy()],
] as const)('HTTP gateway %s', (_name, proxyFor) => {
  it('carries VER/CVR byte for byte, one request at a time', async () => {
    const transport = await createTransportFactory(gatewaySettings(proxyFor()), fast).connect({ ...server.ns, role: 'NS' });
    const via = proxyFor() ? ` via HTTP proxy 127.0.0.1:${proxy.port}` : '';
    expect(transport.description).toBe(`HTTP gateway 127.0.0.1:${server.gateway.port}${via} → NS 127.0.0.1:${server.ns.port}`);
    const rec = record(transport);
    const received = await verCvrExchange(transport, rec);
    const t = lastGatewayTranscript();
    expect(serverSide(t, 'C')).toBe(VER_LINE + CVR_LINE);
    expect(serverSide(t, 'S')).toBe(received);
    expect(rec.tapped('out')).toBe(VER_LINE + CVR_LINE);
    expect(rec.tapped('in')).toBe(received);
    expectNoSecret(proxy.password, transport.description, rec.tapped('out'));
    transport.close();
    expect(await rec.closed).toEqual({ local: true });
  });

  it('keeps many quick writes in order (the gateway answers 400 to any overlapping request)', async () => {
    const transport = await createTransportFactory(gatewaySettings(proxyFor()), fast).connect({ ...server.ns, role: 'NS' });
    const rec = record(transport);
    transport.write(enc(VER_LINE));
    const lines: string[] = [];
    for (let i = 2; i < 22; i++) lines.push(`CVR ${i} 0x0409 winnt 5.1 i386 MSNMSGR 6.2.0208 MSMSGS alice@example.com\r\n`);
    for (const line of lines) transport.write(enc(line));
    const text = await rec.waitFor(/CVR 21 [^\r]*\r\n/, 8000);
    const trids = [...text.matchAll(/^CVR (\d+) /gm)].map((m) => Number(m[1]));
    expect(trids).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(serverSide(lastGatewayTranscript(), 'C')).toBe(VER_LINE + lines.join(''));
    transport.close();
    await rec.closed;
  });

  it('collects answers that arrive later by polling', async () => {
    server.faults.set({ replyDelayMs: 150 });
    const transport = await createTransportFactory(gatewaySettings(proxyFor()), fast).connect({ ...server.ns, role: 'NS' });
    const rec = record(transport);
    transport.write(enc(VER_LINE));
    expect(await rec.waitFor('VER 1 MSNP8\r\n', 5000)).toBe('VER 1 MSNP8\r\n');
    transport.close();
    await rec.closed;
  });

  it('the server ending the session (OUT) is a clean remote close', async () => {
    const transport = await createTransportFactory(gatewaySettings(proxyFor()), fast).connect({ ...server.ns, role: 'NS' });
    const rec = record(transport);
    await verCvrExchange(transport, rec);
    transport.write(enc('OUT\r\n'));
    expect(await rec.closed).toEqual({ local: false });
    expect(rec.received().endsWith('OUT\r\n')).toBe(true);
  });

  it('opens switchboard sessions with Server=SB', async () => {
    const before = server.transcripts().length;
    const transport = await createTransportFactory(gatewaySettings(proxyFor()), fast).connect({ ...server.sb, role: 'SB' });
    const after = server.transcripts().slice(before);
    expect(after.map((t) => [t.server, t.via])).toEqual([['sb', 'gateway']]);
    transport.close();
  });
});

describe('HTTP gateway failures', () => {
  it('through the proxy with a wrong password: transport.proxy-auth-failed, no secret anywhere', async () => {
    const wrong = 'Gw-Wrong-Secret-5';
    const error = await createTransportFactory(gatewaySettings(viaProxy({ password: wrong })), fast).connect({ ...server.ns, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.proxy-auth-failed');
    expect(error.message).toMatch(new RegExp(`^The HTTP proxy at 127\\.0\\.0\\.1:${proxy.port} refused the user name or password \\(HTTP 40[17]`));
    expectNoSecret(wrong, error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10 }));
    expectNoSecret(proxy.password, error.message, String(error.stack));
  });

  it('a proxy that is not listening: transport.proxy-unreachable', async () => {
    const port = await closedPort();
    const error = await createTransportFactory(gatewaySettings(viaProxy({ port })), fast).connect({ ...server.ns, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.proxy-unreachable');
    expect(error.message).toContain(`the proxy at 127.0.0.1:${port}: nothing is accepting connections there`);
  });

  it('a gateway that is not listening: transport.target-unreachable', async () => {
    const port = await closedPort();
    const settings = { ...gatewaySettings(), gateway: { host: '127.0.0.1', port } };
    const error = await createTransportFactory(settings, fast).connect({ ...server.ns, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.target-unreachable');
    expect(error.message).toBe(`Could not connect to the gateway at 127.0.0.1:${port}: nothing is accepting connections there (connection refused). Check the address and port in the connection settings, and your network.`);
  });

  it('a web server that is not a gateway: transport.gateway-failed', async () => {
    const web = createServer((_req, res) => res.writeHead(404, { 'Content-Length': '0' }).end());
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    try {
      const port = (web.address() as { port: number }).port;
      const error = await createTransportFactory({ ...gatewaySettings(), gateway: { host: '127.0.0.1', port } }, fast).connect({ ...server.ns, role: 'NS' }).catch((e) => e);
      expect(error.code).toBe('transport.gateway-failed');
      expect(error.message).toBe(`There is no MSN HTTP gateway at 127.0.0.1:${port} (HTTP 404 Not Found). Check the gateway address.`);
    } finally {
      web.close();
    }
  });

  it('the proxy dying mid-session ends the transport with transport.proxy-unreachable', async () => {
    const own = await startProxy('tinyproxy');
    try {
      const transport = await createTransportFactory(gatewaySettings(viaProxy({ username: undefined, password: undefined }, own)), fast).connect({ ...server.ns, role: 'NS' });
      const rec = record(transport);
      await verCvrExchange(transport, rec);
      await own.kill();
      const info = await rec.closed;
      expect(info.local).toBe(false);
      expect(info.error?.code).toBe('transport.proxy-unreachable');
      expect(info.error?.message).toContain(`the proxy at 127.0.0.1:${own.port}`);
    } finally {
      await own.stop();
    }
  });

  it('the server dropping every connection is a clean remote close', async () => {
    const transport = await createTransportFactory(gatewaySettings(), fast).connect({ ...server.ns, role: 'NS' });
    const rec = record(transport);
    await verCvrExchange(transport, rec);
    server.kickAll();
    expect(await rec.closed).toEqual({ local: false });
  });

  it('a gateway that does not answer in time: transport.timeout', async () => {
    server.faults.set({ httpDelayMs: 1000 });
    const started = Date.now();
    const error = await createTransportFactory(gatewaySettings(), { ...fast, gatewayRequestTimeoutMs: 200 }).connect({ ...server.ns, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.timeout');
    expect(error.message).toBe(`The HTTP gateway at 127.0.0.1:${server.gateway.port} did not answer within 0.2 s.`);
    expect(Date.now() - started).toBeLessThan(3000); // the server would answer after 1 s; the default limit is 30 s
  });

  it('an answer over the body limit fails with transport.response-too-large', async () => {
    const transport = await createTransportFactory(gatewaySettings(), { ...fast, gatewayMaxBodyBytes: 8 }).connect({ ...server.ns, role: 'NS' });
    const rec = record(transport);
    transport.write(enc(VER_LINE));
    const info = await rec.closed;
    expect(info.error?.code).toBe('transport.response-too-large');
  });
});
