// Every way a connection can fail, as a stable code and a sentence a person can act on. Messages name hosts and
// ports only: never a user name, password or anything from a URL's user-info.
import { ButterflyError, type TransportErrorCode } from '../../src-shared/errors';

export type { TransportErrorCode };

/** Codes where trying again later may work; the others need the user to change something. */
const RETRYABLE: ReadonlySet<TransportErrorCode> = new Set<TransportErrorCode>([
  'transport.host-not-found',
  'transport.proxy-unreachable',
  'transport.proxy-closed',
  'transport.target-unreachable',
  'transport.timeout',
  'transport.connection-lost',
  'transport.gateway-failed',
  'transport.http-failed',
]);

export class TransportError extends ButterflyError {
  declare readonly code: TransportErrorCode;

  constructor(code: TransportErrorCode, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(code, message, { retryable: options.retryable ?? RETRYABLE.has(code), cause: options.cause });
  }
}

export const isTransportError = (error: unknown): error is TransportError => error instanceof TransportError;

/** What a socket-level failure means, depending on whether we were talking to a proxy or to the MSN server itself. */
export function socketErrorToTransportError(error: unknown, peer: { kind: 'proxy' | 'server' | 'gateway' | 'web server'; where: string }): TransportError {
  if (error instanceof TransportError) return error;
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const label = peer.kind === 'proxy' ? `the proxy at ${peer.where}` : peer.kind === 'server' ? `the MSN server at ${peer.where}` : `the ${peer.kind} at ${peer.where}`;
  const unreachable: TransportErrorCode = peer.kind === 'proxy' ? 'transport.proxy-unreachable' : 'transport.target-unreachable';
  const check = peer.kind === 'proxy' ? 'Check the proxy address and port, and that the proxy is running.' : 'Check the address and port in the connection settings, and your network.';
  switch (code) {
    case 'ECONNREFUSED':
      return new TransportError(unreachable, `Could not connect to ${label}: nothing is accepting connections there (connection refused). ${check}`, { cause: error });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NODATA':
    case 'EAI_NONAME':
      return new TransportError('transport.host-not-found', `Could not find ${label}: the name does not resolve. Check the spelling and your network or DNS.`, { cause: error });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return new TransportError(unreachable, `Could not reach ${label}: no network route to it. ${check}`, { cause: error });
    case 'ETIMEDOUT':
      return new TransportError('transport.timeout', `Connecting to ${label} timed out. ${check}`, { cause: error });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return new TransportError('transport.connection-lost', `The connection to ${label} was reset.`, { cause: error });
    default:
      return new TransportError('transport.connection-lost', `The connection to ${label} failed (${code || 'network error'}).`, { cause: error });
  }
}
