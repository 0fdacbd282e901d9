// HTTP/1.x response heads and bodies as pure functions over bytes: the CONNECT handshake, the gateway and the
// Passport client all read responses with these, so the edge cases (split heads, chunked bodies, limits) are
// unit-tested once without sockets.

export interface ResponseHead {
  status: number;
  reason: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Bytes the head took, including the blank line. */
  length: number;
}

export class HttpParseError extends Error {}

const CRLFCRLF = [13, 10, 13, 10];

function findHeadEnd(bytes: Uint8Array, from: number): number {
  // Accept a bare "\n\n" too: some proxies end lines with LF only.
  for (let i = Math.max(0, from); i < bytes.length; i++) {
    if (bytes[i] !== 10) continue;
    if (i >= 3 && bytes[i - 1] === CRLFCRLF[2] && bytes[i - 2] === CRLFCRLF[1] && bytes[i - 3] === CRLFCRLF[0]) return i + 1;
    if (i >= 1 && bytes[i - 1] === 10) return i + 1;
  }
  return -1;
}

/** Returns the head once complete, `undefined` while more bytes are needed; throws HttpParseError when it is not HTTP. */
export function parseResponseHead(bytes: Uint8Array, maxHeadBytes: number): ResponseHead | undefined {
  const end = findHeadEnd(bytes, 0);
  if (end < 0) {
    if (bytes.length > maxHeadBytes) throw new HttpParseError(`response head longer than ${maxHeadBytes} bytes`);
    if (bytes.length >= 5 && !startsWithHttp(bytes)) throw new HttpParseError('not an HTTP response');
    return undefined;
  }
  if (end > maxHeadBytes) throw new HttpParseError(`response head longer than ${maxHeadBytes} bytes`);
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, end));
  const lines = text.split(/\r?\n/);
  const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]);
  if (!status) throw new HttpParseError('not an HTTP response');
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new HttpParseError('malformed header line');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { status: Number(status[1]), reason: status[2] ?? '', headers, length: end };
}

function startsWithHttp(bytes: Uint8Array): boolean {
  return bytes[0] === 0x48 && bytes[1] === 0x54 && bytes[2] === 0x54 && bytes[3] === 0x50 && bytes[4] === 0x2f;
}

/**
 * Reassembles a body as bytes arrive: Content-Length, chunked, or until the connection closes. `push` returns true
 * once the body is complete; `end()` tells it the connection closed.
 */
export class BodyReader {
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  private readonly mode: 'length' | 'chunked' | 'close';
  private remaining: number;
  private chunkBuffer = new Uint8Array(0);
  private chunkState: 'size' | 'data' | 'data-crlf' | 'trailer' | 'done' = 'size';
  private complete = false;

  constructor(
    head: ResponseHead,
    private readonly maxBytes: number,
    requestMethod: string,
  ) {
    const te = (head.headers['transfer-encoding'] ?? '').toLowerCase();
    const noBody = requestMethod === 'HEAD' || head.status === 204 || head.status === 304 || (head.status >= 100 && head.status < 200);
    if (noBody) {
      this.mode = 'length';
      this.remaining = 0;
    } else if (te.includes('chunked')) {
      this.mode = 'chunked';
      this.remaining = 0;
    } else if (head.headers['content-length'] !== undefined) {
      const n = Number(head.headers['content-length']);
      if (!Number.isInteger(n) || n < 0) throw new HttpParseError('bad Content-Length');
      if (n > maxBytes) throw new HttpParseError(`body of ${n} bytes is over the ${maxBytes}-byte limit`);
      this.mode = 'length';
      this.remaining = n;
    } else {
      this.mode = 'close';
      this.remaining = 0;
    }
    this.complete = this.mode === 'length' && this.remaining === 0;
  }

  get done(): boolean {
    return this.complete;
  }

  /** Bytes past the end of this body (only possible with pipelining, which we never do); they are ignored. */
  push(bytes: Uint8Array): boolean {
    if (this.complete || bytes.length === 0) return this.complete;
    if (this.mode === 'length') {
      const take = bytes.subarray(0, Math.min(bytes.length, this.remaining));
      this.add(take);
      this.remaining -= take.length;
      this.complete = this.remaining === 0;
    } else if (this.mode === 'close') {
      this.add(bytes);
    } else {
      this.pushChunked(bytes);
    }
    return this.complete;
  }

  /** The connection ended. Returns an error text when the body is cut short. */
  end(): string | undefined {
    if (this.complete) return undefined;
    if (this.mode === 'close') {
      this.complete = true;
      return undefined;
    }
    return 'the connection closed before the whole response arrived';
  }

  body(): Uint8Array {
    if (this.parts.length === 1) return this.parts[0];
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  private add(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.size > this.maxBytes) throw new HttpParseError(`body is over the ${this.maxBytes}-byte limit`);
    this.parts.push(bytes.slice());
  }

  private pushChunked(bytes: Uint8Array): void {
    let buf = this.chunkBuffer.length > 0 ? concat(this.chunkBuffer, bytes) : bytes;
    // Each pass consumes one state's worth of bytes; a chunk header or CRLF split across pushes waits in chunkBuffer.
    for (let guard = 0; guard < 1_000_000 && !this.complete; guard++) {
      if (this.chunkState === 'data') {
        const take = buf.subarray(0, Math.min(buf.length, this.remaining));
        this.add(take);
        this.remaining -= take.length;
        buf = buf.subarray(take.length);
        if (this.remaining > 0) break;
        this.chunkState = 'data-crlf';
        continue;
      }
      const nl = buf.indexOf(10);
      if (nl < 0) {
        if (buf.length > 1024) throw new HttpParseError('chunk header too long');
        break;
      }
      const line = new TextDecoder('latin1').decode(buf.subarray(0, nl)).replace(/\r$/, '');
      buf = buf.subarray(nl + 1);
      if (this.chunkState === 'data-crlf') {
        if (line !== '') throw new HttpParseError('missing CRLF after a chunk');
        this.chunkState = 'size';
      } else if (this.chunkState === 'size') {
        const size = parseInt(line.split(';')[0].trim(), 16);
        if (!Number.isFinite(size) || size < 0 || !/^[0-9a-fA-F]+/.test(line.trim())) throw new HttpParseError('bad chunk size');
        if (size === 0) this.chunkState = 'trailer';
        else {
          if (this.size + size > this.maxBytes) throw new HttpParseError(`body is over the ${this.maxBytes}-byte limit`);
          this.remaining = size;
          this.chunkState = 'data';
        }
      } else if (this.chunkState === 'trailer') {
        if (line === '') {
          this.chunkState = 'done';
          this.complete = true;
        }
      }
    }
    this.chunkBuffer = buf.length > 0 ? buf.slice() : new Uint8Array(0);
  }
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
