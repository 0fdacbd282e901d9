// The Electron shell: windows (the registry), a locked-down renderer, and IPC handlers derived from the contract;
// and what a message arriving does to the windows (message-arrival.ts decides). Glue only; electron-main.ts starts
// it, tests start it against a recording stand-in for `electron`.
import { app, ipcMain, safeStorage, screen, session, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { callChannels, sendChannels, type IpcResult } from '../../src-shared/ipc-contract';
import { toErrorInfo } from '../../src-shared/errors';
import { CONTENT_SECURITY_POLICY } from '../ipc/content-security-policy';
import { createIpcDispatcher } from '../ipc/ipc-dispatcher';
import { forwardMessengerEvents } from '../ipc/app-handlers';
import { EventRoutes } from '../ipc/event-routes';
import { settingsFromEnvironment, startMainServices, type MainServices } from './app-service';
import { resolveDataDir } from './data-dir';
import { safeStorageSecretBox } from '../settings/secret-box';
import { WindowRegistry } from './window-registry';
import { openWindowBoundsStore } from '../settings/window-bounds';
import { decideMessageArrival, type WindowState } from './message-arrival';
import type { MessengerEvent } from '../../src-shared/messenger-types';
import type { MessageArrival } from '../../src-shared/window-view';

export interface ElectronShell {
  services: MainServices;
  windows: WindowRegistry;
}

/** Our page: the built file, or (unpackaged, while developing) the dev server's address. */
export function isOurPage(url: string, packaged: boolean, devServer: string | undefined): boolean {
  return url.startsWith('file://') || (!packaged && !!devServer && url.startsWith(devServer));
}

export async function startElectronShell(env: Record<string, string | undefined> = process.env): Promise<ElectronShell> {
  await app.whenReady();
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const devServer = app.isPackaged ? undefined : env.ELECTRON_RENDERER_URL;
  const dataDir = resolveDataDir({ env, electronUserData: app.getPath('userData') });
  const log = (line: string) => console.log(line);
  const routes = new EventRoutes();
  const bounds = await openWindowBoundsStore({ dataDir, log });
  const main = await startMainServices({
    info: { name: 'Butterfly', version: app.getVersion(), shell: 'electron', platform: process.platform },
    dataDir,
    // The OS keychain seals a saved proxy password; without one it is kept for this run only.
    secrets: safeStorageSecretBox(safeStorage),
    defaults: settingsFromEnvironment(env),
    routes,
    openWindow: async (request) => ({ opened: 'window', ...windows.open(request) }),
    log,
  });
  const windows = new WindowRegistry({
    routes,
    preload: join(__dirname, '../preload/index.cjs'),
    loadPage: (window: BrowserWindow, hash?: string) =>
      void (devServer
        ? window.loadURL(hash === undefined ? devServer : `${devServer}#${hash}`)
        : window.loadFile(join(__dirname, '../renderer/index.html'), hash === undefined ? undefined : { hash })),
    isOurPage: (url) => isOurPage(url, app.isPackaged, devServer),
    bounds,
    displays: () => screen.getAllDisplays().map((d) => d.workArea),
    // Closing a conversation's window leaves the conversation, as closing its tab does. (Quitting closes the windows
    // after the service is gone: nothing to leave then.)
    onDidCloseConversation: (view) =>
      void Promise.resolve()
        .then(() => main.service.calls['conversations:close'](view))
        .catch(() => undefined),
  });
  main.service.onEvent((event) => followConversations(event, windows, () => main.settings.windows().messageArrival));
  registerIpc(main, windows, routes);
  windows.open({ view: 'contact-list' });

  app.on('activate', () => {
    if (windows.size === 0) windows.open({ view: 'contact-list' });
  });
  // Sign out politely (OUT) before the process goes.
  app.on('before-quit', () => main.dispose());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  return { services: main, windows };
}

/**
 * A message that arrived opens its conversation's window without taking the focus, or flashes a window, as the
 * setting and the windows open say; a conversation closed (its Close button) closes its window; one that grew into
 * a group conversation has its window show the group.
 */
function followConversations(event: MessengerEvent, windows: WindowRegistry, messageArrival: () => MessageArrival): void {
  if (event.type === 'conversation-closed') return windows.closeConversation({ view: 'conversation', accountId: event.accountId, conversationId: event.conversationId });
  if (event.type === 'conversation-opened' && event.grewFrom !== undefined) {
    return windows.followGrowth({ view: 'conversation', accountId: event.accountId, conversationId: event.grewFrom }, event.conversation.id);
  }
  if (event.type !== 'message' || event.message.direction !== 'in') return;
  const view = { view: 'conversation', accountId: event.accountId, conversationId: event.message.conversationId } as const;
  const state = (window: BrowserWindow | undefined): WindowState => (!window ? 'none' : window.isFocused() ? 'focused' : 'open');
  const conversation = windows.find(view);
  const list = windows.find({ view: 'contact-list', accountId: event.accountId });
  const action = decideMessageArrival(messageArrival(), { conversation: state(conversation), list: state(list) });
  if (action.kind === 'open-inactive') windows.open(view, { inactive: true });
  else if (action.kind === 'flash-conversation') conversation?.flashFrame(true);
  else if (action.kind === 'flash-list') list?.flashFrame(true);
}

function registerIpc(main: MainServices, windows: WindowRegistry, routes: EventRoutes): void {
  const { calls, sends } = main.handlers;
  forwardMessengerEvents(main.service, routes, (clients, channel, payload) => windows.send(clients, channel, payload));
  const dispatcher = createIpcDispatcher(calls, sends);
  for (const channel of callChannels) {
    // Errors travel as data: Electron would flatten a thrown error into a message and lose its code.
    ipcMain.handle(channel, (event, request: unknown): Promise<IpcResult> => {
      const caller = windows.trustedCaller(event);
      if (!caller) return Promise.resolve({ ok: false, error: { code: 'ipc.untrusted-sender', message: 'Untrusted sender.', retryable: false } });
      return dispatcher.call(channel, request, caller).then(
        (value) => ({ ok: true, value }),
        (error: unknown) => ({ ok: false, error: toErrorInfo(error) }),
      );
    });
  }
  for (const channel of sendChannels) {
    ipcMain.on(channel, (event, message: unknown) => {
      if (windows.trustedCaller(event)) dispatcher.send(channel, message);
    });
  }
}
