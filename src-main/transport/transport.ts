// The one interface every connection kind implements: direct TCP, SOCKS4/4a/5, HTTP CONNECT, and the MSN HTTP gateway.
// Sessions see only this: bytes in, bytes out, one close. They never learn which kind they got.
import type { Event } from '../../src-shared/disposable';
import type { ButterflyError } from '../../src-shared/errors';

/** Which MSN server a connection is for; the HTTP gateway needs this to open its session (Server=NS or Server=SB). */
export type ServerRole = 'NS' | 'SB';

export interface ConnectTarget {
  host: string;
  port: number;
  role: ServerRole;
}

export type TransportState = 'connecting' | 'open' | 'closing' | 'closed';

export interface TransportCloseInfo {
  /**
   * Absent for a clean close (either side ended the stream normally); present for every failure (a TransportError:
   * reset, keepalive timeout, gateway failure). A proxy that hangs up sends the same FIN as the server would, so
   * through a SOCKS/CONNECT proxy that is a clean close too: the session knows whether it expected one.
   */
  error?: ButterflyError;
  /** True when this side called close(). */
  local: boolean;
}

/** Every byte in and out, for the protocol inspector. Secrets are redacted above this layer, where commands are known. */
export interface TransportTap {
  direction: 'in' | 'out';
  bytes: Uint8Array;
}

export interface CloseOptions {
  abort?: boolean;
}

export interface Transport {
  readonly state: TransportState;
  /** Human-readable route, e.g. "SOCKS5 127.0.0.1:1080 → ns.example:1863". Never contains credentials. */
  readonly description: string;
  /**
   * Queues bytes in order; backpressure is handled inside (the bytes are copied, so the caller may reuse its buffer).
   * Writing after close is ignored.
   */
  write(bytes: Uint8Array): void;
  /**
   * Graceful close: flushes queued writes, then ends; it never keeps the process alive once our bytes are out.
   * `{ abort: true }` ends it at once, dropping queued writes (a fatal protocol error: nothing more is worth sending
   * or waiting for). onDidClose fires exactly once.
   */
  close(options?: CloseOptions): void;
  readonly onData: Event<Uint8Array>;
  readonly onDidClose: Event<TransportCloseInfo>;
  readonly onTap: Event<TransportTap>;
}

/**
 * Opens a connection along the user's configured route (createTransportFactory in create-transport-factory.ts).
 * Rejects with a typed TransportError (transport-error.ts). Bytes that arrive before the first onData subscriber
 * are held and delivered to it, so subscribing right after `await connect()` loses nothing.
 */
export interface TransportFactory {
  connect(target: ConnectTarget, options?: { signal?: AbortSignal }): Promise<Transport>;
}

/** HTTPS (and plain HTTP on loopback) requests along the same route, for the Passport nexus and login servers. */
export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Uint8Array | string;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * createHttpClient (create-http-client.ts). Redirects are returned to the caller, not followed; bodies are capped;
 * failures reject with a TransportError.
 */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}
