// What no real proxy does on demand: a reply cut in half, a stall, tunnel bytes glued to the reply, every SOCKS
// reply code. Tiny scripted proxies on loopback sockets; everything else is tested against real proxies.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { createTransportFactory } from './create-transport-factory';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings, type TransportKind } from '../../src-shared/connection-settings';
import { record } from './testing/msnp-exchange';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.close();
  }
});

async function fakeProxy(script: (socket: Socket, firstChunk: Buffer) => void): Promise<number> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', (chunk) => script(socket, chunk));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

const settings = (transport: TransportKind, port: number, auth = false): ConnectionSettings => ({
  ...DEFAULT_CONNECTION_SETTINGS,
  server: { host: 'ns.example', port: 1863 },
  transport,
  proxy: { host: '127.0.0.1', port, ...(auth ? { username: 'u', password: 'Fake-Secret-8' } : {}) },
});
const connect = (s: ConnectionSettings, timings = {}) => createTransportFactory(s, { handshakeTimeoutMs: 300, ...timings }).connect({ host: 'ns.example', port: 1863, role: 'NS' });

/** A SOCKS5 proxy that accepts no-auth and then answers CONNECT with `rep`. */
const socks5Replying = (rep: number, extra?: Buffer) =>
  fakeProxy((socket) => {
    socket.write(Buffer.from([5, 0]));
    socket.once('data', () => {
      socket.write(Buffer.concat([Buffer.from([5, rep, 0, 1, 127, 0, 0, 1, 0x07, 0x47]), extra ?? Buffer.alloc(0)]));
      if (rep !== 0) socket.end();
    });
  });

describe('SOCKS5 reply codes become plain reasons', () => {
  const expected: [number, string, string][] = [
    [1, 'transport.proxy-refused', 'reported a general failure while connecting to ns.example:1863'],
    [2, 'transport.proxy-refused', "is not allowed by its rules to connect to ns.example:1863; ask the proxy's administrator to allow it"],
    [3, 'transport.target-unreachable', 'has no network route to ns.example:1863 (network unreachable)'],
    [4, 'transport.target-unreachable', 'could not reach the MSN server at ns.example:1863 (host unreachable or not found)'],
    [5, 'transport.target-unreachable', 'could not connect to the MSN server at ns.example:1863: the server refused the connection'],
    [6, 'transport.target-unreachable', 'gave up reaching ns.example:1863 (TTL expired)'],
    [7, 'transport.proxy-protocol', 'does not support the CONNECT command'],
    [8, 'transport.unsupported', 'does not support this kind of address (ns.example:1863); try a host name instead of an IP address, or the other way round'],
  ];
  it.each(expected)('rep %i', async (rep, code, reason) => {
    const port = await socks5Replying(rep);
    const error = await connect(settings('socks5', port)).catch((e) => e);
    expect(error.code).toBe(code);
    expect(error.message).toBe(`The SOCKS5 proxy at 127.0.0.1:${port} ${reason}.`);
  });
});

describe('SOCKS4 reply codes become plain reasons', () => {
  it.each([
    [0x5b, "rejected the connection to ns.example:1863, or could not make it (the MSN server may be down, or the proxy's rules forbid it)"],
    [0x5c, 'rejected the request because it could not check our user id with identd on this computer'],
    [0x5d, 'rejected the request because identd on this computer reported a different user id'],
  ])('cd %i', async (cd, reason) => {
    const port = await fakeProxy((socket) => socket.end(Buffer.from([0, cd, 0, 0, 0, 0, 0, 0])));
    const error = await connect(settings('socks4a', port)).catch((e) => e);
    expect(error.code).toBe('transport.proxy-refused');
    expect(error.message).toBe(`The SOCKS4 proxy at 127.0.0.1:${port} ${reason}.`);
  });
});

describe('handshake edge cases', () => {
  it('SOCKS5: tunnel bytes glued to the reply reach the session first, not lost', async () => {
    const port = await socks5Replying(0, Buffer.from('VER 1 MSNP8\r\n'));
    const transport = await connect(settings('socks5', port));
    const rec = record(transport);
    expect(await rec.waitFor('VER 1 MSNP8\r\n')).toBe('VER 1 MSNP8\r\n');
    transport.close();
  });

  it('SOCKS5: a reply cut in half and then silence is a timeout', async () => {
    const port = await fakeProxy((socket) => {
      socket.write(Buffer.from([5, 0]));
      socket.once('data', () => socket.write(Buffer.from([5, 0, 0, 1, 127])));
    });
    const error = await connect(settings('socks5', port)).catch((e) => e);
    expect(error.code).toBe('transport.timeout');
    expect(error.message).toBe(`The SOCKS5 proxy at 127.0.0.1:${port} did not finish the handshake within 0.3 s. It may be overloaded, or not a SOCKS5 proxy.`);
  });

  it('SOCKS5: something that is not a SOCKS proxy is named as such', async () => {
    const port = await fakeProxy((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const error = await connect(settings('socks5', port)).catch((e) => e);
    expect(error.code).toBe('transport.proxy-protocol');
    expect(error.message).toBe(`The proxy at 127.0.0.1:${port} did not answer like a SOCKS5 proxy. Check the proxy kind in the connection settings (is it an HTTP proxy?).`);
  });

  it('SOCKS5: a proxy that hangs up after the greeting', async () => {
    const port = await fakeProxy((socket) => socket.end());
    const error = await connect(settings('socks5', port)).catch((e) => e);
    expect(error.code).toBe('transport.proxy-closed');
  });

  it('HTTP CONNECT: tunnel bytes glued to the 200 reach the session first', async () => {
    const port = await fakeProxy((socket) => socket.write('HTTP/1.1 200 Connection established\r\n\r\nVER 1 MSNP8\r\n'));
    const transport = await connect(settings('http-proxy', port));
    const rec = record(transport);
    expect(await rec.waitFor('VER 1 MSNP8\r\n')).toBe('VER 1 MSNP8\r\n');
    transport.close();
  });

  it('HTTP CONNECT: the request is well-formed and carries Basic credentials', async () => {
    let request = '';
    const port = await fakeProxy((socket, first) => {
      request = first.toString('latin1');
      socket.write('HTTP/1.0 200 OK\r\n\r\n');
    });
    const transport = await connect(settings('http-proxy', port, true));
    expect(request).toBe(`CONNECT ns.example:1863 HTTP/1.1\r\nHost: ns.example:1863\r\nProxy-Connection: Keep-Alive\r\nUser-Agent: Butterfly\r\nProxy-Authorization: Basic ${Buffer.from('u:Fake-Secret-8').toString('base64')}\r\n\r\n`);
    transport.close();
  });

  it('HTTP CONNECT: a reply cut in half and then a hang-up', async () => {
    const port = await fakeProxy((socket) => socket.end('HTTP/1.1 200 Conn'));
    const error = await connect(settings('http-proxy', port)).catch((e) => e);
    expect(error.code).toBe('transport.proxy-closed');
    expect(error.message).toBe(`The HTTP proxy at 127.0.0.1:${port} closed the connection before answering the CONNECT request.`);
  });

  it('HTTP CONNECT: a reply that stalls is a timeout', async () => {
    const port = await fakeProxy((socket) => socket.write('HTTP/1.1 200 Conn'));
    const error = await connect(settings('http-proxy', port)).catch((e) => e);
    expect(error.code).toBe('transport.timeout');
    expect(error.message).toBe(`The HTTP proxy at 127.0.0.1:${port} did not answer the CONNECT request within 0.3 s.`);
  });

  it('HTTP CONNECT: a SOCKS proxy or anything else that is not HTTP', async () => {
    const port = await fakeProxy((socket) => socket.write(Buffer.from([5, 0xff, 0, 0, 0, 0])));
    const error = await connect(settings('http-proxy', port)).catch((e) => e);
    expect(error.code).toBe('transport.proxy-protocol');
    expect(error.message).toBe(`The proxy at 127.0.0.1:${port} did not answer like an HTTP proxy (not an HTTP response). Check the proxy kind in the connection settings.`);
  });

  it('HTTP CONNECT: 403 says the port is probably not allowed', async () => {
    const port = await fakeProxy((socket) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
    const error = await connect(settings('http-proxy', port)).catch((e) => e);
    expect(error.code).toBe('transport.proxy-refused');
    expect(error.message).toBe(`The HTTP proxy at 127.0.0.1:${port} does not allow a connection to ns.example:1863 (HTTP 403 Forbidden). Many proxies only allow port 443; try the HTTP gateway instead.`);
  });

  it('SOCKS4 cannot carry an IPv6 target', async () => {
    const port = await socks5Replying(0);
    const error = await createTransportFactory(settings('socks4', port)).connect({ host: '::1', port: 1863, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.unsupported');
  });
});

describe('credentials SOCKS5 cannot carry', () => {
  it('an over-long password is a typed error that does not carry it', async () => {
    const port = await socks5Replying(0);
    const long = 'L'.repeat(300);
    const error = await connect({ ...settings('socks5', port), proxy: { host: '127.0.0.1', port, username: 'u', password: long } }).catch((e) => e);
    expect(error.code).toBe('transport.unsupported');
    expect(JSON.stringify(error) + String(error.stack) + String(error.cause)).not.toContain(long);
  });
});
