// One conversation: who is in it (with their status) and Invite, the flow (flow-pane.tsx), who is typing, and the box
// to write in (composer.tsx). A received nudge shakes the view (not when the system asks for reduced motion: the CSS
// says so); unread messages are marked read when the view is shown and the page is visible.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useButterflyStore } from '../../store/store';
import { contactKey } from '../../store/contacts-slice';
import { contactName, showName } from '../display-name';
import { describeError } from '../errors';
import { useCommands } from '../main-api';
import { presenceKind, StatusIcon } from '../status-icon';
import { Composer } from './composer';
import { FlowPane } from './flow-pane';
import { SearchInConversation } from './search-in-conversation';

const SHAKE_MS = 600;

/** Runs a call and shows what went wrong (or clears it); answers whether it succeeded. */
export type Refused = (call: Promise<{ ok: true } | { ok: false; error: Parameters<typeof describeError>[1] }>) => Promise<boolean>;

/**
 * `markReadOnFocus`: a window of its own (the desktop app), which main may open behind others; it is read once it has
 * the focus, not merely once it is visible. A tab beside the list is read when shown.
 */
export function ConversationView({ conversationId, markReadOnFocus = false }: { conversationId: string; markReadOnFocus?: boolean }) {
  const { t } = useTranslation();
  const commands = useCommands();
  const conversation = useButterflyStore((s) => s.conversations[conversationId]);
  const entries = useButterflyStore((s) => s.flows[conversationId]) ?? [];
  const typing = useButterflyStore((s) => s.typing[conversationId]);
  const nudgedAt = useButterflyStore((s) => s.nudgedAt[conversationId]);
  const contacts = useButterflyStore((s) => s.contacts);
  const ownName = useButterflyStore((s) => (s.profile ? showName(s.profile.nickname) || s.profile.email : s.email));
  const closeTab = useButterflyStore((s) => s.closeTab);
  const [error, setError] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);
  const [inviteEmail, setInviteEmail] = useState('');
  const [shaking, setShaking] = useState(false);

  const nameOf = useCallback(
    (email: string, nickname?: string) => {
      const contact = contacts[contactKey(email)];
      if (contact) return contactName(contact);
      const fromWire = nickname ?? conversation?.participants.find((p) => contactKey(p.email) === contactKey(email))?.nickname;
      return (fromWire && showName(fromWire)) || email;
    },
    [contacts, conversation],
  );

  const unread = conversation?.unread ?? 0;
  useEffect(() => {
    if (unread === 0) return;
    const mark = () => {
      if (document.visibilityState === 'visible' && (!markReadOnFocus || document.hasFocus())) void commands.markRead(conversationId);
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    window.addEventListener('focus', mark);
    return () => {
      document.removeEventListener('visibilitychange', mark);
      window.removeEventListener('focus', mark);
    };
  }, [unread, conversationId, commands, markReadOnFocus]);

  const seenNudge = useRef(nudgedAt);
  useEffect(() => {
    if (nudgedAt === undefined || nudgedAt === seenNudge.current) return;
    seenNudge.current = nudgedAt;
    setShaking(true);
    const timer = setTimeout(() => setShaking(false), SHAKE_MS);
    return () => clearTimeout(timer);
  }, [nudgedAt]);

  const refused = useCallback<Refused>(
    async (call) => {
      const r = await call;
      setError(r.ok ? null : describeError(t, r.error).text);
      return r.ok;
    },
    [t],
  );
  const onRetry = useCallback((ids: string[]) => ids.forEach((id) => void refused(commands.retryMessage(id))), [commands, refused]);

  if (!conversation) return null;
  const others = conversation.participants.length > 0 ? conversation.participants : conversation.contact ? [{ email: conversation.contact, nickname: '' }] : [];

  return (
    <section className={shaking ? 'conversation-view shaking' : 'conversation-view'} aria-label={t('chat.with', { names: others.map((p) => nameOf(p.email, p.nickname)).join(', ') })}>
      <header className="conversation-head">
        <ul className="participants" aria-label={t('chat.participants')}>
          {others.map((p) => {
            const contact = contacts[contactKey(p.email)];
            const kind = contact ? presenceKind(contact.status, contact.lists.BL) : 'offline';
            return (
              <li key={p.email}>
                <StatusIcon kind={kind} />
                <bdi className="participant-name">{nameOf(p.email, p.nickname)}</bdi>
                <span className="participant-status">{t(`status.${contact?.lists.BL ? 'blocked' : (contact?.status ?? 'unknown')}`)}</span>
              </li>
            );
          })}
        </ul>
        <SearchInConversation conversationId={conversationId} />
        <button type="button" className="secondary" aria-expanded={inviting} onClick={() => setInviting((v) => !v)}>
          {t('chat.invite')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            closeTab(conversationId);
            void commands.closeConversation(conversationId);
          }}
        >
          {t('chat.closeTab')}
        </button>
      </header>
      {inviting && (
        <form
          className="invite-form"
          onSubmit={(e) => {
            e.preventDefault();
            const email = inviteEmail.trim();
            if (!email) return;
            void commands.invite(conversationId, email).then((r) => {
              // A call the server or switchboard refused is said in the flow (invite-failed), naming the person: the
              // form then closes instead of saying it a second time. What never reached the server stays here.
              const inFlow = !r.ok && /^(server|switchboard)\./.test(r.error.code);
              setError(r.ok || inFlow ? null : describeError(t, r.error).text);
              if (r.ok || inFlow) {
                setInviteEmail('');
                setInviting(false);
              }
            });
          }}
        >
          <label>
            {t('chat.inviteLabel')}
            <input type="email" value={inviteEmail} onChange={(e) => setInviteEmail(e.target.value)} autoFocus />
          </label>
          <button type="submit">{t('chat.inviteSend')}</button>
        </form>
      )}
      <FlowPane conversationId={conversationId} entries={entries} nameOf={nameOf} ownName={ownName} onRetry={onRetry} />
      <p className="typing" aria-live="polite">
        {typing && typing.length > 0 ? t('chat.typing', { name: typing.map((e) => nameOf(e)).join(', ') }) : ''}
      </p>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      <Composer conversationId={conversationId} refused={refused} />
    </section>
  );
}
