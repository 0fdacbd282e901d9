// Opens one TCP connection with a deadline and an abort signal, and turns failures into TransportErrors that say
// whether the proxy or the MSN server could not be reached. Every connector (SOCKS, HTTP CONNECT, TLS) starts here.
import { connect as netConnect, type Socket } from 'node:net';
import { TransportError, socketErrorToTransportError } from './transport-error';
import { formatHostPort } from '../../src-shared/connection-settings';
import { watchSocket } from './socket-watch';

export interface TcpConnectOptions {
  host: string;
  port: number;
  /** Who is at the other end, for error messages. */
  peer: 'proxy' | 'server' | 'gateway' | 'web server';
  timeoutMs: number;
  /** TCP keepalive probe delay; 0 turns keepalive off. */
  keepAliveMs: number;
  signal?: AbortSignal;
}

export function tcpConnect(options: TcpConnectOptions): Promise<Socket> {
  const where = formatHostPort(options);
  return new Promise<Socket>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(abortedError(where));
      return;
    }
    const socket = netConnect({ host: options.host, port: options.port, noDelay: true });
    const finish = (error?: TransportError) => {
      if (!endWatch()) return;
      if (error) {
        socket.destroy();
        reject(error);
      } else {
        if (options.keepAliveMs > 0) socket.setKeepAlive(true, options.keepAliveMs);
        resolve(socket);
      }
    };
    const onError = (error: Error) => finish(socketErrorToTransportError(error, { kind: options.peer, where }));
    const onConnect = () => finish();
    const onAbort = () => finish(abortedError(where));
    const endWatch = watchSocket(socket, {
      listeners: { error: onError, connect: onConnect },
      timeoutMs: options.timeoutMs,
      onTimeout: () => finish(new TransportError('transport.timeout', `Connecting to ${peerLabel(options.peer, where)} took longer than ${seconds(options.timeoutMs)}. Check the address, and whether a firewall drops the connection.`)),
      signal: options.signal,
      onAbort,
    });
  });
}

export const abortedError = (where: string) => new TransportError('transport.aborted', `Connecting to ${where} was cancelled.`);

export function peerLabel(peer: TcpConnectOptions['peer'], where: string): string {
  return peer === 'proxy' ? `the proxy at ${where}` : peer === 'server' ? `the MSN server at ${where}` : `the ${peer} at ${where}`;
}

export const seconds = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);
