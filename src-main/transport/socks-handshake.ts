// The SOCKS4/4a (the SOCKS4 protocol note and its 4a extension) and SOCKS5 (RFC 1928, with RFC 1929 user name and
// password) client handshake as a small state machine, without a socket: bytes in through push(), requests out
// through the injected `send`, and exactly one outcome — `established` with any bytes past the proxy's reply (already
// the tunnel's) or `failed` with a structured SocksFailure that socks-reasons.ts turns into a TransportError. It
// never reads text: every decision is a reply byte and the state it arrived in. The socket, the deadline and the
// abort signal are the connector's (socks-connector.ts).
import { isIP } from 'node:net';
import { concat } from './http-head';

export interface SocksHandshakeOptions {
  version: 4 | 5;
  /** SOCKS4: an IPv4 address (a name makes it a SOCKS4a request). SOCKS5: an IPv4 or IPv6 address, or a name. */
  destination: { host: string; port: number };
  /** SOCKS5 user name (RFC 1929) or the SOCKS4 user id. */
  username?: string;
  /** SOCKS5 only. */
  password?: string;
}

/** What the handshake waits for; named for the awaited reply. */
export type SocksHandshakeState =
  | 'NotStarted'
  | 'AwaitingMethodChoice'
  | 'AwaitingAuthReply'
  | 'AwaitingConnectReply'
  | 'AwaitingSocks4Reply'
  | 'Established'
  | 'Failed';

/** Why a handshake failed, as data: the reply code or the stage, never a message. */
export type SocksFailure =
  /** The CONNECT reply's code (SOCKS5 REP 1–255, SOCKS4 CD other than 90). */
  | { kind: 'rejected'; reply: number }
  /** RFC 1929: the proxy refused the user name and password. */
  | { kind: 'auth-failed' }
  /** SOCKS5: none of the methods offered (no authentication, user name and password when set) is acceptable. */
  | { kind: 'no-acceptable-method' }
  /** SOCKS5: the proxy picked a method that was not offered and is not user name and password (GSSAPI, ...). */
  | { kind: 'unknown-method'; method: number }
  /** A reply whose version or address type no SOCKS proxy of this version would send. */
  | { kind: 'not-socks' }
  /** The proxy hung up while we waited for `awaiting`. */
  | { kind: 'hung-up'; awaiting: 'method-choice' | 'auth-reply' | 'connect-reply' }
  /** SOCKS5 carries the user name and the password in one length byte each. */
  | { kind: 'credentials-too-long' }
  /** The destination cannot be put in a request (a SOCKS5 name over 255 bytes, a NUL byte in a SOCKS4 field). */
  | { kind: 'unusable-request' };

export interface SocksHandshakeCallbacks {
  send(bytes: Uint8Array): void;
  /** `rest`: bytes that came after the proxy's reply in the same read. */
  established(rest: Uint8Array | undefined): void;
  failed(failure: SocksFailure): void;
}

const NO_AUTH = 0x00;
const USER_PASS = 0x02;
const NO_ACCEPTABLE = 0xff;
const CONNECT = 0x01;
const SOCKS4_GRANTED = 0x5a;
const ATYP_IPV4 = 0x01;
const ATYP_NAME = 0x03;
const ATYP_IPV6 = 0x04;

const encoder = new TextEncoder();

/** Which reply a hang-up interrupted, per waiting state. */
const HUNG_UP_WHILE: Partial<Record<SocksHandshakeState, 'method-choice' | 'auth-reply' | 'connect-reply'>> = {
  AwaitingMethodChoice: 'method-choice',
  AwaitingAuthReply: 'auth-reply',
  AwaitingConnectReply: 'connect-reply',
  AwaitingSocks4Reply: 'connect-reply',
};

export class SocksHandshake {
  private current: SocksHandshakeState = 'NotStarted';
  /** Reply bytes not yet consumed; at most one reply (≤ 262 bytes) plus one read. */
  private buffered: Uint8Array = new Uint8Array(0);
  /** The CONNECT request, built (and checked) by start(). */
  private request: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly options: SocksHandshakeOptions,
    private readonly callbacks: SocksHandshakeCallbacks,
  ) {}

  get state(): SocksHandshakeState {
    return this.current;
  }

  private get sendsCredentials(): boolean {
    return Boolean(this.options.username || this.options.password);
  }

  /** Sends the first request (SOCKS5 greeting or SOCKS4 CONNECT), or fails at once if the request cannot be made. */
  start(): void {
    if (this.current !== 'NotStarted') return;
    const { version, username = '', password = '' } = this.options;
    if (version === 5 && (encoder.encode(username).length > 255 || encoder.encode(password).length > 255)) {
      this.fail({ kind: 'credentials-too-long' });
      return;
    }
    const request = version === 5 ? socks5ConnectRequest(this.options.destination) : socks4ConnectRequest(this.options.destination, username);
    if (!request) {
      this.fail({ kind: 'unusable-request' });
      return;
    }
    this.request = request;
    if (version === 4) {
      this.current = 'AwaitingSocks4Reply';
      this.callbacks.send(request);
      return;
    }
    this.current = 'AwaitingMethodChoice';
    this.callbacks.send(Uint8Array.of(5, ...(this.sendsCredentials ? [2, NO_AUTH, USER_PASS] : [1, NO_AUTH])));
  }

  /** Bytes from the proxy. Ignored once the handshake has an outcome (the connector stops listening then anyway). */
  push(chunk: Uint8Array): void {
    if (this.current === 'NotStarted' || this.current === 'Established' || this.current === 'Failed' || chunk.length === 0) return;
    this.buffered = this.buffered.length === 0 ? chunk : concat(this.buffered, chunk);
    while (this.advance());
  }

  /** The proxy closed the connection (FIN). */
  hungUp(): void {
    const awaiting = HUNG_UP_WHILE[this.current];
    if (awaiting) this.fail({ kind: 'hung-up', awaiting });
  }

  /** Handles one complete reply if buffered; true when it moved to another waiting state with bytes left to read. */
  private advance(): boolean {
    const b = this.buffered;
    switch (this.current) {
      case 'AwaitingMethodChoice': {
        if (b[0] !== 5) return this.fail({ kind: 'not-socks' });
        if (b.length < 2) return false;
        this.consume(2);
        if (b[1] === NO_AUTH) return this.sendConnect();
        // A proxy that insists on a user name and password we did not offer: the same as refusing what we did.
        if (b[1] === USER_PASS) return this.sendsCredentials ? this.sendAuth() : this.fail({ kind: 'no-acceptable-method' });
        if (b[1] === NO_ACCEPTABLE) return this.fail({ kind: 'no-acceptable-method' });
        return this.fail({ kind: 'unknown-method', method: b[1] });
      }
      case 'AwaitingAuthReply': {
        // RFC 1929's reply is VER 1, STATUS; some proxies answer VER 5. Only STATUS decides.
        if (b.length < 2) return false;
        this.consume(2);
        return b[1] === 0x00 ? this.sendConnect() : this.fail({ kind: 'auth-failed' });
      }
      case 'AwaitingConnectReply': {
        if (b[0] !== 5) return this.fail({ kind: 'not-socks' });
        if (b.length < 2) return false;
        if (b[1] !== 0x00) return this.fail({ kind: 'rejected', reply: b[1] });
        // VER, REP, RSV, ATYP, then the bound address (4 or 16 bytes, or a length byte and a name) and port.
        if (b.length < 5) return false;
        if (b[3] !== ATYP_IPV4 && b[3] !== ATYP_IPV6 && b[3] !== ATYP_NAME) return this.fail({ kind: 'not-socks' });
        const length = b[3] === ATYP_IPV4 ? 10 : b[3] === ATYP_IPV6 ? 22 : 7 + b[4];
        return b.length < length ? false : this.establish(length);
      }
      case 'AwaitingSocks4Reply': {
        // The reply's version byte is 0 in the protocol note; a few proxies send 4.
        if (b[0] !== 0 && b[0] !== 4) return this.fail({ kind: 'not-socks' });
        if (b.length < 8) return false;
        return b[1] === SOCKS4_GRANTED ? this.establish(8) : this.fail({ kind: 'rejected', reply: b[1] });
      }
      default:
        return false;
    }
  }

  private consume(n: number): void {
    this.buffered = this.buffered.subarray(n);
  }

  private sendAuth(): boolean {
    const user = encoder.encode(this.options.username ?? '');
    const pass = encoder.encode(this.options.password ?? '');
    this.current = 'AwaitingAuthReply';
    this.callbacks.send(Uint8Array.of(1, user.length, ...user, pass.length, ...pass));
    return this.buffered.length > 0;
  }

  private sendConnect(): boolean {
    this.current = 'AwaitingConnectReply';
    this.callbacks.send(this.request);
    return this.buffered.length > 0;
  }

  private establish(replyLength: number): false {
    const rest = this.buffered.length > replyLength ? this.buffered.slice(replyLength) : undefined;
    this.buffered = new Uint8Array(0);
    this.current = 'Established';
    this.callbacks.established(rest);
    return false;
  }

  private fail(failure: SocksFailure): false {
    if (this.current === 'Established' || this.current === 'Failed') return false;
    this.current = 'Failed';
    this.buffered = new Uint8Array(0);
    this.callbacks.failed(failure);
    return false;
  }
}

/** SOCKS5 CONNECT: VER 5, CMD 1, RSV 0, ATYP + address, port. Undefined for a name that does not fit one length byte. */
function socks5ConnectRequest(destination: { host: string; port: number }): Uint8Array | undefined {
  const family = isIP(destination.host);
  let address: number[];
  if (family === 4) address = [ATYP_IPV4, ...ipv4Bytes(destination.host)];
  else if (family === 6) address = [ATYP_IPV6, ...ipv6Bytes(destination.host)];
  else {
    const name = encoder.encode(destination.host);
    if (name.length === 0 || name.length > 255) return undefined;
    address = [ATYP_NAME, name.length, ...name];
  }
  return Uint8Array.of(5, CONNECT, 0, ...address, destination.port >> 8, destination.port & 0xff);
}

/** SOCKS4 CONNECT: VN 4, CD 1, port, IPv4, user id, NUL; SOCKS4a puts 0.0.0.1 there and appends the name and a NUL. */
function socks4ConnectRequest(destination: { host: string; port: number }, userId: string): Uint8Array | undefined {
  const user = encoder.encode(userId);
  const name = isIP(destination.host) === 4 ? undefined : encoder.encode(destination.host);
  if (user.includes(0) || (name && (name.length === 0 || name.includes(0)))) return undefined;
  const ip = name ? [0, 0, 0, 1] : ipv4Bytes(destination.host);
  return Uint8Array.of(4, CONNECT, destination.port >> 8, destination.port & 0xff, ...ip, ...user, 0, ...(name ? [...name, 0] : []));
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address that node:net's isIP accepted (`::` shorthand, a trailing dotted IPv4, a zone). */
export function ipv6Bytes(address: string): number[] {
  const text = address.replace(/%.*$/, '');
  const toGroups = (part: string): number[] => {
    if (part === '') return [];
    const groups: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const [a, b, c, d] = ipv4Bytes(piece);
        groups.push((a << 8) | b, (c << 8) | d);
      } else groups.push(parseInt(piece, 16));
    }
    return groups;
  };
  const gap = text.indexOf('::');
  const head = toGroups(gap === -1 ? text : text.slice(0, gap));
  const tail = gap === -1 ? [] : toGroups(text.slice(gap + 2));
  const groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}
