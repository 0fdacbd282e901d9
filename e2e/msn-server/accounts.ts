// Account descriptions: what a test or a JSON file says exists. Nicknames and group names are plain text here;
// the server encodes them on the wire. `loadAccountsFile` validates a file and says exactly what is wrong.
import { readFileSync } from 'node:fs';

export type ListName = 'FL' | 'AL' | 'BL' | 'RL';

export interface ContactSpec {
  email: string;
  /** The nickname stored for a contact that is not an account of this server. */
  nickname?: string;
  lists: ListName[];
  /** Group ids (FL only); default [0]. */
  groups?: number[];
}

export interface PhoneSpec {
  PHH?: string;
  PHW?: string;
  PHM?: string;
  MOB?: 'Y' | 'N';
}

export interface AccountSpec {
  email: string;
  password: string;
  /** Plain text; default the e-mail address (as Escargot does for new accounts). */
  nickname?: string;
  /** Group 0 ("Other Contacts") is added when missing. */
  groups?: { id: number; name: string }[];
  contacts?: ContactSpec[];
  phones?: PhoneSpec;
  gtc?: 'A' | 'N';
  blp?: 'AL' | 'BL';
  /** The list version SYN reports before any change; default 1 (as in the captures). */
  listVersion?: number;
  /** The account's UUID, its contact id in MSNP10+ lists (`C=`); default one derived from the address. */
  uuid?: string;
  /** The personal message (MSNP11+) others see; default none. */
  personalMessage?: string;
}

export class AccountsError extends Error {
  readonly code = 'ACCOUNTS_INVALID';
}

/** alice, bob and carol as in the captures, with alice and bob on each other's FL/AL/RL, alice's nickname
 *  non-ASCII and bob in alice's "Friends" group; carol is on nobody's list (CAL → 205, as in capture 09). */
export function defaultTestAccounts(): AccountSpec[] {
  return [
    {
      email: 'alice@example.com',
      password: 'alicepass',
      nickname: 'Alice ✿ Ünïcødé',
      groups: [
        { id: 0, name: 'Other Contacts' },
        { id: 1, name: 'Friends' },
      ],
      contacts: [{ email: 'bob@example.com', lists: ['FL', 'AL', 'RL'], groups: [1] }],
    },
    {
      email: 'bob@example.com',
      password: 'bobpass',
      nickname: 'Bob',
      contacts: [{ email: 'alice@example.com', lists: ['FL', 'AL', 'RL'], groups: [0] }],
    },
    { email: 'carol@example.com', password: 'carolpass' },
  ];
}

const EMAIL = /^[^\s@%]+@[^\s@%]+\.[^\s@%]+$/;
const LISTS = new Set(['FL', 'AL', 'BL', 'RL']);

/** Checks a parsed value is a list of account specs; throws AccountsError naming the first bad field. */
export function validateAccounts(value: unknown, source = 'accounts'): AccountSpec[] {
  if (!Array.isArray(value)) throw new AccountsError(`${source}: expected a JSON array of accounts`);
  const seen = new Set<string>();
  value.forEach((a: unknown, i) => {
    const at = `${source}[${i}]`;
    if (typeof a !== 'object' || a === null) throw new AccountsError(`${at}: expected an object`);
    const acc = a as Record<string, unknown>;
    if (typeof acc.email !== 'string' || !EMAIL.test(acc.email)) throw new AccountsError(`${at}.email: not an e-mail address`);
    const key = acc.email.toLowerCase();
    if (seen.has(key)) throw new AccountsError(`${at}.email: duplicate account ${acc.email}`);
    seen.add(key);
    if (typeof acc.password !== 'string' || acc.password === '') throw new AccountsError(`${at}.password: required`);
    if (acc.nickname !== undefined && typeof acc.nickname !== 'string') throw new AccountsError(`${at}.nickname: must be a string`);
    if (acc.gtc !== undefined && acc.gtc !== 'A' && acc.gtc !== 'N') throw new AccountsError(`${at}.gtc: must be "A" or "N"`);
    if (acc.blp !== undefined && acc.blp !== 'AL' && acc.blp !== 'BL') throw new AccountsError(`${at}.blp: must be "AL" or "BL"`);
    if (acc.listVersion !== undefined && !(Number.isInteger(acc.listVersion) && (acc.listVersion as number) >= 0)) {
      throw new AccountsError(`${at}.listVersion: must be a non-negative integer`);
    }
    if (acc.uuid !== undefined && (typeof acc.uuid !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(acc.uuid))) {
      throw new AccountsError(`${at}.uuid: must be a lower-case UUID`);
    }
    if (acc.personalMessage !== undefined && typeof acc.personalMessage !== 'string') throw new AccountsError(`${at}.personalMessage: must be a string`);
    const groupIds = new Set<number>([0]);
    if (acc.groups !== undefined) {
      if (!Array.isArray(acc.groups)) throw new AccountsError(`${at}.groups: expected an array`);
      acc.groups.forEach((g: unknown, j) => {
        const gg = g as Record<string, unknown>;
        if (typeof gg !== 'object' || gg === null || !Number.isInteger(gg.id) || (gg.id as number) < 0 || typeof gg.name !== 'string' || gg.name === '') {
          throw new AccountsError(`${at}.groups[${j}]: expected { id: non-negative integer, name: non-empty string }`);
        }
        groupIds.add(gg.id as number);
      });
    }
    if (acc.contacts !== undefined) {
      if (!Array.isArray(acc.contacts)) throw new AccountsError(`${at}.contacts: expected an array`);
      acc.contacts.forEach((c: unknown, j) => {
        const cc = c as Record<string, unknown>;
        const cat = `${at}.contacts[${j}]`;
        if (typeof cc !== 'object' || cc === null) throw new AccountsError(`${cat}: expected an object`);
        if (typeof cc.email !== 'string' || !EMAIL.test(cc.email)) throw new AccountsError(`${cat}.email: not an e-mail address`);
        if (!Array.isArray(cc.lists) || !cc.lists.every((l) => typeof l === 'string' && LISTS.has(l))) {
          throw new AccountsError(`${cat}.lists: expected an array of "FL", "AL", "BL", "RL"`);
        }
        if (cc.lists.includes('AL') && cc.lists.includes('BL')) throw new AccountsError(`${cat}.lists: AL and BL exclude each other`);
        if (cc.groups !== undefined && (!Array.isArray(cc.groups) || !cc.groups.every((g) => groupIds.has(g as number)))) {
          throw new AccountsError(`${cat}.groups: every group id must be one of the account's groups`);
        }
        if (cc.nickname !== undefined && typeof cc.nickname !== 'string') throw new AccountsError(`${cat}.nickname: must be a string`);
      });
    }
  });
  return value as AccountSpec[];
}

export function loadAccountsFile(path: string): AccountSpec[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AccountsError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new AccountsError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const list = parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'accounts' in parsed ? (parsed as { accounts: unknown }).accounts : parsed;
  return validateAccounts(list, path);
}
