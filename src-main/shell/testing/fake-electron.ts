// A recording stand-in for the parts of `electron` the shell and the preload use, for tests (the Electron binary
// cannot run here): `vi.mock('electron', () => import('./testing/fake-electron'))`. Windows, webContents, ipcMain,
// the session's hooks, shell.openExternal and the preload's contextBridge/ipcRenderer record what was asked of them
// (a window: shown, shown inactive, focused, flashed, its bounds), and the test drives them as Electron would: an IPC
// message from a given webContents and frame, a window moved, focused or closing, an app event, the displays there are.
import { EventEmitter } from 'node:events';

let nextWebContentsId = 1;

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }

  /** The top frame showing our page (what an IPC message from this window carries). */
  topFrame(url = 'file:///app/out/renderer/index.html'): FakeFrame {
    return { url, parent: null };
  }

  /** Electron's `will-navigate`: says whether the shell prevented it. */
  navigate(url: string): boolean {
    let prevented = false;
    this.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }

  /** The messenger events sent to this window. */
  events(): { accountId: string; type: string; [key: string]: unknown }[] {
    return this.sent.filter((s) => s.channel === 'messenger:event').map((s) => s.payload as { accountId: string; type: string });
  }
}

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class BrowserWindow extends EventEmitter {
  static readonly all: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  shown = false;
  /** Shown with showInactive() (without taking the focus). */
  shownInactive = false;
  focusCount = 0;
  focused = false;
  /** Every flashFrame() call, in order. */
  readonly flashes: boolean[] = [];
  loaded: { file?: string; url?: string; hash?: string } | undefined;
  bounds: Bounds;
  private destroyed = false;

  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    const n = (key: string, fallback: number) => (typeof options[key] === 'number' ? (options[key] as number) : fallback);
    // Electron centres a window given no place; the stand-in puts it at (100, 100).
    this.bounds = { x: n('x', 100), y: n('y', 100), width: n('width', 800), height: n('height', 600) };
    BrowserWindow.all.push(this);
  }

  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.all.filter((w) => !w.destroyed);
  }

  show(): void {
    this.shown = true;
    this.focus();
  }

  showInactive(): void {
    this.shownInactive = true;
  }

  /** Also what the person clicking into the window does. */
  focus(): void {
    this.focusCount++;
    // The window that had the focus loses it first, as on a desktop.
    for (const other of BrowserWindow.all) {
      if (other !== this && other.focused) {
        other.focused = false;
        other.emit('blur');
      }
    }
    this.focused = true;
    this.emit('focus');
  }

  isFocused(): boolean {
    return this.focused && !this.destroyed;
  }

  flashFrame(flag: boolean): void {
    this.flashes.push(flag);
  }

  getBounds(): Bounds {
    return { ...this.bounds };
  }

  getNormalBounds(): Bounds {
    return { ...this.bounds };
  }

  /** The person moves or resizes it. */
  setBounds(bounds: Partial<Bounds>): void {
    this.bounds = { ...this.bounds, ...bounds };
  }

  isMinimized(): boolean {
    return false;
  }

  restore(): void {}

  isDestroyed(): boolean {
    return this.destroyed;
  }

  loadFile(file: string, options?: { hash?: string }): Promise<void> {
    this.loaded = { file, ...(options?.hash === undefined ? {} : { hash: options.hash }) };
    return Promise.resolve();
  }

  loadURL(url: string): Promise<void> {
    this.loaded = { url };
    return Promise.resolve();
  }

  /** The person closes it. */
  close(): void {
    if (this.destroyed) return;
    this.emit('close');
    this.destroyed = true;
    this.focused = false;
    this.emit('closed');
  }
}

/** The displays there are (their work areas): tests plug and unplug monitors here. */
export const screen = {
  workAreas: [{ x: 0, y: 0, width: 1920, height: 1040 }] as Bounds[],
  getAllDisplays(): { workArea: Bounds }[] {
    return screen.workAreas.map((workArea) => ({ workArea: { ...workArea } }));
  },
};

type Handler = (event: { sender: FakeWebContents; senderFrame: FakeFrame | null }, payload: unknown) => unknown;

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  listeners: new Map<string, Handler>(),
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  on(channel: string, listener: Handler): void {
    this.listeners.set(channel, listener);
  },
  /** `ipcRenderer.invoke` from `sender`'s `frame` (its top frame by default), as Electron delivers it. */
  invoke(channel: string, sender: FakeWebContents, payload: unknown, frame: FakeFrame | null = sender.topFrame()): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return Promise.resolve(handler({ sender, senderFrame: frame }, payload));
  },
  send(channel: string, sender: FakeWebContents, payload: unknown, frame: FakeFrame | null = sender.topFrame()): void {
    this.listeners.get(channel)?.({ sender, senderFrame: frame }, payload);
  },
};

const appEvents = new EventEmitter();
export const app = {
  isPackaged: true,
  quitCount: 0,
  whenReady: (): Promise<void> => Promise.resolve(),
  getVersion: (): string => '0.1.0',
  getPath: (name: string): string => `/nonexistent/${name}`,
  on(event: string, listener: (...args: unknown[]) => void): void {
    appEvents.on(event, listener);
  },
  quit(): void {
    this.quitCount++;
  },
  /** An app event, as Electron fires it. */
  emit(event: string, ...args: unknown[]): void {
    appEvents.emit(event, ...args);
  },
};

type HeadersCallback = (details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void;
type PermissionCallback = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;

export const session = {
  defaultSession: {
    headers: undefined as HeadersCallback | undefined,
    permissions: undefined as PermissionCallback | undefined,
    webRequest: {
      onHeadersReceived(callback: HeadersCallback): void {
        session.defaultSession.headers = callback;
      },
    },
    setPermissionRequestHandler(callback: PermissionCallback): void {
      session.defaultSession.permissions = callback;
    },
  },
};

export const shell = {
  opened: [] as string[],
  openExternal(url: string): Promise<void> {
    shell.opened.push(url);
    return Promise.resolve();
  },
};

export const safeStorage = {
  isEncryptionAvailable: (): boolean => false,
  encryptString: (plain: string): Buffer => Buffer.from(plain),
  decryptString: (sealed: Buffer): string => sealed.toString(),
};

// The preload's side.
export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    contextBridge.exposed.set(key, api);
  },
};

type RendererListener = (event: unknown, payload: unknown) => void;

export const ipcRenderer = {
  invoked: [] as { channel: string; payload: unknown }[],
  sentMessages: [] as { channel: string; payload: unknown }[],
  listeners: new Map<string, Set<RendererListener>>(),
  /** What main answers the next invokes (an IpcResult). */
  answer: (_channel: string, _payload: unknown): unknown => ({ ok: true, value: null }),
  invoke(channel: string, payload: unknown): Promise<unknown> {
    ipcRenderer.invoked.push({ channel, payload });
    return Promise.resolve(ipcRenderer.answer(channel, payload));
  },
  send(channel: string, payload: unknown): void {
    ipcRenderer.sentMessages.push({ channel, payload });
  },
  on(channel: string, listener: RendererListener): void {
    const set = ipcRenderer.listeners.get(channel) ?? new Set();
    set.add(listener);
    ipcRenderer.listeners.set(channel, set);
  },
  removeListener(channel: string, listener: RendererListener): void {
    ipcRenderer.listeners.get(channel)?.delete(listener);
  },
  /** main's `webContents.send`, arriving in the preload. */
  deliver(channel: string, payload: unknown): void {
    for (const listener of ipcRenderer.listeners.get(channel) ?? []) listener({}, payload);
  },
};

/** Forgets every window, handler and record: one shell per test. */
export function resetFakeElectron(): void {
  BrowserWindow.all.length = 0;
  screen.workAreas = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  ipcMain.handlers.clear();
  ipcMain.listeners.clear();
  appEvents.removeAllListeners();
  app.quitCount = 0;
  session.defaultSession.headers = undefined;
  session.defaultSession.permissions = undefined;
  shell.opened.length = 0;
  contextBridge.exposed.clear();
  ipcRenderer.invoked.length = 0;
  ipcRenderer.sentMessages.length = 0;
  ipcRenderer.listeners.clear();
}
