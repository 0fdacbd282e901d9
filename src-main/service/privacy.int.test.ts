// Privacy against the test server: BLP and GTC are sent, the list holds what the server answered, and the next sign-in's
// sync says whether the server kept them; a server that acknowledges without keeping them (today's Escargot) is told
// apart by that sync. A value already in force is not sent (the server would answer 218).
import { describe, expect, it } from 'vitest';
import { liveServicesPerTest } from './testing/live-service';

const { services, server } = liveServicesPerTest();

const sent = (command: string) =>
  server()
    .transcripts()
    .flatMap((t) => t.entries)
    .filter((e) => e.dir === 'C' && e.kind === 'line' && e.bytes.toString('utf8').startsWith(`${command} `)).length;

describe('privacy settings', () => {
  it('sends BLP and GTC, keeps the server’s answer in the list, and finds it again after signing in anew', async () => {
    const alice = services.create();
    await alice.signIn('alice@example.com', 'alicepass');
    expect(alice.snapshot().list).toMatchObject({ blp: 'AL', gtc: 'A' });
    await alice.call('contacts:set-privacy', { blp: 'BL', gtc: 'N' });
    expect(alice.snapshot().list).toMatchObject({ blp: 'BL', gtc: 'N' });
    expect(server().state.account('alice@example.com')).toMatchObject({ blp: 'BL', gtc: 'N' });
    // Already in force: nothing sent.
    await alice.call('contacts:set-privacy', { blp: 'BL' });
    expect(sent('BLP')).toBe(1);

    await alice.call('messenger:sign-out', {});
    const again = services.create();
    await again.signIn('alice@example.com', 'alicepass');
    expect(again.snapshot().list).toMatchObject({ blp: 'BL', gtc: 'N' });
  });

  it('with a server that acknowledges but does not keep them, the next sync reports the old values', async () => {
    server().faults.set({ privacyNotKept: true });
    const alice = services.create();
    await alice.signIn('alice@example.com', 'alicepass');
    await alice.call('contacts:set-privacy', { blp: 'BL' });
    expect(alice.snapshot().list.blp).toBe('BL');
    expect(server().state.account('alice@example.com')?.blp).toBe('AL');
    await alice.call('messenger:sign-out', {});
    const again = services.create();
    await again.signIn('alice@example.com', 'alicepass');
    expect(again.snapshot().list.blp).toBe('AL');
  });
});
