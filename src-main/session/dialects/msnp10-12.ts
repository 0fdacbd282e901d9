// MSNP10–12 (Messenger 6.1/6.2, 7.0, 7.5): the GUID list model (msnp9-12.md). `USR OK email 1 0` without the
// nickname, which comes as `PRP MFN` in the list (and is set with `PRP MFN`: REA is gone); `SYN trid clTS glTS` with
// two timestamps instead of a list version, answered `SYN trid clTS glTS #contacts #groups` and lines without
// versions: `LSG name id`, `LST N=email F=nick C=id bits [net] groups` (MSNP12 adds the network; a trailing empty
// group field is tolerated); edits by contact id (`ADC`/`REM`), `ADG`/`RMG`/`REG` with Escargot's reply shapes, and
// `SBP id MFN nick` so that a contact's stored name follows the one presence brings.
// Ids are opaque strings (Escargot's group ids are small numbers, its contact ids account UUIDs). MSNP11 adds the
// personal message (UUX/UBX, GCF, SBS) and the MSNP11 challenge algorithm; MSNP12 the network field and the
// capability field on switchboard IRO/JOI (Escargot sends it only from MSNP13: it is optional).
import { CHALLENGE_PRODUCTS } from '../../protocol/challenge';
import { encodeMsnObject } from '../../protocol/msn-object';
import type { ClientCommandName } from '../../protocol/command-names';
import { isEmailAddress, parseJoin, parseRoster } from '../../protocol/sb-commands';
import type { ContactList } from '../contact-list';
import { ListSync } from '../list-sync';
import { sessionErrors } from '../session-errors';
import type { Incoming } from '../wire';
import type { Dialect, ListEditing, ListStep } from './dialect';
import { readReverseListChange, refuseReverseList, SERVER_PAYLOADS, SWITCHBOARD_PAYLOADS } from './msnp8';
import { presenceWithPicture } from './msnp9';

const COMMANDS: readonly ClientCommandName[] = [
  'VER', 'CVR', 'USR', 'XFR', 'SYN', 'GTC', 'BLP', 'PRP', 'SBP', 'ADC', 'REM', 'ADG', 'RMG', 'REG', 'CHG', 'PNG', 'QRY',
  'SND', 'URL', 'CAL', 'ANS', 'MSG', 'OUT',
];

/** `2000-01-01T00:00:00.0-00:00`, as Escargot sends them (the official servers' fractional digits vary). */
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$/;
const ID = /^[^\s,]{1,64}$/;

/** MSNP10–12 downloads: timestamps as the cache key, counts announced, one LST per contact with its fields named. */
export class GuidListSync extends ListSync {
  constructor(
    list: ContactList,
    protocol: number,
    /** MSNP12: the field after the list bits is the network. */
    private readonly networkField: boolean,
  ) {
    super(list, protocol);
  }

  synArgs(): string[] {
    const stamps = this.cacheUsable ? this.list.timestamps : undefined;
    return stamps ? [stamps.contacts, stamps.groups] : ['0', '0'];
  }

  begin(reply: Incoming): boolean {
    // SYN trid clTS glTS [#contacts #groups]: without the counts nothing follows, so what we hold stays.
    const [contactsStamp, groupsStamp, contacts, groups] = reply.args;
    if (contacts === undefined || groups === undefined) return true;
    this.startDownload(Number(contacts) || 0, Number(groups) || 0);
    if (STAMP.test(contactsStamp ?? '') && STAMP.test(groupsStamp ?? '')) this.list.timestamps = { contacts: contactsStamp, groups: groupsStamp };
    else this.onSkip(`the list's timestamps "${`${contactsStamp} ${groupsStamp}`.slice(0, 80)}" are not timestamps: the next sign-in downloads the whole list again`);
    return false;
  }

  protected group(a: string[]): boolean {
    // LSG name id
    const [name, id] = a;
    if (name !== undefined && id !== undefined && ID.test(id)) this.list.putGroup(id, name);
    else this.onSkip(`an LSG line without a group id (${a.join(' ').slice(0, 60)})`);
    this.seenGroups++;
    return true;
  }

  protected putContact(a: string[]): void {
    // LST N=email F=nick C=id bits [net] [groups]
    let i = 0;
    const named: Record<string, string> = {};
    for (; i < a.length && /^[NFC]=/.test(a[i]); i++) named[a[i][0]] = a[i].slice(2);
    const email = named['N'];
    const rest = a.slice(i);
    if (rest.length === 0 && email !== undefined && a[a.length - 1]?.startsWith('F=')) {
      this.cut = a;
      return;
    }
    const why = !isEmailAddress(email) ? 'without an address' : !/^\d{1,10}$/.test(rest[0] ?? '') ? 'without its list bits' : undefined;
    if (why) return this.onSkip(`an LST line ${why} (${a.join(' ').slice(0, 60)})`);
    const bits = Number(rest[0]);
    if (bits > 15) this.onSkip(`list bits ${bits} for ${email}: the ones Butterfly does not know (${bits & ~15}) are left out`);
    const network = this.networkField && /^\d{1,10}$/.test(rest[1] ?? '') ? Number(rest[1]) : undefined;
    const groups = (rest[network === undefined ? 1 : 2] ?? '').split(',').filter((g) => g !== '' && ID.test(g));
    const contactId = named['C'] !== undefined && ID.test(named['C']) ? named['C'] : undefined;
    this.list.putContact(email, named['F'] ?? email, bits & 15, groups, { contactId, network });
    this.lastEmail = email;
  }
}

/** The contact id the server gave `email`, or a typed error: edits of FL name the contact by it. */
function idOf(list: ContactList, email: string): string {
  const id = list.get(email)?.contactId;
  if (!id) throw sessionErrors.unexpected(`no contact id for ${email.slice(0, 80)} in the list the server sent`);
  return id;
}

/** ADC/REM by contact id, no list versions. */
export const guidListEditing: ListEditing = {
  defaultGroup: undefined,
  addToForwardList(email, group, list) {
    const steps: ListStep[] = list.get(email)?.lists.FL ? [] : [{ list: 'FL', add: true, email }];
    if (group !== undefined) steps.push({ list: 'FL', add: true, email, group });
    return steps;
  },
  request(step, list) {
    refuseReverseList(step);
    if (step.list !== 'FL') return step.add ? { command: 'ADC', args: [step.list, `N=${step.email}`] } : { command: 'REM', args: [step.list, step.email] };
    const group = step.group === undefined ? [] : [step.group];
    if (!step.add) return { command: 'REM', args: ['FL', idOf(list, step.email), ...group] };
    if (step.group !== undefined) return { command: 'ADC', args: ['FL', `C=${idOf(list, step.email)}`, step.group] };
    return { command: 'ADC', args: ['FL', `N=${step.email}`, `F=${list.get(step.email)?.nickname ?? step.email}`] };
  },
  accepted(step, reply, list) {
    if (!step.add) return list.removeFromList(step.email, step.list, step.group);
    // ADC trid FL N=email [F=nick] C=id  |  ADC trid FL C=id group  |  ADC trid AL N=email
    const field = (p: string) => reply.args.find((f) => f.startsWith(p))?.slice(2);
    list.addToList(step.email, step.list, field('F='), step.list === 'FL' ? step.group : undefined);
    const id = field('C=');
    if (step.list === 'FL' && id !== undefined && ID.test(id)) list.setContactId(step.email, id);
  },
  setNickname: (_email, nickname) => ({ command: 'PRP', args: ['MFN', nickname] }),
  nicknameSet(reply, sent, list) {
    // PRP trid MFN nick
    const nickname = reply.args[0] === 'MFN' && reply.args[1] ? reply.args[1] : sent;
    list.ownNickname = nickname;
    return nickname;
  },
  addGroup: (name) => ({ command: 'ADG', args: [name] }),
  groupAdded(reply, sent) {
    // ADG trid name id [0]
    const [name, id] = reply.args;
    return { id: id !== undefined && ID.test(id) ? id : '', name: name ?? sent };
  },
  renameGroup: (groupId, name) => ({ command: 'REG', args: [groupId, name] }),
  groupRenamed(reply, groupId, sent) {
    // Escargot: REG trid 1 name id 0 (name before the id); the official form: REG trid id name.
    const a = reply.args;
    if (a[2] === groupId && a[1] !== undefined) return a[1];
    if (a[0] === groupId && a[1] !== undefined) return a[1];
    return sent;
  },
  removeGroup: (groupId) => ({ command: 'RMG', args: [groupId] }),
  groupRemoved() {},
  privacySet(reply, list) {
    // BLP trid AL|BL (a version before it on other servers)
    if (reply.args.length >= 2) list.noteVersion(reply.args[0]);
    return reply.args[reply.args.length - 1];
  },
  storedName(email, nickname, list) {
    // SBP trid id MFN nick, answered with the same line (Escargot keeps nothing: the next LST has its own F=).
    const id = list.get(email)?.contactId;
    return id !== undefined && ID.test(id) ? { command: 'SBP', args: [id, 'MFN', nickname] } : undefined;
  },
};

const CVR: Record<10 | 11 | 12, readonly string[]> = {
  10: ['0x0409', 'winnt', '5.1', 'i386', 'MSNMSGR', '6.2.0208', 'MSMSGS'],
  11: ['0x0409', 'winnt', '5.1', 'i386', 'MSNMSGR', '7.0.0816', 'msmsgs'],
  // Capture 15.
  12: ['0x0409', 'winnt', '5.1', 'i386', 'MSNMSGR', '7.5.0324', 'msmsgs'],
};

export function msnp10to12Dialect(version: 10 | 11 | 12): Dialect {
  const personalStatus = version >= 11;
  const commands = new Set<ClientCommandName>([...COMMANDS, ...(personalStatus ? (['UUX', 'GCF'] as const) : [])]);
  const name = `MSNP${version}`;
  const caps = version >= 12;
  return {
    version,
    name,
    ns: {
      name,
      listLinesCarryTrid: false,
      payloads: personalStatus
        ? // `UUX trid 0` answers a UUX: a payload of length 0.
          { fromServer: [...SERVER_PAYLOADS, 'UUX'], fromClient: ['MSG', 'QRY', 'UUX'] }
        : { fromServer: SERVER_PAYLOADS, fromClient: ['MSG', 'QRY'] },
    },
    sb: { name, listLinesCarryTrid: false, payloads: SWITCHBOARD_PAYLOADS },
    auth: 'TWN',
    clientVersion: CVR[version],
    clientCapabilities: 0,
    personalStatus,
    challengeAlgorithm: version === 10 ? 'md5' : 'msnp11',
    // MSN 6.x's id up to MSNP10, then Messenger 7.0's and 7.5's (newer Escargot allows each only up to its version).
    challengeProduct: version === 10 ? CHALLENGE_PRODUCTS.msmsgs : version === 11 ? CHALLENGE_PRODUCTS.prod0090 : CHALLENGE_PRODUCTS.prod0101,
    sends: (command) => commands.has(command),
    // USR trid OK email 1 0 — no nickname (a server that still sends one is heard).
    signedIn: (a) => (a[0] === 'OK' && a[1] ? { email: a[1], ...(a[2] !== undefined && !/^\d+$/.test(a[2]) ? { nickname: a[2] } : {}) } : undefined),
    setStatus: (status, clientId, msnObject) => [status, String(clientId >>> 0), ...(msnObject ? [encodeMsnObject(msnObject)] : [])],
    presence: (frame) => presenceWithPicture(frame.args),
    reverseListChange: readReverseListChange,
    createListSync: (list) => new GuidListSync(list, version, caps),
    lists: guidListEditing,
    switchboardMember: (command, args) => (command === 'JOI' ? parseJoin(args, caps) : parseRoster(args, caps)?.member),
  };
}
