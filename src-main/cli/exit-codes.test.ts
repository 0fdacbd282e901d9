import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src-shared/errors';
import { ExitCode, exitCodeFor } from './exit-codes';

const info = (code: ErrorCode, retryable = false) => ({ code, message: 'm', retryable });

describe('exitCodeFor', () => {
  it.each<[ErrorCode, boolean, number]>([
    // A line that is no MSN command is the server speaking garbage: protocol, like a framing error.
    ['session.garbled-stream', true, ExitCode.protocol],
    ['protocol.line-too-long', false, ExitCode.protocol],
    ['session.unexpected-reply', true, ExitCode.protocol],
    ['session.redirect-loop', true, ExitCode.protocol],
    ['session.list-too-large', false, ExitCode.protocol],
    ['session.protocol-mismatch', false, ExitCode.protocol],
    ['auth.passport-unreadable', true, ExitCode.protocol],
    ['auth.passport-redirect-refused', false, ExitCode.protocol],
    ['server.201', false, ExitCode.protocol],
    // The server's own trouble, the route's, or a down Passport: try again later.
    ['server.600', true, ExitCode.network],
    ['auth.passport-failed', true, ExitCode.network],
    ['session.server-shutdown', true, ExitCode.network],
    ['session.timeout', true, ExitCode.network],
    ['session.ping-timeout', true, ExitCode.network],
    ['session.connection-closed', true, ExitCode.network],
    ['transport.proxy-auth-failed', false, ExitCode.network],
    // The account.
    ['auth.wrong-password', false, ExitCode.auth],
    ['auth.unknown-account', false, ExitCode.auth],
    // What the person typed.
    ['settings.invalid', false, ExitCode.usage],
    ['cli.usage', false, ExitCode.usage],
    // Everything else.
    ['session.signed-in-elsewhere', false, ExitCode.failure],
    ['internal', false, ExitCode.failure],
  ])('%s (retryable: %s) → %i', (code, retryable, exit) => {
    expect(exitCodeFor(info(code, retryable))).toBe(exit);
  });
});
