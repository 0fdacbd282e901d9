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

const NETWORK = new Set(['session.timeout', 'session.connection-closed', 'session.ping-timeout']);
const PROTOCOL = new Set(['session.protocol-mismatch', 'session.unexpected-reply', 'session.redirect-loop', 'auth.passport-unreadable']);

export function exitCodeFor(error: ErrorInfo): ExitCodeValue {
  const { code } = error;
  if (PROTOCOL.has(code)) return ExitCode.protocol;
  if (code.startsWith('auth.')) return code === 'auth.passport-failed' ? ExitCode.network : ExitCode.auth;
  if (code.startsWith('transport.') || code.startsWith('http.') || NETWORK.has(code)) return ExitCode.network;
  if (code.startsWith('protocol.') || code.startsWith('server.')) return ExitCode.protocol;
  if (code.startsWith('cli.')) return ExitCode.usage;
  return ExitCode.failure;
}
