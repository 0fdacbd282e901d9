// Who is signed in, and what each watcher has been told about each contact. Presence fan-out is computed, not
// pushed blindly: `refresh(watcher, contact)` works out what the watcher should see now (online with status,
// or offline) and sends NLN/ILN/FLN only when that differs from what it saw last, so every rule (FL — or, as the
// 2017 Escargot, every entry of the list —, AL/BL, BLP, HDN, first CHG) lives in one place. In the watcher's version's shape: the client id from MSNP8, the msnobject
// from MSNP9 (`%3Cmsnobj%2F%3E` for none, as Escargot), and from MSNP11 every ILN/NLN followed by the contact's UBX
// (a change of status, nickname or personal message re-sends both).
import type { Account, Directory } from './directory';
import { encodeParam } from './param-codec';
import { ubxBody } from './personal-status';

/** Something that is online: a real NS session or the demo bot. */
export interface OnlineUser {
  readonly account: Account;
  /** null until the first CHG. */
  readonly status: string | null;
  readonly clientId: string;
}

/** An NS session that receives presence. */
export interface Watcher extends OnlineUser {
  readonly version: number;
  /** UBX with the personal message escaped (the official servers) rather than raw (Escargot). */
  readonly ubxEscaped?: boolean;
  /** What this watcher last saw per contact (lower-case e-mail → signature). */
  readonly shown: Map<string, string>;
  send(line: string, payload?: Buffer): void;
}

const key = (email: string): string => email.toLowerCase();

export class PresenceRegistry {
  private readonly online = new Map<string, OnlineUser>();

  constructor(
    private readonly directory: Directory,
    /** The 2017 Escargot's rule: presence for every entry of the watcher's list, not only FL (faults). */
    private readonly toEveryEntry: () => boolean = () => false,
  ) {}

  /** Whose presence `watcher` is sent: its FL contacts (the official servers), or everyone on its list (Escargot). */
  watches(watcher: Watcher, email: string): boolean {
    const entry = watcher.account.contacts.get(key(email));
    return this.toEveryEntry() ? (entry?.lists.size ?? 0) > 0 : this.directory.hasOnList(watcher.account, email, 'FL');
  }

  /** The msnobject field as Escargot re-encodes it: every reserved character escaped; `<msnobj/>` for none. */
  static msnObjectField(xml: string): string {
    return encodeURIComponent(xml === '' ? '<msnobj/>' : xml).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  }

  get(email: string): OnlineUser | undefined {
    return this.online.get(key(email));
  }

  set(user: OnlineUser): void {
    this.online.set(key(user.account.email), user);
  }

  /** Removes the user only if it is still the registered one (a second sign-in may have replaced it). */
  delete(user: OnlineUser): boolean {
    if (this.online.get(key(user.account.email)) !== user) return false;
    this.online.delete(key(user.account.email));
    return true;
  }

  users(): OnlineUser[] {
    return [...this.online.values()];
  }

  watchers(): Watcher[] {
    return this.users().filter((u): u is Watcher => 'shown' in u);
  }

  /** What `watcher` may see of `email` right now, or null for offline. */
  visible(watcher: Watcher, email: string): { status: string; nickname: string; clientId: string } | null {
    const target = this.get(email);
    if (!target || target.status === null || target.status === 'HDN') return null;
    if (!this.watches(watcher, email)) return null;
    if (!this.directory.allows(target.account, watcher.account.email)) return null;
    return { status: target.status, nickname: target.account.nickname, clientId: target.clientId };
  }

  /** Sends the watcher what changed about one contact. `initialTrid`: answer a first CHG with ILN. */
  refresh(watcher: Watcher, email: string, initialTrid?: string): void {
    if (watcher.status === null || this.get(watcher.account.email) !== watcher) return;
    const v = this.visible(watcher, email);
    const target = this.get(email);
    const shownEmail = target?.account.email ?? email;
    const account = target?.account;
    const extras = watcher.version >= 9 && account ? ` ${account.msnObject}\n${account.personalMessage}\n${account.currentMedia}` : '';
    const sig = v ? `${v.status} ${v.nickname} ${v.clientId}${extras}` : undefined;
    const prev = watcher.shown.get(key(email));
    if (sig === prev) return;
    if (v && account) {
      const tail = watcher.version >= 8 ? ` ${v.clientId}` : '';
      const picture = watcher.version >= 9 ? ` ${PresenceRegistry.msnObjectField(account.msnObject)}` : '';
      const body = `${v.status} ${shownEmail} ${encodeParam(v.nickname)}${tail}${picture}`;
      watcher.send(initialTrid !== undefined ? `ILN ${initialTrid} ${body}` : `NLN ${body}`);
      if (watcher.version >= 11) {
        const ubx = ubxBody(account.personalMessage, account.currentMedia, watcher.ubxEscaped ?? false);
        watcher.send(`UBX ${shownEmail} ${ubx.length}`, ubx);
      }
      watcher.shown.set(key(email), sig as string);
    } else {
      watcher.shown.delete(key(email));
      if (prev !== undefined) watcher.send(`FLN ${shownEmail}`);
    }
  }

  /** Tell everyone watching `email` about its current state. */
  fanOut(email: string): void {
    for (const w of this.watchers()) if (key(w.account.email) !== key(email)) this.refresh(w, email);
  }
}
