// Gateway behaviour the test server never shows (like the official gateway did): a SessionID that changes on every
// answer, a GW-IP that moves the session to another host name, and `Session=close`. A tiny scripted gateway.
import { afterEach, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createTransportFactory } from './create-transport-factory';
import { DEFAULT_CONNECTION_SETTINGS } from '../../src-shared/connection-settings';
import { record } from './testing/msnp-exchange';

let gateway: Server | undefined;
afterEach(() => gateway?.close());

it('follows the newest SessionID and GW-IP, serialises requests, and ends on Session=close', async () => {
  const seen: { url: string; host: string; body: string }[] = [];
  let inFlight = 0;
  let overlapped = false;
  let n = 0;
  gateway = createServer((req: IncomingMessage, res) => {
    inFlight++;
    if (inFlight > 1) overlapped = true;
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('latin1');
      seen.push({ url: req.url ?? '', host: req.headers.host ?? '', body });
      n++;
      const close = body.includes('OUT');
      const reply = body.includes('VER') ? 'VER 1 MSNP8\r\n' : close ? 'OUT\r\n' : '';
      // Answer a little later, so writes made meanwhile must queue.
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, {
          'X-MSN-Messenger': `SessionID=s${n}; GW-IP=localhost${close ? '; Session=close' : ''}`,
          'Content-Type': 'application/x-msn-messenger',
          'Content-Length': String(reply.length),
        });
        res.end(reply);
      }, 20);
    });
  });
  await new Promise<void>((r) => gateway!.listen(0, '127.0.0.1', r));
  const port = (gateway.address() as { port: number }).port;
  const settings = { ...DEFAULT_CONNECTION_SETTINGS, transport: 'gateway' as const, gateway: { host: '127.0.0.1', port } };
  const transport = await createTransportFactory(settings, { pollIntervalMs: 10 }).connect({ host: 'ns.example', port: 1863, role: 'NS' });
  const rec = record(transport);
  transport.write(new TextEncoder().encode('VER 1 MSNP8 CVR0\r\n'));
  transport.write(new TextEncoder().encode('CVR 2 x\r\n'));
  await rec.waitFor('VER 1 MSNP8\r\n');
  // Let it poll at least once (after CVR's POST) before signing out.
  await expect.poll(() => seen.some((r) => r.url.includes('Action=poll'))).toBe(true);
  transport.write(new TextEncoder().encode('OUT\r\n'));
  expect(await rec.closed).toEqual({ local: false });
  expect(rec.received()).toBe('VER 1 MSNP8\r\nOUT\r\n');
  expect(overlapped).toBe(false);

  expect(seen[0]).toEqual({ url: '/gateway/gateway.dll?Action=open&Server=NS&IP=ns.example', host: `127.0.0.1:${port}`, body: '' });
  expect(seen[1]).toEqual({ url: '/gateway/gateway.dll?SessionID=s1', host: `localhost:${port}`, body: 'VER 1 MSNP8 CVR0\r\n' });
  // CVR was written while VER was in flight: it waited and went out alone in the next POST.
  expect(seen[2]).toEqual({ url: '/gateway/gateway.dll?SessionID=s2', host: `localhost:${port}`, body: 'CVR 2 x\r\n' });
  const polls = seen.slice(3, -1);
  expect(polls.length).toBeGreaterThan(0);
  polls.forEach((p, i) => expect(p).toEqual({ url: `/gateway/gateway.dll?Action=poll&SessionID=s${i + 3}`, host: `localhost:${port}`, body: '' }));
  expect(seen.at(-1)!.body).toBe('OUT\r\n');
  expect(seen.at(-1)!.url).toBe(`/gateway/gateway.dll?SessionID=s${seen.length - 1}`);
});
