// The Electron shell's glue against a recording stand-in for `electron` (the binary cannot run here), with the real
// main services signing in to the project's test server: the window registry (locked-down windows, each trusted by
// its webContents id and our page only), per-window event routing, windows opened by main on `windows:open`
// (contact lists and conversation windows, each where the last of its kind was), what a message arriving does to
// the windows (opened without the focus and flashing, or only the list flashing: the main setting), and the app's
// lifecycle.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../e2e/msn-server';
import { CONTENT_SECURITY_POLICY } from '../ipc/content-security-policy';
import { app, BrowserWindow, ipcMain, resetFakeElectron, screen, session, shell, type FakeWebContents } from './testing/fake-electron';
import { startElectronShell, type ElectronShell } from './electron-shell';

vi.mock('electron', () => import('./testing/fake-electron'));

let server: TestServer;
let dataDir: string;
let shellUnderTest: ElectronShell | undefined;
const env = () => ({ BUTTERFLY_DATA_DIR: dataDir, BUTTERFLY_SERVER: `127.0.0.1:${server.ns.port}`, BUTTERFLY_NEXUS: server.nexusUrl });

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
  shellUnderTest = await startElectronShell(env());
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

  it('denies window.open and navigation; only http(s) links go to the system browser', () => {
    const contents = first().webContents;
    expect(contents.windowOpenHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'http://example.org/a b' })).toEqual({ action: 'deny' });
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<b>x</b>', 'ms-settings:', 'http://']) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(shell.opened).toEqual(['https://example.org/', 'http://example.org/a%20b']);
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

describe('Electron shell: conversation windows', () => {
  type Opened = { opened: string; windowId: number };
  const byId = (id: number) => BrowserWindow.all.find((w) => w.webContents.id === id)!;
  /** alice signed in from the list window; bob in the same process (no window of his), with a conversation to alice. */
  async function aliceAndBob() {
    const list = first();
    const { accountId: alice } = await valueOf<{ accountId: string }>(call('messenger:sign-in', list.webContents, { email: 'alice@example.com', password: 'alicepass' }));
    const { service } = shellUnderTest!.services;
    const { accountId: bob } = await service.signIn({ email: 'bob@example.com', password: 'bobpass' });
    const { conversationId: bobsSide } = await service.calls['conversations:open']({ accountId: bob, email: 'alice@example.com' });
    return { list, alice, bob, service, bobsSide };
  }
  /** bob says something; resolves with alice's conversation id once her list window has the message. */
  async function bobSays(ctx: Awaited<ReturnType<typeof aliceAndBob>>, text: string): Promise<string> {
    await ctx.service.calls['conversations:send-text']({ accountId: ctx.bob, conversationId: ctx.bobsSide, text });
    return vi.waitFor(
      () => {
        const m = ctx.list.webContents.events().find((e) => e.type === 'message' && (e.message as { text?: string }).text === text);
        if (!m) throw new Error('not there yet');
        return (m.message as { conversationId: string }).conversationId;
      },
      { timeout: 10_000, interval: 10 },
    );
  }
  /** With alice's list window in front, bob writes first: her conversation's own window opens beside it. */
  async function bobWritesFirst() {
    const ctx = await aliceAndBob();
    ctx.list.focus();
    const conversationId = await bobSays(ctx, 'hi alice');
    await vi.waitFor(() => expect(BrowserWindow.all).toHaveLength(2));
    return { ctx, conversationId, chat: BrowserWindow.all[1] };
  }

  it('opens one locked-down window per conversation with the view in its address, brings it forward, and refuses an unknown one', async () => {
    const { list, alice } = await aliceAndBob();
    const { conversationId } = await valueOf<{ conversationId: string }>(call('conversations:open', list.webContents, { accountId: alice, email: 'bob@example.com' }));
    const opened = await valueOf<Opened>(call('windows:open', list.webContents, { view: 'conversation', accountId: alice, conversationId }));
    expect(BrowserWindow.all).toHaveLength(2);
    const chat = byId(opened.windowId);
    expect(chat.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(chat.loaded?.file).toMatch(/renderer[/\\]index\.html$/);
    expect(chat.loaded?.hash).toBe(`view=conversation&account=${alice}&conversation=${conversationId}`);
    expect(chat.webContents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    chat.emit('ready-to-show');
    expect(chat.shown).toBe(true);
    // The window asks for its account and its conversation; the account's events reach it.
    expect(await valueOf(call('accounts:watch', chat.webContents, { accountId: alice }))).toMatchObject({ account: { accountId: alice } });
    expect(await valueOf(call('conversations:get', chat.webContents, { accountId: alice, conversationId }))).toMatchObject({ conversation: { id: conversationId } });

    list.focus();
    const again = await valueOf<Opened>(call('windows:open', list.webContents, { view: 'conversation', accountId: alice, conversationId }));
    expect(again.windowId).toBe(opened.windowId);
    expect(chat.isFocused()).toBe(true);
    expect(BrowserWindow.all).toHaveLength(2);

    // A search result in the list: the same window, brought forward, is told the message in its fragment.
    list.focus();
    const atMessage = await valueOf<Opened>(call('windows:open', list.webContents, { view: 'conversation', accountId: alice, conversationId, messageId: 'm-42' }));
    expect(atMessage.windowId).toBe(opened.windowId);
    expect(chat.loaded?.hash).toBe(`view=conversation&account=${alice}&conversation=${conversationId}&message=m-42`);
    expect(chat.isFocused()).toBe(true);
    expect(BrowserWindow.all).toHaveLength(2);
    expect(await call('windows:open', list.webContents, { view: 'conversation', accountId: alice, conversationId, messageId: 'a b' })).toMatchObject({ ok: false, error: { code: 'ipc.invalid-payload' } });

    expect(await call('windows:open', list.webContents, { view: 'conversation', accountId: alice, conversationId: 'nope' })).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^conversation\./) } });
    expect(await call('windows:open', list.webContents, { view: 'conversation', accountId: alice, conversationId: '../x' })).toMatchObject({ ok: false, error: { code: 'ipc.invalid-payload' } });
    expect(await call('windows:open', list.webContents, { view: 'conversation', accountId: alice })).toMatchObject({ ok: false, error: { code: 'ipc.invalid-payload' } });
    expect(BrowserWindow.all).toHaveLength(2);

    // Closing its window leaves the conversation; closing the conversation (its Close button) closes its window.
    chat.close();
    await vi.waitFor(async () => expect((await valueOf<{ conversations: unknown[] }>(call('conversations:list', list.webContents, { accountId: alice }))).conversations).toEqual([]));
    const second = await valueOf<{ conversationId: string }>(call('conversations:open', list.webContents, { accountId: alice, email: 'bob@example.com' }));
    const w = byId((await valueOf<Opened>(call('windows:open', list.webContents, { view: 'conversation', accountId: alice, conversationId: second.conversationId }))).windowId);
    await valueOf(call('conversations:close', w.webContents, { accountId: alice, conversationId: second.conversationId }));
    expect(w.isDestroyed()).toBe(true);
  });

  it('a conversation window follows its conversation into the group it grew into when someone is invited', async () => {
    const { list, alice, service } = await aliceAndBob();
    await service.signIn({ email: 'carol@example.com', password: 'carolpass' });
    // carol is on nobody's list: alice adds her, so that the server lets her call carol in.
    await valueOf(call('contacts:add', list.webContents, { accountId: alice, email: 'carol@example.com' }));
    const { conversationId: single } = await valueOf<{ conversationId: string }>(call('conversations:open', list.webContents, { accountId: alice, email: 'bob@example.com' }));
    const chat = byId((await valueOf<Opened>(call('windows:open', list.webContents, { view: 'conversation', accountId: alice, conversationId: single }))).windowId);
    await valueOf(call('conversations:send-text', chat.webContents, { accountId: alice, conversationId: single, text: 'one' }));
    const { conversationId: group } = await valueOf<{ conversationId: string }>(call('conversations:invite', chat.webContents, { accountId: alice, conversationId: single, email: 'carol@example.com' }));
    await vi.waitFor(() => expect(chat.loaded?.hash).toBe(`view=conversation&account=${alice}&conversation=${group}`), { timeout: 10_000 });
    // main finds it as the group's window now, and closing it leaves the group.
    expect((await valueOf<Opened>(call('windows:open', list.webContents, { view: 'conversation', accountId: alice, conversationId: group }))).windowId).toBe(chat.webContents.id);
    expect(BrowserWindow.all).toHaveLength(2);
    chat.close();
    await vi.waitFor(async () => {
      const { conversations } = await valueOf<{ conversations: { id: string }[] }>(call('conversations:list', list.webContents, { accountId: alice }));
      expect(conversations.map((c) => c.id)).toEqual([single]);
    });
  });

  it('a message with no window open: its window opens without the focus and flashes; open behind, it flashes; in front, nothing', async () => {
    const { ctx, conversationId, chat } = await bobWritesFirst();
    expect(chat.loaded?.hash).toBe(`view=conversation&account=${ctx.alice}&conversation=${conversationId}`);
    chat.emit('ready-to-show');
    expect(chat.shownInactive).toBe(true);
    expect(chat.shown).toBe(false);
    expect(chat.flashes).toEqual([true]);
    expect(ctx.list.isFocused()).toBe(true);
    expect(ctx.list.flashes).not.toContain(true);

    // A second message while it is open behind the list: it flashes again, and no other window opens.
    await bobSays(ctx, 'still there?');
    expect(chat.flashes).toEqual([true, true]);
    // The person clicks into it: the flashing stops; a message now changes nothing.
    chat.focus();
    expect(chat.flashes).toEqual([true, true, false]);
    await bobSays(ctx, 'there you are');
    expect(chat.flashes).toEqual([true, true, false]);
    expect(BrowserWindow.all).toHaveLength(2);
  });

  it('tells the account’s contact list which conversation window has the focus (the list plays the sounds)', async () => {
    const { ctx, conversationId, chat } = await bobWritesFirst();
    const told = () => ctx.list.webContents.sent.filter((s) => s.channel === 'windows:did-focus-conversation').map((s) => s.payload);
    expect(told()).toEqual([]);
    chat.focus();
    expect(told()).toEqual([{ accountId: ctx.alice, conversationId }]);
    ctx.list.focus();
    expect(told()).toEqual([
      { accountId: ctx.alice, conversationId },
      { accountId: ctx.alice, conversationId: null },
    ]);
    // The conversation window itself is told nothing of the sort.
    expect(chat.webContents.sent.filter((s) => s.channel === 'windows:did-focus-conversation')).toEqual([]);
  });

  it('set to only notify: no window opens, the list flashes', async () => {
    const ctx = await aliceAndBob();
    expect(await valueOf(call('settings:get-windows', ctx.list.webContents, null))).toEqual({ messageArrival: 'open-window' });
    expect(await call('settings:save-windows', ctx.list.webContents, { messageArrival: 'popup' })).toMatchObject({ ok: false, error: { code: 'ipc.invalid-payload' } });
    expect(await valueOf(call('settings:save-windows', ctx.list.webContents, { messageArrival: 'notify' }))).toEqual({ messageArrival: 'notify' });
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).windows).toEqual({ messageArrival: 'notify' });
    await bobSays(ctx, 'psst');
    expect(BrowserWindow.all).toHaveLength(1);
    expect(ctx.list.flashes).toEqual([true]);
  });

  it('with no place remembered yet, a second conversation window steps aside from the first rather than covering it', async () => {
    const { list, alice } = await aliceAndBob();
    const open = async (email: string) => {
      const { conversationId } = await valueOf<{ conversationId: string }>(call('conversations:open', list.webContents, { accountId: alice, email }));
      return byId((await valueOf<Opened>(call('windows:open', list.webContents, { view: 'conversation', accountId: alice, conversationId }))).windowId);
    };
    const one = await open('bob@example.com');
    expect(one.options.x).toBeUndefined();
    const two = await open('carol@example.com');
    expect(two.getBounds()).toEqual({ ...one.getBounds(), x: one.getBounds().x + 24, y: one.getBounds().y + 24 });
  });

  it('each kind opens where the last one closed, put back on a screen that is there, and the next conversation window steps aside', async () => {
    const { list, alice } = await aliceAndBob();
    screen.workAreas = [
      { x: 0, y: 0, width: 1440, height: 860 },
      { x: 1440, y: 0, width: 2560, height: 1400 },
    ];
    const open = async (email: string) => {
      const { conversationId } = await valueOf<{ conversationId: string }>(call('conversations:open', list.webContents, { accountId: alice, email }));
      return byId((await valueOf<Opened>(call('windows:open', list.webContents, { view: 'conversation', accountId: alice, conversationId }))).windowId);
    };
    const chat = await open('bob@example.com');
    chat.setBounds({ x: 2000, y: 300, width: 600, height: 500 });
    chat.emit('moved');
    const saved = () => JSON.parse(readFileSync(join(dataDir, 'window-bounds.json'), 'utf8')) as { bounds: Record<string, unknown> };
    // Remembered once the person has moved it, before any window closes (a quit may not wait for a write).
    await vi.waitFor(() => expect(saved().bounds.conversation).toEqual({ x: 2000, y: 300, width: 600, height: 500 }));
    chat.close();
    list.setBounds({ x: 1500, y: 50, width: 380, height: 700 });
    list.close();
    await vi.waitFor(() => expect(Object.keys(saved().bounds).sort()).toEqual(['contact-list', 'conversation']));
    // The second monitor is unplugged before the next start.
    shellUnderTest!.services.dispose();
    resetFakeElectron();
    screen.workAreas = [{ x: 0, y: 0, width: 1440, height: 860 }];
    shellUnderTest = await startElectronShell(env());
    expect(first().options).toMatchObject({ x: 1440 - 380, y: 50, width: 380, height: 700 });
    const { accountId } = await valueOf<{ accountId: string }>(call('messenger:sign-in', first().webContents, { email: 'alice@example.com', password: 'alicepass' }));
    const reopen = async (email: string) => {
      const { conversationId } = await valueOf<{ conversationId: string }>(call('conversations:open', first().webContents, { accountId, email }));
      return byId((await valueOf<Opened>(call('windows:open', first().webContents, { view: 'conversation', accountId, conversationId }))).windowId);
    };
    const one = await reopen('bob@example.com');
    expect(one.options).toMatchObject({ x: 1440 - 600, y: 300, width: 600, height: 500 });
    const two = await reopen('carol@example.com');
    expect(two.options).toMatchObject({ width: 600, height: 500 });
    expect(two.getBounds()).not.toEqual(one.getBounds());
    // Stepped aside (its title bar still on the screen).
    expect(two.options).toMatchObject({ x: 1440 - 600 + 24, y: 324 });
  });
});
