// The conversation's scrolling flow: kept at the newest message as messages arrive, and the live region that announces
// an incoming message while this conversation is shown.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowEntry } from '../../store/conversations-slice';
import { ConversationFlow, type FlowProps } from './conversation-flow';

/** The theme on screen (html[data-theme], which the app sets), followed as it changes. */
const subscribeTheme = (onChange: () => void) => {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
};
const shownTheme = () => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');

export interface FlowPaneProps extends Omit<FlowProps, 'theme'> {
  conversationId: string;
  entries: readonly FlowEntry[];
}

export function FlowPane({ entries, nameOf, ownName, onRetry }: FlowPaneProps) {
  const { t } = useTranslation();
  const theme = useSyncExternalStore(subscribeTheme, shownTheme);
  const flowEnd = useRef<HTMLDivElement>(null);
  useEffect(() => {
    flowEnd.current?.scrollIntoView({ block: 'end' });
  }, [entries.length]);

  const last = [...entries].reverse().find((e) => e.type === 'message' && e.message.direction === 'in');
  const announce = last?.type === 'message' && last.message.direction === 'in' ? `${nameOf(last.message.from, last.message.nickname)}: ${last.message.kind === 'nudge' ? t('chat.nudge') : last.message.text}` : '';
  return (
    <>
      <div className="flow-scroll" tabIndex={0} aria-label={t('chat.messages')}>
        <ConversationFlow entries={entries} nameOf={nameOf} ownName={ownName} onRetry={onRetry} theme={theme} />
        <div ref={flowEnd} />
      </div>
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announce}
      </p>
    </>
  );
}
