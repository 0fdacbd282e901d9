// The lines a SYN is answered with, in the three shapes the captures show. MSNP10–12 (15): `SYN trid clTS glTS
// #contacts #groups` with Escargot's fixed stamps, GTC, BLP, `PRP MFN nick`, `LSG name id` for every group but 0,
// `LST N=email F=nick C=uuid bits [1] groups` (the network `1` from MSNP12; an empty group field leaves the line
// ending in a space, as Escargot's does), no phones. MSNP8–9 (04/06): `SYN trid ver #LST #LSG`,
// then GTC, BLP, own PRP phones, LSG per group, LST per contact (group list always present, `0` when none) with
// BPR phones after it — no TrIDs. MSNP2–7 (01): TrID and version on every line, LSG (MSNP7) with item/total,
// one LST per list per contact, an empty list as `LST trid L ver 0 0`, GTC and BLP last.
// `head` and `tail` split where a fault may slip unsolicited commands into the middle of the list.
import type { Account, Directory } from './directory';
import { LIST_ORDER } from './directory';
import { encodeParam } from './param-codec';

const PHONE_KEYS = ['PHH', 'PHW', 'PHM', 'MOB'] as const;

/** Escargot's two "last change" stamps: always these, and always the whole list. */
export const SYNC_STAMP = '2000-01-01T00:00:00.0-00:00';

export function buildSyncReply(directory: Directory, acc: Account, version: number, trid: string): { head: string[]; tail: string[] } {
  const ver = acc.listVersion;
  const contacts = [...acc.contacts.values()].filter((c) => c.lists.size > 0);
  const groups = [...acc.groups.entries()].sort((x, y) => x[0] - y[0]);
  const nick = (email: string): string => encodeParam(directory.nicknameOf(acc, email));
  const groupList = (ids: Set<number>): string => [...ids].sort((x, y) => x - y).join(',') || '0';
  const head: string[] = [];
  const tail: string[] = [];
  if (version >= 10) {
    const realGroups = groups.filter(([id]) => id !== 0);
    head.push(`SYN ${trid} ${SYNC_STAMP} ${SYNC_STAMP} ${contacts.length} ${realGroups.length}`, `GTC ${acc.gtc}`, `BLP ${acc.blp}`, `PRP MFN ${encodeParam(acc.nickname)}`);
    for (const [id, name] of realGroups) head.push(`LSG ${encodeParam(name)} ${id}`);
    for (const c of contacts) {
      const ids = [...c.groups].filter((g) => g !== 0).sort((x, y) => x - y).join(',');
      const network = version >= 12 ? ' 1' : '';
      tail.push(`LST N=${c.email} F=${nick(c.email)} C=${directory.contactId(c.email)} ${directory.listBits(c)}${network} ${ids}`);
    }
    return { head, tail };
  }
  if (version >= 8) {
    head.push(`SYN ${trid} ${ver} ${contacts.length} ${groups.length}`, `GTC ${acc.gtc}`, `BLP ${acc.blp}`);
    for (const k of PHONE_KEYS) if (acc.phones[k]) head.push(`PRP ${k} ${encodeParam(acc.phones[k] as string)}`);
    for (const [id, name] of groups) head.push(`LSG ${id} ${encodeParam(name)} 0`);
    for (const c of contacts) {
      tail.push(`LST ${c.email} ${nick(c.email)} ${directory.listBits(c)} ${groupList(c.groups)}`);
      const phones = directory.get(c.email)?.phones ?? {};
      for (const k of PHONE_KEYS) if (phones[k]) tail.push(`BPR ${k} ${encodeParam(phones[k] as string)}`);
    }
    return { head, tail };
  }
  head.push(`SYN ${trid} ${ver}`);
  if (version >= 7) groups.forEach(([id, name], i) => head.push(`LSG ${trid} ${ver} ${i + 1} ${groups.length} ${id} ${encodeParam(name)} 0`));
  for (const list of LIST_ORDER) {
    const members = contacts.filter((c) => c.lists.has(list));
    if (members.length === 0) tail.push(`LST ${trid} ${list} ${ver} 0 0`);
    members.forEach((c, i) => {
      const groupTail = list === 'FL' && version >= 7 ? ` ${groupList(c.groups)}` : '';
      tail.push(`LST ${trid} ${list} ${ver} ${i + 1} ${members.length} ${c.email} ${nick(c.email)}${groupTail}`);
    });
  }
  tail.push(`GTC ${trid} ${ver} ${acc.gtc}`, `BLP ${trid} ${ver} ${acc.blp}`);
  return { head, tail };
}
