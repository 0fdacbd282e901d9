// A signed-in account as main's snapshot gives it, for the renderer's store and event tests: each test names only
// what it is about (the account, its contacts, a different connection or list) and takes the rest from here.
import type { AccountSnapshot, Contact } from '../../src-shared/messenger-types';

export interface SnapshotOptions {
  accountId?: string;
  email?: string;
  nickname?: string;
  protocol?: string;
  contacts?: Contact[];
}

/** Connected over MSNP8 to 127.0.0.1:1863, Online, with list version 1 holding `contacts`; `over` replaces whole fields. */
export function accountSnapshot(options: SnapshotOptions = {}, over: Partial<AccountSnapshot> = {}): AccountSnapshot {
  const { accountId = 'acc1', email = 'alice@example.com', nickname = 'Alice', protocol = 'MSNP8', contacts = [] } = options;
  const server = '127.0.0.1:1863';
  return {
    accountId,
    server,
    email,
    connection: { kind: 'connected', email, protocol, server },
    profile: { email, nickname, status: 'NLN' },
    list: { version: 1, gtc: 'A', blp: 'AL', groups: [], contacts, ownPhones: {} },
    ...over,
  };
}
