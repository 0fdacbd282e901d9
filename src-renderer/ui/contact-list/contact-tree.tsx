// The contact list itself: a virtualised tree (@tanstack/react-virtual), so 2,000 contacts cost the DOM of the rows
// in view. It is one tab stop; inside it the arrow keys move (roving tabindex), Home/End and Page Up/Down jump,
// Right/Left open and close a section, Enter opens a conversation (through the seam, when there is one; otherwise the
// contact's menu) or toggles a section, and the menu key or Shift+F10 opens the row's menu, as does a right-click or
// the row's ⋯ button. The section header at the top stays in view while its rows scroll under it.
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../src-shared/messenger-types';
import { contactKey } from '../../store/contacts-slice';
import { useButterflyStore } from '../../store/store';
import { collatorFor } from '../../i18n';
import { contactName } from '../display-name';
import { MoreIcon } from '../icons';
import { Menu, type MenuAnchor, type MenuEntry } from '../menu';
import { personalLine } from '../personal-line';
import { withElement } from '../rich-text';
import { presenceKind, StatusIcon } from '../status-icon';
import { useConversationSeam } from './conversation-seam';
import { buildRows, isOnline, type ContactRowData, type Row, type SectionRow } from './layout';
import type { ListDialog } from './list-dialogs';

const SECTION_HEIGHT = 28;
const CONTACT_HEIGHT = 26;
/** A contact with a personal message or now playing: the line under the name. */
const CONTACT_WITH_LINE_HEIGHT = 42;
const PAGE = 10;

export interface ContactTreeProps {
  disabled: boolean;
  openDialog: (dialog: ListDialog) => void;
  block: (email: string, blocked: boolean) => void;
  /** Asked for focus (after sign-in): focus the active row once there is one. */
  autoFocus: boolean;
}

export function ContactTree({ disabled, openDialog, block, autoFocus }: ContactTreeProps) {
  const { t, i18n } = useTranslation();
  const seam = useConversationSeam();
  const accountId = useButterflyStore((s) => s.accountId) ?? '';
  const layoutContacts = useButterflyStore((s) => s.layoutContacts);
  const groups = useButterflyStore((s) => s.groups);
  const filter = useButterflyStore((s) => s.filter);
  const view = useButterflyStore((s) => s.preferences.listView);
  const closed = useButterflyStore((s) => s.preferences.collapsed[accountId]);
  const toggleSection = useButterflyStore((s) => s.toggleSection);

  const rows = useMemo(
    () => buildRows({ contacts: layoutContacts, groups, view, filter, collapsed: new Set(closed), collator: collatorFor(i18n.language) }),
    [layoutContacts, groups, view, filter, closed, i18n.language],
  );
  const indexByKey = useMemo(() => new Map(rows.map((r, i) => [r.key, i])), [rows]);
  // Who has a line under the name (layoutContacts changes when one comes or goes: store/contacts-slice.ts).
  const withLine = useMemo(() => new Set(layoutContacts.filter((c) => personalLine(c) !== null).map((c) => c.email)), [layoutContacts]);
  const sectionIndexes = useMemo(() => rows.flatMap((r, i) => (r.type === 'section' ? [i] : [])), [rows]);

  const [activeKey, setActiveKey] = useState<string | null>(null);
  // When the active row goes (removed, filtered out, a section closed), the row now at its place becomes active.
  const lastIndex = useRef(0);
  const activeIndex = useMemo(() => {
    if (activeKey !== null && indexByKey.has(activeKey)) return indexByKey.get(activeKey) as number;
    // A contact that moved (another group, blocked into Offline) stays the active one under its new section.
    const email = activeKey?.slice(activeKey.indexOf('/') + 1);
    const moved = activeKey?.startsWith('s:') ? -1 : rows.findIndex((r) => r.type === 'contact' && r.email === email);
    return moved >= 0 ? moved : Math.min(lastIndex.current, rows.length - 1);
  }, [activeKey, indexByKey, rows]);
  useEffect(() => {
    if (activeIndex >= 0) lastIndex.current = activeIndex;
  });
  const [menu, setMenu] = useState<{ row: Row; anchor: MenuAnchor } | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<string | null>(null);
  const stickyIndex = useRef(-1);
  /** Whether focus belongs in the tree: asked for on arrival, then whenever a row had it and nothing else took it. */
  const wantsFocus = useRef(autoFocus);

  const rangeExtractor = useCallback(
    (range: Range) => {
      // The section whose rows are at the top, and the active row (so focus never sits in a row that was dropped).
      let sticky = -1;
      for (const i of sectionIndexes) {
        if (i > range.startIndex) break;
        sticky = i;
      }
      stickyIndex.current = sticky;
      const indexes = new Set(defaultRangeExtractor(range));
      if (sticky >= 0) indexes.add(sticky);
      if (activeIndex >= 0) indexes.add(activeIndex);
      return [...indexes].sort((a, b) => a - b);
    },
    [sectionIndexes, activeIndex],
  );

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => {
      const row = rows[i];
      return row?.type === 'section' ? SECTION_HEIGHT : row && withLine.has(row.email) ? CONTACT_WITH_LINE_HEIGHT : CONTACT_HEIGHT;
    },
    getItemKey: (i) => rows[i]?.key ?? i,
    overscan: 8,
    rangeExtractor,
  });
  // Sizes are estimates only (rows are not measured): when a line under a name comes or goes, estimate them again.
  useLayoutEffect(() => virtualizer.measure(), [virtualizer, withLine]);

  const focusRow = useCallback(
    (index: number) => {
      const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
      if (!row) return;
      pendingFocus.current = row.key;
      setActiveKey(row.key);
      virtualizer.scrollToIndex(indexByKey.get(row.key) as number, { align: 'auto' });
    },
    [rows, indexByKey, virtualizer],
  );

  // Focus follows the active row once it is drawn; and a row that had focus and went (its contact removed, its section
  // closed) hands it to the row now in its place rather than dropping it on the page.
  const listReady = groups.length > 0 || layoutContacts.length > 0;
  useLayoutEffect(() => {
    const tree = scrollRef.current;
    if (!tree) return;
    const lost = wantsFocus.current && !tree.contains(document.activeElement) && (document.activeElement === document.body || document.activeElement === null);
    if (pendingFocus.current === null && lost && listReady && rows[activeIndex]) pendingFocus.current = rows[activeIndex].key;
    const key = pendingFocus.current;
    if (key === null) return;
    const element = tree.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    if (element) {
      pendingFocus.current = null;
      element.focus({ preventScroll: true });
    } else virtualizer.scrollToIndex(indexByKey.get(key) ?? 0);
  });

  const focusActive = useCallback(() => {
    const key = rows[activeIndex]?.key;
    if (key === undefined) return;
    pendingFocus.current = key;
    const element = scrollRef.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    if (element) {
      pendingFocus.current = null;
      element.focus({ preventScroll: true });
    } else virtualizer.scrollToIndex(activeIndex);
  }, [rows, activeIndex, virtualizer]);

  const openMenuFor = useCallback(
    (row: Row, anchor: MenuAnchor) => {
      if (row.type === 'section' && (row.label.kind !== 'group' || row.label.groupId === '0')) return;
      setActiveKey(row.key);
      setMenu({ row, anchor });
    },
    [],
  );

  const rowAnchor = (key: string): MenuAnchor | null => {
    const element = scrollRef.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    if (!element) return null;
    const box = element.getBoundingClientRect();
    return { x: box.left + 24, y: box.bottom };
  };

  const activate = useCallback(
    (row: Row) => {
      if (row.type === 'section') return toggleSection(accountId, row.sectionId);
      if (seam.openConversation) return seam.openConversation(row.email);
      const anchor = rowAnchor(row.key);
      if (anchor) openMenuFor(row, anchor);
    },
    [accountId, toggleSection, seam, openMenuFor],
  );

  const onKeyDown = (e: React.KeyboardEvent) => {
    const row = rows[activeIndex];
    if (!row || (e.target as HTMLElement).closest('[role="menu"]')) return;
    const sectionOf = (index: number) => {
      for (let i = index; i >= 0; i--) if (rows[i]?.type === 'section') return i;
      return 0;
    };
    switch (e.key) {
      case 'ArrowDown':
        focusRow(activeIndex + 1);
        break;
      case 'ArrowUp':
        focusRow(activeIndex - 1);
        break;
      case 'Home':
        focusRow(0);
        break;
      case 'End':
        focusRow(rows.length - 1);
        break;
      case 'PageDown':
        focusRow(activeIndex + PAGE);
        break;
      case 'PageUp':
        focusRow(activeIndex - PAGE);
        break;
      case 'ArrowRight':
        if (row.type === 'section' && row.collapsed) toggleSection(accountId, row.sectionId);
        else if (row.type === 'section') focusRow(activeIndex + 1);
        break;
      case 'ArrowLeft':
        if (row.type === 'section' && !row.collapsed) toggleSection(accountId, row.sectionId);
        else if (row.type === 'contact') focusRow(sectionOf(activeIndex));
        break;
      case 'Enter':
        activate(row);
        break;
      case ' ':
        if (row.type === 'section') activate(row);
        break;
      case 'ContextMenu':
      case 'F10': {
        if (e.key === 'F10' && !e.shiftKey) return;
        const anchor = rowAnchor(row.key);
        if (anchor) openMenuFor(row, anchor);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  const items = virtualizer.getVirtualItems();
  const onRowFocus = useCallback((key: string) => setActiveKey(key), []);

  return (
    <>
      <div
        ref={scrollRef}
        className="contact-tree"
        role="tree"
        aria-label={t('list.label')}
        aria-disabled={disabled || undefined}
        onKeyDown={onKeyDown}
        onFocus={() => (wantsFocus.current = true)}
        onBlur={(e) => {
          // Focus that moves elsewhere (a field, a menu, a click outside) is the person's choice; a row removed under
          // it is not.
          // (Chromium fires no blur for an element removed while focused; a blur with nowhere to go is a click on
          // the page's background, or a script's blur().)
          wantsFocus.current = e.relatedTarget !== null ? e.currentTarget.contains(e.relatedTarget) : !e.target.isConnected;
        }}
      >
        <div role="none" className="tree-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index] as Row;
            const sticky = item.index === stickyIndex.current && row.type === 'section';
            const style: React.CSSProperties = sticky
              ? { position: 'sticky', top: 0, height: item.size, zIndex: 1 }
              : { position: 'absolute', top: 0, transform: `translateY(${item.start}px)`, height: item.size };
            return row.type === 'section' ? (
              <SectionRowView
                key={row.key}
                row={row}
                style={style}
                tabbable={item.index === activeIndex}
                onFocus={onRowFocus}
                onToggle={() => toggleSection(accountId, row.sectionId)}
                onMenu={openMenuFor}
              />
            ) : (
              <ContactRowView key={row.key} row={row} style={style} tabbable={item.index === activeIndex} onFocus={onRowFocus} onActivate={activate} onMenu={openMenuFor} />
            );
          })}
        </div>
        {rows.length > 0 && rows.every((r) => r.type === 'section') && !filter && <p className="list-empty">{t('list.empty')}</p>}
        {filter && rows.length === 0 && <p className="list-empty">{t('list.noMatch', { filter })}</p>}
      </div>
      {menu && (
        <Menu
          label={menu.row.type === 'section' ? t('list.groupActions', { name: sectionName(menu.row) }) : t('list.actionsFor', { name: nameOf(menu.row.email) })}
          anchor={menu.anchor}
          onClose={() => setMenu(null)}
          returnFocus={focusActive}
          items={menu.row.type === 'section' ? sectionMenu(menu.row, disabled, openDialog, t) : contactMenu(menu.row, disabled, openDialog, block, seam, t)}
        />
      )}
    </>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

const sectionName = (row: SectionRow) => (row.label.kind === 'group' ? row.label.name : row.label.kind);
const nameOf = (email: string) => {
  const contact = useButterflyStore.getState().contacts[contactKey(email)];
  return contact ? contactName(contact) : email;
};

function sectionMenu(row: SectionRow, disabled: boolean, openDialog: (d: ListDialog) => void, t: T): MenuEntry[] {
  if (row.label.kind !== 'group') return [];
  const { groupId, name } = row.label;
  return [
    { id: 'rename', label: t('menu.renameGroup'), disabled, onSelect: () => openDialog({ kind: 'rename-group', groupId, name }) },
    { id: 'remove', label: t('menu.removeGroup'), disabled, onSelect: () => openDialog({ kind: 'remove-group', groupId, name, count: row.total }) },
  ];
}

function contactMenu(
  row: ContactRowData,
  disabled: boolean,
  openDialog: (d: ListDialog) => void,
  block: (email: string, blocked: boolean) => void,
  seam: ReturnType<typeof useConversationSeam>,
  t: T,
): MenuEntry[] {
  const state = useButterflyStore.getState();
  const contact = state.contacts[contactKey(row.email)];
  if (!contact) return [];
  const blocked = contact.lists.BL;
  // A row under a group moves from that group; one in Offline or Online from its first group.
  const from = row.groupId ?? contact.groupIds[0];
  const canMove = from !== undefined && state.groups.some((g) => !contact.groupIds.includes(g.id));
  const entries: MenuEntry[] = [];
  const { openConversation, viewHistory } = seam;
  if (openConversation) entries.push({ id: 'message', label: t('menu.sendMessage'), disabled, onSelect: () => openConversation(contact.email) });
  if (viewHistory) entries.push({ id: 'history', label: t('menu.viewHistory'), onSelect: () => viewHistory(contact.email) });
  if (entries.length > 0) entries.push('separator');
  if (canMove) entries.push({ id: 'move', label: t('menu.moveTo'), disabled, onSelect: () => openDialog({ kind: 'move', email: contact.email, fromGroupId: from }) });
  entries.push({ id: 'block', label: blocked ? t('menu.unblock') : t('menu.block'), disabled, onSelect: () => block(contact.email, !blocked) });
  entries.push({ id: 'remove', label: t('menu.remove'), disabled, onSelect: () => openDialog({ kind: 'remove-contact', email: contact.email }) });
  return entries;
}

interface RowViewProps<R extends Row> {
  row: R;
  style: React.CSSProperties;
  tabbable: boolean;
  onFocus: (key: string) => void;
  onMenu: (row: Row, anchor: MenuAnchor) => void;
}

const SectionRowView = memo(function SectionRowView({ row, style, tabbable, onFocus, onToggle, onMenu }: RowViewProps<SectionRow> & { onToggle: () => void }) {
  const { t } = useTranslation();
  const name = row.label.kind === 'group' ? row.label.name : t(`list.${row.label.kind}`);
  const isGroup = row.label.kind === 'group' || row.label.kind === 'ungrouped';
  const editable = row.label.kind === 'group' && row.label.groupId !== '0';
  return (
    <div
      role="treeitem"
      aria-level={1}
      aria-expanded={!row.collapsed}
      aria-label={isGroup ? t('list.groupLabel', { name, online: row.online, total: row.total }) : t('list.sectionLabel', { name, total: row.total })}
      tabIndex={tabbable ? 0 : -1}
      data-key={row.key}
      className="tree-row section-row"
      style={style}
      onFocus={() => onFocus(row.key)}
      onClick={onToggle}
      onContextMenu={(e) => {
        e.preventDefault();
        onMenu(row, { x: e.clientX, y: e.clientY });
      }}
    >
      <span className={row.collapsed ? 'chevron closed' : 'chevron'} aria-hidden="true" />
      <bdi className="section-name">{name}</bdi>
      <span className="count" aria-hidden="true">
        {isGroup ? t('list.groupCount', { online: row.online, total: row.total }) : t('list.sectionCount', { total: row.total })}
      </span>
      {editable && (
        <button
          type="button"
          className="row-menu"
          tabIndex={-1}
          aria-label={t('list.groupActions', { name })}
          onClick={(e) => {
            e.stopPropagation();
            onMenu(row, { rect: e.currentTarget.getBoundingClientRect() });
          }}
        >
          <MoreIcon />
        </button>
      )}
    </div>
  );
});

const ContactRowView = memo(function ContactRowView({ row, style, tabbable, onFocus, onActivate, onMenu }: RowViewProps<ContactRowData> & { onActivate: (row: Row) => void }) {
  const { t } = useTranslation();
  const contact = useButterflyStore((s) => s.contacts[contactKey(row.email)]) as Contact | undefined;
  const stale = useButterflyStore((s) => s.mainLink === 'unavailable');
  if (!contact) return null;
  const name = contactName(contact);
  const line = personalLine(contact);
  const kind = stale ? 'offline' : presenceKind(contact.status, contact.lists.BL);
  const status = stale ? t('status.unknown') : contact.lists.BL ? t('status.blocked') : t(`status.${contact.status}`);
  const tipId = `tip-${row.key}`;
  return (
    <div
      role="treeitem"
      aria-level={2}
      aria-label={t('list.contactLabel', { name, status })}
      aria-describedby={tipId}
      tabIndex={tabbable ? 0 : -1}
      data-key={row.key}
      className={`tree-row contact-row ${kind}`}
      style={style}
      onFocus={() => onFocus(row.key)}
      onDoubleClick={() => onActivate(row)}
      onContextMenu={(e) => {
        e.preventDefault();
        onMenu(row, { x: e.clientX, y: e.clientY });
      }}
    >
      <StatusIcon kind={kind} />
      <span className="name-block">
        <bdi className="nickname">{name}</bdi>
        {line && <bdi className={`personal-line ${line.kind}`}>{line.kind === 'media' ? t('list.nowPlaying', { media: line.text }) : line.text}</bdi>}
      </span>
      <span className="email" aria-hidden="true">
        {contact.email}
      </span>
      <span className={!stale && isOnline(contact) && contact.status === 'NLN' ? 'status-text sr-only' : 'status-text'}>{status}</span>
      <button
        type="button"
        className="row-menu"
        tabIndex={-1}
        aria-label={t('list.actionsFor', { name })}
        onClick={(e) => {
          e.stopPropagation();
          onMenu(row, { rect: e.currentTarget.getBoundingClientRect() });
        }}
      >
        <MoreIcon />
      </button>
      <span id={tipId} role="tooltip" className="row-tip">
        {withElement((marker) => t('list.contactTip', { name: marker, email: contact.email, status }), <bdi>{name}</bdi>)}
      </span>
    </div>
  );
});
