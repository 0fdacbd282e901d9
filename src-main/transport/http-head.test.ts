import { describe, expect, it } from 'vitest';
import { BodyReader, HttpParseError, parseResponseHead } from './http-head';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('parseResponseHead', () => {
  const head = 'HTTP/1.1 200 OK\r\nX-MSN-Messenger: SessionID=1; GW-IP=127.0.0.1\r\nSet-Cookie: a\r\nset-cookie: b\r\nContent-Length: 3\r\n\r\n';
  it('waits for the whole head, at every split point', () => {
    const all = bytes(head + 'abc');
    for (let i = 0; i < head.length; i++) expect(parseResponseHead(all.subarray(0, i), 1024)).toBeUndefined();
    const parsed = parseResponseHead(all, 1024)!;
    expect(parsed).toEqual({ status: 200, reason: 'OK', headers: { 'x-msn-messenger': 'SessionID=1; GW-IP=127.0.0.1', 'set-cookie': 'a, b', 'content-length': '3' }, length: head.length });
  });
  it('accepts LF-only heads and HTTP/1.0 without a reason', () => {
    expect(parseResponseHead(bytes('HTTP/1.0 407\nProxy-Authenticate: Basic\n\n'), 1024)).toMatchObject({ status: 407, reason: '', headers: { 'proxy-authenticate': 'Basic' } });
  });
  it('rejects what is not HTTP, early, and heads over the limit', () => {
    expect(() => parseResponseHead(bytes('\x05\x00\x00\x01\x7f\x00'), 1024)).toThrow(HttpParseError);
    expect(() => parseResponseHead(bytes('HTTP/1.1 200 OK\r\n' + 'X: y\r\n'.repeat(100)), 64)).toThrow('longer than 64');
    expect(() => parseResponseHead(bytes('HTTP/1.1 200 OK\r\nbroken\r\n\r\n'), 1024)).toThrow('malformed header');
    expect(() => parseResponseHead(bytes('HTTP/2 200\r\n\r\n'), 1024)).toThrow('not an HTTP response');
  });
});

describe('BodyReader', () => {
  const h = (headers: Record<string, string>, status = 200) => ({ status, reason: '', headers, length: 0 });

  it('reads a Content-Length body and ignores anything after it', () => {
    const r = new BodyReader(h({ 'content-length': '5' }), 100, 'GET');
    expect(r.push(bytes('12'))).toBe(false);
    expect(r.push(bytes('345678'))).toBe(true);
    expect(text(r.body())).toBe('12345');
  });

  it('decodes chunked bodies split at every offset', () => {
    const wire = '4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\n';
    for (let i = 0; i <= wire.length; i++) {
      for (const j of [i, Math.min(wire.length, i + 3)]) {
        const r = new BodyReader(h({ 'transfer-encoding': 'chunked' }), 100, 'GET');
        r.push(bytes(wire.slice(0, i)));
        r.push(bytes(wire.slice(i, j)));
        const done = r.push(bytes(wire.slice(j)));
        expect(done, `split ${i}/${j}`).toBe(true);
        expect(text(r.body())).toBe('Wikipedia in\r\n\r\nchunks.');
      }
    }
  });

  it('reads to the end of the connection without a length, and knows a cut body', () => {
    const r = new BodyReader(h({}), 100, 'GET');
    r.push(bytes('abc'));
    expect(r.end()).toBeUndefined();
    expect(text(r.body())).toBe('abc');
    const cut = new BodyReader(h({ 'content-length': '10' }), 100, 'GET');
    cut.push(bytes('abc'));
    expect(cut.end()).toMatch(/closed before/);
  });

  it('enforces the size cap for every framing', () => {
    expect(() => new BodyReader(h({ 'content-length': '101' }), 100, 'GET')).toThrow('limit');
    const chunked = new BodyReader(h({ 'transfer-encoding': 'chunked' }), 100, 'GET');
    expect(() => chunked.push(bytes('FFFF\r\n'))).toThrow('limit');
    const open = new BodyReader(h({}), 4, 'GET');
    expect(() => open.push(bytes('12345'))).toThrow('limit');
  });

  it('has no body for 204/304/HEAD', () => {
    expect(new BodyReader(h({}, 204), 10, 'GET').done).toBe(true);
    expect(new BodyReader(h({ 'content-length': '5' }), 10, 'HEAD').done).toBe(true);
  });

  it('rejects broken chunk framing', () => {
    expect(() => new BodyReader(h({ 'transfer-encoding': 'chunked' }), 100, 'GET').push(bytes('zz\r\n'))).toThrow('bad chunk size');
    expect(() => new BodyReader(h({ 'transfer-encoding': 'chunked' }), 100, 'GET').push(bytes('1\r\nab\r\n'))).toThrow('missing CRLF');
    expect(() => new BodyReader(h({ 'content-length': '-1' }), 100, 'GET')).toThrow('bad Content-Length');
  });
});
