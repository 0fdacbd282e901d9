// List edits over real sockets: replies with list versions, the reverse-list notices to the other user,
// privacy (AL/BL/BLP) reflected in presence, and the error codes for each misuse.
import { beforeEach, describe, expect, it } from 'vitest';
import type { TestServer } from './index';
import { signInMd5, signInTwn, syncAndGoOnline } from './testing/sign-in';
import { serverPerTest } from './testing/server-per-test';

let server: TestServer;
const { start, track } = serverPerTest();
beforeEach(async () => {
  server = await start();
});

describe('ADD / REM', () => {
  it('adds to FL with a version, tells the other user ADD 0 RL, and shows their presence', async () => {
    const carol = track(await signInTwn(server, 'carol@example.com', 'carolpass'));
    await syncAndGoOnline(carol);
    const alice = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    await syncAndGoOnline(alice);
    alice.send('ADD 10 FL carol@example.com Carol%20C 1');
    expect((await alice.next()).line).toBe('ADD 10 FL 2 carol@example.com Carol%20C 1');
    expect((await alice.next()).line).toBe('NLN NLN carol@example.com carol@example.com 0');
    expect((await carol.waitFor('ADD 0')).line).toBe('ADD 0 RL 2 alice@example.com Alice%20✿%20Ünïcødé');
    alice.send('ADD 11 FL carol@example.com Carol 1');
    expect((await alice.next()).line).toBe('215 11');
    alice.send('REM 12 FL carol@example.com');
    expect((await alice.next()).line).toBe('REM 12 FL 3 carol@example.com');
    expect((await carol.waitFor('REM 0')).line).toBe('REM 0 RL 3 alice@example.com');
    alice.send('REM 13 FL carol@example.com');
    expect((await alice.next()).line).toBe('216 13');
    expect(server.state.account('carol@example.com')?.contacts).toEqual([]);
  });

  it('answers 205 for an unknown account, 219 for AL while on BL, 224 for an unknown group, RL edits drop', async () => {
    const alice = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    alice.send('ADD 5 FL nobody@example.com nobody');
    expect((await alice.next()).line).toBe('205 5');
    alice.send('ADD 6 FL carol@example.com carol 9');
    expect((await alice.next()).line).toBe('224 6');
    alice.send('ADD 7 BL carol@example.com carol');
    expect((await alice.next()).line).toBe('ADD 7 BL 2 carol@example.com carol');
    alice.send('ADD 8 AL carol@example.com carol');
    expect((await alice.next()).line).toBe('219 8');
    alice.send('REM 9 RL bob@example.com');
    await alice.closed;
  });

  it('blocking hides you from the blocked user (FLN), unblocking shows you again', async () => {
    const alice = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    await syncAndGoOnline(alice);
    const bob = track(await signInTwn(server, 'bob@example.com', 'bobpass'));
    bob.send('CHG 5 NLN 0');
    await bob.waitFor('ILN 5 NLN alice@example.com');
    alice.send('REM 10 AL bob@example.com');
    await alice.waitFor('REM 10');
    alice.send('ADD 11 BL bob@example.com Bob');
    await alice.waitFor('ADD 11');
    expect((await bob.waitFor(/^FLN/)).line).toBe('FLN alice@example.com');
    alice.send('REM 12 BL bob@example.com');
    await alice.waitFor('REM 12');
    // On neither list: BLP AL allows.
    expect((await bob.waitFor('NLN')).line).toBe('NLN NLN alice@example.com Alice%20✿%20Ünïcødé 0');
    alice.send('BLP 13 BL');
    expect((await alice.next()).line).toMatch(/^BLP 13 \d+ BL$/);
    expect((await bob.waitFor(/^FLN/)).line).toBe('FLN alice@example.com');
    alice.send('BLP 14 BL');
    expect((await alice.next()).line).toBe('218 14');
  });
});

describe('groups, GTC, PRP and list versions', () => {
  it('ADG/REG/RMG with versions; SYN reports the new version', async () => {
    const alice = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    alice.send('ADG 5 Work%20Mates 0');
    expect((await alice.next()).line).toBe('ADG 5 2 Work%20Mates 2 0');
    alice.send('ADG 6 Work%20Mates 0');
    expect((await alice.next()).line).toBe('228 6');
    alice.send('REG 7 2 Colleagues 0');
    expect((await alice.next()).line).toBe('REG 7 3 2 Colleagues 0');
    alice.send('RMG 8 0');
    expect((await alice.next()).line).toBe('230 8');
    alice.send('RMG 9 1');
    expect((await alice.next()).line).toBe('RMG 9 4 1');
    alice.send('GTC 10 N');
    expect((await alice.next()).line).toBe('GTC 10 5 N');
    alice.send('GTC 11 N');
    expect((await alice.next()).line).toBe('218 11');
    alice.send('PRP 12 PHH 555%20123');
    expect((await alice.next()).line).toBe('PRP 12 6 PHH 555%20123');
    alice.send('SYN 13 0');
    // bob was in group 1, which is gone: he falls back to group 0.
    expect((await alice.take(7)).map((f) => f.line)).toEqual([
      'SYN 13 6 1 2',
      'GTC N',
      'BLP AL',
      'PRP PHH 555%20123',
      'LSG 0 Other%20Contacts 0',
      'LSG 2 Colleagues 0',
      'LST bob@example.com Bob 11 0',
    ]);
  });

  it('sends the full list for any SYN version by default, and only the SYN line when asked to skip', async () => {
    const alice = track(await signInTwn(server, 'alice@example.com', 'alicepass'));
    alice.send('SYN 5 1');
    expect((await alice.take(2)).map((f) => f.line)).toEqual(['SYN 5 1 1 2', 'GTC A']);
    await server.stop();
    server = await start({ synSkipWhenCurrent: true });
    const again = track(await signInMd5(server, 'bob@example.com', 'bobpass'));
    again.send('SYN 5 1');
    expect((await again.next()).line).toBe('SYN 5 1');
    expect(await again.quiet(60)).toEqual([]);
  });
});
