// The whole MSNP8 sign-in of a user on a proxy-only network, at byte level: VER, CVR, USR TWN I, the Passport nexus
// and login requests through the same route, USR TWN S with the ticket → USR OK. Once per route kind, against the
// test server and a real proxy (microsocks for SOCKS5, tinyproxy with Basic auth for CONNECT and the gateway).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../e2e/msn-server/index';
import { startProxy, type RunningProxy } from '../../e2e/proxies/index';
import { createTransportFactory } from './create-transport-factory';
import { createHttpClient } from './create-http-client';
import type { ConnectionSettings } from '../../src-shared/connection-settings';
import { record, verCvrExchange } from './testing/msnp-exchange';
import { expectNoSecret } from './testing/secrets';

let server: TestServer;
let socks: RunningProxy;
let tiny: RunningProxy;

beforeAll(async () => {
  [server, socks, tiny] = await Promise.all([startTestServer(), startProxy('microsocks', { auth: true }), startProxy('tinyproxy', { auth: true })]);
});
afterAll(async () => {
  await Promise.all([socks?.stop(), tiny?.stop(), server?.stop()]);
});

const creds = (p: RunningProxy) => ({ host: p.host, port: p.port, username: p.username, password: p.password });

describe.each([
  ['SOCKS5', (): Pick<ConnectionSettings, 'transport' | 'proxy'> => ({ transport: 'socks5', proxy: creds(socks) })],
  ['HTTP proxy', (): Pick<ConnectionSettings, 'transport' | 'proxy'> => ({ transport: 'http-proxy', proxy: creds(tiny) })],
  ['HTTP gateway behind an HTTP proxy', (): Pick<ConnectionSettings, 'transport' | 'proxy'> => ({ transport: 'gateway', proxy: creds(tiny) })],
])('MSNP8 sign-in through %s', (_name, route) => {
  it('gets a ticket through the route and is accepted', async () => {
    const settings: ConnectionSettings = { server: server.ns, nexusUrl: server.nexusUrl, gateway: server.gateway, ...route() };
    const transport = await createTransportFactory(settings, { pollIntervalMs: 30 }).connect({ ...server.ns, role: 'NS' });
    const http = createHttpClient(settings);
    const rec = record(transport);
    await verCvrExchange(transport, rec);
    transport.write(new TextEncoder().encode('USR 3 TWN I alice@example.com\r\n'));
    const challenge = /USR 3 TWN S (\S+)\r\n/.exec(await rec.waitFor(/USR 3 TWN S \S+\r\n/))![1];

    const nexus = await http.request({ url: settings.nexusUrl, method: 'GET', headers: {} });
    const login = /DALogin=([^,]+)/.exec(nexus.headers['passporturls'])![1];
    const loginUrl = login.startsWith('http') ? login : `https://${login}`;
    const auth = `Passport1.4 OrgVerb=GET,OrgURL=http%3A%2F%2Fmessenger%2Emsn%2Ecom,sign-in=alice%40example.com,pwd=alicepass,${challenge}`;
    const res = await http.request({ url: loginUrl, method: 'GET', headers: { Authorization: auth } });
    expect(res.status).toBe(200);
    const ticket = /from-PP='([^']+)'/.exec(res.headers['authentication-info'])![1];

    transport.write(new TextEncoder().encode(`USR 4 TWN S ${ticket}\r\n`));
    expect(await rec.waitFor(/USR 4 OK [^\r]+\r\n/)).toMatch(/USR 4 OK alice@example\.com \S+ 1 0\r\n$/);
    expect(server.state.online().map((u) => u.email)).toContain('alice@example.com');
    expectNoSecret(settings.proxy!.password, transport.description, rec.tapped('out'), rec.tapped('in'));
    transport.write(new TextEncoder().encode('OUT\r\n'));
    expect(await rec.closed).toEqual({ local: false });
  });
});
