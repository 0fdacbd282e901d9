// HTTPS (and plain HTTP) requests for the Passport nexus and login servers along the user's route: directly, through
// a SOCKS or HTTP CONNECT tunnel, or — with the gateway — through the gateway's HTTP proxy if one is set (plain-HTTP
// URLs then go to that proxy as absolute-URI requests, HTTPS through CONNECT). One connection per request.
// Redirects are NOT followed here: the caller gets the 3xx and decides, because Passport's redirects need the
// Authorization header re-sent, and only the Passport code knows when that is safe.
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { isIP, type Socket } from 'node:net';
import type { ConnectionSettings } from '../../src-shared/connection-settings';
import { formatHostPort } from '../../src-shared/connection-settings';
import type { HttpClient, HttpRequest, HttpResponse } from './transport';
import { openTunnel, type TunnelTimings } from './tunnel';
import { tunnelRouteFor, DEFAULT_TRANSPORT_TIMINGS } from './create-transport-factory';
import { tcpConnect } from './tcp-connect';
import { httpExchange } from './http-exchange';
import { basicAuthorization } from './http-connect-connector';
import { TransportError } from './transport-error';

export interface HttpClientOptions extends TunnelTimings {
  /** Whole request, from dialling to the last body byte. */
  requestTimeoutMs: number;
  /** Larger bodies fail with transport.response-too-large instead of filling memory. */
  maxResponseBytes: number;
  /** Extra CA certificates (PEM) to trust besides the system's, e.g. for a test server; normally unset. */
  ca?: string | string[];
}

export const DEFAULT_HTTP_OPTIONS: HttpClientOptions = {
  connectTimeoutMs: DEFAULT_TRANSPORT_TIMINGS.connectTimeoutMs,
  handshakeTimeoutMs: DEFAULT_TRANSPORT_TIMINGS.handshakeTimeoutMs,
  keepAliveMs: 0,
  requestTimeoutMs: 30_000,
  maxResponseBytes: 1024 * 1024,
};

export function createHttpClient(settings: Pick<ConnectionSettings, 'transport' | 'proxy'>, options: Partial<HttpClientOptions> = {}): HttpClient {
  const o: HttpClientOptions = { ...DEFAULT_HTTP_OPTIONS, ...options };
  const route = tunnelRouteFor(settings);
  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      const url = parseUrl(request.url);
      const where = formatHostPort({ host: url.host, port: url.port });
      const peer = `the web server at ${where}`;
      const deadline = AbortSignal.timeout(o.requestTimeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
      const timedOut = () => new TransportError('transport.timeout', `The request to ${where} took longer than ${Math.round(o.requestTimeoutMs / 100) / 10} s.`);
      try {
        const headers: [string, string][] = [['Host', url.port === (url.secure ? 443 : 80) ? bracket(url.host) : where]];
        for (const [name, value] of Object.entries(request.headers)) {
          if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new TransportError('transport.http-failed', 'A request header contained a line break; the request was not sent.');
          if (!/^(host|content-length|connection|transfer-encoding)$/i.test(name)) headers.push([name, value]);
        }
        const body = typeof request.body === 'string' ? new TextEncoder().encode(request.body) : request.body;
        let socket: Socket | TLSSocket;
        let initialBytes: Uint8Array | undefined;
        let target = url.pathAndQuery;
        if (!url.secure && route.kind === 'http-proxy' && route.proxy) {
          // Plain HTTP through an HTTP proxy: a forward request with the absolute URI (no CONNECT needed).
          socket = await tcpConnect({ host: route.proxy.host, port: route.proxy.port, peer: 'proxy', timeoutMs: o.connectTimeoutMs, keepAliveMs: 0, signal });
          target = `http://${headers[0][1]}${url.pathAndQuery}`;
          if (route.proxy.username) headers.push(['Proxy-Authorization', basicAuthorization(route.proxy.username, route.proxy.password ?? '')]);
        } else {
          const tunnel = await openTunnel(route, { host: url.host, port: url.port, peer: 'web server', signal }, o);
          socket = tunnel.socket;
          initialBytes = tunnel.initialBytes;
          if (url.secure) {
            socket = await startTls(tunnel.socket, url.host, where, o, signal);
            initialBytes = undefined;
          }
        }
        const result = await httpExchange(
          socket,
          { method: request.method, target, headers, body, timeoutMs: o.requestTimeoutMs, maxBodyBytes: o.maxResponseBytes, peer, signal },
          initialBytes,
        );
        // Through a forward proxy, a 407 is the proxy's, not the web server's; so is tinyproxy's 401 with Basic
        // (Passport's own 401 carries `WWW-Authenticate: Passport1.4`).
        const proxyAuth = result.head.status === 407 || (result.head.status === 401 && /^basic\b/i.test(result.head.headers['www-authenticate'] ?? ''));
        if (!url.secure && route.kind === 'http-proxy' && proxyAuth) throw proxyAuthError(route.proxy ? formatHostPort(route.proxy) : '', Boolean(route.proxy?.username));
        return { status: result.head.status, headers: result.head.headers, body: result.body };
      } catch (error) {
        if (deadline.aborted && !(request.signal?.aborted ?? false)) throw timedOut();
        if (error instanceof TransportError) throw error;
        throw new TransportError('transport.http-failed', `The request to ${where} failed.`, { cause: error });
      }
    },
  };

  function proxyAuthError(proxy: string, sentCredentials: boolean): TransportError {
    const p = `The HTTP proxy at ${proxy}`;
    return sentCredentials
      ? new TransportError('transport.proxy-auth-failed', `${p} refused the user name or password (HTTP 407). Check them in the connection settings.`)
      : new TransportError('transport.proxy-auth-required', `${p} requires a user name and password (HTTP 407). Enter them in the connection settings.`);
  }
}

interface ParsedUrl {
  secure: boolean;
  host: string;
  port: number;
  pathAndQuery: string;
}

function parseUrl(text: string): ParsedUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TransportError('transport.http-failed', 'The web address to contact is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TransportError('transport.unsupported', `Only http:// and https:// addresses can be requested, not ${url.protocol}//.`);
  // Credentials in a URL would end up in logs and Host lines; Passport never needs them.
  if (url.username || url.password) throw new TransportError('transport.http-failed', 'The web address contains a user name or password; remove it.');
  const secure = url.protocol === 'https:';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { secure, host, port: url.port ? Number(url.port) : secure ? 443 : 80, pathAndQuery: `${url.pathname}${url.search}` };
}

const bracket = (host: string) => (host.includes(':') ? `[${host}]` : host);

function startTls(socket: Socket, host: string, where: string, o: HttpClientOptions, signal: AbortSignal): Promise<TLSSocket> {
  return new Promise<TLSSocket>((resolve, reject) => {
    const tls = tlsConnect({ socket, servername: isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'], ca: o.ca });
    const fail = (error: TransportError) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      tls.destroy();
      reject(error);
    };
    const onAbort = () => fail(new TransportError('transport.aborted', `The request to ${where} was cancelled.`));
    const timer = setTimeout(() => fail(new TransportError('transport.timeout', `The secure (TLS) handshake with ${where} timed out.`)), o.handshakeTimeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    tls.once('secureConnect', () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      tls.removeAllListeners('error');
      resolve(tls);
    });
    tls.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        new TransportError(
          'transport.http-failed',
          /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT/.test(error.code ?? '')
            ? `The secure connection to ${where} failed: its certificate is not trusted (${error.code}). Check the address; a network that intercepts HTTPS can cause this.`
            : `The secure (TLS) connection to ${where} failed (${error.code ?? 'handshake error'}).`,
          { cause: error },
        ),
      ),
    );
  });
}
