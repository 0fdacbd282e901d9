// The top of the signed-in window, which stays in view while the list scrolls: your picture-less identity (status
// icon, nickname, e-mail), the status menu, options and sign-out. The nickname is edited in place: Enter or Save
// keeps it, Escape or Cancel drops the edit; its length is shown while typing and a too-long one is refused in words
// instead of cut short. Under it, from MSNP11, your personal message, edited the same way (empty clears it).
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OwnStatus } from '../../../src-shared/messenger-types';
import { useButterflyStore } from '../../store/store';
import { showName } from '../display-name';
import { CaretIcon } from '../icons';
import { Menu, type MenuAnchor } from '../menu';
import { choosableStatuses, presenceKind, StatusIcon } from '../status-icon';
import { useAct } from '../use-act';

/** Messenger's nickname limit, in characters (main also keeps the encoded form within the protocol's 387 bytes). */
export const MAX_NICKNAME = 129;
const characters = (text: string) => [...text].length;

export function MeHeader({ disabled, onOptions, onSignOut }: { disabled: boolean; onOptions: () => void; onSignOut: () => void }) {
  const { t } = useTranslation();
  const profile = useButterflyStore((s) => s.profile);
  const stale = useButterflyStore((s) => s.mainLink === 'unavailable');
  const act = useAct();
  const [menu, setMenu] = useState<MenuAnchor | null>(null);
  const statusButton = useRef<HTMLButtonElement>(null);
  const status: OwnStatus = profile?.status ?? 'NLN';
  const statusText = stale ? t('status.FLN') : t(`status.${status}`);

  const openMenu = () => {
    const rect = statusButton.current?.getBoundingClientRect();
    if (rect) setMenu({ rect });
  };

  return (
    <header className="me">
      <div className="me-top">
        <StatusIcon kind={stale ? 'offline' : presenceKind(status)} size={18} />
        <NicknameEditor wireName={profile?.nickname ?? ''} fallback={profile?.email ?? ''} disabled={disabled} onSave={(nickname) => act({ action: 'set-nickname' }, (c) => c.setNickname(nickname))} />
      </div>
      {profile?.personalMessage !== undefined && (
        <PersonalMessageEditor message={profile.personalMessage} disabled={disabled} onSave={(message) => act({ action: 'set-personal-message' }, (c) => c.setPersonalMessage(message))} />
      )}
      <div className="me-row">
        <button
          ref={statusButton}
          type="button"
          className="status-button"
          aria-haspopup="menu"
          aria-expanded={menu !== null}
          aria-label={t('list.myStatus', { status: statusText })}
          disabled={disabled}
          onClick={openMenu}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              openMenu();
            }
          }}
        >
          {statusText} <CaretIcon />
        </button>
        <span className="me-email" title={profile?.email}>
          {profile?.email}
        </span>
        <button type="button" className="quiet" onClick={onOptions}>
          {t('list.options')}
        </button>
        <button type="button" className="quiet" onClick={onSignOut}>
          {t('list.signOut')}
        </button>
      </div>
      {menu && (
        <Menu
          label={t('menu.statusMenu')}
          anchor={menu}
          onClose={() => setMenu(null)}
          returnFocus={() => statusButton.current?.focus()}
          items={choosableStatuses.map((s) => ({
            id: s,
            label: t(`status.${s}`),
            checked: s === status,
            icon: <StatusIcon kind={presenceKind(s)} />,
            onSelect: () => void (s !== status && act({ action: 'set-status' }, (c) => c.setStatus(s))),
          }))}
        />
      )}
    </header>
  );
}

/** Messenger 7's limit for a personal message, in characters. */
export const MAX_PERSONAL_MESSAGE = 129;

function PersonalMessageEditor({ message, disabled, onSave }: { message: string; disabled: boolean; onSave: (message: string) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const count = characters(draft ?? '');
  const tooLong = count > MAX_PERSONAL_MESSAGE;
  const close = () => {
    setDraft(null);
    requestAnimationFrame(() => button.current?.focus());
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (tooLong) return;
    const text = (draft ?? '').trim();
    close();
    if (text !== message) void onSave(text);
  };
  if (draft === null) {
    return (
      <button ref={button} type="button" className={message ? 'psm-button' : 'psm-button empty'} disabled={disabled} title={t('list.changePersonalMessage')} aria-label={`${t('list.personalMessage')}: ${message || t('list.personalMessagePrompt')}`} onClick={() => setDraft(message)}>
        <bdi>{message || t('list.personalMessagePrompt')}</bdi>
      </button>
    );
  }
  return (
    <InlineEditForm
      id="psm"
      className="nickname-form psm-form"
      label={t('list.personalMessage')}
      draft={draft}
      onDraft={setDraft}
      count={count}
      max={MAX_PERSONAL_MESSAGE}
      invalid={tooLong}
      problem={tooLong ? t('list.personalMessageTooLong', { max: MAX_PERSONAL_MESSAGE, count }) : null}
      onSubmit={save}
      onCancel={close}
    />
  );
}

function NicknameEditor({ wireName, fallback, disabled, onSave }: { wireName: string; fallback: string; disabled: boolean; onSave: (nickname: string) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const shown = showName(wireName) || fallback;
  const button = useRef<HTMLButtonElement>(null);
  const editing = draft !== null;
  const backToName = () => requestAnimationFrame(() => button.current?.focus());

  const cancel = () => {
    setDraft(null);
    setProblem(null);
    backToName();
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const text = (draft ?? '').trim();
    if (text === '') return setProblem(t('list.nicknameEmpty'));
    if (characters(text) > MAX_NICKNAME) return setProblem(t('list.nicknameTooLong', { max: MAX_NICKNAME, count: characters(text) }));
    setDraft(null);
    setProblem(null);
    backToName();
    // Plain text goes to main, which encodes it once.
    if (text !== shown) await onSave(text);
  };
  const count = characters(draft ?? '');

  return (
    <div className="me-name">
      {/* The heading stays while editing (hidden from sight, not from screen readers). */}
      <h1 className={editing ? 'sr-only' : undefined}>
        <button ref={button} type="button" className="nickname-button" disabled={disabled} title={`${shown}\n${t('list.changeNickname')}`} onClick={() => setDraft(shown)}>
          <bdi>{shown}</bdi>
        </button>
      </h1>
      {editing && (
        <InlineEditForm
          id="nickname"
          className="nickname-form"
          label={t('list.nickname')}
          draft={draft}
          onDraft={(text) => {
            setDraft(text);
            setProblem(characters(text.trim()) > MAX_NICKNAME ? t('list.nicknameTooLong', { max: MAX_NICKNAME, count: characters(text.trim()) }) : null);
          }}
          count={count}
          max={MAX_NICKNAME}
          invalid={problem !== null || count > MAX_NICKNAME}
          problem={problem}
          onSubmit={(e) => void save(e)}
          onCancel={cancel}
        />
      )}
    </div>
  );
}

interface InlineEditProps {
  /** Prefix of the ids its counter and problem line get (aria-describedby). */
  id: string;
  className: string;
  label: string;
  draft: string;
  onDraft(text: string): void;
  /** Characters typed, and the most there may be. */
  count: number;
  max: number;
  invalid: boolean;
  /** What is wrong, in words (announced), or nothing. */
  problem: string | null;
  onSubmit(e: FormEvent): void;
  onCancel(): void;
}

/** The nickname's and the personal message's in-place edit: the field, its length as typed, Save and Cancel (Escape too), and what is wrong. */
function InlineEditForm({ id, className, label, draft, onDraft, count, max, invalid, problem, onSubmit, onCancel }: InlineEditProps) {
  const { t } = useTranslation();
  return (
    <form className={className} onSubmit={onSubmit} onKeyDown={(e) => e.key === 'Escape' && (e.preventDefault(), onCancel())}>
      <input aria-label={label} aria-invalid={invalid} aria-describedby={`${id}-count ${id}-problem`} value={draft} autoFocus onChange={(e) => onDraft(e.target.value)} />
      <span id={`${id}-count`} className={count > max ? 'counter over' : 'counter'}>
        {t('list.nicknameCount', { count, max })}
      </span>
      <button type="submit">{t('list.save')}</button>
      <button type="button" className="secondary" onClick={onCancel}>
        {t('list.cancel')}
      </button>
      <p id={`${id}-problem`} className="field-error" role={problem ? 'alert' : undefined}>
        {problem}
      </p>
    </form>
  );
}
