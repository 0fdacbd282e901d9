import { describe, expect, it } from 'vitest';
import { defaultTestAccounts } from './accounts';
import { Directory } from './directory';
import { buildSyncReply } from './sync-reply';

const directory = (): Directory =>
  new Directory([
    ...defaultTestAccounts().map((a) => (a.email === 'bob@example.com' ? { ...a, phones: { PHH: '555 123', MOB: 'Y' as const } } : a)),
  ]);

describe('SYN reply shapes', () => {
  it('MSNP8: no TrIDs, group list on every LST, BPR after its LST', () => {
    const d = directory();
    const alice = d.get('alice@example.com');
    if (!alice) throw new Error('alice');
    const { head, tail } = buildSyncReply(d, alice, 8, '5');
    expect([...head, ...tail]).toEqual([
      'SYN 5 1 1 2',
      'GTC A',
      'BLP AL',
      'LSG 0 Other%20Contacts 0',
      'LSG 1 Friends 0',
      'LST bob@example.com Bob 11 1',
      'BPR PHH 555%20123',
      'BPR MOB Y',
    ]);
  });

  it('MSNP5 (before groups): TrID and version everywhere, no LSG, no group field', () => {
    const d = directory();
    const bob = d.get('bob@example.com');
    if (!bob) throw new Error('bob');
    const { head, tail } = buildSyncReply(d, bob, 5, '9');
    expect([...head, ...tail]).toEqual([
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
    const d = directory();
    const carol = d.get('carol@example.com');
    if (!carol) throw new Error('carol');
    const { head, tail } = buildSyncReply(d, carol, 8, '5');
    expect([...head, ...tail]).toEqual(['SYN 5 1 0 1', 'GTC A', 'BLP AL', 'LSG 0 Other%20Contacts 0']);
  });
});
