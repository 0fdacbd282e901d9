// Error codes are one union: a code nobody listed, or a typo in one, does not compile (tsconfig.tools.json checks
// this file, so an @ts-expect-error that stops erring fails the type-check too).
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ButterflyError, toErrorInfo, type ErrorCode, type ErrorInfo } from './errors';

describe('ErrorCode', () => {
  it('accepts listed codes and server.<number>, and rejects anything else at compile time', () => {
    const codes: ErrorCode[] = ['auth.wrong-password', 'transport.proxy-auth-failed', 'protocol.line-too-long', 'server.911', 'internal'];
    expect(codes.map((c) => new ButterflyError(c, 'm').code)).toEqual(codes);
    // @ts-expect-error a typo in a code
    new ButterflyError('auth.wrong-pasword', 'm');
    // @ts-expect-error a code nobody listed
    const unlisted: ErrorCode = 'transport.refused';
    // @ts-expect-error a server code is a number
    const notNumber: ErrorCode = 'server.busy';
    expect([unlisted, notNumber]).toHaveLength(2);
    expectTypeOf<ErrorInfo['code']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<ButterflyError['code']>().toEqualTypeOf<ErrorCode>();
  });

  it('turns anything else thrown into `internal`', () => {
    expect(toErrorInfo(new Error('boom'))).toEqual({ code: 'internal', message: 'boom', retryable: false });
  });
});
