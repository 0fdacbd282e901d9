// A deliberately dumb MSNP client for the server's own tests: raw node:net socket, frames read with a fresh
// reader (server→client payload commands), and helpers that wait for a frame matching a pattern. No client code.
import { connect, type Socket } from 'node:net';
import { FrameReader, type InboundFrame } from '../frame-reader';

const SERVER_PAYLOAD_COMMANDS = new Set(['MSG', 'NOT', 'IPG', 'UBX', 'GCF']);

export class RawClient {
  readonly frames: InboundFrame[] = [];
  /** Every chunk as it arrived (to see chunking and bytes outside the framing). */
  readonly chunks: Buffer[] = [];
  private cursor = 0;
  private waiters: (() => void)[] = [];
  private closedFlag = false;
  readonly closed: Promise<void>;
  private readonly reader: FrameReader;

  private constructor(private readonly socket: Socket) {
    this.reader = new FrameReader({
      payloadCommands: SERVER_PAYLOAD_COMMANDS,
      maxLineBytes: 1 << 20,
      maxPayloadBytes: 1 << 20,
      onFrame: (f) => {
        this.frames.push(f);
        this.wake();
      },
      // Keep the socket: fault tests look at the raw bytes after a framing error.
      onFatal: () => undefined,
    });
    socket.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.reader.push(c);
      this.wake();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((r) =>
      socket.on('close', () => {
        this.closedFlag = true;
        this.wake();
        r();
      }),
    );
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, host, () => {
        s.off('error', reject);
        resolve(new RawClient(s));
      });
      s.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closedFlag;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(line: string, payload?: Buffer | string): void {
    this.socket.write(`${line}\r\n`);
    if (payload !== undefined) this.socket.write(payload);
  }

  sendRaw(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Sends `MSG trid mode len` with the payload's byte length. */
  sendMsg(trid: number, mode: string, payload: Buffer | string): void {
    const b = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    this.socket.write(Buffer.concat([Buffer.from(`MSG ${trid} ${mode} ${b.length}\r\n`), b]));
  }

  /** The next frame not yet consumed. */
  next(timeoutMs = 2000): Promise<InboundFrame> {
    return this.waitFor(() => true, timeoutMs);
  }

  /** Consumes frames up to and including the first whose line matches; earlier frames are skipped. */
  async waitFor(match: RegExp | string | ((f: InboundFrame) => boolean), timeoutMs = 2000): Promise<InboundFrame> {
    const test = typeof match === 'function' ? match : typeof match === 'string' ? (f: InboundFrame) => f.line.startsWith(match) : (f: InboundFrame) => match.test(f.line);
    const deadline = Date.now() + timeoutMs;
    // Bounded by the deadline.
    while (true) {
      while (this.cursor < this.frames.length) {
        const f = this.frames[this.cursor++];
        if (test(f)) return f;
      }
      if (this.closedFlag) throw new Error(`connection closed while waiting for ${String(match)}; got:\n${this.frames.map((f) => f.line).join('\n')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${String(match)}; got:\n${this.frames.map((f) => f.line).join('\n')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Lines received after the cursor, without consuming them, once `ms` of quiet has passed. */
  async quiet(ms = 100): Promise<string[]> {
    let count = -1;
    while (count !== this.frames.length) {
      count = this.frames.length;
      await new Promise((r) => setTimeout(r, ms));
    }
    return this.frames.slice(this.cursor).map((f) => f.line);
  }

  /** Takes exactly n frames. */
  async take(n: number, timeoutMs = 2000): Promise<InboundFrame[]> {
    const out: InboundFrame[] = [];
    for (let i = 0; i < n; i++) out.push(await this.next(timeoutMs));
    return out;
  }

  /** All bytes received so far. */
  received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Waits until the received bytes satisfy the test (or the connection closes). */
  async waitForBytes(test: (all: Buffer) => boolean, timeoutMs = 2000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this.received())) {
      if (this.closedFlag) throw new Error(`closed before the expected bytes; got ${JSON.stringify(this.received().toString('latin1'))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.received().toString('latin1'))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.received();
  }

  close(): void {
    this.socket.destroy();
  }
}
