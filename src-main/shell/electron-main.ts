// The Electron shell: a window, a locked-down renderer, and IPC handlers derived from the contract. Glue only.
import { app, BrowserWindow, ipcMain, safeStorage, session, shell, type IpcMainInvokeEvent, type IpcMainEvent } from 'electron';
import { join } from 'node:path';
import { callChannels, sendChannels, type IpcResult } from '../../src-shared/ipc-contract';
import { toErrorInfo } from '../../src-shared/errors';
import { CONTENT_SECURITY_POLICY } from '../ipc/content-security-policy';
import { createIpcDispatcher } from '../ipc/ipc-dispatcher';
import { forwardMessengerEvents } from '../ipc/app-handlers';
import { settingsFromEnvironment, startMainServices, type MainServices } from './app-service';
import { resolveDataDir } from './data-dir';
import { safeStorageSecretBox } from '../settings/secret-box';

let mainWindow: BrowserWindow | null = null;
let services: MainServices | null = null;

/** Only our own top frame may talk to main: a navigated or injected frame gets nothing. */
function isTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent): boolean {
  const frame = event.senderFrame;
  if (!mainWindow || !frame || event.sender !== mainWindow.webContents || frame.parent !== null) return false;
  const url = frame.url;
  return url.startsWith('file://') || (!app.isPackaged && !!process.env.ELECTRON_RENDERER_URL && url.startsWith(process.env.ELECTRON_RENDERER_URL));
}

function registerIpc(main: MainServices): void {
  const { calls, sends } = main.handlers;
  forwardMessengerEvents(main.service, (channel, payload) => mainWindow?.webContents.send(channel, payload));
  const dispatcher = createIpcDispatcher(calls, sends);
  for (const channel of callChannels) {
    // Errors travel as data: Electron would flatten a thrown error into a message and lose its code.
    ipcMain.handle(channel, (event, request: unknown): Promise<IpcResult> => {
      if (!isTrustedSender(event)) return Promise.resolve({ ok: false, error: { code: 'ipc.untrusted-sender', message: 'Untrusted sender.', retryable: false } });
      return dispatcher.call(channel, request).then(
        (value) => ({ ok: true, value }),
        (error: unknown) => ({ ok: false, error: toErrorInfo(error) }),
      );
    });
  }
  for (const channel of sendChannels) {
    ipcMain.on(channel, (event, message: unknown) => {
      if (isTrustedSender(event)) dispatcher.send(channel, message);
    });
  }
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 360,
    height: 640,
    minWidth: 300,
    minHeight: 480,
    title: 'Butterfly',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));

  const contents = mainWindow.webContents;
  // No navigation away from the app, no new windows; https links open in the system browser.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:')) void shell.openExternal(url);
    return { action: 'deny' };
  });

  if (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) void mainWindow.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void mainWindow.loadFile(join(__dirname, '../renderer/index.html'));
}

app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  services = await startMainServices({
    info: { name: 'Butterfly', version: app.getVersion(), shell: 'electron', platform: process.platform },
    dataDir: resolveDataDir({ electronUserData: app.getPath('userData') }),
    // The OS keychain seals a saved proxy password; without one it is kept for this run only.
    secrets: safeStorageSecretBox(safeStorage),
    defaults: settingsFromEnvironment(process.env),
    log: (line) => console.log(line),
  });
  registerIpc(services);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

// Sign out politely (OUT) before the process goes.
app.on('before-quit', () => {
  services?.dispose();
  services = null;
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
