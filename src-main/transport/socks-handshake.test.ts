// The SOCKS handshake state machine without a socket: the exact request bytes, every reply split at every byte
// offset, and each failure reported as data with the state it arrived in.
import { describe, expect, it } from 'vitest';
import { ipv6Bytes, SocksHandshake, type SocksFailure, type SocksHandshakeOptions } from './socks-handshake';

type Outcome = { established: number[] | undefined } | { failed: SocksFailure } | undefined;

/**
 * Runs a handshake against a scripted proxy: the replies are pushed one by one, or all of them in two pieces split at
 * `split`. Bytes pushed after the outcome are the tunnel's (the connector hands them on), so they count as `rest`.
 */
function run(options: SocksHandshakeOptions, replies: number[][], split?: number) {
  const sent: number[][] = [];
  let outcome: Outcome;
  const h = new SocksHandshake(options, {
    send: (bytes) => sent.push([...bytes]),
    established: (rest) => (outcome = { established: rest && [...rest] }),
    failed: (failure) => (outcome = { failed: failure }),
  });
  const push = (piece: number[]) => {
    if (outcome && 'established' in outcome && piece.length > 0) outcome = { established: [...(outcome.established ?? []), ...piece] };
    else h.push(Uint8Array.from(piece));
  };
  h.start();
  const all = replies.flat();
  if (split === undefined) replies.forEach(push);
  else {
    push(all.slice(0, split));
    push(all.slice(split));
  }
  return {
    sent,
    handshake: h,
    get outcome() {
      return outcome as Outcome;
    },
    get state() {
      return h.state;
    },
  };
}

const bytes = (text: string) => [...new TextEncoder().encode(text)];
const port1863 = [0x07, 0x47];
const socks5 = (over: Partial<SocksHandshakeOptions> = {}): SocksHandshakeOptions => ({ version: 5, destination: { host: 'ns.example', port: 1863 }, ...over });
const socks4 = (over: Partial<SocksHandshakeOptions> = {}): SocksHandshakeOptions => ({ version: 4, destination: { host: '127.0.0.1', port: 1863 }, ...over });
const GRANTED_V4 = [5, 0, 0, 1, 10, 0, 0, 1, 0x04, 0x38];

describe('SOCKS5 requests', () => {
  it('offers no-auth only without credentials, then CONNECT with the name', () => {
    const { sent, outcome } = run(socks5(), [[5, 0], GRANTED_V4]);
    expect(sent).toEqual([[5, 1, 0], [5, 1, 0, 3, 10, ...bytes('ns.example'), ...port1863]]);
    expect(outcome).toEqual({ established: undefined });
  });

  it('offers user name and password too when set, and sends them as RFC 1929 says', () => {
    const { sent, outcome } = run(socks5({ username: 'ü', password: 'pw' }), [[5, 2], [1, 0], GRANTED_V4]);
    expect(sent).toEqual([[5, 2, 0, 2], [1, 2, 0xc3, 0xbc, 2, ...bytes('pw')], [5, 1, 0, 3, 10, ...bytes('ns.example'), ...port1863]]);
    expect(outcome).toEqual({ established: undefined });
  });

  it('carries IPv4 and IPv6 addresses as addresses', () => {
    expect(run(socks5({ destination: { host: '127.0.0.1', port: 1863 } }), [[5, 0]]).sent[1]).toEqual([5, 1, 0, 1, 127, 0, 0, 1, ...port1863]);
    expect(run(socks5({ destination: { host: '::1', port: 1863 } }), [[5, 0]]).sent[1]).toEqual([5, 1, 0, 4, ...new Array(15).fill(0), 1, ...port1863]);
  });

  it('reads IPv6 shorthand, embedded IPv4 and zones', () => {
    expect(ipv6Bytes('2001:db8::8a2e:370:7334')).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34]);
    expect(ipv6Bytes('::ffff:192.0.2.1')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]);
    expect(ipv6Bytes('fe80::1%eth0')).toEqual([0xfe, 0x80, ...new Array(13).fill(0), 1]);
    expect(ipv6Bytes('1:2:3:4:5:6:7:8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
  });
});

describe('SOCKS4 requests', () => {
  it('SOCKS4: the IPv4 address and the user id', () => {
    const { sent, outcome } = run(socks4({ username: 'me' }), [[0, 0x5a, 0, 0, 0, 0, 0, 0]]);
    expect(sent).toEqual([[4, 1, ...port1863, 127, 0, 0, 1, ...bytes('me'), 0]]);
    expect(outcome).toEqual({ established: undefined });
  });

  it('SOCKS4a: 0.0.0.1 and the name after the user id', () => {
    const { sent } = run(socks4({ destination: { host: 'localhost', port: 1863 } }), []);
    expect(sent).toEqual([[4, 1, ...port1863, 0, 0, 0, 1, 0, ...bytes('localhost'), 0]]);
  });
});

describe('replies split at every byte offset', () => {
  const cases: [string, SocksHandshakeOptions, number[][], Outcome][] = [
    ['SOCKS5 no-auth, IPv4 bound address, tunnel bytes glued on', socks5(), [[5, 0], [...GRANTED_V4, ...bytes('VER 1')]], { established: bytes('VER 1') }],
    ['SOCKS5 user name and password, name bound address', socks5({ username: 'u', password: 'p' }), [[5, 2], [1, 0], [5, 0, 0, 3, 4, ...bytes('host'), 0, 80]], { established: undefined }],
    ['SOCKS5 IPv6 bound address', socks5(), [[5, 0], [5, 0, 0, 4, ...new Array(16).fill(0), 0, 80, 9]], { established: [9] }],
    ['SOCKS5 rejected', socks5(), [[5, 0], [5, 5, 0, 1, 0, 0, 0, 0, 0, 0]], { failed: { kind: 'rejected', reply: 5 } }],
    ['SOCKS5 wrong password', socks5({ username: 'u', password: 'p' }), [[5, 2], [1, 1]], { failed: { kind: 'auth-failed' } }],
    ['SOCKS4 granted, tunnel bytes glued on', socks4(), [[0, 0x5a, 0, 0, 0, 0, 0, 0, 1, 2]], { established: [1, 2] }],
    ['SOCKS4 rejected', socks4(), [[0, 0x5b, 0, 0, 0, 0, 0, 0]], { failed: { kind: 'rejected', reply: 0x5b } }],
  ];
  it.each(cases)('%s', (_name, options, replies, expected) => {
    const total = replies.flat().length;
    const whole = run(options, replies);
    expect(whole.outcome).toEqual(expected);
    for (let split = 0; split <= total; split++) {
      // Two pieces that ignore reply boundaries: the proxy may well send faster than we ask.
      const { outcome, sent } = run(options, replies, split);
      expect(outcome, `split at ${split}`).toEqual(expected);
      expect(sent, `split at ${split}`).toEqual(whole.sent);
    }
  });
});

describe('failures are data with their stage', () => {
  it('a proxy that accepts no method we offered', () => {
    expect(run(socks5(), [[5, 0xff]]).outcome).toEqual({ failed: { kind: 'no-acceptable-method' } });
    // Choosing user name and password when we offered none is the same refusal.
    expect(run(socks5(), [[5, 2]]).outcome).toEqual({ failed: { kind: 'no-acceptable-method' } });
    expect(run(socks5({ username: 'u' }), [[5, 1]]).outcome).toEqual({ failed: { kind: 'unknown-method', method: 1 } });
  });

  it('something that is not a SOCKS proxy fails on the first byte it sends', () => {
    expect(run(socks5(), [bytes('HTTP/1.1 400 Bad Request\r\n\r\n')]).outcome).toEqual({ failed: { kind: 'not-socks' } });
    expect(run(socks4(), [bytes('HTTP/1.1 400 Bad Request\r\n\r\n')]).outcome).toEqual({ failed: { kind: 'not-socks' } });
    expect(run(socks5(), [[5, 0], [4, 0]]).outcome).toEqual({ failed: { kind: 'not-socks' } });
    expect(run(socks5(), [[5, 0], [5, 0, 0, 9, 0]]).outcome).toEqual({ failed: { kind: 'not-socks' } });
  });

  it('a hang-up names the reply it interrupted; after an outcome it changes nothing', () => {
    const hangUp = (options: SocksHandshakeOptions, replies: number[][]) => {
      const r = run(options, replies);
      const before = r.state;
      r.handshake.hungUp();
      r.handshake.hungUp();
      return { failure: r.outcome && 'failed' in r.outcome ? r.outcome.failed : undefined, before };
    };
    expect(hangUp(socks5(), [])).toEqual({ failure: { kind: 'hung-up', awaiting: 'method-choice' }, before: 'AwaitingMethodChoice' });
    expect(hangUp(socks5({ username: 'u', password: 'p' }), [[5, 2]])).toEqual({ failure: { kind: 'hung-up', awaiting: 'auth-reply' }, before: 'AwaitingAuthReply' });
    expect(hangUp(socks5(), [[5, 0], [5, 0, 0]])).toEqual({ failure: { kind: 'hung-up', awaiting: 'connect-reply' }, before: 'AwaitingConnectReply' });
    expect(hangUp(socks4(), [[0, 0x5a, 0]])).toEqual({ failure: { kind: 'hung-up', awaiting: 'connect-reply' }, before: 'AwaitingSocks4Reply' });
    expect(hangUp(socks4(), [[0, 0x5a, 0, 0, 0, 0, 0, 0]])).toEqual({ failure: undefined, before: 'Established' });
  });

  it('requests that cannot be made fail before a byte is sent', () => {
    const long = 'x'.repeat(256);
    for (const [options, kind] of [
      [socks5({ username: 'u', password: long }), 'credentials-too-long'],
      [socks5({ username: 'é'.repeat(128) }), 'credentials-too-long'],
      [socks5({ destination: { host: `${'a'.repeat(252)}.com`, port: 1 } }), 'unusable-request'],
      [socks4({ username: 'a\0b' }), 'unusable-request'],
    ] as const) {
      const { sent, outcome, state } = run(options, []);
      expect(sent).toEqual([]);
      expect(outcome).toEqual({ failed: { kind } });
      expect(state).toBe('Failed');
    }
  });

  it('reports exactly one outcome', () => {
    const outcomes: string[] = [];
    const h = new SocksHandshake(socks5(), { send: () => undefined, established: () => outcomes.push('established'), failed: (f) => outcomes.push(f.kind) });
    h.start();
    h.push(Uint8Array.from([5, 0, ...GRANTED_V4]));
    h.push(Uint8Array.from([5, 1]));
    h.hungUp();
    expect(outcomes).toEqual(['established']);
  });
});
