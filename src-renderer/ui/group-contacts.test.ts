import { describe, expect, it } from 'vitest';
import type { Contact, ContactListSnapshot, PresenceStatus } from '../../src-shared/messenger-types';
import { groupContacts } from './contact-list-screen';

const contact = (email: string, nickname: string, status: PresenceStatus, groupIds: string[], fl = true): Contact => ({
  email,
  nickname,
  lists: { FL: fl, AL: true, BL: false, RL: true },
  groupIds,
  status,
  clientId: 0,
  phones: {},
});

const list = (contacts: Contact[], groups = [{ id: '0', name: 'Other%20Contacts' }, { id: '1', name: 'Friends' }]): ContactListSnapshot => ({
  version: 1,
  gtc: 'A',
  blp: 'AL',
  groups,
  contacts,
  ownPhones: {},
});

describe('groupContacts', () => {
  it('puts forward-list contacts in their groups, online first, then by decoded nickname', () => {
    const views = groupContacts(
      list([
        contact('z@x', 'Zed', 'NLN', ['1']),
        contact('b@x', '%C3%89mile', 'FLN', ['1']),
        contact('a@x', 'Anna', 'FLN', ['1', '0']),
        contact('c@x', 'Carl', 'AWY', ['1']),
        contact('r@x', 'Only%20RL', 'NLN', [], false),
      ]),
    );
    expect(views.map((v) => [v.group.id, v.contacts.map((c) => c.email)])).toEqual([
      ['0', ['a@x']],
      ['1', ['c@x', 'z@x', 'a@x', 'b@x']],
    ]);
  });

  it('gathers contacts of no known group (MSNP2–6 lists have none) in one section', () => {
    const views = groupContacts(list([contact('a@x', 'Anna', 'NLN', []), contact('b@x', 'Bo', 'NLN', ['7'])], []));
    expect(views).toEqual([{ group: { id: '', name: 'Contacts' }, contacts: [expect.objectContaining({ email: 'a@x' }), expect.objectContaining({ email: 'b@x' })] }]);
  });
});
