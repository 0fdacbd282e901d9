// Passport redirects over real sockets: a loopback login server (plain HTTP and HTTPS with a throwaway
// certificate) that answer 30x, and a "thief" on 127.0.0.2 — another origin, still loopback — that records every
// request. The password may follow a redirect only to the same origin over https, a few times at most.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../transport/create-http-client';
import { systemClock } from './clock';
import { getPassportTicket } from './passport';

const PASSWORD = 'Pass-Word-That-Must-Stay-9';

interface Seen {
  url: string;
  authorization?: string;
}

/** Answers `routes[path]` (or 404), remembering each request's path and Authorization header. */
function recordingServer(routes: Record<string, (res: ServerResponse) => void>) {
  const seen: Seen[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const route = routes[(req.url ?? '').split('?')[0]];
    if (route) route(res);
    else res.writeHead(404).end();
  };
  return { seen, handler };
}

const listen = (server: Server, host: string) => new Promise<number>((resolve) => server.listen(0, host, () => resolve((server.address() as { port: number }).port)));
const certDir = mkdtempSync(join(tmpdir(), 'bf-passport-tls-'));
const servers: Server[] = [];
let thiefPort = 0;
let plainPort = 0;
let tlsPort = 0;
let ca = '';
let redirectTo = '';

const thief = recordingServer({ '/steal': (res) => res.writeHead(200, { 'Authentication-Info': "Passport1.4 da-status=success,from-PP='t=stolen'" }).end() });
const ticket = (res: ServerResponse) => res.writeHead(200, { 'Authentication-Info': "Passport1.4 da-status=success,from-PP='t=good&p=ok'" }).end();
const routes = {
  '/login': (res: ServerResponse) => res.writeHead(302, { Location: redirectTo }).end(),
  '/loop': (res: ServerResponse) => res.writeHead(302, { Location: '/loop' }).end(),
  '/moved': (res: ServerResponse) => res.writeHead(307, { Location: '/final' }).end(),
  '/final': ticket,
};
const plain = recordingServer(routes);
const secure = recordingServer(routes);

beforeAll(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore' });
  ca = readFileSync(join(certDir, 'cert.pem'), 'utf8');
  const thiefServer = createHttpServer(thief.handler);
  const plainServer = createHttpServer(plain.handler);
  const tlsServer = createHttpsServer({ key: readFileSync(join(certDir, 'key.pem')), cert: ca }, secure.handler);
  servers.push(thiefServer, plainServer, tlsServer);
  [thiefPort, plainPort, tlsPort] = await Promise.all([listen(thiefServer, '127.0.0.2'), listen(plainServer, '127.0.0.1'), listen(tlsServer, '127.0.0.1')]);
});
afterAll(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  rmSync(certDir, { recursive: true, force: true });
});
beforeEach(() => {
  for (const s of [thief, plain, secure]) s.seen.length = 0;
});

const everyAuthorization = () => [thief, plain, secure].flatMap((s) => s.seen.map((r) => r.authorization ?? ''));

describe('Passport login redirects', () => {
  it('a 302 to http://127.0.0.2:P/steal stops the sign-in; the other origin never sees the password', async () => {
    const steal = `http://127.0.0.2:${thiefPort}/steal`;
    const error = await passportVia(`https://localhost:${tlsPort}`, steal);
    expect(error).toMatchObject({ code: 'auth.passport-redirect-refused', retryable: false });
    expect((error as Error).message).toContain(`http://127.0.0.2:${thiefPort}`);
    const plainError = await passportVia(`http://127.0.0.1:${plainPort}`, steal);
    expect(plainError).toMatchObject({ code: 'auth.passport-redirect-refused' });
    expect(thief.seen).toEqual([]);
    // The login servers themselves did get it, once per attempt, as they should.
    expect(everyAuthorization().filter((a) => a.includes(PASSWORD))).toHaveLength(2);
  });

  it('refuses a same-origin redirect down to http: and one to another port of the same host', async () => {
    expect(await passportVia(`https://localhost:${tlsPort}`, `http://localhost:${tlsPort}/final`)).toMatchObject({ code: 'auth.passport-redirect-refused' });
    expect(await passportVia(`https://localhost:${tlsPort}`, `https://localhost:${plainPort}/final`)).toMatchObject({ code: 'auth.passport-redirect-refused' });
    expect(await passportVia(`http://127.0.0.1:${plainPort}`, '/final')).toMatchObject({ code: 'auth.passport-redirect-refused' });
    expect(await passportVia(`https://localhost:${tlsPort}`, 'javascript:alert(1)')).toMatchObject({ code: 'auth.passport-redirect-refused' });
    expect(plain.seen.filter((r) => r.url === '/final')).toEqual([]);
    expect(secure.seen.filter((r) => r.url === '/final')).toEqual([]);
  });

  it('follows a same-origin https redirect with the credentials and gets the ticket', async () => {
    await expect(passportVia(`https://localhost:${tlsPort}`, '/moved')).resolves.toBe('t=good&p=ok');
    expect(secure.seen.map((r) => r.url)).toEqual(['/login', '/moved', '/final']);
    expect(secure.seen.every((r) => r.authorization?.includes(`pwd=${PASSWORD}`))).toBe(true);
  });

  it('gives up after a few redirects', async () => {
    const error = await passportVia(`https://localhost:${tlsPort}`, '/loop');
    expect(error).toMatchObject({ code: 'auth.passport-unreadable' });
    expect((error as Error).message).toContain('more than 3 redirects');
    // /login, then /loop at most three more times.
    expect(secure.seen.filter((r) => r.authorization)).toHaveLength(4);
  });
});

/** Logs in at `origin/login` (as remembered from an earlier nexus answer), which redirects to `location`; resolves
 * with the ticket or the error. */
function passportVia(origin: string, location: string): Promise<unknown> {
  redirectTo = location;
  const nexusUrl = `${origin}/rdr/pprdr.asp`;
  return getPassportTicket({
    http: createHttpClient({ transport: 'direct' }, { ca }),
    clock: systemClock,
    nexusUrl,
    email: 'alice@example.com',
    password: PASSWORD,
    challenge: 'lc=1033,id=507,tw=40,ct=1,rver=1',
    timeoutMs: 5_000,
    cache: { nexusUrl, loginUrl: `${origin}/login` },
  }).catch((e: unknown) => e);
}
