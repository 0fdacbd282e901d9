// SOCKS4/4a/5 on a socket already connected to the proxy (house style: a connector takes a socket and returns one,
// so connectors chain and the TCP step is shared). The handshake itself is the `socks` package's.
import type { Socket } from 'node:net';
import { SocksClient, type SocksClientOptions } from 'socks';
import { socksFailure } from './socks-reasons';
import { TransportError } from './transport-error';

export interface SocksConnectOptions {
  version: 4 | 5;
  /** SOCKS4: an IPv4 address (resolved locally). SOCKS4a/5: a host name is sent for the proxy to resolve. */
  destination: { host: string; port: number };
  /** SOCKS5 user name (RFC 1929) or the SOCKS4 user id. */
  username?: string;
  password?: string;
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
  const sentCredentials = Boolean(options.username || options.password);
  const clientOptions: SocksClientOptions = {
    command: 'connect',
    destination: options.destination,
    proxy: {
      // The package wants a proxy address even for an existing socket; it never dials it then.
      host: socket.remoteAddress ?? '127.0.0.1',
      port: socket.remotePort ?? 1080,
      type: options.version,
      userId: options.username,
      password: options.version === 5 ? options.password : undefined,
    },
    timeout: options.timeoutMs,
  };
  return new Promise<TunnelResult>((resolve, reject) => {
    // RFC 1929 carries each in one length byte; the package would silently send a wrong length.
    if (options.version === 5 && (Buffer.byteLength(options.username ?? '') > 255 || Buffer.byteLength(options.password ?? '') > 255)) {
      socket.destroy();
      reject(new TransportError('transport.unsupported', 'SOCKS5 user names and passwords can be at most 255 bytes long: shorten them in the connection settings.'));
      return;
    }
    if (options.signal?.aborted) {
      socket.destroy();
      reject(new TransportError('transport.aborted', 'Connecting was cancelled.'));
      return;
    }
    let client: SocksClient;
    try {
      client = new SocksClient(clientOptions);
    } catch {
      // The package validates its options here and throws an error that carries them, password included.
      socket.destroy();
      reject(new TransportError('transport.unsupported', `The SOCKS settings cannot be used: check the proxy user name and password (at most 255 bytes each) and the server address.`));
      return;
    }
    // Listen alongside the package: how far the handshake got explains a proxy that hangs up.
    const seen: Buffer[] = [];
    const watch = (chunk: Buffer) => {
      if (seen.length < 8) seen.push(chunk);
    };
    socket.on('data', watch);
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(new TransportError('transport.aborted', 'Connecting was cancelled.'));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    client.once('established', (info) => {
      options.signal?.removeEventListener('abort', onAbort);
      socket.off('data', watch);
      if (settled) return;
      settled = true;
      // The package re-emits bytes it read past the reply as a 'data' event on the next tick; collect them here so
      // they reach the transport instead of a socket with no listener.
      const early: Buffer[] = [];
      const collect = (chunk: Buffer) => early.push(chunk);
      info.socket.on('data', collect);
      setImmediate(() => {
        info.socket.off('data', collect);
        info.socket.pause();
        const initialBytes = early.length > 0 ? new Uint8Array(Buffer.concat(early)) : undefined;
        resolve({ socket: info.socket as Socket, initialBytes });
      });
    });
    client.once('error', (error: Error) => {
      options.signal?.removeEventListener('abort', onAbort);
      socket.off('data', watch);
      if (settled) return;
      settled = true;
      socket.destroy();
      // The package's error carries the options (with the password) as a property: never pass it on as a cause.
      reject(
        socksFailure(error.message, {
          version: options.version,
          proxy: options.proxyWhere,
          target: options.targetWhere,
          sentCredentials,
          timeoutMs: options.timeoutMs,
          received: new Uint8Array(Buffer.concat(seen)),
        }),
      );
    });
    client.connect(socket);
  });
}
