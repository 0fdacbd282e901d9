// The server's HTTP side on loopback: the Passport nexus (`/rdr/pprdr.asp`), the Passport 1.4 login endpoint
// (`/login`) and the polling gateway (`/gateway/gateway.dll`). Plain HTTP, as Escargot also serves (capture 14).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Directory } from './directory';
import type { Gateway } from './gateway';
import type { FaultOptions } from './faults';
import { parsePassportAuthorization, type TicketStore } from './passport';

export interface HttpFrontDeps {
  directory: Directory;
  tickets: TicketStore;
  gateway: Gateway;
  baseUrl(): string;
  /** Counts requests per path for tests (e.g. that a client cached the nexus answer). */
  hits: Map<string, number>;
  faults(): FaultOptions;
}

export function handleHttp(deps: HttpFrontDeps, req: IncomingMessage, res: ServerResponse): void {
  const delay = deps.faults().httpDelayMs;
  if (delay > 0) {
    const t = setTimeout(() => answer(deps, req, res), delay);
    res.on('close', () => clearTimeout(t));
    return;
  }
  answer(deps, req, res);
}

function answer(deps: HttpFrontDeps, req: IncomingMessage, res: ServerResponse): void {
  if (res.destroyed) return;
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  deps.hits.set(url.pathname, (deps.hits.get(url.pathname) ?? 0) + 1);
  const plain = { 'Content-Type': 'application/octet-stream', 'Content-Length': '0' };
  if (url.pathname === '/gateway/gateway.dll') {
    if (req.method === 'OPTIONS') return deps.gateway.options(res);
    if (req.method === 'POST') {
      deps.gateway.post(req, res, url).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Length': '0' });
        res.end();
      });
      return;
    }
  }
  const failWith = deps.faults().passportStatus;
  if (failWith !== null && (url.pathname === '/rdr/pprdr.asp' || url.pathname === '/login')) {
    res.writeHead(failWith, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '0' });
    res.end();
    return;
  }
  if (req.method === 'GET' && url.pathname === '/rdr/pprdr.asp') {
    // Escargot's value already includes the scheme (captures 05/14).
    res.writeHead(200, { PassportURLs: `DALogin=${deps.baseUrl()}/login`, ...plain });
    res.end();
    return;
  }
  if (req.method === 'GET' && url.pathname === '/login') {
    const fields = parsePassportAuthorization(req.headers.authorization);
    const email = fields?.get('sign-in');
    const password = fields?.get('pwd');
    const account = email ? deps.directory.get(email) : undefined;
    if (!account || password !== account.password) {
      res.writeHead(401, { 'WWW-Authenticate': 'Passport1.4 da-status=failed', ...plain });
      res.end();
      return;
    }
    const ticket = deps.tickets.issue(account.email);
    res.writeHead(200, { 'Authentication-Info': `Passport1.4 da-status=success,from-PP='${ticket}'`, ...plain });
    res.end();
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '0' });
  res.end();
}
