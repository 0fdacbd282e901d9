// Direct TCP against the project's MSN test server: byte-exact VER/CVR, refused and unresolvable targets, connect
// timeout, clean close vs reset, backpressure, abort.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { startTestServer, type TestServer } from '../../e2e/msn-server/index';
import { closedPort } from '../../e2e/proxies/index';
import { createTransportFactory } from './create-transport-factory';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings } from '../../src-shared/connection-settings';
import { record, serverSide, verCvrExchange, VER_LINE, CVR_LINE } from './testing/msnp-exchange';
import { TransportError } from './transport-error';
import { startStalledListener } from './testing/stalled-listener';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const direct = (): ConnectionSettings => ({ ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, transport: 'direct' });

async function listenRaw(onSocket: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const raw = createServer(onSocket);
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  return { server: raw, port: (raw.address() as { port: number }).port };
}

describe('direct TCP', () => {
  it('carries VER/CVR byte for byte, and taps exactly what went each way', async () => {
    const transport = await createTransportFactory(direct()).connect({ ...server.ns, role: 'NS' });
    expect(transport.state).toBe('open');
    expect(transport.description).toBe(`direct → 127.0.0.1:${server.ns.port}`);
    const rec = record(transport);
    const received = await verCvrExchange(transport, rec);
    expect(received).toMatch(/^VER 1 MSNP8\r\nCVR 2 \S+ \S+ \S+ \S+ \S+\r\n$/);
    transport.close();
    expect(await rec.closed).toEqual({ local: true });
    const t = server.transcripts().at(-1)!;
    expect(serverSide(t, 'C')).toBe(VER_LINE + CVR_LINE);
    expect(serverSide(t, 'S')).toBe(received);
    expect(rec.tapped('out')).toBe(VER_LINE + CVR_LINE);
    expect(rec.tapped('in')).toBe(received);
    expect(transport.state).toBe('closed');
  });

  it('reports the server ending the connection as a clean, remote close', async () => {
    const transport = await createTransportFactory(direct()).connect({ ...server.ns, role: 'NS' });
    const rec = record(transport);
    await verCvrExchange(transport, rec);
    transport.write(new TextEncoder().encode('OUT\r\n'));
    const info = await rec.closed;
    expect(info).toEqual({ local: false });
    transport.write(new TextEncoder().encode('VER 9 MSNP8\r\n')); // ignored after close, no throw
  });

  it('a graceful close gives up waiting for a peer that never finishes, after closeTimeoutMs', async () => {
    const raw = createServer({ allowHalfOpen: true }, () => undefined); // never ends its side
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    try {
      const port = (raw.address() as { port: number }).port;
      const transport = await createTransportFactory(direct(), { closeTimeoutMs: 150 }).connect({ host: '127.0.0.1', port, role: 'NS' });
      const rec = record(transport);
      const started = Date.now();
      transport.close();
      expect(transport.state).toBe('closing');
      expect(await rec.closed).toEqual({ local: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      raw.close();
    }
  });

  it('a refused target is transport.target-unreachable with a plain reason', async () => {
    const port = await closedPort();
    const error = await createTransportFactory({ ...direct(), server: { host: '127.0.0.1', port } }).connect({ host: '127.0.0.1', port, role: 'NS' }).catch((e) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe('transport.target-unreachable');
    expect(error.message).toBe(`Could not connect to the MSN server at 127.0.0.1:${port}: nothing is accepting connections there (connection refused). Check the address and port in the connection settings, and your network.`);
    expect(error.retryable).toBe(true);
  });

  it('an unknown host name is transport.host-not-found', async () => {
    const error = await createTransportFactory(direct()).connect({ host: 'no-such-host.invalid', port: 1863, role: 'NS' }).catch((e) => e);
    expect(error.code).toBe('transport.host-not-found');
    expect(error.message).toContain('no-such-host.invalid:1863');
  });

  it('a reset mid-stream is an error, not a clean close', async () => {
    const raw = await listenRaw((s) => s.once('data', () => s.resetAndDestroy()));
    try {
      const transport = await createTransportFactory(direct()).connect({ host: '127.0.0.1', port: raw.port, role: 'NS' });
      const rec = record(transport);
      transport.write(new TextEncoder().encode(VER_LINE));
      const info = await rec.closed;
      expect(info.local).toBe(false);
      expect(info.error?.code).toBe('transport.connection-lost');
      expect(info.error?.message).toContain(`the MSN server at 127.0.0.1:${raw.port}`);
    } finally {
      raw.server.close();
    }
  });

  it('connects to an IPv6 loopback target where the machine has one', async (ctx) => {
    const raw = createServer((s) => s.once('data', (d) => s.end(d)));
    const ok = await new Promise<boolean>((r) => {
      raw.once('error', () => r(false));
      raw.listen(0, '::1', () => r(true));
    });
    if (!ok) return ctx.skip();
    try {
      const port = (raw.address() as { port: number }).port;
      const transport = await createTransportFactory(direct()).connect({ host: '::1', port, role: 'NS' });
      expect(transport.description).toBe(`direct → [::1]:${port}`);
      const rec = record(transport);
      transport.write(new TextEncoder().encode(VER_LINE));
      expect(await rec.waitFor(VER_LINE)).toBe(VER_LINE);
      transport.close();
    } finally {
      raw.close();
    }
  });

  it('keeps writes in order under backpressure and delivers them all', async () => {
    let got = 0;
    let peer: Socket | undefined;
    const raw = await listenRaw((s) => {
      peer = s;
      s.pause(); // a slow reader: the client's socket buffer fills up
    });
    try {
      const transport = await createTransportFactory(direct()).connect({ host: '127.0.0.1', port: raw.port, role: 'NS' });
      const chunk = new Uint8Array(64 * 1024);
      const total = 200;
      for (let i = 0; i < total; i++) transport.write(chunk.fill(i % 251));
      await new Promise((r) => setTimeout(r, 50));
      const chunks: Buffer[] = [];
      const done = new Promise<void>((resolve) =>
        peer!.on('data', (d: Buffer) => {
          chunks.push(d);
          got += d.length;
          if (got >= total * chunk.length) resolve();
        }),
      );
      peer!.resume();
      await done;
      const all = Buffer.concat(chunks);
      for (let i = 0; i < total; i++) expect(all[i * chunk.length]).toBe(i % 251);
      transport.close();
    } finally {
      raw.server.close();
    }
  });

  it('times out a connect that never completes', async () => {
    const stalled = await startStalledListener();
    try {
      const started = Date.now();
      const error = await createTransportFactory(direct(), { connectTimeoutMs: 200 }).connect({ host: '127.0.0.1', port: stalled.port, role: 'NS' }).catch((e) => e);
      expect(error.code).toBe('transport.timeout');
      expect(error.message).toBe(`Connecting to the MSN server at 127.0.0.1:${stalled.port} took longer than 200 ms. Check the address, and whether a firewall drops the connection.`);
      expect(Date.now() - started).toBeLessThan(3000); // far below the 15 s default
      // Through a proxy the same stall is the proxy's.
      const viaProxy = await createTransportFactory({ ...direct(), transport: 'socks5', proxy: { host: '127.0.0.1', port: stalled.port } }, { connectTimeoutMs: 200 }).connect({ ...server.ns, role: 'NS' }).catch((e) => e);
      expect(viaProxy.code).toBe('transport.timeout');
      expect(viaProxy.message).toContain(`Connecting to the proxy at 127.0.0.1:${stalled.port} took longer than 200 ms.`);
    } finally {
      stalled.stop();
    }
  });

  it('aborts a connect on request', async () => {
    const controller = new AbortController();
    const pending = createTransportFactory({ ...direct() }, { connectTimeoutMs: 5000 }).connect({ host: '127.0.0.1', port: server.ns.port, role: 'NS' }, { signal: controller.signal });
    controller.abort();
    const error = await pending.catch((e) => e);
    expect(error.code).toBe('transport.aborted');
  });
});
