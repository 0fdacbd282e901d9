import { describe, expect, it } from 'vitest';
import { socks4ReplyReason, socks5ReplyReason, socksFailure } from './socks-reasons';
import { connectStatusError, basicAuthorization } from './http-connect-connector';
import { socketErrorToTransportError } from './transport-error';

const ctx = { version: 5 as const, proxy: '127.0.0.1:1080', target: 'ns.example:1863', sentCredentials: true, timeoutMs: 1500 };

describe('SOCKS reasons', () => {
  it('has a distinct plain reason for every SOCKS5 reply code and unknown ones', () => {
    const reasons = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9].map((rep) => socks5ReplyReason(rep, 'h:1').reason));
    expect(reasons.size).toBe(9);
    expect(socks5ReplyReason(9, 'h:1').reason).toBe('refused the connection to h:1 with an unknown reply code 9');
    expect(socks4ReplyReason(0x5a + 10, 'h:1').code).toBe('transport.proxy-protocol');
  });

  it('maps each structured failure to its code and message', () => {
    expect(socksFailure({ kind: 'rejected', reply: 5 }, ctx).message).toBe('The SOCKS5 proxy at 127.0.0.1:1080 could not connect to the MSN server at ns.example:1863: the server refused the connection.');
    expect(socksFailure({ kind: 'rejected', reply: 0x5b }, { ...ctx, version: 4 }).code).toBe('transport.proxy-refused');
    expect(socksFailure({ kind: 'auth-failed' }, ctx).code).toBe('transport.proxy-auth-failed');
    expect(socksFailure({ kind: 'no-acceptable-method' }, ctx).code).toBe('transport.proxy-auth-failed');
    expect(socksFailure({ kind: 'no-acceptable-method' }, { ...ctx, sentCredentials: false }).code).toBe('transport.proxy-auth-required');
    expect(socksFailure({ kind: 'timeout' }, ctx).message).toContain('within 1.5 s');
    // Hanging up once the CONNECT request is out (after no-auth, or after a user name and password were accepted).
    expect(socksFailure({ kind: 'hung-up', awaiting: 'connect-reply' }, ctx).code).toBe('transport.target-unreachable');
    expect(socksFailure({ kind: 'hung-up', awaiting: 'connect-reply' }, { ...ctx, version: 4 }).code).toBe('transport.proxy-closed');
    expect(socksFailure({ kind: 'hung-up', awaiting: 'auth-reply' }, ctx).code).toBe('transport.proxy-closed');
    expect(socksFailure({ kind: 'hung-up', awaiting: 'method-choice' }, ctx).code).toBe('transport.proxy-closed');
    expect(socksFailure({ kind: 'unknown-method', method: 1 }, ctx).code).toBe('transport.proxy-protocol');
    expect(socksFailure({ kind: 'not-socks' }, ctx).code).toBe('transport.proxy-protocol');
    expect(socksFailure({ kind: 'socket-error', errno: 'ECONNRESET' }, ctx).message).toBe('The SOCKS5 proxy at 127.0.0.1:1080 reset the connection during the handshake.');
    expect(socksFailure({ kind: 'socket-error', errno: 'EPROTO' }, ctx).code).toBe('transport.proxy-protocol');
    expect(socksFailure({ kind: 'credentials-too-long' }, ctx).code).toBe('transport.unsupported');
    expect(socksFailure({ kind: 'unusable-request' }, ctx).code).toBe('transport.unsupported');
  });
});

describe('HTTP CONNECT statuses', () => {
  const head = (status: number, headers: Record<string, string> = {}) => ({ status, reason: 'X', headers, length: 0 });
  const c = { proxy: 'p:3128', target: 'ns:1863', sentCredentials: true };
  it('maps statuses to codes', () => {
    expect(connectStatusError(head(407), c).code).toBe('transport.proxy-auth-failed');
    expect(connectStatusError(head(407), { ...c, sentCredentials: false }).code).toBe('transport.proxy-auth-required');
    expect(connectStatusError(head(407, { 'proxy-authenticate': 'NTLM' }), c).message).toContain('asks for NTLM authentication, which Butterfly does not support');
    expect(connectStatusError(head(403), c).code).toBe('transport.proxy-refused');
    expect(connectStatusError(head(405), c).code).toBe('transport.proxy-refused');
    expect(connectStatusError(head(502), c).code).toBe('transport.target-unreachable');
    expect(connectStatusError(head(504), c).code).toBe('transport.timeout');
    expect(connectStatusError(head(500), c).code).toBe('transport.target-unreachable');
    expect(connectStatusError(head(418), c).code).toBe('transport.proxy-refused');
  });
  it('encodes Basic credentials as UTF-8', () => {
    expect(basicAuthorization('alice', 'sécret')).toBe(`Basic ${Buffer.from('alice:sécret', 'utf8').toString('base64')}`);
  });
});

describe('socket errors', () => {
  it('names the proxy or the server', () => {
    const refused = Object.assign(new Error('x'), { code: 'ECONNREFUSED' });
    expect(socketErrorToTransportError(refused, { kind: 'proxy', where: 'p:1' }).code).toBe('transport.proxy-unreachable');
    expect(socketErrorToTransportError(refused, { kind: 'server', where: 's:1' }).code).toBe('transport.target-unreachable');
    expect(socketErrorToTransportError(Object.assign(new Error('x'), { code: 'ENOTFOUND' }), { kind: 'server', where: 's:1' }).code).toBe('transport.host-not-found');
    expect(socketErrorToTransportError(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }), { kind: 'server', where: 's:1' }).retryable).toBe(true);
  });
});
