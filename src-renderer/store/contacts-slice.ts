// The signed-in account's contact list, kept so that a presence change re-renders only its row:
// - `contacts` by lower-case e-mail: a row reads its own entry; an entry is a new object only when it changed (a new
//   list keeps the old object for a contact that is the same), so the other rows' selectors see no change.
// - `layoutContacts`: the contacts as the list's layout last needed them. It is replaced only when the row order or
//   the sections could change (the list itself, someone going online/offline, a shown name changing); a status change
//   within "online" (NLN → AWY) leaves it alone, so the layout is not recomputed.
import type { StateCreator } from 'zustand';
import type { Contact, ContactListSnapshot, Group } from '../../src-shared/messenger-types';

export interface AddedYouPrompt {
  email: string;
  /** Wire-encoded. */
  nickname: string;
}

export interface ContactsSlice {
  contacts: Readonly<Record<string, Contact>>;
  layoutContacts: readonly Contact[];
  groups: readonly Group[];
  /** GTC (ask when someone adds me) and BLP (who may see me), as the server last reported them. */
  privacy: Pick<ContactListSnapshot, 'gtc' | 'blp'>;
  addedYou: AddedYouPrompt[];
  dismissAddedYou(email: string): void;
}

export const emptyContacts: Pick<ContactsSlice, 'contacts' | 'layoutContacts' | 'groups' | 'privacy' | 'addedYou'> = {
  contacts: {},
  layoutContacts: [],
  groups: [],
  privacy: { gtc: 'A', blp: 'AL' },
  addedYou: [],
};

export const createContactsSlice: StateCreator<ContactsSlice, [], [], ContactsSlice> = (set) => ({
  ...emptyContacts,
  dismissAddedYou: (email) => set((s) => ({ addedYou: s.addedYou.filter((p) => p.email !== email) })),
});

export const contactKey = (email: string): string => email.toLowerCase();

const sameGroups = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);
const samePhones = (a: Record<string, string>, b: Record<string, string>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};
const sameContact = (a: Contact, b: Contact) =>
  a.email === b.email &&
  a.nickname === b.nickname &&
  a.status === b.status &&
  a.clientId === b.clientId &&
  a.lists.FL === b.lists.FL &&
  a.lists.AL === b.lists.AL &&
  a.lists.BL === b.lists.BL &&
  a.lists.RL === b.lists.RL &&
  sameGroups(a.groupIds, b.groupIds) &&
  samePhones(a.phones, b.phones) &&
  samePersonalLine(a, b);

/** What shows under a contact's name (personal message, now playing) is the same. */
const samePersonalLine = (a: Contact, b: Contact) => a.personalMessage === b.personalMessage && JSON.stringify(a.currentMedia) === JSON.stringify(b.currentMedia);

const onlineNow = (c: Contact) => !c.lists.BL && c.status !== 'FLN' && c.status !== 'HDN';

/** A whole list from main, reusing the entries that did not change. */
export function listState(previous: Readonly<Record<string, Contact>>, list: ContactListSnapshot): Pick<ContactsSlice, 'contacts' | 'layoutContacts' | 'groups' | 'privacy'> {
  const contacts: Record<string, Contact> = {};
  const layoutContacts: Contact[] = [];
  for (const c of list.contacts) {
    const key = contactKey(c.email);
    const old = previous[key];
    const kept = old && sameContact(old, c) ? old : c;
    contacts[key] = kept;
    layoutContacts.push(kept);
  }
  return { contacts, layoutContacts, groups: list.groups, privacy: { gtc: list.gtc, blp: list.blp } };
}

/** One contact's presence; null when the contact is not in the list (nothing changes). */
export function presenceState(
  s: Pick<ContactsSlice, 'contacts' | 'layoutContacts'>,
  p: Pick<Contact, 'email' | 'status' | 'nickname' | 'clientId' | 'personalMessage' | 'currentMedia' | 'msnObject'>,
): Partial<Pick<ContactsSlice, 'contacts' | 'layoutContacts'>> | null {
  const key = contactKey(p.email);
  const old = s.contacts[key];
  if (!old) return null;
  // A presence event carries everything that comes with presence: what it leaves out, the contact no longer has.
  const { personalMessage: _m, currentMedia: _c, msnObject: _o, ...rest } = old;
  const updated: Contact = {
    ...rest,
    status: p.status,
    nickname: p.nickname,
    clientId: p.clientId,
    ...(p.personalMessage !== undefined ? { personalMessage: p.personalMessage } : {}),
    ...(p.currentMedia ? { currentMedia: p.currentMedia } : {}),
    ...(p.msnObject ? { msnObject: p.msnObject } : {}),
  };
  if (old.status === p.status && old.nickname === p.nickname && old.clientId === p.clientId && samePersonalLine(old, updated) && old.msnObject?.sha1d === p.msnObject?.sha1d) return null;
  const contacts = { ...s.contacts, [key]: updated };
  // The rows are laid out again when one moves or changes its height (a line under the name coming or going).
  const lineChanged = (old.personalMessage !== undefined || old.currentMedia !== undefined) !== (updated.personalMessage !== undefined || updated.currentMedia !== undefined);
  if (onlineNow(old) === onlineNow(updated) && old.nickname === updated.nickname && !lineChanged) return { contacts };
  return { contacts, layoutContacts: s.layoutContacts.map((c) => (contactKey(c.email) === key ? updated : c)) };
}
