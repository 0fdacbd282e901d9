// The Dialect: once VER has settled the version, this one object answers everything that differs between versions,
// so no other file asks "which version is this?" (versions.md, msnp9-12.md, the reference's tables):
//  - the wire: which commands carry a payload in each direction, on the NS and on a switchboard (the parser is told
//    with setPayloadCommands on every connection), and the TrID rules;
//  - sign-in: MD5 or TWN, CVR's client fields, the shape of `USR … OK`;
//  - the challenge: algorithm and product id;
//  - line shapes: CHG's arguments, ILN/NLN (client id, msnobject), IRO/JOI, someone adding you;
//  - the list strategy (a ListSync for SYN/LST; later versions' address book would be another) and the commands that
//    edit the list and the own nickname (ADD/ADC, REA/PRP MFN), with what each reply says;
//  - which commands exist at all: anything else is refused before it is sent (newer servers close the connection on a
//    command of another version), and so is what closes the connection on the real servers (`REM … RL`).
// MSNP2–7, 8, 9 and 10–12 are the dialects, one file each; `dialectFor` picks one.
import type { ListName, MsnObjectInfo, OwnStatus, PresenceStatus } from '../../../src-shared/messenger-types';
import type { ChallengeSpec } from '../../protocol/challenge';
import type { TridRules } from '../../protocol/command';
import type { ClientCommandName } from '../../protocol/command-names';
import type { SwitchboardMember } from '../../protocol/sb-commands';
import type { ContactList } from '../contact-list';
import type { ListSync } from '../list-sync';
import type { Incoming } from '../wire';

/** Commands followed by a payload (their last field its length), per direction. */
export interface PayloadCommands {
  /** What the server sends: the parser's set. */
  readonly fromServer: readonly string[];
  /** What the client may send with a payload: anything else with one is refused before it is written. */
  readonly fromClient: readonly string[];
}

/** What one connection's wire needs to know: its payload sets and TrID rules. */
export interface WireDialect extends TridRules {
  readonly name: string;
  readonly payloads: PayloadCommands;
}

/** A command to send: mnemonic and fields after the TrID (already URL-encoded where the protocol wants it). */
export interface Request {
  command: ClientCommandName;
  args: string[];
}

/** One change to the server's lists: on or off `list`, for FL possibly one group only. */
export interface ListStep {
  list: ListName;
  add: boolean;
  email: string;
  group?: string;
}

/** An ILN/NLN line read. `msnObject`: present (possibly undefined: no picture) only where the line carries one. */
export interface PresenceLine {
  status: PresenceStatus;
  email: string;
  nickname: string;
  clientId: number;
  picture?: { msnObject: MsnObjectInfo | undefined };
  /** The line ended right after the nickname: a stray line after it may be its rest. */
  endsAtNickname: boolean;
}

/** Someone added you to (or removed you from) their list: ADD/ADC/REM with TrID 0 and RL. */
export interface ReverseListChange {
  added: boolean;
  email: string;
  /** URL-encoded; the e-mail address when the line carries none. */
  nickname: string;
  /** The new list version (MSNP2–9), as the line carries it. */
  listVersion?: string;
}

/** The list's commands and what their replies say, for a version. */
export interface ListEditing {
  /** Where a contact added without a group goes: group 0 on MSNP7–9; no group elsewhere. */
  readonly defaultGroup: string | undefined;
  /** The steps that put `email` on FL (in `group`, else the default). MSNP10+ need the contact on FL before a group. */
  addToForwardList(email: string, group: string | undefined, list: ContactList): ListStep[];
  /** The command for a step; throws a typed error for one that must never be sent (it would close the connection). */
  request(step: ListStep, list: ContactList): Request;
  /** The server took the step: what its reply says goes into the model (list version, contact id, stored nickname). */
  accepted(step: ListStep, reply: Incoming, list: ContactList): void;
  /** Your own nickname (`nickname` URL-encoded): REA, or PRP MFN from MSNP10. */
  setNickname(email: string, nickname: string): Request;
  /** The nickname the reply confirms (and the list version it carries goes into the model). */
  nicknameSet(reply: Incoming, sent: string, list: ContactList): string;
  addGroup(name: string): Request;
  /** The new group's id and name as the server answered. */
  groupAdded(reply: Incoming, sent: string, list: ContactList): { id: string; name: string };
  renameGroup(groupId: string, name: string): Request;
  /** The name the server answered. */
  groupRenamed(reply: Incoming, groupId: string, sent: string, list: ContactList): string;
  removeGroup(groupId: string): Request;
  groupRemoved(reply: Incoming, list: ContactList): void;
  /** BLP/GTC replies: the value the server answered (and its list version into the model). */
  privacySet(reply: Incoming, list: ContactList): string | undefined;
  /**
   * A contact's stored name made to follow the name they now go by (`nickname` URL-encoded), where the version keeps
   * one of its own: MSNP10+ `SBP id MFN nick`, which Messenger 6.1 and later send when presence brings a name other
   * than the list's (Escargot's `_m_sbp`). Undefined where there is nothing to send (MSNP2–9; no contact id).
   */
  storedName(email: string, nickname: string, list: ContactList): Request | undefined;
}

export interface Dialect extends ChallengeSpec {
  /** The negotiated version, e.g. 12. */
  readonly version: number;
  /** `MSNP12`. */
  readonly name: string;
  readonly ns: WireDialect;
  /** The switchboard follows the NS's dialect (it has no VER of its own). */
  readonly sb: WireDialect;
  readonly auth: 'MD5' | 'TWN';
  /** CVR's fields before the e-mail address (TWN versions): which client we say we are. */
  readonly clientVersion: readonly string[];
  /** Capability bits sent with CHG: 0 until a feature needs one. */
  readonly clientCapabilities: number;
  /** Personal message and now playing (UUX out, UBX in). */
  readonly personalStatus: boolean;
  /** Whether this version has the command (client→server): anything else is never sent. */
  sends(command: ClientCommandName): boolean;
  /** `USR trid OK …`'s fields after OK: the address and, where the line has it, the nickname (URL-encoded). */
  signedIn(args: readonly string[]): { email: string; nickname?: string } | undefined;
  /** CHG's arguments; `msnObject` (XML) only from MSNP9, URL-encoded here. */
  setStatus(status: OwnStatus, clientId: number, msnObject?: string): string[];
  /** An ILN (args after its TrID) or NLN line; undefined for one of the wrong shape. */
  presence(frame: Incoming): PresenceLine | undefined;
  /** ADD/ADC/REM from the server about its reverse list; undefined for anything else. */
  reverseListChange(frame: Incoming): ReverseListChange | undefined;
  /** A fresh download of the list into `list`, by this version's SYN. */
  createListSync(list: ContactList): ListSync;
  readonly lists: ListEditing;
  /** JOI (args) or IRO (args after the TrID): the member, with the capability field where the version has it. */
  switchboardMember(command: 'JOI' | 'IRO', args: readonly string[]): SwitchboardMember | undefined;
}

const STATUSES = new Set<string>(['NLN', 'BSY', 'IDL', 'BRB', 'AWY', 'PHN', 'LUN', 'HDN', 'FLN']);
export const isPresenceStatus = (s: string | undefined): s is PresenceStatus => s !== undefined && STATUSES.has(s);

/** `[0-9]+` as an unsigned 32-bit number, else 0. */
export const uint32 = (s: string | undefined): number => (s !== undefined && /^\d{1,10}$/.test(s) ? Number(s) >>> 0 : 0);

/** ILN/NLN's common head: `status email nick [clientId] …` (args after ILN's TrID). */
export function presenceHead(a: readonly string[]): Omit<PresenceLine, 'picture'> | undefined {
  if (!isPresenceStatus(a[0]) || !a[1]) return undefined;
  return { status: a[0], email: a[1], nickname: a[2] ?? a[1], clientId: uint32(a[3]), endsAtNickname: a.length === 3 };
}
