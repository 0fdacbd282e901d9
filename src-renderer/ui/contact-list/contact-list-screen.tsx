// The signed-in window: you at the top with the filter and the add buttons (all staying in view), what is wrong if
// anything is (reconnecting, the background service gone, a refused action), then the list. Every name shown here is
// decoded once from the wire form the store keeps (display-name.ts).
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useButterflyStore } from '../../store/store';
import { AddedYouPrompts } from '../added-you-prompts';
import { NoticeBar } from '../notice-bar';
import { SettingsDialog } from '../settings/settings-dialog';
import { describeError } from '../errors';
import { AddGroupIcon, AddPersonIcon } from '../icons';
import { useAct } from '../use-act';
import { SearchHistoryButton } from '../conversation/search-history-dialog';
import { ContactTree } from './contact-tree';
import { ListDialogs, nameOfEmail, type ListDialog } from './list-dialogs';
import { MeHeader } from './me-header';

export function ContactListScreen() {
  const { t } = useTranslation();
  const connection = useButterflyStore((s) => s.connection);
  const serviceGone = useButterflyStore((s) => s.mainLink === 'unavailable');
  const filter = useButterflyStore((s) => s.filter);
  const setFilter = useButterflyStore((s) => s.setFilter);
  const act = useAct();
  const [dialog, setDialog] = useState<ListDialog | null>(null);
  const [settings, setSettings] = useState(false);
  const disabled = connection.kind !== 'connected' || serviceGone;
  const treeRef = useRef<HTMLDivElement>(null);
  const focusList = useCallback(() => treeRef.current?.querySelector<HTMLElement>('[role="treeitem"][tabindex="0"]')?.focus(), []);

  const openDialog = useCallback(
    (next: ListDialog) => {
      // An empty group goes without asking: there is nothing in it to lose.
      if (next.kind === 'remove-group' && next.count === 0) void act({ action: 'remove-group', group: next.name }, (c) => c.removeGroup(next.groupId));
      else setDialog(next);
    },
    [act],
  );
  const block = useCallback(
    (email: string, blocked: boolean) => void act({ action: blocked ? 'block-contact' : 'unblock-contact', email }, (c) => (blocked ? c.blockContact(email) : c.unblockContact(email))),
    [act],
  );

  return (
    <div className="contact-list-screen">
      <div className="list-top">
        <MeHeader disabled={disabled} onOptions={() => setSettings(true)} onSignOut={() => void act({ action: 'sign-out' }, (c) => c.signOut())} />
        <div className="toolbar">
          <input
            type="search"
            className="filter"
            aria-label={t('list.filter')}
            placeholder={t('list.filterPlaceholder')}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && filter) {
                e.preventDefault();
                setFilter('');
              } else if (e.key === 'ArrowDown') {
                e.preventDefault();
                focusList();
              }
            }}
          />
          <button type="button" className="tool" aria-label={t('list.addContact')} title={t('list.addContact')} disabled={disabled} onClick={() => setDialog({ kind: 'add-contact' })}>
            <AddPersonIcon />
          </button>
          <button type="button" className="tool" aria-label={t('list.addGroup')} title={t('list.addGroup')} disabled={disabled} onClick={() => setDialog({ kind: 'add-group' })}>
            <AddGroupIcon />
          </button>
          <SearchHistoryButton disabled={serviceGone} />
        </div>
        {serviceGone ? (
          <p className="banner error" role="alert">
            {t('list.serviceGone')}
          </p>
        ) : (
          connection.kind !== 'connected' && (
            <p className="banner" role="status">
              {connection.kind === 'reconnecting'
                ? t('list.reconnecting', { reason: describeError(t, connection.error).text, seconds: connection.inSeconds })
                : t('list.reconnectingNow')}
            </p>
          )
        )}
        <NoticeBar nameOf={nameOfEmail} />
      </div>
      <div ref={treeRef} className="tree-host">
        <ContactTree disabled={disabled} openDialog={openDialog} block={block} autoFocus />
      </div>
      <AddedYouPrompts />
      {dialog && <ListDialogs dialog={dialog} onClose={() => setDialog(null)} returnFocus={focusList} />}
      {settings && <SettingsDialog onClose={() => setSettings(false)} returnFocus={focusList} />}
    </div>
  );
}
