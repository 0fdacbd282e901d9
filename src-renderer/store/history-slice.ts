// The stored history this window has loaded, per conversation: one contiguous stretch of stored messages (oldest
// first), the pages it came in (each with the cursors to page on from its ends), and the message a search result
// asked to be shown. A stretch with no `newer` cursor reaches the newest stored message, so the flow shows it joined to
// the live messages (ui/conversation/history-merge.ts); one with a `newer` cursor (after jumping far back) is shown on
// its own until paging down joins it up. At most MAX_LOADED messages are held: paging on past that lets go of the
// pages at the far end (and their cursor becomes the way back), so a 50,000-message conversation costs the renderer
// what a few thousand do. Also the account's history status (whether it keeps any). Pure actions: the pages come
// from ui/conversation/history-paging.ts through store/commands.ts.
import type { StateCreator } from 'zustand';
import type { AccountId } from '../../src-shared/messenger-types';
import type { HistoryMessage, HistoryStatus, MessagePage } from '../../src-shared/history-types';

/** A page as it was added: how many of the stretch's messages it gave, and its own cursors. */
interface LoadedPage {
  count: number;
  older?: string;
  newer?: string;
}

export interface HistoryWindow {
  /** Stored messages, oldest first, one contiguous stretch of the history, no id twice. */
  messages: readonly HistoryMessage[];
  /** The pages they came in, oldest first. */
  pages: readonly LoadedPage[];
  /** Pages on towards older messages (`before`); absent once the first page said there are none. */
  older?: string;
  /** Pages on towards newer ones (`after`); absent: the stretch reaches the newest stored message. */
  newer?: string;
  /** Whether a page has been loaded (before that, no `older` means "not asked yet"). */
  started: boolean;
  /** Bumped when the stretch is replaced (a jump, back to the newest): a page asked for before is dropped. */
  generation: number;
  /** The message a search result jumped to: shown highlighted and scrolled into view; `seq` tells jumps apart. */
  focus?: { messageId: string; seq: number };
}

/** The most stored messages held per conversation (pages are let go of whole, so a page more at times). */
export const MAX_LOADED = 3_000;

export const emptyWindow: HistoryWindow = { messages: [], pages: [], started: false, generation: 0 };

export interface HistorySlice {
  histories: Readonly<Record<string, HistoryWindow>>;
  /** The history status main last gave, for the account it was asked for. */
  historyStatus: { accountId: AccountId; status: HistoryStatus } | null;
  applyHistoryStatus(accountId: AccountId, status: HistoryStatus): void;
  /** A page asked for at `generation`, older or newer than the stretch (the first page, either way, starts it). */
  addHistoryPage(conversationId: string, generation: number, direction: 'older' | 'newer', page: MessagePage): void;
  /** A page around a message (a search result): the stretch becomes that page, the message in focus. */
  showHistoryAround(conversationId: string, page: MessagePage, messageId: string): void;
  /** Back to the newest: the stretch is dropped, the flow is the live one again (older pages load anew). */
  leaveHistory(conversationId: string): void;
}

/** Grown by `page` at one end (its messages already held left out), then held to MAX_LOADED by letting go of whole
 *  pages at the other end. `pageNewer`: the page's own cursor towards newer messages, as it is to be kept. */
function grown(w: HistoryWindow, direction: 'older' | 'newer', page: MessagePage, pageNewer: string | undefined): HistoryWindow {
  const known = new Set(w.messages.map((m) => m.id));
  const fresh = page.messages.filter((m) => !known.has(m.id));
  const added: LoadedPage = { count: fresh.length, older: page.older, newer: pageNewer };
  let messages = direction === 'older' ? [...fresh, ...w.messages] : [...w.messages, ...fresh];
  const pages = direction === 'older' ? [added, ...w.pages] : [...w.pages, added];
  let older = direction === 'older' || !w.started ? page.older : w.older;
  let newer = direction === 'newer' || !w.started ? pageNewer : w.newer;
  while (messages.length > MAX_LOADED && pages.length > 1) {
    if (direction === 'older') {
      const gone = pages.pop() as LoadedPage;
      messages = messages.slice(0, messages.length - gone.count);
      newer = (pages[pages.length - 1] as LoadedPage).newer;
    } else {
      const gone = pages.shift() as LoadedPage;
      messages = messages.slice(gone.count);
      older = (pages[0] as LoadedPage).older;
    }
  }
  return { ...w, messages, pages, older, newer, started: true };
}

let nextFocus = 1;

export const createHistorySlice: StateCreator<HistorySlice, [], [], HistorySlice> = (set) => {
  const update = (conversationId: string, change: (w: HistoryWindow) => HistoryWindow | null) =>
    set((s) => {
      const next = change(s.histories[conversationId] ?? emptyWindow);
      return next ? { histories: { ...s.histories, [conversationId]: next } } : s;
    });
  return {
    histories: {},
    historyStatus: null,
    applyHistoryStatus: (accountId, status) => set({ historyStatus: { accountId, status } }),
    addHistoryPage: (conversationId, generation, direction, page) =>
      update(conversationId, (w) => {
        if (w.generation !== generation) return null;
        // The first older page is next to the live messages (it was asked for around the oldest of them, or as the
        // newest): it joins them, whatever lies after it.
        return grown(w, direction, page, !w.started && direction === 'older' ? undefined : page.newer);
      }),
    showHistoryAround: (conversationId, page, messageId) =>
      update(conversationId, (w) => ({
        ...grown({ ...emptyWindow, generation: w.generation + 1 }, 'newer', page, page.newer),
        focus: { messageId, seq: nextFocus++ },
      })),
    leaveHistory: (conversationId) => update(conversationId, (w) => ({ ...emptyWindow, generation: w.generation + 1 })),
  };
};
