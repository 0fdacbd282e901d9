// The bridge over real loopback sockets: token, Origin and Host checks, and the contract's validation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionCheckResult, type SettingsView } from '../../src-shared/connection-settings';
import { closedPort } from '../../e2e/proxies';
import type { Disposable } from '../../src-shared/disposable';
import { startTestServer, type TestServer } from '../../e2e/msn-server';
import { startMainServices, type MainServices } from '../app-service';
import { sessionOnlySecretBox } from '../settings/secret-box';
import type { MessengerService } from '../service/messenger-service';
import { createIpcDispatcher } from './ipc-dispatcher';
import { forwardMessengerEvents } from './app-handlers';
import { startBrowserBridge, type BrowserBridge } from './browser-bridge';

const token = 'a'.repeat(64);
let bridge: BrowserBridge;
let server: TestServer;
let main: MainServices;
let service: MessengerService;
let forwarding: Disposable;
const logged: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const dir = mkdtempSync(join(tmpdir(), 'bf-renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Butterfly</title>');
  main = await startMainServices({
    info: { name: 'Butterfly', version: '9.9.9', shell: 'browser', platform: 'linux' },
    dataDir: mkdtempSync(join(tmpdir(), 'bf-data-')),
    secrets: sessionOnlySecretBox,
    defaults: { ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl },
    log: (l) => logged.push(l),
  });
  service = main.service;
  const { calls, sends } = main.handlers;
  bridge = await startBrowserBridge({ dispatcher: createIpcDispatcher(calls, sends), rendererDir: dir, token });
  forwarding = forwardMessengerEvents(service, (channel, payload) => bridge.emit(channel, payload));
});
afterAll(async () => {
  forwarding.dispose();
  main.dispose();
  await bridge.close();
  await server.stop();
});

const origin = () => `http://127.0.0.1:${bridge.port}`;
const open = (query: string, headers: Record<string, string> = { Origin: origin() }) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/bridge${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
const nextFrame = (ws: WebSocket) => new Promise<Record<string, unknown>>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));

/** Contract calls over one page socket: each resolves with its result frame; `frames` keeps everything received. */
function caller(ws: WebSocket) {
  const frames: Record<string, unknown>[] = [];
  const waiting = new Map<number, (frame: Record<string, unknown>) => void>();
  let nextId = 0;
  ws.on('message', (d) => {
    const frame = JSON.parse(d.toString()) as Record<string, unknown>;
    frames.push(frame);
    if (frame.t === 'result') waiting.get(frame.id as number)?.(frame);
  });
  const call = (channel: string, payload: unknown) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = ++nextId;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ t: 'call', id, channel, payload }));
    });
  return { call, frames };
}

describe('browser bridge', () => {
  it('serves the renderer with the CSP and answers a contract call', async () => {
    const res = await fetch(`${origin()}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const ws = await open(`?token=${token}`);
    const reply = nextFrame(ws);
    ws.send(JSON.stringify({ t: 'call', id: 7, channel: 'app:get-info', payload: null }));
    expect(await reply).toEqual({ t: 'result', id: 7, ok: true, value: { name: 'Butterfly', version: '9.9.9', shell: 'browser', platform: 'linux' } });
    ws.close();
  });

  it('refuses a wrong or missing token, and a foreign Origin', async () => {
    await expect(open(`?token=${'b'.repeat(64)}`)).rejects.toThrow('HTTP 401');
    await expect(open('')).rejects.toThrow('HTTP 401');
    await expect(open(`?token=${token}`, { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 401');
  });

  it('refuses a request whose Host is not ours (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: bridge.port, path: '/', headers: { Host: `evil.example:${bridge.port}` } }, (res) => resolve(res.statusCode ?? 0)).end();
    });
    expect(status).toBe(421);
  });

  it('rejects unknown channels and invalid payloads with typed errors, and drops invalid sends', async () => {
    const ws = await open(`?token=${token}`);
    let reply = nextFrame(ws);
    ws.send(JSON.stringify({ t: 'call', id: 1, channel: 'fs:read', payload: null }));
    expect(await reply).toMatchObject({ id: 1, ok: false, error: { code: 'ipc.unknown-channel' } });
    reply = nextFrame(ws);
    ws.send(JSON.stringify({ t: 'call', id: 2, channel: 'app:get-info', payload: { evil: true } }));
    expect(await reply).toMatchObject({ id: 2, ok: false, error: { code: 'ipc.invalid-payload' } });
    ws.send(JSON.stringify({ t: 'send', channel: 'app:log', payload: { level: 'debug', message: 'x' } }));
    ws.send(JSON.stringify({ t: 'send', channel: 'app:log', payload: { level: 'info', message: 'hello' } }));
    reply = nextFrame(ws);
    ws.send(JSON.stringify({ t: 'call', id: 3, channel: 'app:get-info', payload: null }));
    await reply;
    expect(logged).toEqual(['[renderer:info] hello']);
    ws.close();
  });

  it('closes the socket on frames that are not JSON', async () => {
    const ws = await open(`?token=${token}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('{not json');
    expect(await closed).toBe(1007);
  });

  it('carries messenger commands to the service and its events back: a sign-in to the test server, a refused one', async () => {
    const ws = await open(`?token=${token}`);
    const { call, frames } = caller(ws);

    expect(await call('messenger:execute', { type: 'sign-in', email: 'alice@example.com', password: 'alicepass' })).toEqual({ t: 'result', id: 1, ok: true, value: null });
    const events = frames.filter((f) => f.t === 'event' && f.channel === 'messenger:event').map((f) => f.payload as { type: string; state?: { kind: string } });
    expect(events.some((e) => e.type === 'connection-state' && e.state?.kind === 'connected')).toBe(true);
    const list = events.filter((e) => e.type === 'contact-list').at(-1) as unknown as { list: { contacts: { email: string }[] } };
    expect(list.list.contacts.map((c) => c.email)).toContain('bob@example.com');

    expect(await call('messenger:get-snapshot', null)).toMatchObject({ ok: true, value: { connection: { kind: 'connected', email: 'alice@example.com' } } });

    // Signing in again with a wrong password gets the typed error, and the password never comes back.
    expect(await call('messenger:execute', { type: 'sign-in', email: 'alice@example.com', password: 'wrong-secret' })).toMatchObject({ ok: false, error: { code: 'auth.wrong-password' } });
    expect(JSON.stringify(frames)).not.toContain('wrong-secret');

    // A command the contract does not allow never reaches the service.
    expect(await call('messenger:execute', { type: 'add-contact', email: 'not an address' })).toMatchObject({ ok: false, error: { code: 'ipc.invalid-payload' } });
    ws.close();
  });

  it('carries the settings: read without secrets, test a route, save (used by the next sign-in), refuse a bad shape', async () => {
    const ws = await open(`?token=${token}`);
    const { call } = caller(ws);

    const view = (await call('settings:get', null)).value as SettingsView;
    expect(view).toEqual({ settings: { ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl }, proxyPasswordSaved: false, secretStorage: 'session' });

    const test = (await call('settings:test', { settings: view.settings })).value as ConnectionCheckResult;
    expect(test.ok).toBe(true);
    expect(test.steps.find((s) => s.step === 'exchange-ver')?.status).toBe('ok');

    // Saved settings that point nowhere make the next sign-in fail there; saving the good ones back makes it work.
    const closed = await closedPort();
    const bad = { ...view.settings, server: { host: '127.0.0.1', port: closed } };
    expect(await call('settings:save', { settings: bad })).toMatchObject({ ok: true, value: { ok: true } });
    expect(await call('messenger:execute', { type: 'sign-in', email: 'bob@example.com', password: 'bobpass' })).toMatchObject({ ok: false, error: { code: 'transport.target-unreachable' } });
    expect(await call('settings:save', { settings: view.settings })).toMatchObject({ ok: true, value: { ok: true } });
    expect(await call('messenger:execute', { type: 'sign-in', email: 'bob@example.com', password: 'bobpass' })).toMatchObject({ ok: true });

    // A proxy password goes in and never comes back out; field errors come back per field.
    const socks = { ...view.settings, transport: 'socks5', proxy: { host: '127.0.0.1', port: 1080, username: 'me' } };
    const saved = await call('settings:save', { settings: socks, proxyPassword: 'proxy-secret' });
    expect(saved).toMatchObject({ ok: true, value: { ok: true, view: { proxyPasswordSaved: true } } });
    expect(JSON.stringify(await call('settings:get', null))).not.toContain('proxy-secret');
    const invalid = await call('settings:save', { settings: { ...socks, proxy: { host: '', port: 0, username: 'me' } } });
    expect(invalid).toMatchObject({ ok: true, value: { ok: false, errors: [{ field: 'proxy.host' }, { field: 'proxy.port' }] } });
    // A password inside the settings object is not the contract's way: refused before it reaches main's store.
    expect(await call('settings:save', { settings: { ...socks, proxy: { ...socks.proxy, password: 'x' } } })).toMatchObject({ ok: false, error: { code: 'ipc.invalid-payload' } });
    await call('settings:save', { settings: view.settings, proxyPassword: null });
    ws.close();
  });

  it('forwards events to connected pages', async () => {
    const ws = await open(`?token=${token}`);
    const frame = nextFrame(ws);
    bridge.emit('app:did-change-info', { name: 'Butterfly', version: '1.0.0', shell: 'browser', platform: 'linux' });
    expect(await frame).toMatchObject({ t: 'event', channel: 'app:did-change-info', payload: { version: '1.0.0' } });
    ws.close();
  });
});
