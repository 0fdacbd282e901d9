// The stored history this window has loaded, per conversation: one contiguous stretch of stored messages (oldest
// first) with the cursors to page on from either end, and the message a search result asked to be shown. A stretch
// with no `newer` cursor reaches the newest stored message, so the flow shows it joined to the live messages
// (ui/conversation/history-merge.ts); one with a `newer` cursor (after jumping far back) is shown on its own until
// paging down joins it up. Also the account's history status (whether it keeps any). Pure actions: the pages come
// from ui/conversation/history-paging.ts through store/commands.ts.
import type { StateCreator } from 'zustand';
import type { AccountId } from '../../src-shared/messenger-types';
import type { HistoryMessage, HistoryStatus, MessagePage } from '../../src-shared/history-types';

export interface HistoryWindow {
  /** Stored messages, oldest first, one contiguous stretch of the history, no id twice. */
  messages: readonly HistoryMessage[];
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

export const emptyWindow: HistoryWindow = { messages: [], started: false, generation: 0 };

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

/** `a` then `b`, the ids in `a` not repeated from `b`, the ones in `b` kept (they are the later answer). */
function joined(a: readonly HistoryMessage[], b: readonly HistoryMessage[]): HistoryMessage[] {
  const later = new Set(b.map((m) => m.id));
  return [...a.filter((m) => !later.has(m.id)), ...b];
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
        if (!w.started) return { ...w, messages: page.messages, older: page.older, newer: direction === 'older' ? undefined : page.newer, started: true };
        return direction === 'older'
          ? { ...w, messages: joined(page.messages, w.messages), older: page.older }
          : { ...w, messages: joined(w.messages, page.messages), newer: page.newer };
      }),
    showHistoryAround: (conversationId, page, messageId) =>
      update(conversationId, (w) => ({
        messages: page.messages,
        older: page.older,
        newer: page.newer,
        started: true,
        generation: w.generation + 1,
        focus: { messageId, seq: nextFocus++ },
      })),
    leaveHistory: (conversationId) => update(conversationId, (w) => ({ ...emptyWindow, generation: w.generation + 1 })),
  };
};
