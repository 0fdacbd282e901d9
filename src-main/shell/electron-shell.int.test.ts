// The Electron shell's glue against a recording stand-in for `electron` (the binary cannot run here), with the real
// main services signing in to the project's test server: the window registry (locked-down windows, each trusted by
// its webContents id and our page only), per-window event routing, windows opened by main on `windows:open`, and
// the app's lifecycle.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../e2e/msn-server';
import { CONTENT_SECURITY_POLICY } from '../ipc/content-security-policy';
import { app, BrowserWindow, ipcMain, resetFakeElectron, session, shell, type FakeWebContents } from './testing/fake-electron';
import { startElectronShell, type ElectronShell } from './electron-shell';

vi.mock('electron', () => import('./testing/fake-electron'));

let server: TestServer;
let dataDir: string;
let shellUnderTest: ElectronShell | undefined;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(async () => {
  resetFakeElectron();
  dataDir = mkdtempSync(join(tmpdir(), 'bf-electron-'));
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  shellUnderTest = await startElectronShell({ BUTTERFLY_DATA_DIR: dataDir, BUTTERFLY_SERVER: `127.0.0.1:${server.ns.port}`, BUTTERFLY_NEXUS: server.nexusUrl });
});
afterEach(() => {
  shellUnderTest?.services.dispose();
  shellUnderTest = undefined;
  vi.restoreAllMocks();
  rmSync(dataDir, { recursive: true, force: true });
});

type Result = { ok: true; value: unknown } | { ok: false; error: { code: string } };
const call = (channel: string, from: FakeWebContents, payload: unknown, frame?: Parameters<typeof ipcMain.invoke>[3]) => ipcMain.invoke(channel, from, payload, frame) as Promise<Result>;
const valueOf = async <T>(result: Promise<Result>): Promise<T> => {
  const r = await result;
  if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
};
const first = () => BrowserWindow.all[0];

describe('Electron shell: windows', () => {
  it('opens one locked-down contact-list window on our page, and the session refuses permissions and carries the CSP', () => {
    expect(BrowserWindow.all).toHaveLength(1);
    const { options } = first();
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(options.webPreferences?.preload).toMatch(/preload[/\\]index\.cjs$/);
    expect(first().loaded?.file).toMatch(/renderer[/\\]index\.html$/);
    expect(first().shown).toBe(false);
    first().emit('ready-to-show');
    expect(first().shown).toBe(true);

    let headers: Record<string, string[]> = {};
    session.defaultSession.headers?.({ responseHeaders: { 'X-A': ['b'] } }, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'X-A': ['b'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    let granted: boolean | undefined;
    session.defaultSession.permissions?.({}, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
  });

  it('denies window.open and navigation; only https links go to the system browser', () => {
    const contents = first().webContents;
    expect(contents.windowOpenHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual(['https://example.org/']);
    expect(contents.navigate('https://evil.example/')).toBe(true);
    expect(BrowserWindow.all).toHaveLength(1);
  });

  it("trusts only our windows' top frames showing our page", async () => {
    const ours = first().webContents;
    expect(await call('app:get-info', ours, null)).toEqual({ ok: true, value: { name: 'Butterfly', version: '0.1.0', shell: 'electron', platform: process.platform } });
    const stranger = new BrowserWindow({}).webContents;
    const untrusted = { ok: false, error: { code: 'ipc.untrusted-sender', message: 'Untrusted sender.', retryable: false } };
    expect(await call('app:get-info', stranger, null)).toEqual(untrusted);
    expect(await call('app:get-info', ours, null, { url: 'file:///app/out/renderer/index.html', parent: ours.topFrame() })).toEqual(untrusted);
    expect(await call('app:get-info', ours, null, ours.topFrame('https://evil.example/'))).toEqual(untrusted);
    expect(await call('app:get-info', ours, null, null)).toEqual(untrusted);
    // The contract still applies to our own window.
    expect(await call('app:get-info', ours, { evil: true })).toMatchObject({ ok: false, error: { code: 'ipc.invalid-payload' } });
  });

  it("routes each account's events to the windows watching it; a window is opened by main for another account", async () => {
    const w1 = first();
    // A sign-in from the window: its result, and its events, progress included, in that window.
    const { accountId: alice } = await valueOf<{ accountId: string }>(call('messenger:sign-in', w1.webContents, { email: 'alice@example.com', password: 'alicepass' }));
    const steps = w1.webContents.events().filter((e) => e.type === 'connection-state').map((e) => (e.state as { kind: string }).kind);
    expect(steps[0]).toBe('connecting');
    expect(steps.at(-1)).toBe('connected');
    expect(w1.webContents.events().every((e) => e.accountId === alice)).toBe(true);

    // bob signed in in this process, but no window watches him: nothing of his reaches w1.
    const { services } = shellUnderTest!;
    const { accountId: bob } = await services.service.signIn({ email: 'bob@example.com', password: 'bobpass' });
    await services.service.flush();
    expect(w1.webContents.events().some((e) => e.accountId === bob)).toBe(false);

    // Main opens bob's contact list in a window of its own; that window watches bob before its page asks.
    const opened = await valueOf<{ opened: string; windowId: number }>(call('windows:open', w1.webContents, { view: 'contact-list', accountId: bob }));
    expect(BrowserWindow.all).toHaveLength(2);
    const w2 = BrowserWindow.all[1];
    expect(opened).toEqual({ opened: 'window', windowId: w2.webContents.id });
    expect(w2.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    const watched = await valueOf<{ account: { accountId: string; email: string } }>(call('accounts:watch', w2.webContents, {}));
    expect(watched.account).toMatchObject({ accountId: bob, email: 'bob@example.com' });

    // bob's change reaches w2 only; alice's w1 only.
    const [before1, before2] = [w1.webContents.sent.length, w2.webContents.sent.length];
    await valueOf(call('messenger:set-status', w2.webContents, { accountId: bob, status: 'AWY' }));
    await valueOf(call('messenger:set-status', w1.webContents, { accountId: alice, status: 'BSY' }));
    await services.service.flush();
    const since = (c: FakeWebContents, n: number) => c.sent.slice(n).map((s) => s.payload as { accountId: string; type: string });
    expect(since(w2.webContents, before2).some((e) => e.type === 'own-profile')).toBe(true);
    expect(since(w2.webContents, before2).every((e) => e.accountId === bob)).toBe(true);
    expect(since(w1.webContents, before1).some((e) => e.type === 'own-profile')).toBe(true);
    expect(since(w1.webContents, before1).every((e) => e.accountId === alice)).toBe(true);

    // Asking for alice's list again brings w1 forward rather than opening a third window.
    expect(await valueOf(call('windows:open', w2.webContents, { view: 'contact-list', accountId: alice }))).toEqual({ opened: 'window', windowId: w1.webContents.id });
    expect(w1.focusCount).toBe(1);
    expect(BrowserWindow.all).toHaveLength(2);
    expect(await call('windows:open', w1.webContents, { view: 'contact-list', accountId: 'no-such-account' })).toMatchObject({ ok: false, error: { code: 'service.unknown-account' } });

    // Closed, w2 is trusted no more and gets nothing more.
    w2.close();
    const after = w2.webContents.sent.length;
    await valueOf(call('messenger:set-status', w1.webContents, { accountId: bob, status: 'NLN' }));
    await services.service.flush();
    expect(w2.webContents.sent.length).toBe(after);
    expect(await call('app:get-info', w2.webContents, null)).toMatchObject({ ok: false, error: { code: 'ipc.untrusted-sender' } });
  });

  it('a reloaded window keeps its account; after the last window closes, activate opens a new one; quitting signs out', async () => {
    const w1 = first();
    const { accountId } = await valueOf<{ accountId: string }>(call('messenger:sign-in', w1.webContents, { email: 'alice@example.com', password: 'alicepass' }));
    // A reload keeps the webContents: its page asks again and gets the same account.
    expect(await valueOf(call('accounts:watch', w1.webContents, {}))).toMatchObject({ account: { accountId, connection: { kind: 'connected' } } });

    w1.close();
    app.emit('window-all-closed');
    expect(app.quitCount).toBe(process.platform === 'darwin' ? 0 : 1);
    app.emit('activate');
    expect(BrowserWindow.getAllWindows()).toHaveLength(1);
    // The new window watches nothing yet: it is shown the account used last.
    expect(await valueOf(call('accounts:watch', BrowserWindow.all[1].webContents, {}))).toMatchObject({ account: { accountId } });

    expect(server.state.online()).toContainEqual(expect.objectContaining({ email: 'alice@example.com' }));
    app.emit('before-quit');
    await expect.poll(() => server.state.online().filter((u) => u.email === 'alice@example.com'), { timeout: 5_000 }).toEqual([]);
  });
});
