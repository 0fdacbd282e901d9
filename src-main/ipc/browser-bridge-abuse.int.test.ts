// The bridge-abuse suite: browser mode in a process of its own, attacked with raw HTTP (node:net, fetch) and a real
// `ws` client the way a hostile page, a local program or a broken page would — issue 11's findings 1, 2 and 6, then
// malformed, binary, oversized and wrongly typed frames. After each attempt the process must still be alive and
// answer the next legitimate call.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type WebSocket from 'ws';
import { MAX_BRIDGE_FRAME_BYTES } from '../../src-shared/bridge-frames';
import { startBridgeProcess, type BridgeProcess } from './testing/bridge-process';
import { bridgeOrigin, caller, closeCode, exchange, openPage, pageHeaders, rawExchange, signInPage, statusOf } from './testing/bridge-peer';

const token = 'c'.repeat(64);
let bridge: BridgeProcess;
let cookie: string;

beforeAll(async () => {
  bridge = await startBridgeProcess({ token });
  cookie = await signInPage(bridge.port, token);
});
afterAll(() => bridge?.stop());

const page = () => openPage(bridge.port, pageHeaders(bridge.port, cookie));
const host = () => `127.0.0.1:${bridge.port}`;
const get = (path: string, headers = `Host: ${host()}\r\n`) => rawExchange(bridge.port, `GET ${path} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`);

/** The process lives and a legitimate page gets its answer. */
async function stillServes(): Promise<void> {
  expect(bridge.exitCode(), bridge.output()).toBeNull();
  const ws = await page();
  expect(await caller(ws).call('app:get-info', null)).toMatchObject({ ok: true, value: { name: 'Butterfly', shell: 'browser' } });
  ws.close();
}

describe('finding 1: a request no handler expected is answered 400, never kills the process', () => {
  it('GET /%E0%A4%A (no token, no cookie): 400, and the service answers the next page', async () => {
    expect(statusOf(await get('/%E0%A4%A'))).toBe(400);
    expect((await fetch(`${bridgeOrigin(bridge.port)}/%E0%A4%A`)).status).toBe(400);
    await stillServes();
  });

  it('other malformed or hostile paths: 400 or 404, nothing outside the renderer', async () => {
    for (const path of ['/%', '/%ff', '/%E0%A4%A/x?y=%', '/session%E0']) expect(statusOf(await get(path)), path).toBe(400);
    for (const path of ['/%00', '/..%2F..%2Fpackage.json', '/%2e%2e/%2e%2e/package.json', '/nope.js']) expect(statusOf(await get(path)), path).toBe(404);
    expect(statusOf(await get('/'))).toBe(200);
    await stillServes();
  });

  it('bytes that are not HTTP, a header flood, a body cut short: refused, the process lives', async () => {
    expect(statusOf(await rawExchange(bridge.port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x0d, 0x0a, 0x0d, 0x0a])))).toBe(400);
    expect(statusOf(await rawExchange(bridge.port, `GET / HTTP/1.1\r\nHost: ${host()}\r\n${'X-A: b\r\n'.repeat(20_000)}\r\n`))).toBe(400);
    const cut = `POST /session HTTP/1.1\r\nHost: ${host()}\r\nOrigin: ${bridgeOrigin(bridge.port)}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"tok`;
    expect(await rawExchange(bridge.port, cut, 200)).toBe('');
    await stillServes();
  });

  it('the session exchange refuses malformed bodies with 4xx', async () => {
    expect((await exchange(bridge.port, '{not json')).status).toBe(400);
    expect((await exchange(bridge.port, '{"__proto__":{"token":"x"}}')).status).toBe(400);
    expect((await exchange(bridge.port, { token: 5 })).status).toBe(400);
    expect((await exchange(bridge.port, [token])).status).toBe(400);
    expect((await exchange(bridge.port, { token: 'x'.repeat(2_000) })).status).toBe(413);
    // Chunked, so no Content-Length to refuse it early: cut off at the limit.
    const chunk = `400\r\n${' '.repeat(1024)}\r\n`;
    const chunked = `POST /session HTTP/1.1\r\nHost: ${host()}\r\nOrigin: ${bridgeOrigin(bridge.port)}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    expect(statusOf(await rawExchange(bridge.port, `${chunked}${chunk}${chunk}0\r\n\r\n`))).not.toBe(204);
    await stillServes();
  });
});

describe('finding 2: a frame the ws library refuses closes that page only', () => {
  it(`a frame of ${MAX_BRIDGE_FRAME_BYTES} + 1 bytes: that socket closes 1009, another page keeps working`, async () => {
    const bystander = await page();
    const hostile = await page();
    const closed = closeCode(hostile);
    hostile.send('x'.repeat(MAX_BRIDGE_FRAME_BYTES + 1));
    expect(await closed).toBe(1009);
    expect(await caller(bystander).call('app:get-info', null)).toMatchObject({ ok: true });
    bystander.close();
    await stillServes();
  });

  it(`a frame of exactly ${MAX_BRIDGE_FRAME_BYTES} bytes is read (and its invalid send dropped)`, async () => {
    const ws = await page();
    const head = '{"t":"send","channel":"app:log","payload":"';
    const frame = head + 'x'.repeat(MAX_BRIDGE_FRAME_BYTES - head.length - 2) + '"}';
    expect(Buffer.byteLength(frame)).toBe(MAX_BRIDGE_FRAME_BYTES);
    ws.send(frame);
    expect(await caller(ws).call('app:get-info', null)).toMatchObject({ ok: true });
    ws.close();
  });

  it('a text frame with invalid UTF-8: that socket closes 1007', async () => {
    const ws = await page();
    const closed = closeCode(ws);
    ws.send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    expect(await closed).toBe(1007);
    await stillServes();
  });
});

describe('finding 6: the token is exchanged once for one session, and every upgrade is checked', () => {
  it('the token, once exchanged, is refused: on the exchange (another browser) and on the upgrade (the old way)', async () => {
    expect((await exchange(bridge.port, { token })).status).toBe(401);
    await vi.waitFor(() => expect(bridge.output()).toContain('refused the address’s token, already exchanged by another page'));
    await expect(openPage(bridge.port, { Origin: bridgeOrigin(bridge.port) }, `/bridge?token=${token}`)).rejects.toThrow('HTTP 401');
    await stillServes();
  });

  it('the cookie: HttpOnly, SameSite=Strict, host-only (no Domain), for the whole origin; a reload and the reopened address keep the session', async () => {
    const other = await startBridgeProcess({ token });
    try {
      const first = await exchange(other.port, { token });
      expect(first.status).toBe(204);
      const attributes = first.setCookie!.split(';').map((a) => a.trim());
      expect(attributes[0]).toMatch(new RegExp(`^butterfly-session-${other.port}=[0-9a-f]{64}$`));
      expect(attributes.slice(1).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict']);
      // A reload (no token) and the printed address opened again in the same browser: same session, no new cookie.
      for (const body of [{}, { token }]) expect(await exchange(other.port, body, { Cookie: first.cookie! })).toEqual({ status: 204 });
    } finally {
      await other.stop();
    }
  });

  it('the upgrade checks Host (DNS rebinding), Origin, the path and the cookie', async () => {
    const headers = pageHeaders(bridge.port, cookie);
    await expect(openPage(bridge.port, { ...headers, Host: `evil.example:${bridge.port}` })).rejects.toThrow('HTTP 421');
    await expect(openPage(bridge.port, { ...headers, Host: `localhost:${bridge.port}` })).rejects.toThrow('HTTP 421');
    await expect(openPage(bridge.port, { ...headers, Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(openPage(bridge.port, { Cookie: cookie })).rejects.toThrow('HTTP 403');
    await expect(openPage(bridge.port, headers, '/elsewhere')).rejects.toThrow('HTTP 404');
    await expect(openPage(bridge.port, { Origin: bridgeOrigin(bridge.port) })).rejects.toThrow('HTTP 401');
    await expect(openPage(bridge.port, { ...headers, Cookie: cookie.replace(/=.*/, `=${'0'.repeat(64)}`) })).rejects.toThrow('HTTP 401');
    await expect(openPage(bridge.port, { ...headers, Cookie: cookie.replace(/^[^=]+/, 'butterfly-session-1') })).rejects.toThrow('HTTP 401');
    await stillServes();
  });

  it('the exchange checks Host, Origin, method and content type (no cross-site form or no-cors fetch can reach it)', async () => {
    expect((await exchange(bridge.port, { token }, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await exchange(bridge.port, { token }, { Origin: 'null' })).status).toBe(403);
    expect((await exchange(bridge.port, { token }, { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await exchange(bridge.port, 'token=x', { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    const body = '{}';
    const post = (headers: string) => rawExchange(bridge.port, `POST /session HTTP/1.1\r\n${headers}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    expect(statusOf(await post(`Host: evil.example:${bridge.port}\r\nOrigin: ${bridgeOrigin(bridge.port)}\r\nCookie: ${cookie}\r\n`))).toBe(421);
    expect(statusOf(await post(`Host: ${host()}\r\nCookie: ${cookie}\r\n`))).toBe(403);
    expect(statusOf(await get('/session'))).toBe(405);
    await stillServes();
  });

  it('pages and connections are bounded: one more is refused, the others keep working, a closed one frees its place', async () => {
    const small = await startBridgeProcess({ token, limits: { maxPages: 3, maxConnections: 5 } });
    try {
      const own = await signInPage(small.port, token);
      const open = () => openPage(small.port, pageHeaders(small.port, own));
      const pages = [await open(), await open(), await open()];
      await expect(open()).rejects.toThrow('HTTP 503');
      for (const ws of pages) expect(await caller(ws).call('app:get-info', null)).toMatchObject({ ok: true });
      const closed = closeCode(pages[0]);
      pages[0].close();
      await closed;
      // The server learns of the close a moment after the page does.
      let again: WebSocket | undefined;
      for (let attempt = 0; attempt < 50 && !again; attempt++) again = await open().catch(() => delay(20, undefined));
      expect(again).toBeDefined();
      await vi.waitFor(() => expect(small.output()).toContain('refused a page, 3 already open'));
      // Three pages and two idle connections fill the five connections: a sixth is closed unanswered.
      const idle = [connect(small.port, '127.0.0.1'), connect(small.port, '127.0.0.1')];
      await Promise.all(idle.map((socket) => new Promise((resolve) => socket.once('connect', resolve))));
      expect(await rawExchange(small.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${small.port}\r\n\r\n`)).toBe('');
      for (const ws of pages.slice(1)) expect(await caller(ws).call('app:get-info', null)).toMatchObject({ ok: true });
      for (const socket of idle) socket.destroy();
      for (const ws of [...pages.slice(1), again!]) ws.close();
    } finally {
      await small.stop();
    }
  });

  it('the session ends with the process: after a restart on the same port the old cookie is refused', async () => {
    const first = await startBridgeProcess({ token });
    const old = await signInPage(first.port, token);
    await first.stop();
    const restarted = await startBridgeProcess({ token: 'd'.repeat(64), port: first.port });
    try {
      expect(await exchange(restarted.port, {}, { Cookie: old })).toEqual({ status: 401 });
      await expect(openPage(restarted.port, pageHeaders(restarted.port, old))).rejects.toThrow('HTTP 401');
    } finally {
      await restarted.stop();
    }
  });
});

describe('frames a page should never send', () => {
  const closingFrames: [string, string | Buffer, number][] = [
    ['malformed JSON', '{"t":"call",', 1007],
    ['a binary frame', Buffer.from('{"t":"call","id":1,"channel":"app:get-info","payload":null}'), 1003],
    ['an unknown frame type', '{"t":"result","id":1,"ok":true,"value":null}', 1008],
    ['a __proto__ key on the frame', '{"t":"call","id":1,"channel":"app:get-info","payload":null,"__proto__":{"t":"send"}}', 1008],
    ['an id that is a string', '{"t":"call","id":"1","channel":"app:get-info","payload":null}', 1008],
    ['an id that is not a safe integer', '{"t":"call","id":1e300,"channel":"app:get-info","payload":null}', 1008],
    ['a channel that is a number', '{"t":"call","id":1,"channel":7,"payload":null}', 1008],
    ['a channel of 1,000 characters', JSON.stringify({ t: 'send', channel: 'x'.repeat(1000), payload: null }), 1008],
    ['null', 'null', 1008],
    ['an array', '[1,2]', 1008],
  ];
  for (const [what, frame, code] of closingFrames) {
    it(`${what}: that socket closes ${code}`, async () => {
      const ws = await page();
      const closed = closeCode(ws);
      ws.send(frame, { binary: Buffer.isBuffer(frame) });
      expect(await closed).toBe(code);
      await stillServes();
    });
  }

  it('unknown channels, __proto__ keys and wrong payload types get typed errors on a socket that stays open', async () => {
    const ws = await page();
    const { call } = caller(ws);
    for (const channel of ['fs:read', '__proto__', 'constructor', 'toString']) {
      expect(await call(channel, null), channel).toMatchObject({ ok: false, error: { code: 'ipc.unknown-channel' } });
    }
    expect(await call('app:get-info', JSON.parse('{"__proto__":{"polluted":true}}'))).toMatchObject({ ok: false, error: { code: 'ipc.invalid-payload' } });
    const pollutedSignIn = JSON.parse('{"__proto__":{"email":"a@b.c","password":"p"}}');
    expect(await call('messenger:sign-in', pollutedSignIn)).toMatchObject({ ok: false, error: { code: 'ipc.invalid-payload' } });
    for (const payload of [1, 'x', [], { email: 42 }, { email: ['a@b.c'], password: 'p' }, { email: 'a@b.c', password: 'p', admin: true }]) {
      expect(await call('messenger:sign-in', payload), JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'ipc.invalid-payload' } });
    }
    expect(await call('settings:save', JSON.parse('{"settings":{"__proto__":{"transport":"socks5"}}}'))).toMatchObject({ ok: false, error: { code: 'ipc.invalid-payload' } });
    ws.send(JSON.stringify({ t: 'send', channel: 'nope', payload: null }));
    ws.send(JSON.stringify({ t: 'send', channel: 'app:log', payload: { level: 'info', message: 42 } }));
    ws.send('{"t":"call","id":99,"channel":"app:get-info"}');
    expect(await call('app:get-info', null)).toMatchObject({ ok: true, value: { name: 'Butterfly' } });
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close();
    await stillServes();
  });
});
