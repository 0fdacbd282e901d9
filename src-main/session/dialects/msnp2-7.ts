// MSNP2–7 (MSN Messenger 1.0–4.5): `INF` → `MD5`, `USR MD5 I/S` with md5(salt + password), `USR OK email nick`;
// CHG without a client id; lists by `SYN trid ver`, answered with one LST per list (`LST trid list ver item total
// email nick [groups]`) and — from MSNP7 — `LSG trid ver item total id name 0`, every line with the SYN's TrID and the
// list version; GTC/BLP close the download. Challenges from MSNP6 (MD5, msmsgs); groups from MSNP7.
import type { ListName } from '../../../src-shared/messenger-types';
import { CHALLENGE_PRODUCTS } from '../../protocol/challenge';
import type { ClientCommandName } from '../../protocol/command-names';
import { parseJoin, parseRoster } from '../../protocol/sb-commands';
import type { ContactList } from '../contact-list';
import { ListSync } from '../list-sync';
import type { Incoming } from '../wire';
import { presenceHead, type Dialect } from './dialect';
import { readReverseListChange, SERVER_PAYLOADS, signedInOk, SWITCHBOARD_PAYLOADS, versionedListEditing } from './msnp8';

const LISTS = new Set(['FL', 'AL', 'BL', 'RL']);

const BASE_COMMANDS: readonly ClientCommandName[] = ['VER', 'INF', 'USR', 'XFR', 'SYN', 'GTC', 'BLP', 'PRP', 'ADD', 'REM', 'REA', 'CHG', 'PNG', 'FND', 'SND', 'URL', 'CAL', 'ANS', 'MSG', 'OUT'];

/** MSNP2–7 downloads: per-list LST lines with item/total; done when RL's last item, GTC and BLP have come. */
export class PerListSync extends ListSync {
  private readonly doneLists = new Set<string>();
  private sawGtc = false;
  private sawBlp = false;

  synArgs(): string[] {
    return [String(this.cacheUsable ? this.list.version : 0)];
  }

  begin(reply: Incoming): boolean {
    // SYN trid ver: the same version we sent means the cached list is the list.
    const serverVersion = Number(reply.args[0]);
    const cached = this.cacheUsable ? this.list.version : 0;
    if (cached > 0 && serverVersion === cached) return true;
    this.startDownload(0, 0);
    this.list.version = Number.isFinite(serverVersion) && serverVersion <= 0xffff_ffff ? serverVersion : 0;
    return false;
  }

  protected override countsComplete(): boolean {
    return this.doneLists.has('RL') && this.sawGtc && this.sawBlp;
  }

  protected override sawPrivacy(command: 'GTC' | 'BLP'): void {
    if (command === 'GTC') this.sawGtc = true;
    else this.sawBlp = true;
  }

  // The lines' TrIDs are split off already (this version's TrID rules): the args start at the version.
  protected group(a: string[]): boolean {
    // LSG trid ver item total id name 0  |  LSG trid ver 0 0 (no groups)
    const [ver, item, total, id, name] = a;
    this.list.noteVersion(ver);
    if (id !== undefined && name !== undefined && Number(total) > 0) this.list.putGroup(id, name);
    if (item === total) this.doneLists.add('LSG');
    return true;
  }

  protected override contact(a: string[]): boolean {
    // LST trid list ver item total email nick [groups]  |  LST trid list ver 0 0 (empty list)
    const [list, ver, item, total] = a;
    if (!LISTS.has(list)) return false;
    this.list.noteVersion(ver);
    this.putContact(a);
    if (item === total) this.doneLists.add(list);
    return true;
  }

  protected putContact(a: string[]): void {
    const [list, , , total, email, nick, groups] = a;
    if (!email || !(Number(total) > 0)) return;
    this.list.addToList(email, list as ListName, nick ?? email);
    if (list === 'FL' && groups) for (const g of groups.split(',').filter(Boolean)) this.list.addToList(email, 'FL', undefined, g);
    this.lastEmail = email;
  }
}

/** MSNP`version` for 2–7. */
export function msnp2to7Dialect(version: 2 | 3 | 4 | 5 | 6 | 7): Dialect {
  const challenges = version >= 6;
  const groups = version >= 7;
  const commands = new Set<ClientCommandName>([...BASE_COMMANDS, ...(challenges ? (['QRY'] as const) : []), ...(groups ? (['ADG', 'RMG', 'REG'] as const) : [])]);
  const name = `MSNP${version}`;
  return {
    version,
    name,
    ns: { name, listLinesCarryTrid: true, payloads: { fromServer: SERVER_PAYLOADS, fromClient: challenges ? ['MSG', 'QRY'] : ['MSG'] } },
    sb: { name, listLinesCarryTrid: false, payloads: SWITCHBOARD_PAYLOADS },
    auth: 'MD5',
    clientVersion: [],
    clientCapabilities: 0,
    personalStatus: false,
    challengeAlgorithm: 'md5',
    challengeProduct: CHALLENGE_PRODUCTS.msmsgs,
    sends: (command) => commands.has(command),
    signedIn: signedInOk,
    setStatus: (status) => [status],
    presence: (frame) => presenceHead(frame.args),
    reverseListChange: readReverseListChange,
    createListSync: (list: ContactList) => new PerListSync(list, version),
    lists: versionedListEditing(groups),
    switchboardMember: (command, args) => (command === 'JOI' ? parseJoin(args) : parseRoster(args)?.member),
  };
}
