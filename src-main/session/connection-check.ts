// "Test connection" for the settings dialog and `npm run cli -- check`: walks the route one step at a time (resolve,
// reach the proxy, proxy handshake, reach the MSN server, a VER exchange, reach the Passport nexus) and reports each
// step's outcome and timing, stopping the MSNP steps at the first failure but always trying the nexus.
// It lives with the sessions because it speaks MSNP and Passport: the connection comes from the same transport factory
// the sign-in uses, VER offers the sign-in's versions through the session's wire codec (serializer and framing parser),
// and the nexus answer is read by the protocol core's Passport parser.
import type { Disposable } from '../../src-shared/disposable';
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
import {
  createHttpClient,
  createTransportFactory,
  DEFAULT_TRANSPORT_TIMINGS,
  resolveHost,
  TransportError,
  type HttpClient,
  type HttpClientOptions,
  type Transport,
  type TransportTimings,
  type TunnelStep,
} from '../transport';
import { nexusRequestHeaders, parsePassportUrls } from '../protocol/passport';
import { ProtocolError } from '../protocol/protocol-error';
import { systemClock, type Clock } from './clock';
import { OFFERED_VERSIONS } from './dialects';
import { createWireCodec, type Incoming } from './wire';

export interface ConnectionCheckDeps {
  timings?: Partial<TransportTimings>;
  http?: Partial<HttpClientOptions>;
  /** Replaces the HTTP client built from the settings (tests). */
  httpClient?: HttpClient;
  /** How long to wait for the server's VER answer. */
  verTimeoutMs?: number;
  /** Runs the VER deadline; default the system clock. */
  clock?: Clock;
  /** Milliseconds since some fixed point; default performance.now. */
  now?: () => number;
  signal?: AbortSignal;
}

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
  try {
    const found = await resolveHost(firstHop.host);
    push('resolve', 'ok', now() - mark, { detail: found.literal ? `${firstHop.host} is an address: nothing to resolve` : `${firstHop.host} is ${found.address}` });
  } catch (error) {
    failed = true;
    push('resolve', 'failed', now() - mark, { error });
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
      // The same factory the sign-in uses; only the tunnel reports its steps as they finish.
      let stepStart = mark;
      const onStep = (s: TunnelStep) => {
        const at = now();
        if (s === 'proxy-reached') push('reach-proxy', 'ok', at - stepStart);
        else if (s === 'proxy-handshake') push('proxy-handshake', 'ok', at - stepStart, { detail: proxy?.username ? 'credentials accepted' : undefined });
        else if (s === 'target-reached') push('reach-server', 'ok', proxy ? 0 : at - stepStart, proxy ? { detail: 'the proxy connected to it' } : {});
        if (s !== 'resolved') stepStart = at;
      };
      transport = await createTransportFactory(settings, t).connect({ ...settings.server, role: 'NS' }, { signal: deps.signal, onStep });
      if (gateway && proxy) {
        // The gateway's first POST goes through the proxy; its reach/handshake are timed as that request.
        push('reach-proxy', 'ok', now() - mark, { detail: 'connected' });
        push('proxy-handshake', 'ok', 0, { detail: 'the proxy forwarded the request' + (proxy.username ? ' and accepted the credentials' : '') });
        push('reach-server', 'ok', 0, { detail: 'gateway session opened' });
      } else if (gateway) push('reach-server', 'ok', now() - mark, { detail: 'gateway session opened' });
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

  // 5. VER with the versions the sign-in offers: the server must pick one of them.
  if (transport && !failed) {
    mark = now();
    const server = formatHostPort(settings.server);
    try {
      const reply = await exchangeVer(transport, deps.verTimeoutMs ?? 10_000, deps.clock ?? systemClock);
      const quoted = reply.line.slice(0, 80);
      const isVer = reply.command === 'VER' && reply.trid === 1;
      if (isVer && (OFFERED_VERSIONS as readonly string[]).includes(reply.args[0] ?? '')) push('exchange-ver', 'ok', now() - mark, { detail: `the server answered "${reply.line}"` });
      else {
        const message = isVer && reply.args[0] === '0' ? `The server at ${server} does not speak any of ${OFFERED_VERSIONS.join(', ')} (it answered "${quoted}").` : `The server at ${server} answered "${quoted}" instead of a VER reply: it may not be an MSN server.`;
        push('exchange-ver', 'failed', now() - mark, { error: new TransportError('transport.unexpected-reply', message) });
      }
    } catch (error) {
      const unreadable = error instanceof ProtocolError ? new TransportError('transport.unexpected-reply', `The server at ${server} answered with something that is not an MSN command (${error.message.replace(/\.$/, '')}): it may not be an MSN server.`) : error;
      push('exchange-ver', 'failed', now() - mark, { error: unreadable });
    } finally {
      transport.close();
    }
  }
  skipRest(['reach-proxy', 'proxy-handshake', 'reach-server', 'exchange-ver'], 'an earlier step failed');

  // 6. The nexus, through the same route (independent of the MSNP steps, so it is always tried).
  mark = now();
  try {
    const http = deps.httpClient ?? createHttpClient(settings, { ...t, ...deps.http });
    // The nexus request the sign-in makes, read by the same parser.
    const res = await http.request({ url: settings.nexusUrl, method: 'GET', headers: nexusRequestHeaders(), signal: deps.signal });
    const urls = res.headers['passporturls'];
    if (res.status === 200 && urls) push('reach-nexus', 'ok', now() - mark, { detail: `the nexus answered with PassportURLs (${parsePassportUrls(urls) ?? 'no DALogin'})` });
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

/** Sends `VER 1 <offered versions> CVR0` and resolves with the first command the server answers. */
function exchangeVer(transport: Transport, timeoutMs: number, clock: Clock): Promise<Incoming> {
  return new Promise<Incoming>((resolve, reject) => {
    const codec = createWireCodec((frame) => done(undefined, frame));
    const timer = clock.setTimeout(() => done(new TransportError('transport.timeout', `The MSN server did not answer VER within ${Math.round(timeoutMs / 100) / 10} s: it may not be an MSN server, or something on the way holds the data back.`)), timeoutMs);
    let settled = false;
    const subs: Disposable[] = [];
    subs.push(
      transport.onData((bytes) => {
        try {
          codec.push(bytes);
        } catch (error) {
          done(error);
        }
      }),
      transport.onDidClose((info) => done(info.error ?? new TransportError('transport.connection-lost', 'The MSN server closed the connection without answering VER.'))),
    );
    function done(error?: unknown, frame?: Incoming) {
      if (settled) return;
      settled = true;
      timer.dispose();
      for (const s of subs) s.dispose();
      if (error) reject(error);
      else resolve(frame!);
    }
    transport.write(codec.encode('VER', 1, [...OFFERED_VERSIONS, 'CVR0']).bytes);
  });
}
