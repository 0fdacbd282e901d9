// SOCKS4/4a/5 on a socket already connected to the proxy (house style: a connector takes a socket and returns one,
// so connectors chain and the TCP step is shared). The handshake is our own state machine (socks-handshake.ts); this
// file wires it to the socket, the deadline and the abort signal, all undone at once by one finish.
//
// Why not the `socks` package any more: its failures are English strings (the reply code only as an enum name inside
// the text) on an error object that carries its options, password included. Mapping them meant branching on message
// text, and how far the handshake got had to be guessed from a copy of the bytes. Our own machine reports the reply
// byte and the state it arrived in, and never holds credentials in an error.
import type { Socket } from 'node:net';
import { SocksHandshake, type SocksHandshakeOptions } from './socks-handshake';
import { socksFailure, type SocksConnectFailure } from './socks-reasons';
import { watchSocket } from './socket-watch';
import { abortedError } from './tcp-connect';
import type { TransportError } from './transport-error';

export interface SocksConnectOptions extends SocksHandshakeOptions {
  timeoutMs: number;
  /** For messages: host:port of the proxy and of the target. */
  proxyWhere: string;
  targetWhere: string;
  signal?: AbortSignal;
}

export interface TunnelResult {
  socket: Socket;
  /** Bytes that arrived right after the proxy's reply: already the tunnel's. */
  initialBytes?: Uint8Array;
}

export function socksConnect(socket: Socket, options: SocksConnectOptions): Promise<TunnelResult> {
  const ctx = {
    version: options.version,
    proxy: options.proxyWhere,
    target: options.targetWhere,
    sentCredentials: Boolean(options.username || options.password),
    timeoutMs: options.timeoutMs,
  };
  return new Promise<TunnelResult>((resolve, reject) => {
    const finish = (outcome: { error: TransportError } | { initialBytes: Uint8Array | undefined }) => {
      if (!endWatch()) return;
      if ('error' in outcome) {
        socket.destroy();
        reject(outcome.error);
        return;
      }
      // Hold what follows until the transport subscribes.
      socket.pause();
      resolve({ socket, initialBytes: outcome.initialBytes });
    };
    const failWith = (failure: SocksConnectFailure) => finish({ error: socksFailure(failure, ctx) });
    const handshake = new SocksHandshake(options, {
      send: (bytes) => socket.write(bytes),
      established: (initialBytes) => finish({ initialBytes }),
      failed: failWith,
    });
    const endWatch = watchSocket(socket, {
      listeners: {
        data: (chunk: Buffer) => handshake.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
        end: () => handshake.hungUp(),
        close: () => handshake.hungUp(),
        error: (error: NodeJS.ErrnoException) => failWith({ kind: 'socket-error', errno: error.code }),
      },
      timeoutMs: options.timeoutMs,
      onTimeout: () => failWith({ kind: 'timeout' }),
      signal: options.signal,
      onAbort: () => finish({ error: abortedError(options.proxyWhere) }),
    });
    if (options.signal?.aborted) return finish({ error: abortedError(options.proxyWhere) });
    handshake.start();
    if (socket.isPaused()) socket.resume();
  });
}
