// MSNP8 (Messenger 5.0): TWN (Passport 1.4) sign-in after CVR, `USR OK email nick 1 0`, the client id in
// CHG/ILN/NLN, MD5 challenges with msmsgs; lists by `SYN trid ver` → `SYN trid ver #LST #LSG`, then GTC, BLP, PRP,
// `LSG id name 0` and `LST email nick bits [groups]` without TrIDs; edits with list versions (ADD/REM/REA/ADG/RMG/REG).
// Its list pieces are shared: versionedListEditing (MSNP2–9) and ContactLineSync (MSNP8–9).
import { CHALLENGE_PRODUCTS } from '../../protocol/challenge';
import type { ClientCommandName } from '../../protocol/command-names';
import { parseJoin, parseRoster } from '../../protocol/sb-commands';
import type { ContactList } from '../contact-list';
import { ListSync } from '../list-sync';
import { sessionErrors } from '../session-errors';
import type { Incoming } from '../wire';
import { presenceHead, type Dialect, type ListEditing, type ListStep, type ReverseListChange } from './dialect';

/** `USR trid OK email nick [verified]` (MSNP2–9; the newer Escargot adds the verified flag): the address and nickname. */
export const signedInOk = (a: readonly string[]): { email: string; nickname: string } | undefined => (a[0] === 'OK' && a[1] ? { email: a[1], nickname: a[2] ?? a[1] } : undefined);

/** What Messenger 6.0 on Windows XP says in CVR: every server accepts it for MSNP8–9. */
export const MESSENGER_6_CVR = ['0x0409', 'winnt', '5.1', 'i386', 'MSNMSGR', '6.0.0602', 'MSMSGS'] as const;

export const MSNP8_COMMANDS: readonly ClientCommandName[] = [
  'VER', 'CVR', 'USR', 'XFR', 'SYN', 'GTC', 'BLP', 'PRP', 'ADD', 'REM', 'REA', 'ADG', 'RMG', 'REG', 'CHG', 'PNG', 'QRY',
  'FND', 'SND', 'URL', 'CAL', 'ANS', 'MSG', 'OUT',
];

/**
 * What the NS sends with a payload, MSNP2–12 (`UUX trid 0` joins from MSNP11). NOT is documented from MSNP8, IPG from
 * MSNP6, UBX and GCF from MSNP11; none of them ever comes without its length, so reading one as a payload at any
 * version is never wrong — and keeps one a server sends early from desynchronising the stream.
 */
export const SERVER_PAYLOADS: readonly string[] = Object.freeze(['MSG', 'NOT', 'IPG', 'UBX', 'GCF']);

/** The switchboard of every version: MSG is its only payload command, both ways. */
export const SWITCHBOARD_PAYLOADS = Object.freeze({ fromServer: Object.freeze(['MSG']), fromClient: Object.freeze(['MSG']) });

/** `REM … RL` closes the connection on the real servers, and RL is the server's to keep: never sent. */
export function refuseReverseList(step: ListStep): void {
  if (step.list === 'RL') throw sessionErrors.notSupported('Changing the reverse list (who has added you) is the server’s business: Butterfly never sends it.');
}

/** ADD/REM with list versions, as MSNP2–9 have them; groups (FL's group field, ADG/RMG/REG) where `groups`. */
export function versionedListEditing(groups: boolean): ListEditing {
  const groupArg = (step: ListStep) => (groups && step.list === 'FL' && step.group !== undefined ? [step.group] : []);
  return {
    defaultGroup: groups ? '0' : undefined,
    addToForwardList: (email, group) => [{ list: 'FL', add: true, email, group: group ?? (groups ? '0' : undefined) }],
    request(step, list) {
      refuseReverseList(step);
      if (!step.add) return { command: 'REM', args: [step.list, step.email, ...groupArg(step)] };
      return { command: 'ADD', args: [step.list, step.email, list.get(step.email)?.nickname ?? step.email, ...groupArg(step)] };
    },
    accepted(step, reply, list) {
      // ADD trid list ver email nick [group] / REM trid list ver email [group]
      list.noteVersion(reply.args[1]);
      if (!step.add) list.removeFromList(step.email, step.list, step.group);
      else if (reply.args[3] !== undefined) list.addToList(step.email, step.list, reply.args[3], reply.args[4] ?? (step.list === 'FL' ? step.group : undefined));
    },
    setNickname: (email, nickname) => ({ command: 'REA', args: [email, nickname] }),
    nicknameSet(reply, sent, list) {
      // REA trid ver email nick
      list.noteVersion(reply.args[0]);
      return reply.args[2] ?? sent;
    },
    addGroup: (name) => ({ command: 'ADG', args: [name, '0'] }),
    groupAdded(reply, sent, list) {
      // ADG trid ver name id 0
      list.noteVersion(reply.args[0]);
      return { id: reply.args[2] ?? '', name: reply.args[1] ?? sent };
    },
    renameGroup: (groupId, name) => ({ command: 'REG', args: [groupId, name, '0'] }),
    groupRenamed(reply, _groupId, sent, list) {
      // REG trid ver id name 0
      list.noteVersion(reply.args[0]);
      return reply.args[2] ?? sent;
    },
    removeGroup: (groupId) => ({ command: 'RMG', args: [groupId] }),
    groupRemoved(reply, list) {
      // RMG trid ver id
      list.noteVersion(reply.args[0]);
    },
    privacySet(reply, list) {
      // BLP trid ver AL|BL, GTC trid ver A|N
      list.noteVersion(reply.args[0]);
      return reply.args[1];
    },
    // MSNP2–9 have no stored name apart from what the list and presence say.
    storedName: () => undefined,
  };
}

/**
 * Someone added or removed you: `ADD 0 RL ver email nick`, the 2017 Escargot's `ADD 0 RL email nick` (no version),
 * another Escargot's `ADD 0 ver RL …`, `REM 0 RL ver email` — and from MSNP10 `ADC 0 RL N=email F=nick`.
 */
export function readReverseListChange(frame: Incoming): ReverseListChange | undefined {
  if (frame.trid !== 0 || (frame.command !== 'ADD' && frame.command !== 'ADC' && frame.command !== 'REM')) return undefined;
  const a = frame.args;
  const at = a.indexOf('RL');
  if (at < 0 || at > 1) return undefined;
  const rest = [...a.slice(0, at), ...a.slice(at + 1)];
  const listVersion = /^\d+$/.test(rest[0] ?? '') ? rest.shift() : undefined;
  const email = (rest[0] ?? '').replace(/^N=/, '');
  if (!email) return undefined;
  return { added: frame.command !== 'REM', email, nickname: (rest[1] ?? email).replace(/^F=/, ''), listVersion };
}

/** MSNP8–9 downloads: the SYN reply announces the counts; one LST per contact with its list bits, no TrIDs. */
export class ContactLineSync extends ListSync {
  synArgs(): string[] {
    return [String(this.cacheUsable ? this.list.version : 0)];
  }

  begin(reply: Incoming): boolean {
    // SYN trid ver [#LST #LSG]: without the counts, the version we sent is current (a cached list is the list).
    const serverVersion = Number(reply.args[0]);
    const cached = this.cacheUsable ? this.list.version : 0;
    if (cached > 0 && serverVersion === cached && reply.args.length < 3) return true;
    this.startDownload(Number(reply.args[1]) || 0, Number(reply.args[2]) || 0);
    this.list.version = Number.isFinite(serverVersion) && serverVersion <= 0xffff_ffff ? serverVersion : 0;
    return false;
  }

  protected group(a: string[]): boolean {
    // LSG id name 0
    if (a.length >= 2) this.list.putGroup(a[0], a[1]);
    this.seenGroups++;
    return true;
  }

  protected putContact(a: string[]): void {
    // LST email nick bits [groups]
    const [email, nick, bits, groups] = a;
    if (email && nick !== undefined && /^\d+$/.test(bits ?? '')) {
      this.list.putContact(email, nick, Number(bits) & 15, groups ? groups.split(',').filter(Boolean) : []);
      this.lastEmail = email;
    } else if (email && nick !== undefined && a.length === 2) {
      this.cut = [email, nick];
    } else this.onSkip(`an LST line without its list bits (${a.slice(0, 3).join(' ').slice(0, 60)})`);
  }
}

/** The MSNP8 dialect (MSNP9 builds on it). */
export function msnp8Dialect(): Dialect {
  const commands = new Set(MSNP8_COMMANDS);
  return {
    version: 8,
    name: 'MSNP8',
    ns: { name: 'MSNP8', listLinesCarryTrid: false, payloads: { fromServer: SERVER_PAYLOADS, fromClient: ['MSG', 'QRY'] } },
    sb: { name: 'MSNP8', listLinesCarryTrid: false, payloads: SWITCHBOARD_PAYLOADS },
    auth: 'TWN',
    clientVersion: MESSENGER_6_CVR,
    clientCapabilities: 0,
    personalStatus: false,
    challengeAlgorithm: 'md5',
    challengeProduct: CHALLENGE_PRODUCTS.msmsgs,
    sends: (command) => commands.has(command),
    signedIn: signedInOk,
    setStatus: (status, clientId) => [status, String(clientId >>> 0)],
    presence: (frame) => presenceHead(frame.args),
    reverseListChange: readReverseListChange,
    createListSync: (list: ContactList) => new ContactLineSync(list, 8),
    lists: versionedListEditing(true),
    switchboardMember: (command, args) => (command === 'JOI' ? parseJoin(args) : parseRoster(args)?.member),
  };
}
