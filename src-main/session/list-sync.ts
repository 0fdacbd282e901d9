// Applies list lines (LSG/LST/BPR/GTC/BLP/PRP) to the contact-list model, for MSNP8 (no TrIDs, one LST per contact
// with list bits) and MSNP2–7 (TrID and version on every line, one LST per list), and tells when a SYN's download is
// complete. Presence that arrives for a contact not listed yet (unsolicited NLN in the middle of a SYN) is held back
// and applied once the contact appears. An MSNP8 LST cut short by a raw line break in its nickname (Escargot relays
// them) is remembered, and the stray line that follows is taken as the rest of it (continueCut).
import type { ListName } from '../../src-shared/messenger-types';
import type { ContactList } from './contact-list';
import type { Incoming } from './wire';

const LISTS = new Set(['FL', 'AL', 'BL', 'RL']);

/** A nickname cut short by a raw CR/LF, joined with the stray line after it: [nickname, ...the fields after it]. */
export function joinCut(nickname: string, tail: string): string[] {
  const [first, ...rest] = tail.split(' ');
  return [`${nickname}%0D%0A${first}`, ...rest];
}

export class ListSync {
  private expectedContacts = 0;
  private expectedGroups = 0;
  private seenContacts = 0;
  private seenGroups = 0;
  /** MSNP2–7: lists whose last item has arrived, and whether GTC/BLP came. */
  private readonly doneLists = new Set<string>();
  private sawGtc = false;
  private sawBlp = false;
  private lastEmail: string | undefined;
  /** The email and nickname of an MSNP8 LST that ended right after its nickname, until the next line. */
  cut: [email: string, nickname: string] | undefined;
  private downloading = false;

  constructor(
    private readonly list: ContactList,
    private readonly version: number,
  ) {}

  /** Called with the SYN reply. Returns true when the cached list is current and no download follows. */
  begin(reply: Incoming, cachedVersion: number): boolean {
    const serverVersion = Number(reply.args[0]);
    const hasCounts = this.version >= 8 && reply.args.length >= 3;
    const unchanged = cachedVersion > 0 && serverVersion === cachedVersion && !hasCounts;
    if (unchanged) return true;
    this.list.clear();
    this.list.version = Number.isFinite(serverVersion) ? serverVersion : 0;
    this.downloading = true;
    if (this.version >= 8) {
      this.expectedContacts = Number(reply.args[1]) || 0;
      this.expectedGroups = Number(reply.args[2]) || 0;
    }
    return false;
  }

  /** Whether a SYN's download is under way: from `begin` (unless the cache was current) until `end`. */
  get active(): boolean {
    return this.downloading;
  }

  /** The download is over (complete, or the session is taking what it has): list lines are changes from now on. */
  end(): void {
    this.downloading = false;
  }

  /** What the SYN reply announced (MSNP8): checked against the list limits before the download. */
  get announced(): { contacts: number; groups: number } {
    return { contacts: this.expectedContacts, groups: this.expectedGroups };
  }

  get complete(): boolean {
    if (!this.downloading) return true;
    if (this.version >= 8) return this.seenContacts >= this.expectedContacts && this.seenGroups >= this.expectedGroups;
    return this.doneLists.has('RL') && this.sawGtc && this.sawBlp;
  }

  /** Applies one list line. Returns false when the frame is not a list line. */
  apply(frame: Incoming): boolean {
    this.cut = undefined;
    const a = frame.args;
    switch (frame.command) {
      case 'GTC':
      case 'BLP': {
        const value = a[a.length - 1];
        if (frame.command === 'GTC' && (value === 'A' || value === 'N')) this.list.gtc = value;
        if (frame.command === 'BLP' && (value === 'AL' || value === 'BL')) this.list.blp = value;
        if (frame.command === 'GTC') this.sawGtc = true;
        else this.sawBlp = true;
        if (a.length >= 2) this.setVersion(a[a.length - 2]);
        return true;
      }
      case 'PRP': {
        // In a sync: `PRP key value`; as a reply: `PRP trid ver key value` (TrID already split off).
        const [k, v] = a.length >= 3 ? [a[1], a[2]] : [a[0], a[1]];
        if (k) this.list.ownPhones.set(k, v ?? '');
        return true;
      }
      case 'LSG':
        return this.version >= 8 ? this.lsg8(a) : this.lsg7(a);
      case 'LST':
        return this.version >= 8 ? this.lst8(a) : this.lst7(a);
      case 'BPR':
        if (a.length >= 4) this.list.setPhone(a[1], a[2], a[3]); // BPR ver email key value (outside a sync)
        else if (this.lastEmail && a.length >= 1) this.list.setPhone(this.lastEmail, a[0], a[1] ?? '');
        return true;
      default:
        return false;
    }
  }

  private setVersion(v: string | undefined): void {
    const n = Number(v);
    if (v !== undefined && /^\d+$/.test(v) && n >= this.list.version) this.list.version = n;
  }

  private lsg8(a: string[]): boolean {
    // LSG id name 0
    if (a.length >= 2) this.list.putGroup(a[0], a[1]);
    this.seenGroups++;
    return true;
  }

  /**
   * The stray line after a cut LST is the rest of it: the nickname went on after a raw CR/LF (kept as %0D%0A, like
   * every other name, URL-encoded), and the list bits follow. The contact was counted already, so it is not again.
   */
  continueCut(tail: string): void {
    const cut = this.cut;
    this.cut = undefined;
    if (!cut) return;
    this.putLst8([cut[0], ...joinCut(cut[1], tail)]);
  }

  private lst8(a: string[]): boolean {
    this.putLst8(a);
    this.seenContacts++;
    return true;
  }

  private putLst8(a: string[]): void {
    // LST email nick bits [groups]
    const [email, nick, bits, groups] = a;
    if (email && nick !== undefined && /^\d+$/.test(bits ?? '')) {
      this.list.putContact(email, nick, Number(bits), groups ? groups.split(',').filter(Boolean) : []);
      this.lastEmail = email;
    } else if (email && nick !== undefined && a.length === 2) {
      this.cut = [email, nick];
    }
  }

  private lsg7(a: string[]): boolean {
    // LSG trid ver item total id name 0  |  LSG trid ver 0 0 (no groups)
    const [, ver, item, total, id, name] = a;
    this.setVersion(ver);
    if (id !== undefined && name !== undefined && Number(total) > 0) this.list.putGroup(id, name);
    if (item === total) this.doneLists.add('LSG');
    return true;
  }

  private lst7(a: string[]): boolean {
    // LST trid list ver item total email nick [groups]  |  LST trid list ver 0 0 (empty list)
    const [, list, ver, item, total, email, nick, groups] = a;
    if (!LISTS.has(list)) return false;
    this.setVersion(ver);
    if (email && Number(total) > 0) {
      this.list.addToList(email, list as ListName, nick ?? email);
      if (list === 'FL' && groups) for (const g of groups.split(',').filter(Boolean)) this.list.addToList(email, 'FL', undefined, g);
      this.lastEmail = email;
    }
    if (item === total) this.doneLists.add(list);
    return true;
  }
}
