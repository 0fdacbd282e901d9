// Browser mode's conversations: a tab strip beside the contact list, one tab per conversation (a message arriving
// with no tab open adds one with its unread badge, without taking the person away from what they were doing) and the
// shown conversation under it. In the desktop app, where each conversation has a window of its own, the strip is a
// list of the open conversations with their unread badges, each opening (or bringing forward) its window. Also the
// seam the contact rows open conversations through.
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useButterflyStore } from '../../store/store';
import { contactKey } from '../../store/contacts-slice';
import { ConversationSeamContext, type ConversationSeam } from '../contact-list/conversation-seam';
import { contactName, showName } from '../display-name';
import { useAct } from '../use-act';
import { ConversationView } from './conversation-view';
import './conversation.css';
import './conversation-window.css';

export function ConversationProvider({ children }: { children: ReactNode }) {
  const act = useAct();
  const seam = useMemo<ConversationSeam>(() => ({ openConversation: (email) => void act({ action: 'open-conversation', email }, (c) => c.openConversation(email)) }), [act]);
  return <ConversationSeamContext.Provider value={seam}>{children}</ConversationSeamContext.Provider>;
}

/** The names of the people in a conversation, as the list shows them, joined. */
export function useConversationName(conversationId: string): string {
  return useButterflyStore((s) => {
    const c = s.conversations[conversationId];
    if (!c) return '';
    const people = c.participants.length > 0 ? c.participants : c.contact ? [{ email: c.contact, nickname: '' }] : [];
    return people
      .map((p) => {
        const contact = s.contacts[contactKey(p.email)];
        return contact ? contactName(contact) : showName(p.nickname) || p.email;
      })
      .join(', ');
  });
}

function TabName({ conversationId }: { conversationId: string }) {
  return <bdi className="tab-name">{useConversationName(conversationId)}</bdi>;
}

function UnreadBadge({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const unread = useButterflyStore((s) => s.conversations[conversationId]?.unread ?? 0);
  return unread > 0 ? (
    <span className="unread-badge" aria-label={t('chat.unread', { count: unread })}>
      {unread}
    </span>
  ) : null;
}

function Tab({ conversationId, active }: { conversationId: string; active: boolean }) {
  const showTab = useButterflyStore((s) => s.showTab);
  return (
    <button
      type="button"
      role="tab"
      id={`tab-${conversationId}`}
      className={active ? 'conversation-tab active' : 'conversation-tab'}
      aria-selected={active}
      aria-controls="conversation-panel"
      tabIndex={active ? 0 : -1}
      onClick={() => showTab(conversationId)}
    >
      <TabName conversationId={conversationId} />
      <UnreadBadge conversationId={conversationId} />
    </button>
  );
}

/** The desktop app's open conversations: each button opens (or brings forward) that conversation's window. */
function ConversationWindowList({ tabs }: { tabs: readonly string[] }) {
  const { t } = useTranslation();
  const act = useAct();
  return (
    <nav className="conversation-windows" aria-label={t('chat.conversations')}>
      <ul>
        {tabs.map((id) => (
          <li key={id}>
            <button type="button" className="conversation-tab" onClick={() => void act({ action: 'open-conversation' }, (c) => c.showConversation(id))}>
              <TabName conversationId={id} />
              <UnreadBadge conversationId={id} />
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function ConversationTabs() {
  const { t } = useTranslation();
  const tabs = useButterflyStore((s) => s.tabs);
  const active = useButterflyStore((s) => s.activeTab);
  const showTab = useButterflyStore((s) => s.showTab);
  const inWindows = useButterflyStore((s) => s.appInfo?.shell === 'electron');
  if (tabs.length === 0) return null;
  if (inWindows) return <ConversationWindowList tabs={tabs} />;
  return (
    <div className="conversations">
      <div
        className="conversation-tabs"
        role="tablist"
        aria-label={t('chat.conversations')}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
          const i = tabs.indexOf(active ?? '');
          const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
          if (next) {
            e.preventDefault();
            showTab(next);
            document.getElementById(`tab-${next}`)?.focus();
          }
        }}
      >
        {tabs.map((id) => (
          <Tab key={id} conversationId={id} active={id === active} />
        ))}
      </div>
      {active ? (
        <div id="conversation-panel" role="tabpanel" aria-labelledby={`tab-${active}`} className="conversation-panel">
          <ConversationView key={active} conversationId={active} />
        </div>
      ) : (
        <p className="conversation-hint">{t('chat.chooseTab')}</p>
      )}
    </div>
  );
}
