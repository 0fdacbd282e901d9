// The MSN HTTP polling gateway as a Transport (protocol/http-gateway.md, capture 13): MSNP bytes travel in POST
// bodies to /gateway/gateway.dll. Exactly one request is in flight at a time: writes made meanwhile wait and go out,
// concatenated and in order, in the next POST; when there is nothing to send we poll. Every answer's
// X-MSN-Messenger header names the SessionID and GW-IP for the next request. Directly, or through an HTTP proxy
// with absolute-URI requests and Basic Proxy-Authorization.
import type { HostPort, ProxySettings } from '../../src-shared/connection-settings';
import { formatHostPort } from '../../src-shared/connection-settings';
import type { CloseOptions, ConnectTarget } from './transport';
import { TransportBase } from './transport-base';
import { TransportError } from './transport-error';
import { tcpConnect, abortedError } from './tcp-connect';
import { httpExchange, type ExchangeResult } from './http-exchange';
import { basicAuthorization, connectStatusError } from './http-connect-connector';

export interface GatewayTimings {
  /** Idle polling interval (the official client polls about every 2 s). */
  pollIntervalMs: number;
  /** One POST, from dialling to the end of its answer. */
  gatewayRequestTimeoutMs: number;
  /** Largest answer body accepted. */
  gatewayMaxBodyBytes: number;
  connectTimeoutMs: number;
  keepAliveMs: number;
}

export interface GatewayOpenOptions {
  gateway: HostPort;
  /** An HTTP proxy to send the requests through. */
  proxy?: ProxySettings;
  target: ConnectTarget;
  timings: GatewayTimings;
  signal?: AbortSignal;
}

interface MessengerHeader {
  sessionId?: string;
  gwIp?: string;
  closed: boolean;
}

/** Parses `X-MSN-Messenger: SessionID=…; GW-IP=…[; Session=close]`. */
export function parseMessengerHeader(value: string | undefined): MessengerHeader {
  const out: MessengerHeader = { closed: false };
  if (!value) return out;
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const val = part.slice(eq + 1).trim();
    if (key === 'sessionid' && val !== '') out.sessionId = val;
    else if (key === 'gw-ip' && val !== '') out.gwIp = val;
    else if (key === 'session' && val.toLowerCase() === 'close') out.closed = true;
  }
  return out;
}

/** `IP=` of an open request: the host alone on the standard port (as the official client sent it), else host:port. */
export function gatewayOpenQuery(target: ConnectTarget): string {
  const ip = target.port === 1863 ? target.host : formatHostPort(target);
  return `Action=open&Server=${target.role}&IP=${encodeURIComponent(ip)}`;
}

export async function openGatewayTransport(options: GatewayOpenOptions): Promise<GatewayTransport> {
  const transport = new GatewayTransport(options);
  await transport.open(options.signal);
  return transport;
}

export class GatewayTransport extends TransportBase {
  private sessionId: string | undefined;
  private host: string;
  private readonly port: number;
  private queue: Uint8Array[] = [];
  private inFlight = false;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private localClose = false;
  private readonly abort = new AbortController();
  private readonly gatewayWhere: string;

  constructor(private readonly options: GatewayOpenOptions) {
    const gw = formatHostPort(options.gateway);
    const via = options.proxy ? ` via HTTP proxy ${formatHostPort(options.proxy)}` : '';
    super(`HTTP gateway ${gw}${via} → ${options.target.role} ${formatHostPort(options.target)}`);
    this.host = options.gateway.host;
    this.port = options.gateway.port;
    this.gatewayWhere = gw;
    this.currentState = 'connecting';
  }

  /** The first request: opens the gateway session (with an empty body: nothing has been written yet). */
  async open(signal?: AbortSignal): Promise<void> {
    const onAbort = () => this.abort.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) throw abortedError(this.gatewayWhere);
      this.inFlight = true;
      const result = await this.post(gatewayOpenQuery(this.options.target), new Uint8Array(0));
      const header = parseMessengerHeader(result.head.headers['x-msn-messenger']);
      if (result.head.status !== 200 || !header.sessionId) throw this.statusError(result, true);
      this.currentState = 'open';
      this.inFlight = false;
      this.absorb(result, header);
    } catch (error) {
      this.currentState = 'closed';
      if (signal?.aborted) throw abortedError(this.gatewayWhere);
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  write(bytes: Uint8Array): void {
    if (this.currentState !== 'open' || this.localClose || bytes.length === 0) return;
    this.tapOut(bytes);
    this.queue.push(bytes.slice());
    this.pump();
  }

  close(options?: CloseOptions): void {
    if (options?.abort) {
      clearTimeout(this.pollTimer);
      this.abort.abort();
      return this.finish({ local: true });
    }
    if (this.currentState === 'closed' || this.localClose) return;
    this.localClose = true;
    this.currentState = 'closing';
    clearTimeout(this.pollTimer);
    // Queued bytes (an OUT, say) still go out; then the session is simply abandoned: the gateway has no close request.
    if (!this.inFlight) {
      if (this.queue.length > 0) this.pump();
      else this.finish({ local: true });
    }
  }

  /** Starts the next request if none is in flight: data when some is queued, otherwise a poll after the interval. */
  private pump(): void {
    if (this.inFlight || this.currentState === 'closed') return;
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    if (this.queue.length > 0) {
      const body = concatAll(this.queue);
      this.queue = [];
      void this.cycle(`SessionID=${encodeURIComponent(this.sessionId!)}`, body);
    } else if (this.localClose) {
      this.finish({ local: true });
    } else {
      this.pollTimer = setTimeout(() => {
        this.pollTimer = undefined;
        if (!this.inFlight && this.currentState !== 'closed') void this.cycle(`Action=poll&SessionID=${encodeURIComponent(this.sessionId!)}`, new Uint8Array(0));
      }, this.options.timings.pollIntervalMs);
    }
  }

  private async cycle(query: string, body: Uint8Array): Promise<void> {
    this.inFlight = true;
    let result: ExchangeResult;
    try {
      result = await this.post(query, body);
    } catch (error) {
      this.inFlight = false;
      if (this.localClose && this.queue.length === 0) return this.finish({ local: true });
      const e = error instanceof TransportError ? error : new TransportError('transport.gateway-failed', `The HTTP gateway at ${this.gatewayWhere} could not be reached.`);
      return this.fail(e);
    }
    this.inFlight = false;
    if (this.currentState === 'closed') return;
    if (result.head.status === 400) {
      // The gateway forgot the session: the MSN server closed it (after OUT, an idle timeout, or a kick). This is
      // how the TCP connection ending looks on the gateway, so it is a clean close.
      return this.finish({ local: this.localClose });
    }
    const header = parseMessengerHeader(result.head.headers['x-msn-messenger']);
    if (result.head.status !== 200) return this.fail(this.statusError(result, false));
    this.absorb(result, header);
    if (header.closed) return this.finish({ local: this.localClose });
    this.pump();
  }

  private absorb(result: ExchangeResult, header: MessengerHeader): void {
    if (header.sessionId) this.sessionId = header.sessionId;
    if (header.gwIp) this.host = header.gwIp;
    this.deliver(result.body);
    if (!header.closed && this.currentState === 'open') this.pump();
  }

  private fail(error: TransportError): void {
    clearTimeout(this.pollTimer);
    this.abort.abort();
    this.finish({ error, local: false });
  }

  private statusError(result: ExchangeResult, opening: boolean): TransportError {
    const { head } = result;
    if (this.options.proxy && (head.status === 407 || head.status === 401 || head.status === 403 || head.status === 502 || head.status === 503 || head.status === 504)) {
      return connectStatusError(head, { proxy: formatHostPort(this.options.proxy), target: `the HTTP gateway ${this.gatewayWhere}`, sentCredentials: Boolean(this.options.proxy.username) });
    }
    const status = `HTTP ${head.status}${head.reason ? ` ${head.reason}` : ''}`;
    if (opening && head.status === 200) return new TransportError('transport.gateway-failed', `The server at ${this.gatewayWhere} answered, but not like an MSN HTTP gateway (no session id). Check the gateway address.`);
    if (opening && head.status === 404) return new TransportError('transport.gateway-failed', `There is no MSN HTTP gateway at ${this.gatewayWhere} (${status}). Check the gateway address.`);
    return new TransportError('transport.gateway-failed', `The HTTP gateway at ${this.gatewayWhere} answered ${status}${opening ? ' when opening a session' : ''}.`);
  }

  private async post(query: string, body: Uint8Array): Promise<ExchangeResult> {
    const t = this.options.timings;
    const proxy = this.options.proxy;
    const authority = this.port === 80 ? this.host : formatHostPort({ host: this.host, port: this.port });
    const path = `/gateway/gateway.dll?${query}`;
    const headers: [string, string][] = [
      ['Host', authority],
      ['Accept', '*/*'],
      ['Accept-Language', 'en-us'],
      ['User-Agent', 'MSMSGS'],
      ['Pragma', 'no-cache'],
      ['Content-Type', 'application/x-msn-messenger'],
    ];
    if (proxy) {
      headers.push(['Proxy-Connection', 'Keep-Alive']);
      if (proxy.username) headers.push(['Proxy-Authorization', basicAuthorization(proxy.username, proxy.password ?? '')]);
    }
    const dial = proxy ? { host: proxy.host, port: proxy.port, peer: 'proxy' as const } : { host: this.host, port: this.port, peer: 'gateway' as const };
    const deadline = AbortSignal.timeout(t.gatewayRequestTimeoutMs);
    const signal = AbortSignal.any([this.abort.signal, deadline]);
    const socket = await tcpConnect({ ...dial, timeoutMs: t.connectTimeoutMs, keepAliveMs: t.keepAliveMs, signal }).catch((error: unknown) => {
      if (deadline.aborted) throw new TransportError('transport.timeout', `The HTTP gateway at ${this.gatewayWhere} did not answer within ${t.gatewayRequestTimeoutMs} ms.`);
      throw error;
    });
    return httpExchange(socket, {
      method: 'POST',
      target: proxy ? `http://${authority}${path}` : path,
      headers,
      body,
      timeoutMs: t.gatewayRequestTimeoutMs,
      maxBodyBytes: t.gatewayMaxBodyBytes,
      peer: `the HTTP gateway at ${this.gatewayWhere}`,
      signal: this.abort.signal,
    });
  }
}

function concatAll(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
