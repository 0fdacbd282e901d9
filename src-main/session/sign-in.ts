// Sign-in, lock-step as the protocol requires: VER → CVR (TWN versions) → USR I → (Passport | MD5) → USR S → USR OK,
// following XFR NS redirects (only to a plain host name or IP literal, each shown as a step and a traffic note) a
// bounded number of times. VER settles the version; from then on its dialect answers everything version-specific
// (the wire's payload sets and TrID rules, MD5 or TWN, CVR's fields, the shape of USR OK). Every failure is a typed
// error; the connection is closed by us on failure (after 911 the server keeps it open, so we never wait for it).
import { formatHostPort, isHostNameOrIp, splitHostPort } from '../../src-shared/connection-settings';
import type { ButterflyError } from '../../src-shared/errors';
import type { ConnectStep, TrafficEntry } from '../../src-shared/messenger-types';
import type { HttpClient, TransportFactory } from '../transport/transport';
import type { Clock } from './clock';
import { createMsnpChannel, type MsnpChannel } from './msnp-channel';
import { getPassportTicket, type PassportCache } from './passport';
import { authErrors, sessionErrors } from './session-errors';
import { md5Response } from '../protocol/md5';
import { errorCodeKind } from '../protocol/errors';
import { dialectNamed, OFFERED_VERSIONS, type Dialect } from './dialects';
import { isServerError, ServerError } from './server-error';

export { OFFERED_VERSIONS };

export interface ServerAddress {
  host: string;
  port: number;
}

export interface SignInOptions {
  transportFactory: TransportFactory;
  httpClient: HttpClient;
  clock: Clock;
  server: ServerAddress;
  nexusUrl: string;
  email: string;
  password: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  passportTimeoutMs: number;
  maxRedirects: number;
  passportCache?: PassportCache;
  onStep?: (step: ConnectStep, server: string) => void;
  onTraffic?: (entry: TrafficEntry) => void;
  signal?: AbortSignal;
  /** Versions offered in VER, highest first; a subset of OFFERED_VERSIONS (e.g. ['MSNP7'] to force MD5). */
  versions?: readonly string[];
  /** CVR's client fields; default: the negotiated version's (its dialect says which Messenger it was). */
  clientVersion?: string[];
}

export interface SignedIn {
  channel: MsnpChannel;
  /** Negotiated version, e.g. 8 for MSNP8. */
  version: number;
  /** Everything that version does its own way. */
  dialect: Dialect;
  email: string;
  /** URL-encoded, as on the wire; absent from MSNP10 on (the list's `PRP MFN` says it). */
  nickname?: string;
  server: ServerAddress;
}

export async function signIn(options: SignInOptions): Promise<SignedIn> {
  let server = options.server;
  for (let hop = 0; hop <= options.maxRedirects; hop++) {
    if (options.signal?.aborted) throw sessionErrors.cancelled();
    const name = formatHostPort(server);
    options.onStep?.(hop === 0 ? 'connecting' : 'redirected', name);
    const channel = await connect(options, server);
    try {
      const result = await authenticate(options, channel, name);
      if ('redirect' in result) {
        channel.close();
        server = result.redirect;
        // The ticket goes to whichever server this names: say so where the traffic is read.
        options.onTraffic?.({ direction: 'note', channel: 'NS', line: `redirected by ${name} to ${formatHostPort(server)} (XFR NS)`, at: options.clock.now() });
        continue;
      }
      return { ...result, channel, server };
    } catch (error) {
      channel.close(error as ButterflyError);
      throw error;
    }
  }
  throw sessionErrors.redirectLoop(options.maxRedirects + 1);
}

async function connect(options: SignInOptions, server: ServerAddress): Promise<MsnpChannel> {
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onOuterAbort);
  const timer = options.clock.setTimeout(() => abort.abort(), options.connectTimeoutMs);
  try {
    const transport = await options.transportFactory.connect({ host: server.host, port: server.port, role: 'NS' }, { signal: abort.signal });
    const channel = createMsnpChannel(transport, { clock: options.clock, requestTimeoutMs: options.requestTimeoutMs });
    if (options.onTraffic) channel.onTraffic(options.onTraffic);
    return channel;
  } catch (error) {
    if (options.signal?.aborted) throw sessionErrors.cancelled();
    if (abort.signal.aborted) throw sessionErrors.timeout(`the connection to ${server.host}:${server.port}`, options.connectTimeoutMs);
    throw error;
  } finally {
    timer.dispose();
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

type AuthResult = { redirect: ServerAddress } | { version: number; dialect: Dialect; email: string; nickname?: string };

async function authenticate(options: SignInOptions, channel: MsnpChannel, serverName: string): Promise<AuthResult> {
  options.onStep?.('negotiating', serverName);
  const offered = (options.versions ?? OFFERED_VERSIONS).filter((v) => (OFFERED_VERSIONS as readonly string[]).includes(v));
  if (offered.length === 0) throw sessionErrors.protocolMismatch('no supported version was configured');
  const ver = await channel.request('VER', [...offered, 'CVR0']);
  const picked = ver.args[0] ?? '';
  const dialect = offered.includes(picked) ? dialectNamed(picked) : undefined;
  if (!dialect) throw sessionErrors.protocolMismatch(offered.join(', '));
  channel.useDialect(dialect.ns);
  const twn = dialect.auth === 'TWN';

  if (twn) await channel.request('CVR', [...(options.clientVersion ?? dialect.clientVersion), options.email]);

  options.onStep?.('authenticating', serverName);
  let first;
  try {
    first = await channel.request('USR', [dialect.auth, 'I', options.email], { alsoAccept: ['XFR'] });
  } catch (error) {
    // 911 on the initial USR: the server does not know this account (Escargot answers so, then closes).
    if (isServerError(error, 911)) throw authErrors.unknownAccount();
    throw error;
  }
  const redirect = parseRedirect(first.command, first.args);
  if (redirect) return redirect;
  if (first.args[1] !== 'S' || first.args.length < 3) throw sessionErrors.unexpected(`USR answered with "${first.command} ${first.args.slice(0, 2).join(' ')}"`);
  const challenge = first.args.slice(2).join(' ');

  let secret: string;
  if (twn) {
    options.onStep?.('passport', serverName);
    secret = await getPassportTicket({
      http: options.httpClient,
      clock: options.clock,
      nexusUrl: options.nexusUrl,
      email: options.email,
      password: options.password,
      challenge,
      timeoutMs: options.passportTimeoutMs,
      cache: options.passportCache,
      onTraffic: options.onTraffic,
      signal: options.signal,
    });
    options.onStep?.('authenticating', serverName);
  } else {
    secret = md5Response(challenge, options.password);
  }

  let ok;
  try {
    ok = await channel.request('USR', [dialect.auth, 'S', secret]);
  } catch (error) {
    if (error instanceof ServerError && errorCodeKind(error.serverCode) === 'wrong-credentials') throw authErrors.wrongPassword();
    throw error;
  }
  const signed = dialect.signedIn(ok.args);
  if (!signed) throw sessionErrors.unexpected(`USR answered with "${ok.args.slice(0, 1).join(' ')}"`);
  return { version: dialect.version, dialect, ...signed };
}

function parseRedirect(command: string, args: string[]): { redirect: ServerAddress } | undefined {
  if (command !== 'XFR') return undefined;
  if (args[0] !== 'NS' || !args[1]) throw sessionErrors.unexpected(`a redirect without a server (${args.slice(0, 2).join(' ')})`);
  const hp = splitHostPort(args[1]);
  const port = hp?.port ?? 1863;
  // Only a plain host name or an IP literal: the address is shown in the steps and logs and handed to the proxy.
  if (!hp || !isHostNameOrIp(hp.host) || port < 1 || port > 65535) throw sessionErrors.unexpected(`a redirect to ${JSON.stringify(args[1].slice(0, 80))}, which is not a host name or IP address with a port`);
  return { redirect: { host: hp.host, port } };
}
