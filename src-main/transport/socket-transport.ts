// A Transport over one connected stream socket: direct TCP, or the tunnel a SOCKS or HTTP CONNECT proxy handed back.
// Writes go out in order; when the socket's buffer is full we hold further writes in our own queue until 'drain',
// so a slow peer cannot make memory grow inside Node's socket. A peer's FIN is a clean close; a reset is an error.
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { CloseOptions } from './transport';
import { TransportBase } from './transport-base';
import { TransportError } from './transport-error';

export interface SocketTransportOptions {
  description: string;
  /** Who the bytes ultimately come from, for error messages: "the MSN server at host:port via SOCKS5 proxy …". */
  peerLabel: string;
  /** How long a graceful close may wait for queued bytes and the peer's FIN before the socket is destroyed. */
  closeTimeoutMs: number;
  /** Bytes the proxy handshake read past its own reply: the first bytes of the tunnel. */
  initialBytes?: Uint8Array;
}

export class SocketTransport extends TransportBase {
  private readonly queue: Uint8Array[] = [];
  private waitingForDrain = false;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;
  private localClose = false;

  constructor(
    private readonly socket: Duplex,
    private readonly options: SocketTransportOptions,
  ) {
    super(options.description);
    socket.on('data', (chunk: Buffer) => this.deliver(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on('drain', () => {
      this.waitingForDrain = false;
      this.flush();
    });
    socket.on('end', () => {
      // The peer finished sending. We do not keep half-open connections: MSNP has no use for them.
      if (this.currentState !== 'closed') this.currentState = 'closing';
      socket.end();
    });
    socket.on('error', (error: Error) => {
      this.finish({ error: this.describeError(error), local: false });
      socket.destroy();
    });
    socket.on('close', () => {
      clearTimeout(this.closeTimer);
      this.finish({ local: this.localClose });
    });
    // Held by the base class until the session subscribes to onData.
    if (options.initialBytes && options.initialBytes.length > 0) this.deliver(options.initialBytes);
    if (socket.isPaused()) socket.resume();
  }

  write(bytes: Uint8Array): void {
    if (this.currentState !== 'open' || bytes.length === 0) return;
    // Copy: the caller may reuse its buffer, and a queued or in-kernel write must not change under us.
    const own = bytes.slice();
    this.tapOut(own);
    this.queue.push(own);
    this.flush();
  }

  close(options?: CloseOptions): void {
    if (options?.abort) return this.destroy();
    if (this.currentState === 'closed' || this.localClose) return;
    this.localClose = true;
    this.currentState = 'closing';
    // Waiting for the peer's FIN is politeness, not a reason to keep a process (a CLI run) alive: the timer never
    // holds it, and the socket stops holding it once our last bytes have been handed to the system.
    this.closeTimer = setTimeout(() => this.socket.destroy(), this.options.closeTimeoutMs);
    this.closeTimer.unref();
    this.socket.once('finish', () => (this.socket as Partial<Socket>).unref?.());
    this.flush();
  }

  /** Abort at once: nothing queued is sent. */
  destroy(error?: TransportError): void {
    if (this.currentState === 'closed') return;
    this.finish({ error, local: true });
    this.socket.destroy();
  }

  private flush(): void {
    while (this.queue.length > 0 && !this.waitingForDrain) {
      const next = this.queue.shift()!;
      if (!this.socket.write(next)) this.waitingForDrain = true;
    }
    if (this.queue.length === 0 && !this.waitingForDrain && this.localClose && !this.socket.writableEnded) this.socket.end();
  }

  private describeError(error: Error): TransportError {
    const code = (error as { code?: string }).code;
    // Keepalive probes that go unanswered surface as ETIMEDOUT: the peer or the path to it is gone.
    if (code === 'ETIMEDOUT') return new TransportError('transport.timeout', `The connection to ${this.options.peerLabel} stopped responding.`, { cause: error });
    return new TransportError('transport.connection-lost', `The connection to ${this.options.peerLabel} was lost (${code ?? 'network error'}).`, { cause: error });
  }
}
