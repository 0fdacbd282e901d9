// The one contact-list model: lists (FL/AL/BL/RL), groups, memberships, phones, privacy settings, presence and what
// comes with it (personal message, now playing, display picture), and what the next SYN needs: the list version
// (MSNP2–9) or the two timestamps (MSNP10+), with the version the list came from. Names are stored exactly as they
// came off the wire (URL-encoded). Presence nicknames overwrite list nicknames, because the server only sends the
// list's copy at SYN time and presence is newer. Contact ids (MSNP10+ `C=`) are opaque strings.
import type { CurrentMedia } from '../../src-shared/personal-status';
import {
  listBits,
  type Contact,
  type MsnObjectInfo,
  type ContactListSnapshot,
  type Group,
  type ListName,
  type PresenceStatus,
} from '../../src-shared/messenger-types';

const listNames: readonly ListName[] = ['FL', 'AL', 'BL', 'RL'];

export const listsFromBits = (bits: number): Record<ListName, boolean> => ({
  FL: (bits & listBits.FL) !== 0,
  AL: (bits & listBits.AL) !== 0,
  BL: (bits & listBits.BL) !== 0,
  RL: (bits & listBits.RL) !== 0,
});

export const bitsFromLists = (lists: Record<ListName, boolean>): number =>
  listNames.reduce((bits, name) => (lists[name] ? bits | listBits[name] : bits), 0);

/** What a rollback needs to put one contact back: its list state before a change (undefined = it did not exist), and
 * where it stood, so a refused change does not move it in the list the UI draws. */
export type SavedContact = { email: string; entry?: Pick<Contact, 'nickname' | 'lists' | 'groupIds'>; index: number };
/** A group, its place, and the full group memberships of everyone in it (removing it may move them to group 0). */
export type SavedGroup = { id: string; group?: Group; index: number; members: { email: string; groupIds: string[] }[] };

/** What comes with a contact's presence and goes when they do (or our connection does). */
export interface PresenceExtras {
  personalMessage?: string;
  currentMedia?: CurrentMedia;
  msnObject?: MsnObjectInfo;
}

export class ContactList {
  version = 0;
  /** MSNP10+: the last SYN's stamps (contacts, groups). */
  timestamps: { contacts: string; groups: string } | undefined;
  /** The MSNP version the list was downloaded with. */
  protocol: number | undefined;
  /** Your nickname as the list reported it (MSNP10+ `PRP MFN`), URL-encoded. */
  ownNickname: string | undefined;
  /** Your personal message and media as last set (MSNP11+): kept with the list, outliving a download. */
  ownPersonalMessage: string | undefined;
  ownCurrentMedia: CurrentMedia | undefined;
  /** Changes the server said yes to, until a download shows whether it kept them: group renames (id → name) and the
   *  privacy settings. Not part of the snapshot: it outlives downloads and reconnects, not the run. */
  unverified: { renames: Map<string, string>; gtc?: 'A' | 'N'; blp?: 'AL' | 'BL' } = { renames: new Map() };
  gtc: 'A' | 'N' = 'A';
  blp: 'AL' | 'BL' = 'AL';
  readonly ownPhones = new Map<string, string>();
  private readonly groups = new Map<string, Group>();
  private readonly contacts = new Map<string, Contact>();

  static fromSnapshot(snapshot: ContactListSnapshot): ContactList {
    const list = new ContactList();
    list.replace(snapshot);
    return list;
  }

  /** Replaces everything (a SYN result or a cached list). Presence starts offline: it is per-connection. */
  replace(snapshot: ContactListSnapshot): void {
    this.version = snapshot.version;
    this.timestamps = snapshot.timestamps && { ...snapshot.timestamps };
    this.protocol = snapshot.protocol;
    this.ownNickname = snapshot.ownNickname;
    this.ownPersonalMessage = snapshot.ownPersonalMessage;
    this.ownCurrentMedia = snapshot.ownCurrentMedia && { ...snapshot.ownCurrentMedia, args: [...snapshot.ownCurrentMedia.args] };
    this.gtc = snapshot.gtc;
    this.blp = snapshot.blp;
    this.ownPhones.clear();
    for (const [k, v] of Object.entries(snapshot.ownPhones)) this.ownPhones.set(k, v);
    this.groups.clear();
    for (const g of snapshot.groups) this.groups.set(g.id, { ...g });
    this.contacts.clear();
    for (const c of snapshot.contacts) this.contacts.set(key(c.email), cloneContact(c));
  }

  /** Empties the list for a download; your own personal message is not the server's list, and stays. */
  clear(): void {
    const { ownPersonalMessage, ownCurrentMedia } = this;
    this.replace({ version: 0, gtc: 'A', blp: 'AL', groups: [], contacts: [], ownPhones: {} });
    this.ownPersonalMessage = ownPersonalMessage;
    this.ownCurrentMedia = ownCurrentMedia;
  }

  snapshot(): ContactListSnapshot {
    return {
      version: this.version,
      ...(this.timestamps ? { timestamps: { ...this.timestamps } } : {}),
      ...(this.protocol !== undefined ? { protocol: this.protocol } : {}),
      ...(this.ownNickname !== undefined ? { ownNickname: this.ownNickname } : {}),
      ...(this.ownPersonalMessage !== undefined ? { ownPersonalMessage: this.ownPersonalMessage } : {}),
      ...(this.ownCurrentMedia ? { ownCurrentMedia: { ...this.ownCurrentMedia, args: [...this.ownCurrentMedia.args] } } : {}),
      gtc: this.gtc,
      blp: this.blp,
      groups: [...this.groups.values()].map((g) => ({ ...g })),
      contacts: [...this.contacts.values()].map(cloneContact),
      ownPhones: Object.fromEntries(this.ownPhones),
    };
  }

  get(email: string): Contact | undefined {
    const c = this.contacts.get(key(email));
    return c && cloneContact(c);
  }

  getGroup(id: string): Group | undefined {
    const g = this.groups.get(id);
    return g && { ...g };
  }

  /** Whether someone is on the list, without copying their entry (presence lines ask this for every line). */
  has(email: string): boolean {
    return this.contacts.has(key(email));
  }

  /** Whether someone is on one list, without copying their entry (every presence line asks for FL). */
  isOn(email: string, list: ListName): boolean {
    return this.contacts.get(key(email))?.lists[list] === true;
  }

  /** A contact's nickname as the list now has it (URL-encoded), without copying their entry. */
  nicknameOf(email: string): string | undefined {
    return this.contacts.get(key(email))?.nickname;
  }

  get contactCount(): number {
    return this.contacts.size;
  }

  get groupCount(): number {
    return this.groups.size;
  }

  // ── list contents ────────────────────────────────────────────────────────────────────────────────────────────

  /** Sets the whole membership of one contact (an MSNP8+ LST line), with its id and network where the line has them. */
  putContact(email: string, nickname: string, bits: number, groupIds: string[], ids: { contactId?: string; network?: number } = {}): void {
    const c = this.ensure(email, nickname);
    c.nickname = nickname;
    c.lists = listsFromBits(bits);
    c.groupIds = c.lists.FL ? unique(groupIds) : [];
    if (ids.contactId !== undefined) c.contactId = ids.contactId;
    if (ids.network !== undefined) c.network = ids.network;
  }

  /** The server's id for a contact (an ADC reply's `C=`). */
  setContactId(email: string, contactId: string): void {
    const c = this.contacts.get(key(email));
    if (c) c.contactId = contactId;
  }

  /** A list version from a reply or a list line; versions only grow, so one answered out of order is ignored. */
  noteVersion(v: string | undefined): void {
    if (v !== undefined && /^\d{1,10}$/.test(v) && Number(v) <= 0xffff_ffff) this.version = Math.max(this.version, Number(v));
  }

  /** Adds a contact to one list (MSNP7 per-list LST lines, ADD replies, someone adding you). */
  addToList(email: string, list: ListName, nickname?: string, groupId?: string): void {
    const c = this.ensure(email, nickname ?? email);
    if (nickname !== undefined) c.nickname = nickname;
    c.lists[list] = true;
    if (list === 'FL' && groupId !== undefined && !c.groupIds.includes(groupId)) c.groupIds.push(groupId);
  }

  /** Removes from one list; from FL with a group id, only from that group (the contact stays on FL in others). */
  removeFromList(email: string, list: ListName, groupId?: string): void {
    const c = this.contacts.get(key(email));
    if (!c) return;
    if (list === 'FL' && groupId !== undefined) {
      c.groupIds = c.groupIds.filter((g) => g !== groupId);
      return;
    }
    c.lists[list] = false;
    if (list === 'FL') c.groupIds = [];
    if (!listNames.some((l) => c.lists[l])) this.contacts.delete(key(email));
  }

  setPhone(email: string, phoneKey: string, value: string): void {
    const c = this.contacts.get(key(email));
    if (c) c.phones[phoneKey] = value;
  }

  putGroup(id: string, name: string): void {
    this.groups.set(id, { id, name });
  }

  /** As the server does: people on FL left in no group land in the default group 0. */
  removeGroup(id: string): void {
    this.groups.delete(id);
    for (const c of this.contacts.values()) {
      if (!c.groupIds.includes(id)) continue;
      c.groupIds = c.groupIds.filter((g) => g !== id);
      if (c.lists.FL && c.groupIds.length === 0 && this.groups.has('0')) c.groupIds = ['0'];
    }
  }

  // ── presence ─────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * ILN/NLN/FLN: returns false for someone who is not on the list (ignored, but the caller may want to know). Going
   * offline takes the personal message, media and picture with it; `msnObject` (MSNP9+) replaces the picture when
   * given (undefined in the object: they have none).
   */
  setPresence(email: string, status: PresenceStatus, nickname?: string, clientId?: number, extras?: Pick<PresenceExtras, 'msnObject'>): boolean {
    const c = this.contacts.get(key(email));
    if (!c) return false;
    c.status = status;
    if (nickname !== undefined) c.nickname = nickname;
    if (clientId !== undefined) c.clientId = clientId >>> 0;
    if (status === 'FLN') clearExtras(c);
    else if (extras) setOptional(c, 'msnObject', extras.msnObject);
    return true;
  }

  /** UBX (MSNP11+): a contact's personal message and now playing. False for someone not on the list. */
  setPersonalStatus(email: string, personalMessage: string, currentMedia: CurrentMedia | undefined): boolean {
    const c = this.contacts.get(key(email));
    if (!c) return false;
    setOptional(c, 'personalMessage', personalMessage === '' ? undefined : personalMessage);
    setOptional(c, 'currentMedia', currentMedia);
    return true;
  }

  /** Everyone offline: our connection is gone, so whatever we knew about presence is stale. */
  setAllOffline(): void {
    for (const c of this.contacts.values()) {
      c.status = 'FLN';
      c.clientId = 0;
      clearExtras(c);
    }
  }

  /** People on RL who are on neither AL nor BL: the reverse-list prompt should ask about them. */
  pendingReverse(): Contact[] {
    return [...this.contacts.values()].filter((c) => c.lists.RL && !c.lists.AL && !c.lists.BL).map(cloneContact);
  }

  // ── rollback support ─────────────────────────────────────────────────────────────────────────────────────────

  saveContact(email: string): SavedContact {
    const c = this.contacts.get(key(email));
    return { email, entry: c && { nickname: c.nickname, lists: { ...c.lists }, groupIds: [...c.groupIds] }, index: indexOf(this.contacts, key(email)) };
  }

  /** Puts a contact's list state back; presence and phones learned meanwhile are kept. */
  restoreContact(saved: SavedContact): void {
    if (!saved.entry) {
      this.contacts.delete(key(saved.email));
      return;
    }
    const c = this.ensure(saved.email, saved.entry.nickname);
    c.nickname = saved.entry.nickname;
    c.lists = { ...saved.entry.lists };
    c.groupIds = [...saved.entry.groupIds];
    placeAt(this.contacts, key(saved.email), saved.index);
  }

  saveGroup(id: string): SavedGroup {
    const g = this.groups.get(id);
    const members = [...this.contacts.values()].filter((c) => c.groupIds.includes(id)).map((c) => ({ email: c.email, groupIds: [...c.groupIds] }));
    return { id, group: g && { ...g }, index: indexOf(this.groups, id), members };
  }

  restoreGroup(saved: SavedGroup): void {
    if (!saved.group) {
      this.removeGroup(saved.id);
      return;
    }
    this.groups.set(saved.id, { ...saved.group });
    placeAt(this.groups, saved.id, saved.index);
    for (const m of saved.members) {
      const c = this.contacts.get(key(m.email));
      if (c) c.groupIds = [...m.groupIds];
    }
  }

  private ensure(email: string, nickname: string): Contact {
    let c = this.contacts.get(key(email));
    if (!c) {
      c = {
        email,
        nickname,
        lists: listsFromBits(0),
        groupIds: [],
        status: 'FLN',
        clientId: 0,
        phones: {},
      };
      this.contacts.set(key(email), c);
    }
    return c;
  }
}

/** Position of a key in a Map's insertion order, -1 when absent. */
function indexOf<V>(map: Map<string, V>, k: string): number {
  let i = 0;
  for (const x of map.keys()) {
    if (x === k) return i;
    i++;
  }
  return -1;
}

/** Moves an existing key back to position `index` of the Map's order (a no-op for -1 or when already there). */
function placeAt<V>(map: Map<string, V>, k: string, index: number): void {
  if (index < 0 || indexOf(map, k) === index) return;
  const entries = [...map.entries()].filter(([x]) => x !== k);
  entries.splice(Math.min(index, entries.length), 0, [k, map.get(k) as V]);
  map.clear();
  for (const [x, v] of entries) map.set(x, v);
}

function setOptional<K extends keyof PresenceExtras>(c: Contact, k: K, value: PresenceExtras[K]): void {
  if (value === undefined) delete c[k];
  else c[k] = value as Contact[K];
}

function clearExtras(c: Contact): void {
  delete c.personalMessage;
  delete c.currentMedia;
  delete c.msnObject;
}

// E-mail addresses are compared case-insensitively; the spelling first seen is kept for display.
const key = (email: string) => email.toLowerCase();
const unique = (ids: string[]) => [...new Set(ids)];
const cloneContact = (c: Contact): Contact => {
  const copy: Contact = { ...c, lists: { ...c.lists }, groupIds: [...c.groupIds], phones: { ...c.phones } };
  if (c.currentMedia) copy.currentMedia = { ...c.currentMedia, args: [...c.currentMedia.args] };
  return copy;
};
