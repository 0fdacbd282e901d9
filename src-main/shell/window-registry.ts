// The desktop app's windows: contact lists and conversation windows (one per conversation). Each window is known by
// its webContents id — the caller id the IPC handlers and the event routes see — and that is also what main trusts:
// IPC from any other webContents, from a subframe, or from a page navigated away from ours gets nothing. Windows are
// only ever opened here, by main, on a contract call (`windows:open`), at start-up or for a message that arrived;
// a page's own window.open is denied, and http(s) links go to the system browser. A window opens where the last one of
// its kind was (the contact list's place, and one place for conversation windows), put back on a screen that is
// there now; a conversation window's page learns what to show from its address's fragment.
import { BrowserWindow, shell, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import type { EventChannel, IpcEvents } from '../../src-shared/ipc-contract';
import type { AccountId } from '../../src-shared/messenger-types';
import { safeLink } from '../../src-shared/links';
import { conversationViewHash, type ConversationWindowView } from '../../src-shared/window-view';
import type { EventRoutes } from '../ipc/event-routes';
import type { Caller } from '../ipc/ipc-dispatcher';
import { cascade, placeOnDisplays, type Rect, type WindowBoundsStore } from '../settings/window-bounds';

export interface WindowRegistryOptions {
  routes: EventRoutes;
  /** The preload script every window gets. */
  preload: string;
  /** Loads our page into a new window, with `hash` as its address's fragment when there is one. */
  loadPage(window: BrowserWindow, hash?: string): void;
  /** Whether a frame's address is our page (the built file, or the dev server's address while developing). */
  isOurPage(url: string): boolean;
  /** Where each kind of window was last. */
  bounds: WindowBoundsStore;
  /** The work areas of the displays there are now. */
  displays(): Rect[];
  /** A conversation window closed: its conversation is left and forgotten. */
  onDidCloseConversation?(view: ConversationWindowView): void;
}

/** What a window shows: the contact list (for an account when it was opened for one), or one conversation. */
export type WindowSpec = { view: 'contact-list'; accountId?: AccountId } | ConversationWindowView;

export interface OpenOptions {
  /** Shown without taking the focus (`showInactive`) and flashing: a message arrived for it. */
  inactive?: boolean;
}

const SIZES: Record<WindowSpec['view'], { width: number; height: number; minWidth: number; minHeight: number }> = {
  'contact-list': { width: 360, height: 640, minWidth: 300, minHeight: 480 },
  conversation: { width: 520, height: 480, minWidth: 360, minHeight: 320 },
};

interface Entry {
  window: BrowserWindow;
  spec: WindowSpec;
}

export class WindowRegistry {
  private readonly windows = new Map<string, Entry>();

  constructor(private readonly options: WindowRegistryOptions) {}

  get size(): number {
    return this.windows.size;
  }

  /**
   * Shows the view: brings forward the window already showing it — a contact list watching the account, the window of
   * that conversation — or opens a new one, watching the account before its page has loaded, so its first call finds
   * it. `inactive`: a window already open is left where it is (and flashes); a new one is shown without the focus.
   */
  open(spec: WindowSpec, options: OpenOptions = {}): { windowId: number } {
    const open = this.find(spec);
    // A message to show in a conversation window already open: its page is told by a new fragment (it pages there).
    if (open && spec.view === 'conversation' && spec.messageId !== undefined) this.options.loadPage(open, conversationViewHash(spec));
    if (open && options.inactive) open.flashFrame(true);
    else if (open) {
      if (open.isMinimized()) open.restore();
      open.focus();
    }
    return { windowId: open ? open.webContents.id : this.create(spec, options) };
  }

  /** The open window showing this view (for a contact list: the one watching that account). */
  find(spec: WindowSpec): BrowserWindow | undefined {
    return this.entryFor(spec)?.window;
  }

  /**
   * A single conversation grew into a group one (someone was invited in): its window shows the group from now on —
   * main's lookups, and the page, told by a new fragment in its address (a same-document navigation) — unless the
   * group has a window already.
   */
  followGrowth(from: ConversationWindowView, to: string): void {
    const entry = this.entryFor(from);
    const spec: ConversationWindowView = { ...from, conversationId: to };
    if (!entry || this.entryFor(spec)) return;
    entry.spec = spec;
    this.options.loadPage(entry.window, conversationViewHash(spec));
  }

  /** Closes the conversation's window, if it has one (the conversation was closed). */
  closeConversation(view: ConversationWindowView): void {
    this.find(view)?.close();
  }

  private entryFor(spec: WindowSpec): Entry | undefined {
    if (spec.accountId === undefined) return undefined;
    for (const [id, entry] of this.windows) {
      if (entry.window.isDestroyed()) continue;
      const shown = entry.spec;
      if (spec.view === 'conversation' ? shown.view === 'conversation' && sameConversation(shown, spec) : shown.view === spec.view && this.options.routes.accountWatchedBy(id) === spec.accountId) {
        return entry;
      }
    }
    return undefined;
  }

  /** A conversation window (by webContents id) gained or lost the focus: its account's contact list is told. */
  private tellFocus(id: string, focused: boolean): void {
    const shown = this.windows.get(id)?.spec;
    if (shown?.view !== 'conversation') return;
    const list = this.find({ view: 'contact-list', accountId: shown.accountId });
    if (list && !list.isDestroyed()) list.webContents.send('windows:did-focus-conversation', { accountId: shown.accountId, conversationId: focused ? shown.conversationId : null });
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

  private create(spec: WindowSpec, options: OpenOptions): number {
    const window = new BrowserWindow({
      ...SIZES[spec.view],
      ...this.placeFor(spec.view),
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
    // Kept without the message it was opened at: that is for its page, not what the window shows.
    this.windows.set(id, { window, spec: spec.view === 'conversation' ? withoutMessage(spec) : spec });
    if (spec.accountId !== undefined) this.options.routes.watchAccount(id, spec.accountId);
    window.once('ready-to-show', () => {
      if (!options.inactive) return window.show();
      window.showInactive();
      window.flashFrame(true);
    });
    // Flashing asks for attention until the window gets it. A conversation window's focus is told to its account's
    // contact list, which plays the sounds (none for a message in the conversation being read).
    window.on('focus', () => {
      window.flashFrame(false);
      this.tellFocus(id, true);
    });
    window.on('blur', () => this.tellFocus(id, false));
    // Its place is remembered when the person has moved or resized it (macOS and Windows say when they are done) and
    // as it closes: its normal bounds, not those of a maximised window.
    const remember = () => void this.options.bounds.remember(spec.view, window.getNormalBounds());
    window.on('moved', remember);
    window.on('resized', remember);
    window.on('close', remember);
    window.on('closed', () => {
      // What it showed last (a conversation it followed into a group, too).
      const shown = this.windows.get(id)?.spec;
      this.windows.delete(id);
      this.options.routes.forget(id);
      if (shown?.view === 'conversation') this.options.onDidCloseConversation?.(shown);
    });
    // No navigation away from the app, no windows the page opens itself; http(s) links open in the system browser.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const link = safeLink(url);
      if (link) void shell.openExternal(link);
      return { action: 'deny' };
    });
    this.options.loadPage(window, spec.view === 'conversation' ? conversationViewHash(spec) : undefined);
    return contents.id;
  }

  /**
   * Where a new window of this kind goes: where the last one was (or, nothing remembered yet, where the newest one
   * open is), on a screen that is there now, stepping down and right from another still there. Neither: Electron's
   * default place.
   */
  private placeFor(view: WindowSpec['view']): Partial<Rect> {
    const taken = [...this.windows.values()].filter((e) => e.spec.view === view && !e.window.isDestroyed()).map((e) => e.window.getBounds());
    const base = this.options.bounds.get(view) ?? taken.at(-1);
    if (!base) return {};
    const displays = this.options.displays();
    return placeOnDisplays(cascade(placeOnDisplays(base, displays), taken), displays);
  }
}

const withoutMessage = ({ messageId: _shown, ...view }: ConversationWindowView): ConversationWindowView => view;
const sameConversation = (a: ConversationWindowView, b: ConversationWindowView) => a.accountId === b.accountId && a.conversationId === b.conversationId;
