// A conversation's own window (the desktop app): that one conversation of that account and nothing else, its name
// as the window's title. Main opened it with the view in the address; ipc/main-events.ts loaded the conversation
// (`conversations:get`), and main closes the window when the conversation is closed. When someone is invited in,
// main changes the address to the group conversation it grew into (whose flow the store carries on from the single
// one's) and the window shows that.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseConversationViewHash, type ConversationWindowView } from '../../../src-shared/window-view';
import { useButterflyStore } from '../../store/store';
import { useCommands } from '../main-api';
import { useConversationName } from './conversation-tabs';
import { ConversationView } from './conversation-view';
import { showAroundMessage } from './history-paging';
import './conversation.css';
import './conversation-window.css';

export function ConversationWindow({ view: opened }: { view: ConversationWindowView }) {
  const { t } = useTranslation();
  const [view, setView] = useState(opened);
  useEffect(() => {
    const follow = () => {
      const next = parseConversationViewHash(window.location.hash);
      if (next && next.accountId === opened.accountId) setView(next);
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [opened.accountId]);
  const loaded = useButterflyStore((s) => s.accountId === view.accountId && s.conversations[view.conversationId] !== undefined);
  const names = useConversationName(view.conversationId);
  // Opened at a stored message (a search result in the contact list): shown once the conversation is there. One that
  // is not stored (deleted meanwhile) leaves the conversation at its newest.
  const commands = useCommands();
  const { conversationId, messageId } = view;
  useEffect(() => {
    if (loaded && messageId !== undefined) void showAroundMessage(commands, useButterflyStore, conversationId, messageId);
  }, [loaded, conversationId, messageId, commands]);
  useEffect(() => {
    document.title = names ? t('chat.with', { names }) : 'Butterfly';
  }, [names, t]);
  return (
    <main className="conversation-window">
      {loaded ? <ConversationView conversationId={view.conversationId} markReadOnFocus /> : <p className="conversation-hint">{t('windows.opening')}</p>}
    </main>
  );
}
