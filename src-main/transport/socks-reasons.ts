// SOCKS reply codes (RFC 1928 §6 for SOCKS5, the SOCKS4 protocol note for 90–93) as plain-language reasons, and
// the translation of the `socks` package's error strings into our codes. Pure: unit-tested without a proxy.
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

// The `socks` package reports reply codes by their enum names inside its error strings.
const SOCKS5_NAMES: Record<string, number> = {
  Failure: 1,
  NotAllowed: 2,
  NetworkUnreachable: 3,
  HostUnreachable: 4,
  ConnectionRefused: 5,
  TTLExpired: 6,
  CommandNotSupported: 7,
  AddressNotSupported: 8,
};
const SOCKS4_NAMES: Record<string, number> = { Failed: 0x5b, Rejected: 0x5c, RejectedIdent: 0x5d };

export interface SocksFailureContext {
  version: 4 | 5;
  /** "the proxy at 127.0.0.1:1080" style label: host and port only. */
  proxy: string;
  /** host:port of the MSN server. */
  target: string;
  sentCredentials: boolean;
  timeoutMs: number;
  /** Every byte the proxy sent before the failure: tells how far the handshake got when the proxy hung up. */
  received?: Uint8Array;
}

/** SOCKS5: whether the proxy had accepted us (method choice, and sub-negotiation if any) before it hung up. */
function socks5ReachedConnect(received: Uint8Array | undefined): boolean {
  if (!received || received.length < 2 || received[0] !== 5) return false;
  if (received[1] === 0x00) return true;
  return received[1] === 0x02 && received.length >= 4 && received[3] === 0x00;
}

/** Maps a failure message from the `socks` package (never shown to users: it is English for developers) to our error. */
export function socksFailure(message: string, ctx: SocksFailureContext): TransportError {
  const kind = ctx.version === 5 ? 'SOCKS5' : 'SOCKS4';
  const fail = (code: TransportErrorCode, text: string) => new TransportError(code, text);
  const rejected = /rejected connection - \(?([A-Za-z]+|undefined)\)?/.exec(message);
  if (rejected) {
    const name = rejected[1];
    const r = ctx.version === 5 ? socks5ReplyReason(SOCKS5_NAMES[name] ?? -1, ctx.target) : socks4ReplyReason(SOCKS4_NAMES[name] ?? -1, ctx.target);
    return fail(r.code, `The ${kind} proxy at ${ctx.proxy} ${r.reason}.`);
  }
  if (message.includes('Authentication failed')) return fail('transport.proxy-auth-failed', `The ${kind} proxy at ${ctx.proxy} refused the user name or password. Check them in the connection settings.`);
  if (message.includes('no accepted authentication type')) {
    return ctx.sentCredentials
      ? fail('transport.proxy-auth-failed', `The ${kind} proxy at ${ctx.proxy} accepts none of the sign-in methods Butterfly offers (none, or user name and password).`)
      : fail('transport.proxy-auth-required', `The ${kind} proxy at ${ctx.proxy} requires a user name and password. Enter them in the connection settings.`);
  }
  if (message.includes('unknown authentication type')) return fail('transport.proxy-protocol', `The ${kind} proxy at ${ctx.proxy} asked for a sign-in method Butterfly does not support.`);
  if (message.includes('timed out')) return fail('transport.timeout', `The ${kind} proxy at ${ctx.proxy} did not finish the handshake within ${Math.round(ctx.timeoutMs / 100) / 10} s. It may be overloaded, or not a ${kind} proxy.`);
  if (message.includes('Socket closed') && ctx.version === 5 && socks5ReachedConnect(ctx.received)) {
    // OpenSSH's `ssh -D` hangs up instead of replying when it cannot reach the destination.
    return fail('transport.target-unreachable', `The SOCKS5 proxy at ${ctx.proxy} hung up instead of answering the request to connect to ${ctx.target}: it most likely could not reach the MSN server there.`);
  }
  if (message.includes('Socket closed') && ctx.version === 4) {
    return fail('transport.proxy-closed', `The SOCKS4 proxy at ${ctx.proxy} hung up without answering the request to connect to ${ctx.target}: it most likely could not reach the MSN server there (or it is not a SOCKS4 proxy).`);
  }
  if (message.includes('Socket closed')) return fail('transport.proxy-closed', `The ${kind} proxy at ${ctx.proxy} closed the connection during the handshake. Check that it is a ${kind} proxy and that it allows you to connect.`);
  if (/invalid|Invalid/.test(message)) return fail('transport.proxy-protocol', `The proxy at ${ctx.proxy} did not answer like a ${kind} proxy. Check the proxy kind in the connection settings (is it an HTTP proxy?).`);
  if (/ECONNRESET|EPIPE/.test(message)) return fail('transport.proxy-closed', `The ${kind} proxy at ${ctx.proxy} reset the connection during the handshake.`);
  return fail('transport.proxy-protocol', `The ${kind} handshake with the proxy at ${ctx.proxy} failed.`);
}
