import { describe, expect, it } from 'vitest';
import { ContactList, bitsFromLists, listsFromBits } from './contact-list';

describe('ContactList', () => {
  it('keeps list bits, groups and phones; FL groups only', () => {
    const l = new ContactList();
    l.putGroup('0', 'Other%20Contacts');
    l.putContact('bob@example.com', 'Bob', 11, ['0', '1', '0']);
    l.setPhone('bob@example.com', 'PHH', '555%20999');
    l.putContact('dave@example.com', 'Dave', 8, ['0']);
    expect(l.get('BOB@example.com')).toMatchObject({ lists: { FL: true, AL: true, BL: false, RL: true }, groupIds: ['0', '1'], phones: { PHH: '555%20999' } });
    expect(l.get('dave@example.com')?.groupIds).toEqual([]);
    expect(bitsFromLists(listsFromBits(13))).toBe(13);
    expect(l.pendingReverse().map((c) => c.email)).toEqual(['dave@example.com']);
  });
  it('presence nickname replaces the list nickname; strangers are ignored', () => {
    const l = new ContactList();
    l.putContact('bob@example.com', 'Bob', 1, []);
    expect(l.setPresence('bob@example.com', 'BSY', 'Bobby%20%', 0x80000000)).toBe(true);
    expect(l.get('bob@example.com')).toMatchObject({ nickname: 'Bobby%20%', status: 'BSY', clientId: 0x80000000 });
    expect(l.setPresence('eve@example.com', 'NLN', 'Eve')).toBe(false);
    l.setAllOffline();
    expect(l.get('bob@example.com')?.status).toBe('FLN');
  });
  it('removing from one group keeps FL; removing from every list forgets the contact', () => {
    const l = new ContactList();
    l.putContact('bob@example.com', 'Bob', 3, ['1', '2']);
    l.removeFromList('bob@example.com', 'FL', '1');
    expect(l.get('bob@example.com')).toMatchObject({ groupIds: ['2'], lists: { FL: true } });
    l.removeFromList('bob@example.com', 'FL');
    expect(l.get('bob@example.com')).toMatchObject({ groupIds: [], lists: { FL: false, AL: true } });
    l.removeFromList('bob@example.com', 'AL');
    expect(l.get('bob@example.com')).toBeUndefined();
  });
  it('restores a contact and a group for rollback, keeping presence learned meanwhile', () => {
    const l = new ContactList();
    l.putGroup('1', 'Friends');
    l.putContact('bob@example.com', 'Bob', 3, ['1']);
    const savedC = l.saveContact('bob@example.com');
    const savedG = l.saveGroup('1');
    const savedNew = l.saveContact('new@example.com');
    l.addToList('new@example.com', 'FL', 'new');
    l.removeGroup('1');
    l.setPresence('bob@example.com', 'AWY');
    l.removeFromList('bob@example.com', 'FL');
    l.restoreContact(savedC);
    l.restoreGroup(savedG);
    l.restoreContact(savedNew);
    expect(l.get('bob@example.com')).toMatchObject({ lists: { FL: true }, groupIds: ['1'], status: 'AWY' });
    expect(l.getGroup('1')?.name).toBe('Friends');
    expect(l.get('new@example.com')).toBeUndefined();
  });
  it('removing a group moves its only-there FL members to group 0; a rollback puts groups, members and order back', () => {
    const l = new ContactList();
    for (const [id, name] of [['0', 'Other'], ['1', 'Friends'], ['2', 'Work']]) l.putGroup(id, name);
    l.putContact('bob@example.com', 'Bob', 3, ['1']);
    l.putContact('dave@example.com', 'Dave', 3, ['1', '2']);
    l.putContact('erin@example.com', 'Erin', 1, ['2']);
    const before = l.snapshot();
    const savedG = l.saveGroup('1');
    const savedC = l.saveContact('bob@example.com');
    l.removeGroup('1');
    expect(l.get('bob@example.com')?.groupIds).toEqual(['0']);
    expect(l.get('dave@example.com')?.groupIds).toEqual(['2']);
    l.removeFromList('bob@example.com', 'FL');
    l.removeFromList('bob@example.com', 'AL');
    l.restoreContact(savedC);
    l.restoreGroup(savedG);
    expect(l.snapshot()).toEqual(before);
  });
  it('snapshot is a deep copy', () => {
    const l = new ContactList();
    l.putContact('bob@example.com', 'Bob', 1, ['0']);
    const s = l.snapshot();
    s.contacts[0].groupIds.push('9');
    expect(l.get('bob@example.com')?.groupIds).toEqual(['0']);
    expect(ContactList.fromSnapshot(s).get('bob@example.com')?.groupIds).toEqual(['0', '9']);
  });
});
