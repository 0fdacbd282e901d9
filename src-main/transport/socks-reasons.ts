// SOCKS reply codes (RFC 1928 §6 for SOCKS5, the SOCKS4 protocol note for 90–93) as plain-language reasons, and
// every structured SOCKS failure (socks-handshake.ts, plus the connector's deadline and socket errors) as our error.
// Pure: unit-tested without a proxy.
import type { SocksFailure } from './socks-handshake';
import { TransportError, type TransportErrorCode } from './transport-error';

export interface SocksReason {
  code: TransportErrorCode;
  /** Completes "The proxy at X …". */
  reason: string;
}

export function socks5ReplyReason(rep: number, target: string): SocksReason {
  switch (rep) {
    case 0x01:
      return { code: 'transport.proxy-refused', reason: `reported a general failure while connecting to ${target}` };
    case 0x02:
      return { code: 'transport.proxy-refused', reason: `is not allowed by its rules to connect to ${target}; ask the proxy's administrator to allow it` };
    case 0x03:
      return { code: 'transport.target-unreachable', reason: `has no network route to ${target} (network unreachable)` };
    case 0x04:
      return { code: 'transport.target-unreachable', reason: `could not reach the MSN server at ${target} (host unreachable or not found)` };
    case 0x05:
      return { code: 'transport.target-unreachable', reason: `could not connect to the MSN server at ${target}: the server refused the connection` };
    case 0x06:
      return { code: 'transport.target-unreachable', reason: `gave up reaching ${target} (TTL expired)` };
    case 0x07:
      return { code: 'transport.proxy-protocol', reason: 'does not support the CONNECT command' };
    case 0x08:
      return { code: 'transport.unsupported', reason: `does not support this kind of address (${target}); try a host name instead of an IP address, or the other way round` };
    default:
      return { code: 'transport.proxy-refused', reason: `refused the connection to ${target} with an unknown reply code ${rep}` };
  }
}

export function socks4ReplyReason(cd: number, target: string): SocksReason {
  switch (cd) {
    case 0x5b:
      return { code: 'transport.proxy-refused', reason: `rejected the connection to ${target}, or could not make it (the MSN server may be down, or the proxy's rules forbid it)` };
    case 0x5c:
      return { code: 'transport.proxy-refused', reason: 'rejected the request because it could not check our user id with identd on this computer' };
    case 0x5d:
      return { code: 'transport.proxy-refused', reason: 'rejected the request because identd on this computer reported a different user id' };
    default:
      return { code: 'transport.proxy-protocol', reason: `answered with an unknown SOCKS4 reply code ${cd}` };
  }
}

export interface SocksFailureContext {
  version: 4 | 5;
  /** "the proxy at 127.0.0.1:1080" style label: host and port only. */
  proxy: string;
  /** host:port of the MSN server. */
  target: string;
  sentCredentials: boolean;
  timeoutMs: number;
}

/** The connector's own failures beside the handshake's: the deadline, and a socket error (ECONNRESET, ...). */
export type SocksConnectFailure = SocksFailure | { kind: 'timeout' } | { kind: 'socket-error'; errno: string | undefined };

/** Turns a structured SOCKS failure into our error: the code from the reply byte or the stage, never from text. */
export function socksFailure(failure: SocksConnectFailure, ctx: SocksFailureContext): TransportError {
  const kind = ctx.version === 5 ? 'SOCKS5' : 'SOCKS4';
  const p = `The ${kind} proxy at ${ctx.proxy}`;
  const fail = (code: TransportErrorCode, text: string) => new TransportError(code, text);
  switch (failure.kind) {
    case 'rejected': {
      const r = ctx.version === 5 ? socks5ReplyReason(failure.reply, ctx.target) : socks4ReplyReason(failure.reply, ctx.target);
      return fail(r.code, `${p} ${r.reason}.`);
    }
    case 'auth-failed':
      return fail('transport.proxy-auth-failed', `${p} refused the user name or password. Check them in the connection settings.`);
    case 'no-acceptable-method':
      return ctx.sentCredentials
        ? fail('transport.proxy-auth-failed', `${p} accepts none of the sign-in methods Butterfly offers (none, or user name and password).`)
        : fail('transport.proxy-auth-required', `${p} requires a user name and password. Enter them in the connection settings.`);
    case 'unknown-method':
      return fail('transport.proxy-protocol', `${p} asked for a sign-in method Butterfly does not support.`);
    case 'not-socks':
      return fail('transport.proxy-protocol', `The proxy at ${ctx.proxy} did not answer like a ${kind} proxy. Check the proxy kind in the connection settings (is it an HTTP proxy?).`);
    case 'hung-up':
      // OpenSSH's `ssh -D` hangs up instead of replying when it cannot reach the destination.
      if (failure.awaiting === 'connect-reply' && ctx.version === 5) {
        return fail('transport.target-unreachable', `${p} hung up instead of answering the request to connect to ${ctx.target}: it most likely could not reach the MSN server there.`);
      }
      if (failure.awaiting === 'connect-reply') {
        return fail('transport.proxy-closed', `${p} hung up without answering the request to connect to ${ctx.target}: it most likely could not reach the MSN server there (or it is not a SOCKS4 proxy).`);
      }
      return fail('transport.proxy-closed', `${p} closed the connection during the handshake. Check that it is a ${kind} proxy and that it allows you to connect.`);
    case 'credentials-too-long':
      return fail('transport.unsupported', 'SOCKS5 user names and passwords can be at most 255 bytes long: shorten them in the connection settings.');
    case 'unusable-request':
      return fail('transport.unsupported', `${ctx.target} cannot be sent to a ${kind} proxy (a name must be 1–255 bytes, and no field may hold a NUL byte). Check the server address and the proxy user name.`);
    case 'timeout':
      return fail('transport.timeout', `${p} did not finish the handshake within ${Math.round(ctx.timeoutMs / 100) / 10} s. It may be overloaded, or not a ${kind} proxy.`);
    case 'socket-error':
      if (failure.errno === 'ECONNRESET' || failure.errno === 'EPIPE') return fail('transport.proxy-closed', `${p} reset the connection during the handshake.`);
      return fail('transport.proxy-protocol', `The ${kind} handshake with the proxy at ${ctx.proxy} failed.`);
  }
}
