// "Test connection" for the settings dialog and `npm run cli -- check`: walks the route one step at a time (resolve,
// reach the proxy, proxy handshake, reach the MSN server, a VER exchange, reach the Passport nexus) and reports each
// step's outcome and timing, stopping the MSNP steps at the first failure but always trying the nexus.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { toErrorInfo } from '../../src-shared/errors';
import {
  describeRoute,
  formatHostPort,
  kindLabel,
  validateConnectionSettings,
  type ConnectionCheckResult,
  type ConnectionCheckStep,
  type ConnectionCheckStepName,
  type ConnectionSettings,
} from '../../src-shared/connection-settings';
import type { HttpClient, Transport } from './transport';
import { openTunnel, type TunnelStep } from './tunnel';
import { DEFAULT_TRANSPORT_TIMINGS, tunnelRouteFor, type TransportTimings } from './create-transport-factory';
import { SocketTransport } from './socket-transport';
import { openGatewayTransport } from './gateway-transport';
import { createHttpClient, type HttpClientOptions } from './create-http-client';
import { TransportError } from './transport-error';

export interface ConnectionCheckDeps {
  timings?: Partial<TransportTimings>;
  http?: Partial<HttpClientOptions>;
  /** Replaces the HTTP client built from the settings (tests). */
  httpClient?: HttpClient;
  /** How long to wait for the server's VER answer. */
  verTimeoutMs?: number;
  /** Milliseconds since some fixed point; default performance.now. */
  now?: () => number;
  signal?: AbortSignal;
}

const VER_REQUEST = 'VER 1 MSNP8 CVR0\r\n';

export async function testConnection(settings: ConnectionSettings, deps: ConnectionCheckDeps = {}): Promise<ConnectionCheckResult> {
  const now = deps.now ?? (() => performance.now());
  const t: TransportTimings = { ...DEFAULT_TRANSPORT_TIMINGS, ...deps.timings };
  const started = now();
  const steps: ConnectionCheckStep[] = [];
  const route = describeRoute(settings);
  const finish = (): ConnectionCheckResult => ({ ok: steps.every((s) => s.status !== 'failed'), route, steps, totalMs: Math.round(now() - started) });

  const problems = validateConnectionSettings(settings);
  if (problems.length > 0) {
    steps.push({ step: 'resolve', label: 'Check the settings', status: 'failed', ms: 0, error: { code: 'settings.invalid', message: problems.map((p) => p.message).join(' '), retryable: false } });
    return finish();
  }

  const gateway = settings.transport === 'gateway';
  const proxy = settings.proxy && settings.transport !== 'direct' ? settings.proxy : undefined;
  const firstHop = proxy ?? (gateway ? settings.gateway : settings.server);
  const labels: Record<ConnectionCheckStepName, string> = {
    resolve: `Resolve ${firstHop.host}`,
    'reach-proxy': proxy ? `Reach the ${gateway ? 'HTTP' : kindLabel(settings.transport)} proxy at ${formatHostPort(proxy)}` : 'Reach a proxy',
    'proxy-handshake': proxy ? `${gateway ? 'Send a request through' : 'Handshake with'} the proxy` : 'Proxy handshake',
    'reach-server': gateway ? `Open an HTTP gateway session at ${formatHostPort(settings.gateway)}` : `Reach the MSN server at ${formatHostPort(settings.server)}`,
    'exchange-ver': 'Exchange VER with the MSN server',
    'reach-nexus': `Reach the Passport nexus ${settings.nexusUrl}`,
  };
  const push = (step: ConnectionCheckStepName, status: ConnectionCheckStep['status'], ms: number, extra: { detail?: string; error?: unknown } = {}) =>
    steps.push({ step, label: labels[step], status, ms: Math.round(ms), detail: extra.detail, error: extra.error === undefined ? undefined : toErrorInfo(extra.error) });
  const skipRest = (names: ConnectionCheckStepName[], why: string) => {
    for (const n of names) if (!steps.some((s) => s.step === n)) push(n, 'skipped', 0, { detail: why });
  };

  // 1. Resolve the first host we dial (for SOCKS4 the MSN server's name is resolved here too, in the tunnel step).
  let mark = now();
  let failed = false;
  if (isIP(firstHop.host)) push('resolve', 'ok', now() - mark, { detail: `${firstHop.host} is an address: nothing to resolve` });
  else {
    try {
      const found = await lookup(firstHop.host);
      push('resolve', 'ok', now() - mark, { detail: `${firstHop.host} is ${found.address}` });
    } catch (error) {
      failed = true;
      push('resolve', 'failed', now() - mark, { error: new TransportError('transport.host-not-found', `Could not find ${firstHop.host}: the name does not resolve. Check the spelling and your network or DNS.`, { cause: error }) });
    }
  }
  if (!proxy) {
    push('reach-proxy', 'skipped', 0, { detail: 'no proxy on this route' });
    push('proxy-handshake', 'skipped', 0, { detail: 'no proxy on this route' });
  }

  // 2–4. Reach the proxy, do its handshake, reach the server (or open the gateway session).
  let transport: Transport | undefined;
  if (!failed) {
    mark = now();
    try {
      if (gateway) {
        if (proxy) {
          // The gateway's first POST goes through the proxy; its reach/handshake are timed as that request.
          transport = await openGatewayTransport({ gateway: settings.gateway, proxy, target: { ...settings.server, role: 'NS' }, timings: t, signal: deps.signal });
          push('reach-proxy', 'ok', now() - mark, { detail: 'connected' });
          push('proxy-handshake', 'ok', 0, { detail: 'the proxy forwarded the request' + (proxy.username ? ' and accepted the credentials' : '') });
          push('reach-server', 'ok', 0, { detail: 'gateway session opened' });
        } else {
          transport = await openGatewayTransport({ gateway: settings.gateway, target: { ...settings.server, role: 'NS' }, timings: t, signal: deps.signal });
          push('reach-server', 'ok', now() - mark, { detail: 'gateway session opened' });
        }
      } else {
        let stepStart = mark;
        const onStep = (s: TunnelStep) => {
          const at = now();
          if (s === 'proxy-reached') push('reach-proxy', 'ok', at - stepStart);
          else if (s === 'proxy-handshake') push('proxy-handshake', 'ok', at - stepStart, { detail: proxy?.username ? 'credentials accepted' : undefined });
          else if (s === 'target-reached') push('reach-server', 'ok', proxy ? 0 : at - stepStart, proxy ? { detail: 'the proxy connected to it' } : {});
          if (s !== 'resolved') stepStart = at;
        };
        const tunnel = await openTunnel(tunnelRouteFor(settings), { host: settings.server.host, port: settings.server.port, peer: 'server', signal: deps.signal, onStep }, t);
        transport = new SocketTransport(tunnel.socket, { description: tunnel.description, peerLabel: tunnel.peerLabel, closeTimeoutMs: t.closeTimeoutMs, initialBytes: tunnel.initialBytes });
      }
    } catch (error) {
      failed = true;
      const code = (error as { code?: string }).code ?? '';
      // Attribute the failure to the step it belongs to.
      const at: ConnectionCheckStepName = !proxy
        ? 'reach-server'
        : code === 'transport.proxy-unreachable' || (code === 'transport.timeout' && !steps.some((s) => s.step === 'reach-proxy')) || (code === 'transport.host-not-found' && !steps.some((s) => s.step === 'reach-proxy'))
          ? 'reach-proxy'
          : code === 'transport.target-unreachable' || (gateway && code === 'transport.gateway-failed')
            ? 'reach-server'
            : 'proxy-handshake';
      if (at !== 'reach-proxy' && proxy && !steps.some((s) => s.step === 'reach-proxy')) push('reach-proxy', 'ok', 0, { detail: 'connected' });
      if (at === 'reach-server' && proxy && !steps.some((s) => s.step === 'proxy-handshake')) push('proxy-handshake', 'ok', 0);
      push(at, 'failed', now() - mark, { error });
    }
  }

  // 5. VER: the server must answer with MSNP8.
  if (transport && !failed) {
    mark = now();
    try {
      const reply = await exchangeVer(transport, deps.verTimeoutMs ?? 10_000);
      if (/^VER 1 MSNP8\s*$/.test(reply)) push('exchange-ver', 'ok', now() - mark, { detail: `the server answered "${reply}"` });
      else {
        const message = /^VER 1 0\b/.test(reply) ? `The server at ${formatHostPort(settings.server)} does not speak MSNP8 (it answered "${reply.slice(0, 80)}").` : `The server at ${formatHostPort(settings.server)} answered "${reply.slice(0, 80)}" instead of a VER reply: it may not be an MSN server.`;
        push('exchange-ver', 'failed', now() - mark, { error: new TransportError('transport.unexpected-reply', message) });
      }
    } catch (error) {
      push('exchange-ver', 'failed', now() - mark, { error });
    } finally {
      transport.close();
    }
  }
  skipRest(['reach-proxy', 'proxy-handshake', 'reach-server', 'exchange-ver'], 'an earlier step failed');

  // 6. The nexus, through the same route (independent of the MSNP steps, so it is always tried).
  mark = now();
  try {
    const http = deps.httpClient ?? createHttpClient(settings, { ...t, ...deps.http });
    const res = await http.request({ url: settings.nexusUrl, method: 'GET', headers: { Accept: '*/*' }, signal: deps.signal });
    const urls = res.headers['passporturls'];
    if (res.status === 200 && urls) push('reach-nexus', 'ok', now() - mark, { detail: `the nexus answered with PassportURLs (${/DALogin=([^,]*)/.exec(urls)?.[1] ?? 'no DALogin'})` });
    else
      push('reach-nexus', 'failed', now() - mark, {
        error: new TransportError('transport.http-failed', res.status === 200 ? `The Passport nexus at ${settings.nexusUrl} answered without PassportURLs: check the nexus address.` : `The Passport nexus at ${settings.nexusUrl} answered HTTP ${res.status}.`, { retryable: res.status >= 500 }),
      });
  } catch (error) {
    push('reach-nexus', 'failed', now() - mark, { error });
  }
  const order: ConnectionCheckStepName[] = ['resolve', 'reach-proxy', 'proxy-handshake', 'reach-server', 'exchange-ver', 'reach-nexus'];
  steps.sort((a, b) => order.indexOf(a.step) - order.indexOf(b.step));
  return finish();
}

/** Sends VER and resolves with the first line the server answers (without its line end). */
function exchangeVer(transport: Transport, timeoutMs: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let text = '';
    const decoder = new TextDecoder();
    const timer = setTimeout(() => done(new TransportError('transport.timeout', `The MSN server did not answer VER within ${Math.round(timeoutMs / 100) / 10} s: it may not be an MSN server, or something on the way holds the data back.`)), timeoutMs);
    const subs = [
      transport.onData((bytes) => {
        text += decoder.decode(bytes, { stream: true });
        const end = text.indexOf('\n');
        if (end >= 0) done(undefined, text.slice(0, end).replace(/\r$/, ''));
        else if (text.length > 4096) done(undefined, text.slice(0, 80));
      }),
      transport.onDidClose((info) => done(info.error ?? new TransportError('transport.connection-lost', 'The MSN server closed the connection without answering VER.'))),
    ];
    function done(error?: unknown, line?: string) {
      clearTimeout(timer);
      for (const s of subs) s.dispose();
      if (error) reject(error);
      else resolve(line!);
    }
    transport.write(new TextEncoder().encode(VER_REQUEST));
  });
}
