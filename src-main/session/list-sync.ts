// What every version's list download shares: applying GTC/BLP/PRP/BPR lines to the contact-list model, knowing when
// a download is under way, counting what the SYN reply announced against what arrived, and the LST cut short by a
// raw line break in a nickname (Escargot relays them): it is remembered, and the stray line that follows is taken as
// the rest of it (continueCut). The shapes of SYN, LSG and LST are each version's own — the subclasses in
// ./dialects (per-list lines of MSNP2–7, contact lines of MSNP8–9, contact ids and timestamps of MSNP10–12) — and so
// is the SYN's cache key. A line that cannot be read is skipped (and told to `onSkip`), never the list.
import type { ContactList } from './contact-list';
import type { Incoming } from './wire';

/** A nickname cut short by a raw CR/LF, joined with the stray line after it: [nickname, ...the fields after it]. */
export function joinCut(nickname: string, tail: string): string[] {
  const [first, ...rest] = tail.split(' ');
  return [`${nickname}%0D%0A${first}`, ...rest];
}

/** What a download announced, checked against the list limits before it starts. */
export interface Announced {
  contacts: number;
  groups: number;
}

export abstract class ListSync {
  protected expectedContacts = 0;
  protected expectedGroups = 0;
  protected seenContacts = 0;
  protected seenGroups = 0;
  protected lastEmail: string | undefined;
  private downloading = false;
  /** The fields of an LST that ended right after its nickname, until the next line. */
  cut: string[] | undefined;
  /** Told about a list line that was skipped (a traffic note); the download goes on without it. */
  onSkip: (why: string) => void = () => undefined;

  constructor(
    protected readonly list: ContactList,
    /** The negotiated version: the list downloaded is stamped with it, and a cache from another is not trusted. */
    protected readonly protocol: number,
  ) {}

  /** SYN's arguments: the cache key of the list as it is (a list from another version counts as none). */
  abstract synArgs(): string[];

  /** Called with the SYN reply. Returns true when the cached list is current and no download follows. */
  abstract begin(reply: Incoming): boolean;

  /**
   * Whether the list we hold may be offered as current: it came from this version. A list without the stamp was cached
   * by a Butterfly that spoke MSNP8 at most, to servers that nearly all give MSNP8: it counts as MSNP8's.
   */
  protected get cacheUsable(): boolean {
    return (this.list.protocol ?? 8) === this.protocol;
  }

  /** A download begins: the list is emptied and stamped with this version. */
  protected startDownload(contacts: number, groups: number): void {
    this.list.clear();
    this.list.protocol = this.protocol;
    this.expectedContacts = contacts;
    this.expectedGroups = groups;
    this.downloading = true;
  }

  /** Whether a SYN's download is under way: from `begin` (unless the cache was current) until `end`. */
  get active(): boolean {
    return this.downloading;
  }

  /** The download is over (complete, or the session is taking what it has): list lines are changes from now on. */
  end(): void {
    this.downloading = false;
  }

  get announced(): Announced {
    return { contacts: this.expectedContacts, groups: this.expectedGroups };
  }

  get complete(): boolean {
    if (!this.downloading) return true;
    return this.countsComplete();
  }

  /** By default: every announced contact and group has arrived. */
  protected countsComplete(): boolean {
    return this.seenContacts >= this.expectedContacts && this.seenGroups >= this.expectedGroups;
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
        this.sawPrivacy(frame.command);
        if (a.length >= 2) this.list.noteVersion(a[a.length - 2]);
        return true;
      }
      case 'PRP': {
        // In a sync: `PRP key value`; as a reply: `PRP trid [ver] key value` (TrID already split off).
        const at = a.findIndex((f) => /^[A-Z]{3}$/.test(f));
        const [k, v] = at >= 0 ? [a[at], a[at + 1]] : [a[0], a[1]];
        if (k === 'MFN') {
          if (v) this.list.ownNickname = v;
        } else if (k) this.list.ownPhones.set(k, v ?? '');
        return true;
      }
      case 'BPR':
        if (a.length >= 4) this.list.setPhone(a[1], a[2], a[3]); // BPR ver email key value (outside a sync)
        else if (this.lastEmail && a.length >= 1) this.list.setPhone(this.lastEmail, a[0], a[1] ?? '');
        return true;
      case 'LSG':
        return this.group(a);
      case 'LST':
        return this.contact(a);
      default:
        return false;
    }
  }

  /** GTC or BLP arrived (MSNP2–7 count them towards completion). */
  protected sawPrivacy(_command: 'GTC' | 'BLP'): void {}

  protected abstract group(args: string[]): boolean;

  /** By default one LST per contact: read it, count it. */
  protected contact(args: string[]): boolean {
    this.putContact(args);
    this.seenContacts++;
    return true;
  }

  /** The stray line after a cut LST is the rest of it; the contact was counted already, so it is not again. */
  continueCut(tail: string): void {
    const cut = this.cut;
    this.cut = undefined;
    if (cut) this.putContact(this.joinCutFields(cut, tail));
  }

  /** The cut line's fields with the stray line joined onto its last (the nickname). */
  protected joinCutFields(cut: string[], tail: string): string[] {
    return [...cut.slice(0, -1), ...joinCut(cut[cut.length - 1], tail)];
  }

  /** Reads one contact line into the model (or sets `cut`); what `contact` does besides counting. */
  protected abstract putContact(args: string[]): void;
}
