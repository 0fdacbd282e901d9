// Typed failures of sign-in and the notification session. Code branches on `code`; messages are for people.
import { ButterflyError } from '../../src-shared/errors';

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
  garbled: (line: string) =>
    new SessionError('session.garbled-stream', `The server sent a line that is not an MSN command (${JSON.stringify(line.slice(0, 24))}); Butterfly reconnects.`, { retryable: true }),
  closed: (when: string) => new SessionError('session.connection-closed', `The server closed the connection ${when}.`, { retryable: true }),
  pingTimeout: (ms: number) =>
    new SessionError('session.ping-timeout', `The connection seems dead: no answer to a keep-alive ping in ${Math.round(ms / 100) / 10} s.`, { retryable: true }),
  notConnected: () => new SessionError('session.not-connected', 'You are not signed in.', { retryable: true }),
  signedInElsewhere: () => new SessionError('session.signed-in-elsewhere', 'You signed in to Messenger from another place, so this one was signed out.'),
  serverShutdown: () => new SessionError('session.server-shutdown', 'The server is going down for maintenance; Butterfly will reconnect later.', { retryable: true }),
  cancelled: () => new SessionError('session.cancelled', 'Signing in was cancelled.'),
};
