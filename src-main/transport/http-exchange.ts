// One HTTP/1.1 request and its response over a socket we own (`Connection: close`, one request per connection, as
// the MSN gateway captures do). Used by the gateway transport and the Passport HTTP client, so both work the same
// over direct TCP, a CONNECT tunnel, TLS, or with an absolute-URI request to a forward proxy.
import type { Duplex } from 'node:stream';
import { BodyReader, HttpParseError, parseResponseHead, concat, type ResponseHead } from './http-head';
import { TransportError } from './transport-error';
import { watchSocket } from './socket-watch';

export interface ExchangeOptions {
  method: string;
  /** Origin-form (`/path?q`) or absolute-form (`http://host/path?q`) for a forward proxy. */
  target: string;
  headers: [string, string][];
  body?: Uint8Array;
  timeoutMs: number;
  maxBodyBytes: number;
  maxHeadBytes?: number;
  /** Who answers, for messages: "the HTTP gateway at host:port". */
  peer: string;
  signal?: AbortSignal;
}

export interface ExchangeResult {
  head: ResponseHead;
  body: Uint8Array;
}

export function httpExchange(socket: Duplex, options: ExchangeOptions, initialBytes?: Uint8Array): Promise<ExchangeResult> {
  const body = options.body ?? new Uint8Array(0);
  const lines = [`${options.method} ${options.target} HTTP/1.1`, ...options.headers.map(([k, v]) => `${k}: ${v}`)];
  if (options.method !== 'GET' || body.length > 0) lines.push(`Content-Length: ${body.length}`);
  lines.push('Connection: close');
  const requestHead = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  const maxHead = options.maxHeadBytes ?? 32 * 1024;

  return new Promise<ExchangeResult>((resolve, reject) => {
    let buffered: Uint8Array = new Uint8Array(0);
    let head: ResponseHead | undefined;
    let reader: BodyReader | undefined;
    const finish = (error?: TransportError) => {
      if (!endWatch()) return;
      socket.destroy();
      if (error) reject(error);
      else resolve({ head: head!, body: reader!.body() });
    };
    const broken = (detail: string) => new TransportError('transport.http-failed', `${capitalise(options.peer)} sent a response Butterfly cannot read (${detail}).`);
    const onBytes = (bytes: Uint8Array) => {
      try {
        if (!head) {
          buffered = concat(buffered, bytes);
          head = parseResponseHead(buffered, maxHead);
          if (!head) return;
          if (head.status >= 100 && head.status < 200) {
            // An interim answer (100 Continue): skip it and read the real one.
            buffered = buffered.subarray(head.length);
            head = undefined;
            if (buffered.length > 0) onBytes(new Uint8Array(0));
            return;
          }
          reader = new BodyReader(head, options.maxBodyBytes, options.method);
          const rest = buffered.subarray(head.length);
          buffered = new Uint8Array(0);
          if (reader.push(rest) || reader.done) finish();
          return;
        }
        if (reader!.push(bytes)) finish();
      } catch (error) {
        if (error instanceof HttpParseError && /limit/.test(error.message)) {
          finish(new TransportError('transport.response-too-large', `${capitalise(options.peer)} sent a response larger than ${options.maxBodyBytes} bytes; it was not read.`));
        } else finish(broken(error instanceof Error ? error.message : 'unreadable'));
      }
    };
    const onData = (chunk: Buffer) => onBytes(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    const onEnd = () => {
      if (!head) return finish(new TransportError('transport.connection-lost', `${capitalise(options.peer)} closed the connection without answering.`));
      const problem = reader!.end();
      if (problem) finish(new TransportError('transport.connection-lost', `${capitalise(options.peer)} closed the connection mid-response: ${problem}.`));
      else finish();
    };
    const onError = (error: NodeJS.ErrnoException) => finish(new TransportError('transport.connection-lost', `The connection to ${options.peer} was lost (${error.code ?? 'network error'}).`));
    const onAbort = () => finish(new TransportError('transport.aborted', `The request to ${options.peer} was cancelled.`));
    const endWatch = watchSocket(socket, {
      listeners: { data: onData, end: onEnd, close: onEnd, error: onError },
      timeoutMs: options.timeoutMs,
      onTimeout: () => finish(new TransportError('transport.timeout', `${capitalise(options.peer)} did not answer within ${Math.round(options.timeoutMs / 100) / 10} s.`)),
      signal: options.signal,
      onAbort,
    });
    if (options.signal?.aborted) return onAbort();
    if (initialBytes && initialBytes.length > 0) onBytes(initialBytes);
    socket.write(body.length > 0 ? Buffer.concat([requestHead, body]) : requestHead);
    if (socket.isPaused()) socket.resume();
  });
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
