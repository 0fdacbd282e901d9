// One conversation: who is in it (with their status) and Invite, the flow, who is typing, and the box to write in
// (Enter sends, Shift+Enter adds a line) with the emoticon picker and the nudge. A received nudge shakes the view
// (not when the system asks for reduced motion: the CSS says so). Incoming messages are announced in a live region
// while this view is shown; unread messages are marked read when the view is shown and the page is visible.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useButterflyStore } from '../../store/store';
import { contactKey } from '../../store/contacts-slice';
import { contactName, showName } from '../display-name';
import { describeError } from '../errors';
import { useCommands } from '../main-api';
import { presenceKind, StatusIcon } from '../status-icon';
import { ConversationFlow } from './conversation-flow';
import { PICKER_EMOTICONS, emoticonPicture } from './emoticon-set';

/** The theme on screen (html[data-theme], which the app sets), followed as it changes. */
const subscribeTheme = (onChange: () => void) => {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
};
const shownTheme = () => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');

/** How often the other side hears "typing" while the person keeps typing. */
const TYPING_EVERY_MS = 4_000;
const SHAKE_MS = 600;

export function ConversationView({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const commands = useCommands();
  const conversation = useButterflyStore((s) => s.conversations[conversationId]);
  const entries = useButterflyStore((s) => s.flows[conversationId]) ?? [];
  const typing = useButterflyStore((s) => s.typing[conversationId]);
  const nudgedAt = useButterflyStore((s) => s.nudgedAt[conversationId]);
  const contacts = useButterflyStore((s) => s.contacts);
  const ownName = useButterflyStore((s) => (s.profile ? showName(s.profile.nickname) || s.profile.email : s.email));
  const closeTab = useButterflyStore((s) => s.closeTab);
  const theme = useSyncExternalStore(subscribeTheme, shownTheme);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [picker, setPicker] = useState(false);
  const [inviting, setInviting] = useState(false);
  const [inviteEmail, setInviteEmail] = useState('');
  const [shaking, setShaking] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const lastTyping = useRef(0);
  const flowEnd = useRef<HTMLDivElement>(null);

  const nameOf = useCallback(
    (email: string, nickname?: string) => {
      const contact = contacts[contactKey(email)];
      if (contact) return contactName(contact);
      const fromWire = nickname ?? conversation?.participants.find((p) => contactKey(p.email) === contactKey(email))?.nickname;
      return (fromWire && showName(fromWire)) || email;
    },
    [contacts, conversation],
  );

  useEffect(() => {
    input.current?.focus();
  }, [conversationId]);
  useEffect(() => {
    flowEnd.current?.scrollIntoView({ block: 'end' });
  }, [entries.length]);

  const unread = conversation?.unread ?? 0;
  useEffect(() => {
    if (unread === 0) return;
    const mark = () => {
      if (document.visibilityState === 'visible') void commands.markRead(conversationId);
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [unread, conversationId, commands]);

  const seenNudge = useRef(nudgedAt);
  useEffect(() => {
    if (nudgedAt === undefined || nudgedAt === seenNudge.current) return;
    seenNudge.current = nudgedAt;
    setShaking(true);
    const timer = setTimeout(() => setShaking(false), SHAKE_MS);
    return () => clearTimeout(timer);
  }, [nudgedAt]);

  const refused = useCallback(
    async (call: Promise<{ ok: true } | { ok: false; error: Parameters<typeof describeError>[1] }>) => {
      const r = await call;
      setError(r.ok ? null : describeError(t, r.error).text);
      return r.ok;
    },
    [t],
  );
  const onRetry = useCallback((ids: string[]) => ids.forEach((id) => void refused(commands.retryMessage(id))), [commands, refused]);

  if (!conversation) return null;
  const others = conversation.participants.length > 0 ? conversation.participants : conversation.contact ? [{ email: conversation.contact, nickname: '' }] : [];
  const last = [...entries].reverse().find((e) => e.type === 'message' && e.message.direction === 'in');
  const announce = last?.type === 'message' && last.message.direction === 'in' ? `${nameOf(last.message.from, last.message.nickname)}: ${last.message.kind === 'nudge' ? t('chat.nudge') : last.message.text}` : '';

  const send = () => {
    const text = draft;
    if (!text.trim()) return;
    setDraft('');
    void refused(commands.sendText(conversationId, text)).then((ok) => ok || setDraft((d) => d || text));
  };
  const insert = (code: string) => {
    const el = input.current;
    const at = el ? el.selectionStart : draft.length;
    const end = el ? el.selectionEnd : draft.length;
    setDraft(draft.slice(0, at) + code + draft.slice(end));
    setPicker(false);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + code.length, at + code.length);
    });
  };

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
            void refused(commands.invite(conversationId, email)).then((ok) => {
              if (ok) {
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
      <div className="flow-scroll" tabIndex={0} aria-label={t('chat.messages')}>
        <ConversationFlow entries={entries} nameOf={nameOf} ownName={ownName} onRetry={onRetry} theme={theme} />
        <div ref={flowEnd} />
      </div>
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announce}
      </p>
      <p className="typing" aria-live="polite">
        {typing && typing.length > 0 ? t('chat.typing', { name: typing.map((e) => nameOf(e)).join(', ') }) : ''}
      </p>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      <div
        className="composer"
        onKeyDown={(e) => {
          // Escape closes the picker (from it or its button) and goes back to writing.
          if (e.key === 'Escape' && picker) {
            e.preventDefault();
            setPicker(false);
            input.current?.focus();
          }
        }}
      >
        <div className="composer-tools">
          <button type="button" className="tool" aria-label={t('chat.emoticons')} title={t('chat.emoticons')} aria-expanded={picker} onClick={() => setPicker((v) => !v)}>
            <img src={emoticonPicture('smile')} alt="" className="emoticon" />
          </button>
          <button type="button" className="secondary" onClick={() => void refused(commands.sendNudge(conversationId))}>
            {t('chat.nudge')}
          </button>
        </div>
        {picker && (
          <div className="emoticon-picker" role="group" aria-label={t('chat.emoticons')}>
            {PICKER_EMOTICONS.map(([name, code]) => (
              <button key={name} type="button" className="emoticon-choice" title={code} aria-label={t('chat.insertEmoticon', { code })} onClick={() => insert(code)}>
                <img src={emoticonPicture(name)} alt="" className="emoticon" />
              </button>
            ))}
          </div>
        )}
        <textarea
          ref={input}
          className="message-input"
          aria-label={t('chat.write')}
          rows={3}
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            const now = Date.now();
            if (e.target.value && now - lastTyping.current > TYPING_EVERY_MS) {
              lastTyping.current = now;
              void commands.typing(conversationId);
            }
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="button" onClick={send} disabled={!draft.trim()}>
          {t('chat.send')}
        </button>
      </div>
    </section>
  );
}
