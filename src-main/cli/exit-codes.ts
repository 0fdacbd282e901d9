// Exit codes a script can branch on: was it the account, the network, or the server speaking something unexpected?
import type { ErrorInfo } from '../../src-shared/errors';

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  network: 4,
  protocol: 5,
  /** Ctrl-C before the command finished (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Worth trying again later: the route or a server is down, slow or busy. */
const NETWORK = new Set(['session.timeout', 'session.connection-closed', 'session.ping-timeout', 'session.server-shutdown', 'auth.passport-failed']);
/** The server said something Butterfly cannot or will not go along with. */
const PROTOCOL = new Set([
  'session.protocol-mismatch',
  'session.unexpected-reply',
  'session.garbled-stream',
  'session.list-too-large',
  'session.redirect-loop',
  'auth.passport-unreadable',
  'auth.passport-redirect-refused',
]);

export function exitCodeFor(error: ErrorInfo): ExitCodeValue {
  const { code } = error;
  if (PROTOCOL.has(code)) return ExitCode.protocol;
  if (NETWORK.has(code)) return ExitCode.network;
  switch (code.slice(0, code.indexOf('.'))) {
    case 'auth':
      return ExitCode.auth;
    case 'transport':
    case 'http':
      return ExitCode.network;
    case 'protocol':
      return ExitCode.protocol;
    case 'server':
      // A numeric error reply: the server's own trouble (5xx, 6xx, "busy") is for later; a refusal is protocol.
      return error.retryable ? ExitCode.network : ExitCode.protocol;
    case 'cli':
    case 'settings':
      return ExitCode.usage;
    default:
      return ExitCode.failure;
  }
}
