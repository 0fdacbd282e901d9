// Loading a conversation's stored messages into the history slice: older pages as the person nears the top, newer
// ones as they near the bottom of a stretch that does not reach the newest message yet, and the page around a search
// result (opening its conversation first when it is not open). One page at a time each way; a page that comes back
// after the stretch was replaced is dropped by the slice (its generation).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../src-shared/errors';
import type { PageAnchor } from '../../../src-shared/history-types';
import type { Commands } from '../../store/commands';
import type { FlowEntry } from '../../store/conversations-slice';
import { emptyWindow, type HistoryWindow } from '../../store/history-slice';
import { useButterflyStore, type ButterflyStore } from '../../store/store';
import { useCommands } from '../main-api';

/** Messages per page: well within a frame to fetch (bench/renderer measures it) and a screenful many times over. */
export const HISTORY_PAGE = 100;

/**
 * The first older page of a conversation whose live messages are in the flow: around the oldest live message (the
 * history has it too, and its `older` cursor pages on from there), or the newest when nothing is live yet.
 */
export function firstAnchor(live: readonly FlowEntry[]): PageAnchor {
  const oldest = live.find((e) => e.type === 'message');
  return oldest?.type === 'message' ? { kind: 'around', messageId: oldest.message.id } : { kind: 'newest' };
}

/** Which page to ask for next towards `direction`, or null when there is none (or none is known yet). */
export function nextAnchor(window: HistoryWindow, direction: 'older' | 'newer', live: readonly FlowEntry[]): PageAnchor | null {
  if (!window.started) return direction === 'older' ? firstAnchor(live) : null;
  const cursor = direction === 'older' ? window.older : window.newer;
  return cursor === undefined ? null : { kind: direction === 'older' ? 'before' : 'after', cursor };
}

/** Loads pages of one conversation into the store; answers what went wrong with the last one, if anything. */
export async function loadPage(
  commands: Pick<Commands, 'historyPage'>,
  store: Pick<ButterflyStore, 'getState'>,
  conversationId: string,
  direction: 'older' | 'newer',
): Promise<ErrorInfo | null> {
  const state = store.getState();
  const window = state.histories[conversationId] ?? emptyWindow;
  const live = state.flows[conversationId] ?? [];
  const anchor = nextAnchor(window, direction, live);
  if (!anchor) return null;
  let r = await commands.historyPage(conversationId, anchor, HISTORY_PAGE);
  // The oldest live message may not be stored (saving failed meanwhile): then from the newest.
  if (!r.ok && anchor.kind === 'around' && r.error.code === 'history.unknown-message') r = await commands.historyPage(conversationId, { kind: 'newest' }, HISTORY_PAGE);
  if (!r.ok) return r.error;
  store.getState().addHistoryPage(conversationId, window.generation, direction, r.value);
  return null;
}

/**
 * The page around a stored message, its conversation shown (through commands.ts: its tab in this page, or its own
 * window in the desktop app, which pages to the message itself) or opened with its contact when it is not open.
 * Answers null when it is shown, `not-open` for a conversation that cannot be opened again (a group one of an earlier
 * run), else what went wrong.
 */
export async function jumpToMessage(
  commands: Pick<Commands, 'historyPage' | 'openConversation' | 'showConversation'>,
  store: Pick<ButterflyStore, 'getState'>,
  target: { conversationId: string; messageId: string; contact?: string },
): Promise<ErrorInfo | 'not-open' | null> {
  const { conversationId, messageId, contact } = target;
  if (!store.getState().conversations[conversationId]) {
    if (!contact) return 'not-open';
    const opened = await commands.openConversation(contact);
    if (!opened.ok) return opened.error;
    if (opened.value.conversationId !== conversationId) return 'not-open';
    if (opened.value.shown === 'in-page') return showAroundMessage(commands, store, conversationId, messageId);
  }
  const shown = await commands.showConversation(conversationId, messageId);
  if (!shown.ok) return shown.error;
  return shown.value.shown === 'window' ? null : showAroundMessage(commands, store, conversationId, messageId);
}

/** The stored page around a message, shown in this window's flow with the message in focus. */
export async function showAroundMessage(commands: Pick<Commands, 'historyPage'>, store: Pick<ButterflyStore, 'getState'>, conversationId: string, messageId: string): Promise<ErrorInfo | null> {
  const page = await commands.historyPage(conversationId, { kind: 'around', messageId }, HISTORY_PAGE);
  if (!page.ok) return page.error;
  store.getState().showHistoryAround(conversationId, page.value, messageId);
  return null;
}

/**
 * For the flow: `load('older' | 'newer')`, at most one page in flight each way; what went wrong with the last; and
 * `settled`, which changes as each page is done (the flow renders with a page before its request has finished, so it
 * checks again then whether it wants the next one).
 */
export function useHistoryPaging(conversationId: string): { load: (direction: 'older' | 'newer') => void; error: ErrorInfo | null; settled: number } {
  const commands = useCommands();
  const accountId = useButterflyStore((s) => s.accountId);
  const known = useButterflyStore((s) => s.historyStatus?.accountId === s.accountId);
  const inFlight = useRef(new Set<string>());
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [settled, setSettled] = useState(0);
  useEffect(() => {
    if (!known && accountId !== null) void commands.historyStatus();
  }, [known, accountId, commands]);
  const load = useCallback(
    (direction: 'older' | 'newer') => {
      if (inFlight.current.has(direction)) return;
      inFlight.current.add(direction);
      void loadPage(commands, useButterflyStore, conversationId, direction).then((failed) => {
        inFlight.current.delete(direction);
        setError(failed);
        // Not after a failure: the next try waits for the person to scroll.
        if (!failed) setSettled((n) => n + 1);
      });
    },
    [commands, conversationId],
  );
  return { load, error, settled };
}
