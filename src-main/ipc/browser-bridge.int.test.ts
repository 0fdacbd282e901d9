// The bridge over real loopback sockets: the session, Origin and Host checks, and the contract's validation. Hostile
// input is browser-bridge-abuse.int.test.ts's.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type WebSocket from 'ws';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionCheckResult, type SettingsView } from '../../src-shared/connection-settings';
import { closedPort } from '../../e2e/proxies';
import type { Disposable } from '../../src-shared/disposable';
import { startTestServer, type TestServer } from '../../e2e/msn-server';
import { startMainServices, type MainServices } from '../shell/app-service';
import { sessionOnlySecretBox } from '../settings/secret-box';
import type { MessengerService } from '../service/messenger-service';
import { createIpcDispatcher } from './ipc-dispatcher';
import { forwardMessengerEvents } from './app-handlers';
import { EventRoutes } from './event-routes';
import { startBrowserBridge, type BrowserBridge } from './browser-bridge';
import { bridgeOrigin, caller, closeCode, openPage, pageHeaders, signInPage } from './testing/bridge-peer';

const token = 'a'.repeat(64);
let bridge: BrowserBridge;
let server: TestServer;
let main: MainServices;
let service: MessengerService;
let forwarding: Disposable;
let cookie: string;
let dir: string;
const logged: string[] = [];
const routes = new EventRoutes();

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'bf-renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Butterfly</title>');
  main = await startMainServices({
    info: { name: 'Butterfly', version: '9.9.9', shell: 'browser', platform: 'linux' },
    dataDir: mkdtempSync(join(tmpdir(), 'bf-data-')),
    secrets: sessionOnlySecretBox,
    defaults: { ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl },
    routes,
    openWindow: async () => ({ opened: 'in-page' }),
    log: (l) => logged.push(l),
  });
  service = main.service;
  const { calls, sends } = main.handlers;
  bridge = await startBrowserBridge({ dispatcher: createIpcDispatcher(calls, sends), rendererDir: dir, token, onPageClosed: (c) => routes.forget(c.id) });
  forwarding = forwardMessengerEvents(service, routes, (clients, channel, payload) => bridge.emit(channel, payload, clients));
  cookie = await signInPage(bridge.port, token);
});
afterAll(async () => {
  forwarding.dispose();
  main.dispose();
  await bridge.close();
  await server.stop();
});

const origin = () => bridgeOrigin(bridge.port);
const open = () => openPage(bridge.port, pageHeaders(bridge.port, cookie));
const nextFrame = (ws: WebSocket) => new Promise<Record<string, unknown>>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));

describe('browser bridge', () => {
  it('serves the renderer with the CSP and answers a contract call', async () => {
    const res = await fetch(`${origin()}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const ws = await open();
    const reply = nextFrame(ws);
    ws.send(JSON.stringify({ t: 'call', id: 7, channel: 'app:get-info', payload: null }));
    expect(await reply).toEqual({ t: 'result', id: 7, ok: true, value: { name: 'Butterfly', version: '9.9.9', shell: 'browser', platform: 'linux' } });
    ws.close();
  });

  it('opens a page only with the session cookie and our Origin', async () => {
    await expect(openPage(bridge.port, { Origin: origin() })).rejects.toThrow('HTTP 401');
    await expect(openPage(bridge.port, { ...pageHeaders(bridge.port, cookie), Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('refuses a request whose Host is not ours (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: bridge.port, path: '/', headers: { Host: `evil.example:${bridge.port}` } }, (res) => resolve(res.statusCode ?? 0)).end();
    });
    expect(status).toBe(421);
  });

  it('rejects unknown channels and invalid payloads with typed errors, and drops invalid sends', async () => {
    const ws = await open();
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
    const ws = await open();
    const closed = closeCode(ws);
    ws.send('{not json');
    expect(await closed).toBe(1007);
  });

  it('carries messenger calls to the service, typed results and its events back: a sign-in to the test server, a refused one', async () => {
    const ws = await open();
    const { call, frames } = caller(ws);

    const signedIn = await call('messenger:sign-in', { email: 'alice@example.com', password: 'alicepass' });
    expect(signedIn).toEqual({ t: 'result', id: 1, ok: true, value: { accountId: expect.stringMatching(/^[A-Za-z0-9_-]+$/) } });
    const { accountId } = signedIn.value as { accountId: string };
    const events = frames.filter((f) => f.t === 'event' && f.channel === 'messenger:event').map((f) => f.payload as { type: string; state?: { kind: string } });
    expect(events.some((e) => e.type === 'connection-state' && e.state?.kind === 'connected')).toBe(true);
    // List events may trail the sign-in's answer (main coalesces them): wait for the one with bob in it.
    const listed = () =>
      frames.some((f) => {
        const event = f.payload as { type?: string; list?: { contacts: { email: string }[] } } | undefined;
        return f.t === 'event' && event?.type === 'contact-list' && event.list?.contacts.some((c) => c.email === 'bob@example.com');
      });
    await vi.waitFor(() => expect(listed()).toBe(true));

    expect(await call('accounts:watch', {})).toMatchObject({ ok: true, value: { account: { accountId, connection: { kind: 'connected', email: 'alice@example.com' } } } });
    // A typed result: the new group's id.
    const added = await call('contacts:add-group', { accountId, name: 'Bridge ✿ group' });
    expect(added).toMatchObject({ ok: true, value: { groupId: expect.stringMatching(/^\d+$/) } });
    expect(await call('contacts:remove-group', { accountId, groupId: (added.value as { groupId: string }).groupId })).toMatchObject({ ok: true, value: null });

    // Signing in again with a wrong password gets the typed error, and the password never comes back.
    expect(await call('messenger:sign-in', { email: 'alice@example.com', password: 'wrong-secret' })).toMatchObject({ ok: false, error: { code: 'auth.wrong-password' } });
    expect(JSON.stringify(frames)).not.toContain('wrong-secret');

    // A call the contract does not allow never reaches the service; what is wrong comes back per field.
    expect(await call('contacts:add', { accountId, email: 'not an address' })).toMatchObject({
      ok: false,
      error: { code: 'ipc.invalid-payload', fields: [{ path: 'email', message: 'must be an e-mail address' }] },
    });
    ws.close();
  });

  it("sends an account's events only to the pages watching it, and answers windows:open in-page", async () => {
    const [pageA, pageB] = [await open(), await open()];
    const a = caller(pageA);
    const b = caller(pageB);
    const alice = ((await a.call('messenger:sign-in', { email: 'alice@example.com', password: 'alicepass' })).value as { accountId: string }).accountId;
    const bob = ((await b.call('messenger:sign-in', { email: 'bob@example.com', password: 'bobpass' })).value as { accountId: string }).accountId;
    await service.flush();
    const accountsIn = (frames: Record<string, unknown>[], from = 0) =>
      new Set(frames.slice(from).flatMap((f) => (f.t === 'event' && f.channel === 'messenger:event' ? [(f.payload as { accountId: string }).accountId] : [])));
    expect(accountsIn(a.frames)).toEqual(new Set([alice]));
    expect(accountsIn(b.frames)).toEqual(new Set([bob]));

    // The second page switches to alice: her events now reach both pages, and bob's reach neither.
    const [fromA, fromB] = [a.frames.length, b.frames.length];
    expect(await b.call('accounts:watch', { accountId: alice })).toMatchObject({ ok: true, value: { account: { accountId: alice, email: 'alice@example.com' } } });
    await b.call('messenger:set-status', { accountId: bob, status: 'AWY' });
    await a.call('messenger:set-status', { accountId: alice, status: 'BSY' });
    await service.flush();
    const profiles = (frames: Record<string, unknown>[], from: number) =>
      frames.slice(from).flatMap((f) => (f.t === 'event' && (f.payload as { type: string }).type === 'own-profile' ? [(f.payload as { accountId: string }).accountId] : []));
    expect(profiles(a.frames, fromA)).toEqual([alice]);
    // Another socket: the event may still be on its way.
    await vi.waitFor(() => expect(profiles(b.frames, fromB)).toEqual([alice]));

    // Main cannot open a browser tab: the page is told to show the view itself.
    expect(await a.call('windows:open', { view: 'contact-list', accountId: bob })).toMatchObject({ ok: true, value: { opened: 'in-page' } });
    expect(await a.call('windows:open', { view: 'contact-list', accountId: 'nobody' })).toMatchObject({ ok: false, error: { code: 'service.unknown-account' } });
    await a.call('messenger:sign-out', { accountId: alice });
    await b.call('messenger:sign-out', { accountId: bob });
    pageA.close();
    pageB.close();
  });

  it('carries the settings: read without secrets, test a route, save (used by the next sign-in), refuse a bad shape', async () => {
    const ws = await open();
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
    expect(await call('messenger:sign-in', { email: 'bob@example.com', password: 'bobpass' })).toMatchObject({ ok: false, error: { code: 'transport.target-unreachable' } });
    expect(await call('settings:save', { settings: view.settings })).toMatchObject({ ok: true, value: { ok: true } });
    expect(await call('messenger:sign-in', { email: 'bob@example.com', password: 'bobpass' })).toMatchObject({ ok: true });

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

  it('disconnects a page that stops reading once it falls behind by maxBufferedBytes, and serves the others', async () => {
    const lines: string[] = [];
    const small = await startBrowserBridge({ dispatcher: createIpcDispatcher(main.handlers.calls, main.handlers.sends), rendererDir: dir, token, limits: { maxBufferedBytes: 256 * 1024 }, log: (l) => lines.push(l) });
    try {
      const own = await signInPage(small.port, token);
      const [stalled, reading] = [await openPage(small.port, pageHeaders(small.port, own)), await openPage(small.port, pageHeaders(small.port, own))];
      // The stalled page's process stops reading its socket, as a frozen tab would.
      (stalled as unknown as { _socket: { pause(): void } })._socket.pause();
      const received: unknown[] = [];
      reading.on('message', (d) => received.push(d));
      const info = { name: 'Butterfly', version: 'x'.repeat(64 * 1024), shell: 'browser', platform: 'linux' } as const;
      for (let i = 0; i < 200 && !lines.some((l) => l.includes('fell')); i++) {
        small.emit('app:did-change-info', info);
        await delay(1);
      }
      expect(lines.some((l) => /closed a page that fell \d+ bytes behind/.test(l))).toBe(true);
      await vi.waitFor(() => expect(received.length).toBeGreaterThan(0));
      expect(await caller(reading).call('app:get-info', null)).toMatchObject({ ok: true });
      reading.close();
    } finally {
      await small.close();
    }
  });

  it('forwards events to connected pages', async () => {
    const ws = await open();
    const frame = nextFrame(ws);
    bridge.emit('app:did-change-info', { name: 'Butterfly', version: '1.0.0', shell: 'browser', platform: 'linux' });
    expect(await frame).toMatchObject({ t: 'event', channel: 'app:did-change-info', payload: { version: '1.0.0' } });
    ws.close();
  });
});
