// The desktop app's windows: the contact list now, conversation windows later (a view joins WINDOW_VIEWS and
// `loadView` learns its page). Each window is known by its webContents id — the caller id the IPC handlers and the
// event routes see — and that is also what main trusts: IPC from any other webContents, from a subframe, or from a
// page navigated away from ours gets nothing. Windows are only ever opened here, by main, on a contract call
// (`windows:open`) or at start-up; a page's own window.open is denied, and https links go to the system browser.
import { BrowserWindow, shell, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import type { EventChannel, IpcEvents, WindowView } from '../../src-shared/ipc-contract';
import type { AccountId } from '../../src-shared/messenger-types';
import type { EventRoutes } from '../ipc/event-routes';
import type { Caller } from '../ipc/ipc-dispatcher';

export interface WindowRegistryOptions {
  routes: EventRoutes;
  /** The preload script every window gets. */
  preload: string;
  /** Loads our page into a new window. */
  loadPage(window: BrowserWindow): void;
  /** Whether a frame's address is our page (the built file, or the dev server's address while developing). */
  isOurPage(url: string): boolean;
}

/** What a window shows: a view, for an account when it was opened for one. */
export interface WindowSpec {
  view: WindowView;
  accountId?: AccountId;
}

const SIZES: Record<WindowView, { width: number; height: number; minWidth: number; minHeight: number }> = {
  'contact-list': { width: 360, height: 640, minWidth: 300, minHeight: 480 },
};

export class WindowRegistry {
  private readonly windows = new Map<string, { window: BrowserWindow; view: WindowView }>();

  constructor(private readonly options: WindowRegistryOptions) {}

  get size(): number {
    return this.windows.size;
  }

  /**
   * Shows the view: brings forward the window already showing it for that account (a contact list watching the
   * account), or opens a new one — watching the account before its page has loaded, so its first call finds it.
   */
  open(spec: WindowSpec): { windowId: number } {
    for (const [id, entry] of this.windows) {
      if (entry.view === spec.view && spec.accountId !== undefined && this.options.routes.accountWatchedBy(id) === spec.accountId) {
        if (entry.window.isMinimized()) entry.window.restore();
        entry.window.focus();
        return { windowId: entry.window.webContents.id };
      }
    }
    return { windowId: this.create(spec) };
  }

  /** The caller of an IPC message when it comes from the top frame of one of our windows showing our page. */
  trustedCaller(event: IpcMainInvokeEvent | IpcMainEvent): Caller | undefined {
    const id = String(event.sender.id);
    const frame = event.senderFrame;
    if (!this.windows.has(id) || !frame || frame.parent !== null || !this.options.isOurPage(frame.url)) return undefined;
    return { id };
  }

  /** Sends an event to the windows named (those gone or closing are skipped). */
  send<C extends EventChannel>(clients: readonly string[], channel: C, payload: IpcEvents[C]): void {
    for (const id of clients) {
      const window = this.windows.get(id)?.window;
      if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
    }
  }

  private create(spec: WindowSpec): number {
    const window = new BrowserWindow({
      ...SIZES[spec.view],
      title: 'Butterfly',
      show: false,
      webPreferences: {
        preload: this.options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: true,
      },
    });
    const contents = window.webContents;
    const id = String(contents.id);
    this.windows.set(id, { window, view: spec.view });
    if (spec.accountId !== undefined) this.options.routes.watchAccount(id, spec.accountId);
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      this.windows.delete(id);
      this.options.routes.forget(id);
    });
    // No navigation away from the app, no windows the page opens itself; https links open in the system browser.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https:')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    this.options.loadPage(window);
    return contents.id;
  }
}
