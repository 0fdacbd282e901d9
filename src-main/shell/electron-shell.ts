// The Electron shell: windows (the registry), a locked-down renderer, and IPC handlers derived from the contract.
// Glue only; electron-main.ts starts it, tests start it against a recording stand-in for `electron`.
import { app, ipcMain, safeStorage, session, type BrowserWindow } from 'electron';
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
  const routes = new EventRoutes();
  const windows = new WindowRegistry({
    routes,
    preload: join(__dirname, '../preload/index.cjs'),
    loadPage: (window: BrowserWindow) => void (devServer ? window.loadURL(devServer) : window.loadFile(join(__dirname, '../renderer/index.html'))),
    isOurPage: (url) => isOurPage(url, app.isPackaged, devServer),
  });
  const services = await startMainServices({
    info: { name: 'Butterfly', version: app.getVersion(), shell: 'electron', platform: process.platform },
    dataDir: resolveDataDir({ env, electronUserData: app.getPath('userData') }),
    // The OS keychain seals a saved proxy password; without one it is kept for this run only.
    secrets: safeStorageSecretBox(safeStorage),
    defaults: settingsFromEnvironment(env),
    routes,
    openWindow: async (request) => ({ opened: 'window', ...windows.open(request) }),
    log: (line) => console.log(line),
  });
  registerIpc(services, windows, routes);
  windows.open({ view: 'contact-list' });

  app.on('activate', () => {
    if (windows.size === 0) windows.open({ view: 'contact-list' });
  });
  // Sign out politely (OUT) before the process goes.
  app.on('before-quit', () => services.dispose());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  return { services, windows };
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
