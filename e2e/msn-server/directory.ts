// The server's account database: accounts, their four lists, groups, privacy settings and list versions; each
// account's UUID (its contact id from MSNP10 on, the same for everyone who lists it, as Escargot's `C=`), personal
// message, now playing and msnobject. List edits return either the new list version or the numeric MSNP error the
// real server would send. Group 0 ("Other Contacts") stands for "in no group" on MSNP10+, where it is never listed.
import { createHash } from 'node:crypto';
import type { AccountSpec, ListName, PhoneSpec } from './accounts';

export interface Contact {
  email: string;
  /** Stored nickname, used when the contact is not an account of this server. */
  nickname: string;
  lists: Set<ListName>;
  groups: Set<number>;
}

export interface Account {
  email: string;
  password: string;
  nickname: string;
  groups: Map<number, string>;
  contacts: Map<string, Contact>;
  phones: PhoneSpec;
  gtc: 'A' | 'N';
  blp: 'AL' | 'BL';
  listVersion: number;
  uuid: string;
  /** As Escargot stores them: unescaped text (`None` for an element a UUX left out). */
  personalMessage: string;
  currentMedia: string;
  /** The msnobject XML of the last CHG (MSNP9+), decoded; '' for none. */
  msnObject: string;
}

/** A UUID for an address that has no account spec'd one: derived from it, so it is the same every run. */
export function uuidFor(email: string): string {
  const h = createHash('sha1').update(`butterfly-test-server:${email.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type EditResult = { ok: true; version: number } | { ok: false; error: number };

export const LIST_BITS: Record<ListName, number> = { FL: 1, AL: 2, BL: 4, RL: 8 };
export const LIST_ORDER: ListName[] = ['FL', 'AL', 'BL', 'RL'];
const MAX_GROUPS = 30;
const MAX_GROUP_NAME_BYTES = 61;

const key = (email: string): string => email.toLowerCase();

export class Directory {
  private readonly accounts = new Map<string, Account>();

  constructor(specs: readonly AccountSpec[]) {
    for (const s of specs) this.addAccount(s);
    this.reconcileReverseLists();
  }

  addAccount(s: AccountSpec): Account {
    const groups = new Map<number, string>([[0, 'Other Contacts']]);
    for (const g of s.groups ?? []) groups.set(g.id, g.name);
    const contacts = new Map<string, Contact>();
    for (const c of s.contacts ?? []) {
      const lists = new Set(c.lists);
      const groupIds = lists.has('FL') ? new Set(c.groups && c.groups.length > 0 ? c.groups : [0]) : new Set<number>();
      contacts.set(key(c.email), { email: c.email, nickname: c.nickname ?? c.email, lists, groups: groupIds });
    }
    const account: Account = {
      email: s.email,
      password: s.password,
      nickname: s.nickname ?? s.email,
      groups,
      contacts,
      phones: { ...(s.phones ?? {}) },
      gtc: s.gtc ?? 'A',
      blp: s.blp ?? 'AL',
      listVersion: s.listVersion ?? 1,
      uuid: s.uuid ?? uuidFor(s.email),
      personalMessage: s.personalMessage ?? '',
      currentMedia: '',
      msnObject: '',
    };
    this.accounts.set(key(s.email), account);
    return account;
  }

  /** Whoever has X on their FL is on X's RL: make that hold for accounts of this server. */
  private reconcileReverseLists(): void {
    for (const owner of this.accounts.values()) {
      for (const c of owner.contacts.values()) {
        const other = this.get(c.email);
        if (!other || !c.lists.has('FL')) continue;
        const back = other.contacts.get(key(owner.email));
        if (back) back.lists.add('RL');
        else other.contacts.set(key(owner.email), { email: owner.email, nickname: owner.nickname, lists: new Set(['RL']), groups: new Set() });
      }
    }
  }

  get(email: string): Account | undefined {
    return this.accounts.get(key(email));
  }

  /** A contact's id in `owner`'s list (MSNP10+ `C=`): the account's UUID, or one derived from the address. */
  contactId(email: string): string {
    return this.get(email)?.uuid ?? uuidFor(email);
  }

  /** The contact in `owner`'s list with that id. */
  byContactId(owner: Account, id: string): Contact | undefined {
    for (const c of owner.contacts.values()) if (this.contactId(c.email) === id) return c;
    return undefined;
  }

  all(): Account[] {
    return [...this.accounts.values()];
  }

  /** The nickname to show for a contact: the account's own when it is ours, else what the owner stored. */
  nicknameOf(owner: Account, email: string): string {
    return this.get(email)?.nickname ?? owner.contacts.get(key(email))?.nickname ?? email;
  }

  contact(owner: Account, email: string): Contact | undefined {
    return owner.contacts.get(key(email));
  }

  hasOnList(owner: Account, email: string, list: ListName): boolean {
    return owner.contacts.get(key(email))?.lists.has(list) ?? false;
  }

  /** Whether `owner`'s privacy settings let `viewer` see owner's presence and invite owner. */
  allows(owner: Account, viewer: string): boolean {
    const c = owner.contacts.get(key(viewer));
    if (c?.lists.has('BL')) return false;
    if (c?.lists.has('AL')) return true;
    return owner.blp === 'AL';
  }

  listBits(c: Contact): number {
    let bits = 0;
    for (const l of c.lists) bits |= LIST_BITS[l];
    return bits;
  }

  private bump(a: Account): number {
    a.listVersion += 1;
    return a.listVersion;
  }

  private prune(a: Account, c: Contact): void {
    if (c.lists.size === 0) a.contacts.delete(key(c.email));
  }

  /** ADD to FL/AL/BL (RL is the server's business). */
  add(owner: Account, list: ListName, email: string, nickname: string, group: number | undefined): EditResult {
    if (list === 'RL') return { ok: false, error: 201 };
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { ok: false, error: 201 };
    // MSNP2–9 answer 205 for a well-formed address that has no account.
    if (!this.get(email)) return { ok: false, error: 205 };
    const existing = owner.contacts.get(key(email));
    if (list === 'FL') {
      const g = group ?? 0;
      if (!owner.groups.has(g)) return { ok: false, error: 224 };
      if (existing?.lists.has('FL') && existing.groups.has(g)) return { ok: false, error: 215 };
    } else {
      if (existing?.lists.has(list)) return { ok: false, error: 215 };
      const opposite: ListName = list === 'AL' ? 'BL' : 'AL';
      if (existing?.lists.has(opposite)) return { ok: false, error: 219 };
    }
    const c = existing ?? { email: this.get(email)?.email ?? email, nickname, lists: new Set<ListName>(), groups: new Set<number>() };
    owner.contacts.set(key(email), c);
    c.lists.add(list);
    if (list === 'FL') {
      c.groups.add(group ?? 0);
      c.nickname = nickname;
      const other = this.get(email);
      if (other) {
        const back = other.contacts.get(key(owner.email)) ?? { email: owner.email, nickname: owner.nickname, lists: new Set<ListName>(), groups: new Set<number>() };
        other.contacts.set(key(owner.email), back);
        if (!back.lists.has('RL')) {
          back.lists.add('RL');
          this.bump(other);
        }
      }
    }
    return { ok: true, version: this.bump(owner) };
  }

  /** REM from FL (whole, or one group), AL or BL. */
  remove(owner: Account, list: ListName, email: string, group: number | undefined): EditResult {
    if (list === 'RL') return { ok: false, error: 201 };
    const c = owner.contacts.get(key(email));
    if (!c || !c.lists.has(list)) return { ok: false, error: 216 };
    if (list === 'FL' && group !== undefined) {
      if (!owner.groups.has(group)) return { ok: false, error: 224 };
      if (!c.groups.has(group)) return { ok: false, error: 225 };
      c.groups.delete(group);
      if (c.groups.size > 0) return { ok: true, version: this.bump(owner) };
    }
    c.lists.delete(list);
    if (list === 'FL') {
      c.groups.clear();
      const other = this.get(email);
      const back = other?.contacts.get(key(owner.email));
      if (other && back?.lists.has('RL')) {
        back.lists.delete('RL');
        this.prune(other, back);
        this.bump(other);
      }
    }
    this.prune(owner, c);
    return { ok: true, version: this.bump(owner) };
  }

  addGroup(owner: Account, name: string): { ok: true; version: number; id: number } | { ok: false; error: number } {
    if (Buffer.byteLength(name, 'utf8') > MAX_GROUP_NAME_BYTES) return { ok: false, error: 229 };
    if ([...owner.groups.values()].includes(name)) return { ok: false, error: 228 };
    if (owner.groups.size >= MAX_GROUPS) return { ok: false, error: 223 };
    let id = 1;
    while (owner.groups.has(id)) id++;
    owner.groups.set(id, name);
    return { ok: true, version: this.bump(owner), id };
  }

  removeGroup(owner: Account, id: number): EditResult {
    if (id === 0) return { ok: false, error: 230 };
    if (!owner.groups.has(id)) return { ok: false, error: 224 };
    owner.groups.delete(id);
    for (const c of owner.contacts.values()) {
      if (c.groups.delete(id) && c.groups.size === 0 && c.lists.has('FL')) c.groups.add(0);
    }
    return { ok: true, version: this.bump(owner) };
  }

  renameGroup(owner: Account, id: number, name: string): EditResult {
    if (!owner.groups.has(id)) return { ok: false, error: 224 };
    if (Buffer.byteLength(name, 'utf8') > MAX_GROUP_NAME_BYTES) return { ok: false, error: 229 };
    owner.groups.set(id, name);
    return { ok: true, version: this.bump(owner) };
  }

  setGtc(owner: Account, value: 'A' | 'N'): EditResult {
    if (owner.gtc === value) return { ok: false, error: 218 };
    owner.gtc = value;
    return { ok: true, version: this.bump(owner) };
  }

  setBlp(owner: Account, value: 'AL' | 'BL'): EditResult {
    if (owner.blp === value) return { ok: false, error: 218 };
    owner.blp = value;
    return { ok: true, version: this.bump(owner) };
  }

  // ── MSNP10+ (the GUID list: no AL/BL conflict check, no automatic AL, group 0 stands for "no group") ──

  /** `ADC trid FL|AL|BL N=email`: 207 for an address without an account, 215 when already there. */
  addByAddress(owner: Account, list: ListName, email: string, nickname: string): EditResult {
    if (list === 'RL') return { ok: false, error: 201 };
    const account = this.get(email);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || !account) return { ok: false, error: 207 };
    const existing = owner.contacts.get(key(email));
    if (existing?.lists.has(list)) return { ok: false, error: 215 };
    const c = existing ?? { email: account.email, nickname, lists: new Set<ListName>(), groups: new Set<number>() };
    owner.contacts.set(key(email), c);
    c.lists.add(list);
    if (list === 'FL') {
      c.groups = new Set([0]);
      c.nickname = nickname;
      const back = account.contacts.get(key(owner.email)) ?? { email: owner.email, nickname: owner.nickname, lists: new Set<ListName>(), groups: new Set<number>() };
      account.contacts.set(key(owner.email), back);
      back.lists.add('RL');
    }
    return { ok: true, version: this.bump(owner) };
  }

  /** `ADC trid FL C=id group`: 205 when not on FL, 224 for an unknown group (or 0), 215 when already in it. */
  addToGroup(owner: Account, c: Contact | undefined, group: number): EditResult {
    if (!c?.lists.has('FL')) return { ok: false, error: 205 };
    if (group === 0 || !owner.groups.has(group)) return { ok: false, error: 224 };
    if (c.groups.has(group)) return { ok: false, error: 215 };
    c.groups.delete(0);
    c.groups.add(group);
    return { ok: true, version: this.bump(owner) };
  }

  /** `REM trid FL id group`: out of one group (left in none: "no group"), still on FL. */
  removeFromGroup(owner: Account, c: Contact | undefined, group: number): EditResult {
    if (!c?.lists.has('FL')) return { ok: false, error: 205 };
    if (group === 0 || !owner.groups.has(group)) return { ok: false, error: 224 };
    if (!c.groups.delete(group)) return { ok: false, error: 225 };
    if (c.groups.size === 0) c.groups.add(0);
    return { ok: true, version: this.bump(owner) };
  }

  /** REA: your own nickname (email = yours) or a contact's stored one. */
  rename(owner: Account, email: string, nickname: string): EditResult {
    if (Buffer.byteLength(nickname, 'utf8') > 387) return { ok: false, error: 209 };
    if (key(email) === key(owner.email)) {
      owner.nickname = nickname;
      return { ok: true, version: this.bump(owner) };
    }
    const c = owner.contacts.get(key(email));
    if (!c) return { ok: false, error: 216 };
    c.nickname = nickname;
    return { ok: true, version: this.bump(owner) };
  }
}
