import { describe, expect, it } from 'vitest';
import type { Contact, Group, PresenceStatus } from '../../../src-shared/messenger-types';
import { buildRows, type LayoutInput, type Row } from './layout';

const contact = (email: string, nickname: string, status: PresenceStatus, groupIds: string[], lists: Partial<Contact['lists']> = {}): Contact => ({
  email,
  nickname,
  lists: { FL: true, AL: true, BL: false, RL: true, ...lists },
  groupIds,
  status,
  clientId: 0,
  phones: {},
});

const groups: Group[] = [
  { id: '0', name: 'Other%20Contacts' },
  { id: '2', name: 'Work' },
  { id: '1', name: 'Friends' },
];

const rows = (contacts: Contact[], over: Partial<LayoutInput> = {}) =>
  buildRows({ contacts, groups, view: 'groups', filter: '', collapsed: new Set(), collator: new Intl.Collator('en', { sensitivity: 'base' }), ...over });

/** Rows as short strings: "[Friends 1/3]" for a section, "bob@x" for a contact. */
const show = (list: Row[]) =>
  list.map((r) =>
    r.type === 'contact' ? r.email : `[${r.label.kind === 'group' ? r.label.name : r.label.kind} ${r.label.kind === 'group' || r.label.kind === 'ungrouped' ? `${r.online}/` : ''}${r.total}${r.collapsed ? ' closed' : ''}]`,
  );

describe('contact list layout', () => {
  const people = [
    contact('zed@x', 'Zed', 'NLN', ['1']),
    contact('emile@x', '%C3%89mile', 'AWY', ['1']),
    contact('anna@x', 'Anna', 'FLN', ['1', '0']),
    contact('carl@x', 'Carl', 'BSY', ['2']),
    contact('blocked@x', 'Bea', 'NLN', ['1'], { BL: true, AL: false }),
    contact('rl-only@x', 'Only%20RL', 'NLN', [], { FL: false }),
  ];

  it('puts named groups by name, then Other Contacts, with their online contacts by decoded name, and everyone else in Offline once', () => {
    expect(show(rows(people))).toEqual(['[Friends 2/4]', 'emile@x', 'zed@x', '[Work 1/1]', 'carl@x', '[Other Contacts 0/1]', '[offline 2]', 'anna@x', 'blocked@x']);
  });

  it('never counts a blocked contact as online, whatever the server says of its presence', () => {
    const friends = rows(people)[0];
    expect(friends).toMatchObject({ online: 2, total: 4 });
    expect(show(rows(people, { view: 'status' }))).toEqual(['[online 3]', 'carl@x', 'emile@x', 'zed@x', '[offline 2]', 'anna@x', 'blocked@x']);
  });

  it('keeps a closed section as its header alone, and opens every section while filtering', () => {
    expect(show(rows(people, { collapsed: new Set(['g:1', 'offline']) }))).toEqual(['[Friends 2/4 closed]', '[Work 1/1]', 'carl@x', '[Other Contacts 0/1]', '[offline 2 closed]']);
    expect(show(rows(people, { collapsed: new Set(['g:1']), filter: 'e' }))).toEqual(['[Friends 2/3]', 'emile@x', 'zed@x', '[offline 1]', 'blocked@x']);
  });

  it('filters by nickname without case or accents, or by e-mail address, and leaves out sections without a match', () => {
    expect(show(rows(people, { filter: 'EMI' }))).toEqual(['[Friends 1/1]', 'emile@x']);
    expect(show(rows(people, { filter: 'carl@' }))).toEqual(['[Work 1/1]', 'carl@x']);
    expect(rows(people, { filter: 'nobody' })).toEqual([]);
  });

  it('gathers contacts of no known group (MSNP2–6 lists have none) in one section, and shows empty groups', () => {
    expect(show(rows([contact('a@x', 'Anna', 'NLN', []), contact('b@x', 'Bo', 'FLN', ['7'])], { groups: [] }))).toEqual(['[ungrouped 1/2]', 'a@x', '[offline 1]', 'b@x']);
    expect(show(rows([], {}))).toEqual(['[Friends 0/0]', '[Work 0/0]', '[Other Contacts 0/0]', '[offline 0]']);
  });

  it('shows a contact in two groups under both, each row with the group it stands for', () => {
    const both = rows([contact('z@x', 'Zed', 'NLN', ['1', '2'])]).filter((r) => r.type === 'contact');
    expect(both.map((r) => [r.key, r.type === 'contact' && r.groupId])).toEqual([
      ['g:1/z@x', '1'],
      ['g:2/z@x', '2'],
    ]);
  });

  it('lays out 2,000 contacts in 30 groups quickly enough to redo on every list event', () => {
    const many = Array.from({ length: 2000 }, (_, i) => contact(`c${i}@x`, `Contact%20${i}`, i % 3 === 0 ? 'FLN' : 'NLN', [String(i % 30)]));
    const thirty = Array.from({ length: 30 }, (_, i) => ({ id: String(i), name: `Group%20${i}` }));
    const out = rows(many, { groups: thirty });
    expect(out.filter((r) => r.type === 'contact')).toHaveLength(2000);
    expect(out.filter((r) => r.type === 'section')).toHaveLength(31);
  });
});
