// The Passport 1.4 round trip between `USR TWN S <challenge>` and `USR TWN S <ticket>`: ask the nexus where the
// login server is (remembered per nexus URL), then log in there. It goes through the HttpClient, so it takes the
// user's proxy route. A 401 means a wrong password; the ticket is never logged.
// Redirects: the login request carries the password, so a redirect is followed only to the same origin over https
// (at most `maxRedirects` of them); one to another host or port, or to plain http:, stops the sign-in instead of
// handing the password to whoever the Location names.
import type { TrafficEntry } from '../../src-shared/messenger-types';
import type { HttpClient, HttpResponse } from '../transport/transport';
import {
  buildPassportLoginHeader,
  parsePassportUrls,
  parseAuthenticationInfo,
} from '../protocol/passport';
import type { Clock } from './clock';
import { describeHttp } from './redact';
import { authErrors, sessionErrors } from './session-errors';

/** Remembers the login URL the nexus gave, per nexus URL, across sign-ins of one manager. */
export interface PassportCache {
  nexusUrl?: string;
  loginUrl?: string;
}

export interface PassportRequest {
  http: HttpClient;
  clock: Clock;
  nexusUrl: string;
  email: string;
  password: string;
  /** The `USR TWN S` parameter, passed through unchanged. */
  challenge: string;
  timeoutMs: number;
  cache?: PassportCache;
  onTraffic?: (entry: TrafficEntry) => void;
  signal?: AbortSignal;
  maxRedirects?: number;
}

export async function getPassportTicket(r: PassportRequest): Promise<string> {
  const cache = r.cache ?? {};
  let loginUrl = cache.nexusUrl === r.nexusUrl ? cache.loginUrl : undefined;
  if (!loginUrl) {
    const nexus = await get(r, r.nexusUrl, {});
    if (nexus.status !== 200) throw authErrors.passportFailed(nexus.status);
    const urls = parsePassportUrls(nexus.headers['passporturls'] ?? '');
    if (!urls) throw authErrors.passportUnreadable('no DALogin in the nexus answer');
    loginUrl = urls;
    cache.nexusUrl = r.nexusUrl;
    cache.loginUrl = loginUrl;
  }
  const authorization = buildPassportLoginHeader(r.email, r.password, r.challenge);
  const maxRedirects = r.maxRedirects ?? 3;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    let res: HttpResponse;
    try {
      res = await get(r, loginUrl, { Authorization: authorization });
    } catch (error) {
      // The remembered login server may have moved; ask the nexus again next time.
      cache.loginUrl = undefined;
      throw error;
    }
    if (res.status === 200) {
      const ticket = parseAuthenticationInfo(res.headers['authentication-info'] ?? '');
      if (!ticket) throw authErrors.passportUnreadable('no ticket in the login answer');
      return ticket;
    }
    if (res.status === 401) throw authErrors.wrongPassword();
    cache.loginUrl = undefined;
    if (!REDIRECTS.has(res.status) || !res.headers['location']) throw authErrors.passportFailed(res.status);
    loginUrl = redirectTarget(loginUrl, res.headers['location']);
  }
  throw authErrors.passportUnreadable(`more than ${maxRedirects} redirects`);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Where a redirect may take the password: the same scheme, host and port, and that scheme https. */
function redirectTarget(from: string, location: string): string {
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    throw authErrors.passportUnreadable('a redirect to something that is not a web address');
  }
  if (to.protocol !== 'https:' || to.origin !== new URL(from).origin) throw authErrors.passportRedirectRefused(to.protocol === 'https:' || to.protocol === 'http:' ? to.origin : `${to.protocol}//`);
  return to.toString();
}

async function get(r: PassportRequest, url: string, headers: Record<string, string>): Promise<HttpResponse> {
  const abort = new AbortController();
  const onOuter = () => abort.abort();
  r.signal?.addEventListener('abort', onOuter);
  const timer = r.clock.setTimeout(() => abort.abort(), r.timeoutMs);
  const line = describeHttp('GET', url);
  r.onTraffic?.({ direction: 'out', channel: 'HTTP', line, at: r.clock.now() });
  try {
    const res = await r.http.request({ url, method: 'GET', headers, signal: abort.signal });
    r.onTraffic?.({ direction: 'in', channel: 'HTTP', line: `${res.status} ← ${line}`, at: r.clock.now() });
    return res;
  } catch (error) {
    if (r.signal?.aborted) throw sessionErrors.cancelled();
    if (abort.signal.aborted) throw sessionErrors.timeout(`the Passport request (${line})`, r.timeoutMs);
    throw error;
  } finally {
    timer.dispose();
    r.signal?.removeEventListener('abort', onOuter);
  }
}
