// The conversation's scrolling flow, virtualised (@tanstack/react-virtual, anchored at the end as a chat is): only the
// items in view are in the page, each measured as drawn (messages differ in height). It stays at the newest message
// as messages arrive unless the person scrolled up — then "New messages ↓" takes them down. Nearing the top loads
// older pages from the history (history-paging.ts) with what is in view kept where it is; a search result jumped to
// is scrolled into view, highlighted and given focus, and paging down from there joins the live messages up again.
// Also the live region that announces an incoming message while this conversation is shown, and a line saying so when
// the account keeps no history.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowEntry } from '../../store/conversations-slice';
import { useButterflyStore } from '../../store/store';
import { describeError } from '../errors';
import { useShownTheme } from '../shown-theme';
import { FlowRowView, flowRows, rowIndexOf, type FlowProps, type FlowRow } from './conversation-flow';
import { mergeFlow } from './history-merge';
import { useHistoryPaging } from './history-paging';
import './history-flow.css';

/** Rows this close to either end of what is loaded start loading the next page that way. */
const PAGE_AHEAD = 15;
/** Within this many pixels of the end counts as reading the newest message. */
const END_THRESHOLD = 48;
/** The flow's space above its first row and below its last (history-flow.css leaves it to the virtualizer). */
const FLOW_PADDING = 8;
const GROUP_HEAD = 20;
const LINE = 24;
const estimate = (row: FlowRow | undefined) => (row?.type === 'message' && row.head ? GROUP_HEAD + LINE : LINE);

export interface FlowPaneProps extends Omit<FlowProps, 'theme'> {
  conversationId: string;
  entries: readonly FlowEntry[];
}

export function FlowPane({ conversationId, entries, nameOf, ownName, onRetry }: FlowPaneProps) {
  const { t, i18n } = useTranslation();
  const theme = useShownTheme();
  const time = useMemo(() => new Intl.DateTimeFormat(i18n.language, { hour: 'numeric', minute: '2-digit' }), [i18n.language]);
  const stored = useButterflyStore((s) => s.histories[conversationId]);
  const historyOff = useButterflyStore((s) => s.historyStatus?.accountId === s.accountId && !s.historyStatus.status.keepHistory);
  const leaveHistory = useButterflyStore((s) => s.leaveHistory);
  const { load, error, settled } = useHistoryPaging(conversationId);
  const rows = useMemo(() => flowRows(mergeFlow(stored, entries)), [stored, entries]);
  const detached = stored?.newer !== undefined;
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => estimate(rows[i]),
    getItemKey: (i) => rows[i]?.key ?? i,
    overscan: 8,
    paddingStart: FLOW_PADDING,
    paddingEnd: FLOW_PADDING,
    anchorTo: 'end',
    followOnAppend: !detached,
    scrollEndThreshold: END_THRESHOLD,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const top = virtualizer.scrollOffset ?? 0;
  const height = virtualizer.scrollRect?.height ?? Infinity;
  const atEnd = !detached && virtualizer.getDistanceFromEnd() <= END_THRESHOLD;

  // Opened at the newest message (or at the message a search result jumped to).
  const focus = stored?.focus;
  const pendingFocus = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (!focus) virtualizer.scrollToEnd();
    // Only on opening: later, the end anchor keeps the newest message in view.
  }, [virtualizer]);
  useLayoutEffect(() => {
    if (!focus) return;
    pendingFocus.current = focus.messageId;
    const index = rowIndexOf(rows, focus.messageId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
    // Each jump once (its seq), not on every change of the rows.
  }, [focus?.seq, virtualizer]);
  // Focus goes to the highlighted message once it is drawn and can take it: a row drawn before the scroll reaches it
  // is still hidden, and nothing outside a dialog open in front can be focused; the next render tries again.
  useLayoutEffect(() => {
    if (!pendingFocus.current) return;
    const element = scrollRef.current?.querySelector<HTMLElement>('[data-highlight]');
    if (!element) return;
    element.focus({ preventScroll: true });
    if (document.activeElement === element) pendingFocus.current = null;
  });

  // Near the top: older pages; near the bottom of a stretch that does not reach the newest: newer ones.
  const first = virtualItems[0]?.index;
  const last = virtualItems[virtualItems.length - 1]?.index;
  const canOlder = !stored?.started || stored.older !== undefined;
  useEffect(() => {
    if (first !== undefined && first < PAGE_AHEAD && canOlder) load('older');
  }, [first, canOlder, load, settled]);
  useEffect(() => {
    if (last !== undefined && last >= rows.length - PAGE_AHEAD && detached) load('newer');
  }, [last, detached, load, settled]);
  // An empty conversation has no rows to be near: its first page is asked for at once.
  useEffect(() => {
    if (rows.length === 0 && !stored?.started) load('older');
  }, [rows.length, stored?.started, load]);

  // Messages that came while the person was reading further up.
  const [seen, setSeen] = useState(entries.length);
  useEffect(() => {
    if (atEnd && seen !== entries.length) setSeen(entries.length);
  }, [atEnd, seen, entries.length]);
  const unseen = Math.max(0, entries.length - seen);

  const toNewest = () => {
    if (detached) leaveHistory(conversationId);
    setSeen(entries.length);
    // After the live flow is back in place.
    requestAnimationFrame(() => virtualizer.scrollToEnd());
  };

  // The newest incoming message, read out: worked out when the flow changes, not on every frame of a scroll.
  const announce = useMemo(() => {
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i] as FlowEntry;
      if (e.type === 'message' && e.message.direction === 'in') return `${nameOf(e.message.from, e.message.nickname)}: ${e.message.kind === 'nudge' ? t('chat.nudge') : e.message.text}`;
    }
    return '';
  }, [entries, nameOf, t]);
  return (
    <>
      {historyOff && (
        <p className="history-off" role="note">
          {t('history.off')}
        </p>
      )}
      {error && (
        <p className="banner error" role="alert">
          {t('history.loadFailed', { reason: describeError(t, error).text })}
        </p>
      )}
      <div className="flow-holder">
        <div ref={scrollRef} className="flow-scroll" tabIndex={0} aria-label={t('chat.messages')}>
          <ol className="flow virtual" aria-label={t('chat.messages')} style={{ height: virtualizer.getTotalSize() }}>
            {virtualItems.map((v) => {
              const row = rows[v.index] as FlowRow;
              // The rows drawn ahead above and below the view are laid out (and measured) but not shown, so that
              // nothing clipped by the scroll box sits, unseen, under the header or the composer.
              const inView = v.end > top && v.start < top + height;
              return (
                <li key={v.key} ref={virtualizer.measureElement} data-index={v.index} style={{ transform: `translateY(${v.start}px)`, visibility: inView ? undefined : 'hidden' }}>
                  <FlowRowView row={row} nameOf={nameOf} ownName={ownName} onRetry={onRetry} theme={theme} time={time} highlight={focus?.messageId} />
                </li>
              );
            })}
          </ol>
        </div>
        {(detached || (unseen > 0 && !atEnd)) && (
          <button type="button" className="to-newest" onClick={toNewest}>
            {unseen > 0 ? t('history.newMessages') : t('history.toNewest')}
          </button>
        )}
      </div>
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announce}
      </p>
    </>
  );
}
