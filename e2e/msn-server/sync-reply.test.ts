import { describe, expect, it } from 'vitest';
import { defaultTestAccounts } from './accounts';
import { Directory } from './directory';
import { buildSyncReply } from './sync-reply';
import { ALICE_SYNC_REPLY } from './testing/sign-in';

/** The default accounts, with phone numbers for bob (BPR lines). */
const directory = (): Directory =>
  new Directory([
    ...defaultTestAccounts().map((a) => (a.email === 'bob@example.com' ? { ...a, phones: { PHH: '555 123', MOB: 'Y' as const } } : a)),
  ]);

/** Every line of `email`'s SYN reply in the order it goes out (head, then the tail sent after). */
function syncReplyLines(email: string, protocol: number, trId: string): string[] {
  const d = directory();
  const account = d.get(email);
  if (!account) throw new Error(`no account ${email}`);
  const { head, tail } = buildSyncReply(d, account, protocol, trId);
  return [...head, ...tail];
}

describe('SYN reply shapes', () => {
  it('MSNP8: no TrIDs, group list on every LST, BPR after its LST', () => {
    expect(syncReplyLines('alice@example.com', 8, '5')).toEqual([...ALICE_SYNC_REPLY, 'BPR PHH 555%20123', 'BPR MOB Y']);
  });

  it('MSNP5 (before groups): TrID and version everywhere, no LSG, no group field', () => {
    expect(syncReplyLines('bob@example.com', 5, '9')).toEqual([
      'SYN 9 1',
      'LST 9 FL 1 1 1 alice@example.com Alice%20✿%20Ünïcødé',
      'LST 9 AL 1 1 1 alice@example.com Alice%20✿%20Ünïcødé',
      'LST 9 BL 1 0 0',
      'LST 9 RL 1 1 1 alice@example.com Alice%20✿%20Ünïcødé',
      'GTC 9 1 A',
      'BLP 9 1 AL',
    ]);
  });

  it('an account with no contacts', () => {
    expect(syncReplyLines('carol@example.com', 8, '5')).toEqual(['SYN 5 1 0 1', 'GTC A', 'BLP AL', 'LSG 0 Other%20Contacts 0']);
  });
});
