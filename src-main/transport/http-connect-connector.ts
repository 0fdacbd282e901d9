// HTTP CONNECT on a socket already connected to an HTTP proxy: ask for a tunnel to host:port (with Basic
// Proxy-Authorization when credentials are set), read the proxy's answer, and hand back the socket plus any bytes
// that came after the answer's blank line. Statuses become plain reasons.
import type { Socket } from 'node:net';
import { HttpParseError, parseResponseHead, concat, type ResponseHead } from './http-head';
import { TransportError } from './transport-error';
import type { TunnelResult } from './socks-connector';
import { formatHostPort } from '../../src-shared/connection-settings';

export interface HttpConnectOptions {
  destination: { host: string; port: number };
  username?: string;
  password?: string;
  timeoutMs: number;
  proxyWhere: string;
  maxHeadBytes?: number;
  signal?: AbortSignal;
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

export function httpConnect(socket: Socket, options: HttpConnectOptions): Promise<TunnelResult> {
  const authority = formatHostPort(options.destination);
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`, 'Proxy-Connection: Keep-Alive', 'User-Agent: Butterfly'];
  const sentCredentials = options.username !== undefined && options.username !== '';
  if (sentCredentials) lines.push(`Proxy-Authorization: ${basicAuthorization(options.username!, options.password ?? '')}`);
  const maxHead = options.maxHeadBytes ?? 16 * 1024;

  return new Promise<TunnelResult>((resolve, reject) => {
    let buffered: Uint8Array = new Uint8Array(0);
    let settled = false;
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: TransportError) => {
      if (settled) return;
      settled = true;
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      buffered = concat(buffered, new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      let head: ResponseHead | undefined;
      try {
        head = parseResponseHead(buffered, maxHead);
      } catch (error) {
        const detail = error instanceof HttpParseError ? error.message : 'unreadable answer';
        fail(new TransportError('transport.proxy-protocol', `The proxy at ${options.proxyWhere} did not answer like an HTTP proxy (${detail}). Check the proxy kind in the connection settings.`));
        return;
      }
      if (!head) return;
      if (head.status >= 200 && head.status < 300) {
        settled = true;
        cleanup();
        socket.pause();
        const rest = buffered.subarray(head.length);
        resolve({ socket, initialBytes: rest.length > 0 ? rest.slice() : undefined });
        return;
      }
      fail(connectStatusError(head, { proxy: options.proxyWhere, target: authority, sentCredentials }));
    };
    const onError = (error: NodeJS.ErrnoException) =>
      fail(new TransportError('transport.proxy-closed', `The HTTP proxy at ${options.proxyWhere} reset the connection during the CONNECT request (${error.code ?? 'network error'}).`));
    const onClose = () => fail(new TransportError('transport.proxy-closed', `The HTTP proxy at ${options.proxyWhere} closed the connection before answering the CONNECT request.`));
    const onAbort = () => fail(new TransportError('transport.aborted', 'Connecting was cancelled.'));
    const timer = setTimeout(
      () => fail(new TransportError('transport.timeout', `The HTTP proxy at ${options.proxyWhere} did not answer the CONNECT request within ${Math.round(options.timeoutMs / 100) / 10} s.`)),
      options.timeoutMs,
    );
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

export function connectStatusError(head: ResponseHead, ctx: { proxy: string; target: string; sentCredentials: boolean }): TransportError {
  const status = `HTTP ${head.status}${head.reason ? ` ${head.reason}` : ''}`;
  const p = `The HTTP proxy at ${ctx.proxy}`;
  switch (head.status) {
    // tinyproxy answers a CONNECT with wrong credentials with 401 (and WWW-Authenticate) instead of 407.
    case 401:
    case 407: {
      const scheme = (head.headers['proxy-authenticate'] ?? head.headers['www-authenticate'] ?? '').split(/[\s,]/)[0];
      const other = scheme && !/^basic$/i.test(scheme) ? ` It asks for ${scheme} authentication, which Butterfly does not support (only Basic).` : '';
      return ctx.sentCredentials
        ? new TransportError('transport.proxy-auth-failed', `${p} refused the user name or password (${status}). Check them in the connection settings.${other}`)
        : new TransportError('transport.proxy-auth-required', `${p} requires a user name and password (${status}). Enter them in the connection settings.${other}`);
    }
    case 403:
      return new TransportError('transport.proxy-refused', `${p} does not allow a connection to ${ctx.target} (${status}). Many proxies only allow port 443; try the HTTP gateway instead.`);
    case 405:
    case 501:
      return new TransportError('transport.proxy-refused', `${p} does not support tunnels (CONNECT) (${status}). Try the HTTP gateway instead.`);
    case 502:
    case 503:
    case 404:
      return new TransportError('transport.target-unreachable', `${p} could not connect to the MSN server at ${ctx.target} (${status}). The server may be down, or the address is wrong.`);
    case 504:
      return new TransportError('transport.timeout', `${p} timed out connecting to the MSN server at ${ctx.target} (${status}).`);
    default:
      if (head.status >= 500) return new TransportError('transport.target-unreachable', `${p} could not open a tunnel to ${ctx.target} (${status}).`);
      return new TransportError('transport.proxy-refused', `${p} refused to open a tunnel to ${ctx.target} (${status}).`);
  }
}
