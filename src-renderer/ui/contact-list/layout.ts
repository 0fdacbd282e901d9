// The contact list as rows to draw: section headers (groups, "Offline", or "Online"/"Offline") and contacts, in the
// order Messenger used. Pure, so it is tested without React and recomputed only when something it reads changes (a
// status within "online", say NLN → AWY, changes no row order and does not come here: see contacts-slice).
//
// - Groups view: every named group by name, then group 0 ("Other Contacts"), then the group-less contacts of MSNP2–6
//   lists; each shows the online contacts in it and counts online/total; everyone offline or blocked is gathered once
//   in an "Offline" section at the end.
// - Status view: "Online" and "Offline" sections only.
// - A blocked contact is never online: it shows in Offline with the blocked icon, whatever the server says.
// - With a filter (nickname or e-mail, ignoring case and accents), matching contacts only, every section open, and
//   sections without a match left out.
import type { Contact, Group } from '../../../src-shared/messenger-types';
import { contactName, showName } from '../display-name';

export type ListView = 'groups' | 'status';

export type SectionLabel = { kind: 'group'; groupId: string; name: string } | { kind: 'ungrouped' } | { kind: 'online' } | { kind: 'offline' };

export interface SectionRow {
  type: 'section';
  key: string;
  sectionId: string;
  label: SectionLabel;
  online: number;
  total: number;
  collapsed: boolean;
}

export interface ContactRowData {
  type: 'contact';
  key: string;
  /** As in the list (the store's key is its lower-case form). */
  email: string;
  sectionId: string;
  /** The group the row stands for, when it is under a group header: where "move" takes the contact from. */
  groupId?: string;
}

export type Row = SectionRow | ContactRowData;

export interface LayoutInput {
  contacts: readonly Contact[];
  groups: readonly Group[];
  view: ListView;
  filter: string;
  /** Section ids the person closed. */
  collapsed: ReadonlySet<string>;
  collator: Intl.Collator;
}

export const isOnline = (c: Contact): boolean => !c.lists.BL && c.status !== 'FLN' && c.status !== 'HDN';

/** Lower case without accents: what the filter compares. */
export const foldForSearch = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export function buildRows({ contacts, groups, view, filter, collapsed, collator }: LayoutInput): Row[] {
  const query = foldForSearch(filter.trim());
  const names = new Map<Contact, string>();
  const forward: Contact[] = [];
  for (const c of contacts) {
    if (!c.lists.FL) continue;
    const name = contactName(c);
    if (query && !foldForSearch(name).includes(query) && !c.email.toLowerCase().includes(query)) continue;
    names.set(c, name);
    forward.push(c);
  }
  forward.sort((a, b) => collator.compare(names.get(a) as string, names.get(b) as string) || (a.email < b.email ? -1 : 1));

  const rows: Row[] = [];
  const section = (sectionId: string, label: SectionLabel, members: Contact[], shown: Contact[], online: number) => {
    if (query && shown.length === 0) return;
    const isCollapsed = !query && collapsed.has(sectionId);
    rows.push({ type: 'section', key: `s:${sectionId}`, sectionId, label, online, total: members.length, collapsed: isCollapsed });
    if (isCollapsed) return;
    const groupId = label.kind === 'group' ? label.groupId : undefined;
    for (const c of shown) rows.push({ type: 'contact', key: `${sectionId}/${c.email}`, email: c.email, sectionId, groupId });
  };

  const offline = forward.filter((c) => !isOnline(c));
  if (view === 'status') {
    const online = forward.filter(isOnline);
    section('online', { kind: 'online' }, online, online, online.length);
    section('offline', { kind: 'offline' }, offline, offline, 0);
    return rows;
  }

  const byGroup = new Map<string, Contact[]>(groups.map((g) => [g.id, []]));
  const ungrouped: Contact[] = [];
  for (const c of forward) {
    let placed = false;
    for (const id of c.groupIds) {
      const members = byGroup.get(id);
      if (members) {
        members.push(c);
        placed = true;
      }
    }
    if (!placed) ungrouped.push(c);
  }
  const ordered = groups
    .map((g) => ({ group: g, name: showName(g.name) }))
    .sort((a, b) => Number(a.group.id === '0') - Number(b.group.id === '0') || collator.compare(a.name, b.name));
  for (const { group, name } of ordered) {
    const members = byGroup.get(group.id) as Contact[];
    const online = members.filter(isOnline);
    section(`g:${group.id}`, { kind: 'group', groupId: group.id, name }, members, online, online.length);
  }
  if (ungrouped.length > 0) {
    const online = ungrouped.filter(isOnline);
    section('ungrouped', { kind: 'ungrouped' }, ungrouped, online, online.length);
  }
  section('offline', { kind: 'offline' }, offline, offline, 0);
  return rows;
}
