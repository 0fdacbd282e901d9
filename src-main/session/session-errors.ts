// Typed failures of sign-in and the notification session. Code branches on `code`; messages are for people.
import { ButterflyError } from '../../src-shared/errors';
import type { TokenBudget } from './token-bucket';

/** Sign-in refused: wrong password, unknown account, ... Never retryable by waiting. */
export class AuthError extends ButterflyError {}

/** The session broke down: timeouts, dead connection, unexpected replies, redirect loops. */
export class SessionError extends ButterflyError {}

export const authErrors = {
  wrongPassword: () => new AuthError('auth.wrong-password', 'The e-mail address or password is not right.'),
  unknownAccount: () => new AuthError('auth.unknown-account', 'There is no account with this e-mail address on this server.'),
  passportFailed: (status: number) =>
    new AuthError('auth.passport-failed', `The Passport login server answered HTTP ${status}; try again later.`, { retryable: true }),
  passportRedirectRefused: (origin: string) =>
    new AuthError(
      'auth.passport-redirect-refused',
      `The Passport login server sent Butterfly on to ${origin}. Butterfly sends your password only to the login server itself over a secure (https) connection, so it stopped.`,
    ),
  passportUnreadable: (what: string) => new AuthError('auth.passport-unreadable', `The Passport server's answer could not be understood (${what}).`, { retryable: true }),
};

export const sessionErrors = {
  timeout: (what: string, ms: number) =>
    new SessionError('session.timeout', `The server did not answer ${what} within ${Math.round(ms / 100) / 10} s.`, { retryable: true }),
  protocolMismatch: (offered: string) =>
    new SessionError('session.protocol-mismatch', `The server does not speak any protocol version Butterfly offers (${offered}).`),
  redirectLoop: (count: number) =>
    new SessionError('session.redirect-loop', `The server redirected Butterfly ${count} times without letting it sign in; giving up.`, { retryable: true }),
  unexpected: (what: string) => new SessionError('session.unexpected-reply', `The server sent something Butterfly did not expect: ${what}.`, { retryable: true }),
  strayLineFlood: (line: string, budget: TokenBudget) =>
    new SessionError(
      'session.garbled-stream',
      `The server sent more than ${budget.burst.toLocaleString('en-US')} lines that are not MSN commands (the last: ${JSON.stringify(line.slice(0, 24))}), so the connection was treated as garbled.`,
      { retryable: true },
    ),
  listChangeFlood: (budget: TokenBudget) =>
    new SessionError(
      'session.garbled-stream',
      `The server sent more than ${budget.burst.toLocaleString('en-US')} contact-list changes at once (or over ${budget.perSecond} a second for long), so the connection was treated as garbled.`,
      { retryable: true },
    ),
  /** `count` when the server announced it (SYN), undefined when the list outgrew the limit on the way. */
  listTooLarge: (what: 'contacts' | 'groups', max: number, count?: number) =>
    new SessionError(
      'session.list-too-large',
      `Your contact list is too large: it has ${count === undefined ? `more than ${max.toLocaleString('en-US')}` : count.toLocaleString('en-US')} ${what}, and Butterfly handles at most ${max.toLocaleString('en-US')}.`,
    ),
  /** Reconnecting stopped: the same failure at the same step, `times` times running. Keeps the cause's code. */
  gaveUp: (cause: ButterflyError, times: number, when: string) =>
    new SessionError(cause.code, `Butterfly stopped reconnecting: it failed the same way ${times} times in a row ${when}. ${cause.message}`, { cause }),
  closed: (when: string) => new SessionError('session.connection-closed', `The server closed the connection ${when}.`, { retryable: true }),
  pingTimeout: (ms: number) =>
    new SessionError('session.ping-timeout', `The connection seems dead: no answer to a keep-alive ping in ${Math.round(ms / 100) / 10} s.`, { retryable: true }),
  notConnected: () => new SessionError('session.not-connected', 'You are not signed in.', { retryable: true }),
  signedInElsewhere: () => new SessionError('session.signed-in-elsewhere', 'You signed in to Messenger from another place, so this one was signed out.'),
  serverShutdown: () => new SessionError('session.server-shutdown', 'The server is going down for maintenance; Butterfly will reconnect later.', { retryable: true }),
  cancelled: () => new SessionError('session.cancelled', 'Signing in was cancelled.'),
  notSupported: (what: string) => new SessionError('session.not-supported', what),
};
