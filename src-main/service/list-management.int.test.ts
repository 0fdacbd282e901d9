// Every list change a person can make, against the test server: the snapshot afterwards must match what the server
// stored; and every one refused by the server must leave the snapshot exactly as before, with a list-change-failed
// event carrying the server's error. Then the reverse-list prompt: someone adds you, you allow or block them.
import { describe, expect, it } from 'vitest';
import type { ContactListSnapshot, MessengerEvent } from '../../src-shared/messenger-types';
import { decodeName } from '../../src-shared/url-codec';
import { liveServicesPerTest, type AccountCall, type LiveService, contactIn as contact } from './testing/live-service';

const { services, server } = liveServicesPerTest();

/** The client's lists and groups, names decoded, in the server's terms — to compare with what the server stored. */
function clientView(list: ContactListSnapshot) {
  return {
    version: list.version,
    groups: list.groups.map((g) => ({ id: Number(g.id), name: decodeName(g.name) })).sort((a, b) => a.id - b.id),
    contacts: list.contacts
      .map((c) => ({
        email: c.email,
        lists: (['FL', 'AL', 'BL', 'RL'] as const).filter((l) => c.lists[l]),
        groups: c.groupIds.map(Number).sort(),
      }))
      .sort((a, b) => a.email.localeCompare(b.email)),
  };
}

function serverView(email: string) {
  const a = server().state.account(email)!;
  return {
    version: a.listVersion,
    groups: [...a.groups].sort((x, y) => x.id - y.id),
    contacts: a.contacts
      .map((c) => ({ email: c.email, lists: (['FL', 'AL', 'BL', 'RL'] as const).filter((l) => c.lists.includes(l)), groups: c.lists.includes('FL') ? [...c.groups].sort() : [] }))
      .sort((x, y) => x.email.localeCompare(y.email)),
  };
}

async function alice(protocolVersions?: string[]): Promise<LiveService> {
  const s = services.create({ protocolVersions });
  await s.signIn('alice@example.com', 'alicepass');
  expect(clientView(s.snapshot().list)).toEqual(serverView('alice@example.com'));
  return s;
}

const groupNamed = (s: LiveService, name: string) => s.snapshot().list.groups.find((g) => decodeName(g.name) === name);

describe('list management', () => {
  it.each([
    ['MSNP8', undefined],
    ['MSNP7', ['MSNP7']],
  ])('add, block, unblock, remove a contact; add, rename, move into, remove a group — each as the server stored it (%s)', async (_name, protocolVersions) => {
    const a = await alice(protocolVersions);
    const run = async (call: AccountCall) => {
      await a.run(call);
      expect(clientView(a.snapshot().list), call.channel).toEqual(serverView('alice@example.com'));
    };

    await run({ channel: 'contacts:add', request: { email: 'carol@example.com' } });
    expect(contact(a, 'carol@example.com')).toMatchObject({ lists: { FL: true, AL: true, BL: false, RL: false }, groupIds: ['0'] });

    await run({ channel: 'contacts:block', request: { email: 'carol@example.com' } });
    expect(contact(a, 'carol@example.com')?.lists).toEqual({ FL: true, AL: false, BL: true, RL: false });

    await run({ channel: 'contacts:unblock', request: { email: 'carol@example.com' } });
    expect(contact(a, 'carol@example.com')?.lists).toEqual({ FL: true, AL: true, BL: false, RL: false });

    await run({ channel: 'contacts:remove', request: { email: 'carol@example.com' } });
    expect(contact(a, 'carol@example.com')?.lists).toEqual({ FL: false, AL: true, BL: false, RL: false });

    await run({ channel: 'contacts:add-group', request: { name: 'Work ✿ 100% done' } });
    const work = groupNamed(a, 'Work ✿ 100% done');
    expect(work).toBeDefined();
    expect(work!.id).toMatch(/^\d+$/);

    await run({ channel: 'contacts:rename-group', request: { groupId: work!.id, name: 'Büro & co' } });
    expect(groupNamed(a, 'Büro & co')?.id).toBe(work!.id);

    await run({ channel: 'contacts:move', request: { email: 'bob@example.com', fromGroupId: '1', toGroupId: work!.id } });
    expect(contact(a, 'bob@example.com')?.groupIds).toEqual([work!.id]);

    await run({ channel: 'contacts:remove-group', request: { groupId: work!.id } });
    expect(groupNamed(a, 'Büro & co')).toBeUndefined();
    // The server moves the group's members back to "Other Contacts"; the client shows the same.
    expect(contact(a, 'bob@example.com')?.groupIds).toEqual(['0']);
  });

  it.each<[string, AccountCall, string]>([
    ['add a contact already in that group', { channel: 'contacts:add', request: { email: 'bob@example.com', groupId: '1' } }, 'server.215'],
    ['add an account that does not exist', { channel: 'contacts:add', request: { email: 'nobody@example.com' } }, 'server.205'],
    ['add a contact to a group that does not exist', { channel: 'contacts:add', request: { email: 'carol@example.com', groupId: '77' } }, 'server.224'],
    ['remove someone not on the list', { channel: 'contacts:remove', request: { email: 'carol@example.com' } }, 'server.216'],
    ['block an account that does not exist', { channel: 'contacts:block', request: { email: 'nobody@example.com' } }, 'server.205'],
    ['unblock an account that does not exist', { channel: 'contacts:unblock', request: { email: 'nobody@example.com' } }, 'server.205'],
    ['add a group whose name is taken', { channel: 'contacts:add-group', request: { name: 'Friends' } }, 'server.228'],
    ['add a group with a name too long', { channel: 'contacts:add-group', request: { name: '✿'.repeat(21) } }, 'server.229'],
    ['rename a group that does not exist', { channel: 'contacts:rename-group', request: { groupId: '99', name: 'X' } }, 'server.224'],
    ['remove a group that does not exist', { channel: 'contacts:remove-group', request: { groupId: '99' } }, 'server.224'],
    ['remove the default group', { channel: 'contacts:remove-group', request: { groupId: '0' } }, 'server.230'],
    ['answer about an account that does not exist', { channel: 'contacts:answer-added-you', request: { email: 'nobody@example.com', allow: true, addBack: true } }, 'server.205'],
    ['move a contact into a group that does not exist', { channel: 'contacts:move', request: { email: 'bob@example.com', fromGroupId: '1', toGroupId: '99' } }, 'server.224'],
  ])('%s: refused, rolled back, reported', async (_name, call, code) => {
    const a = await alice();
    const before = a.snapshot().list;
    const serverBefore = serverView('alice@example.com');
    a.log.mark();
    await expect(a.run(call)).rejects.toMatchObject({ code });
    const failed = await a.log.next((e): e is Extract<MessengerEvent, { type: 'list-change-failed' }> => e.type === 'list-change-failed', 'list-change-failed');
    expect(failed).toEqual({ type: 'list-change-failed', accountId: a.accountId, change: call.channel, error: expect.objectContaining({ code, message: expect.any(String) }) });
    expect(a.snapshot().list).toEqual(before);
    // The last list the UI was sent (once the coalescing window has passed) is the one from before, too.
    await a.service.flush();
    const lastList = a.log.events.filter((e) => e.type === 'contact-list').at(-1) as Extract<MessengerEvent, { type: 'contact-list' }>;
    expect(lastList.list).toEqual(before);
    expect(serverView('alice@example.com')).toEqual(serverBefore);
    expect(a.snapshot().connection.kind).toBe('connected');
  });

  it('changes sent together are answered out of order: each reply finds its command, a refusal undoes only its own', async () => {
    const a = await alice();
    server().faults.set({ reorderReplies: true, chunking: 'random', seed: 7 });
    const results = await Promise.allSettled([
      a.call('contacts:add-group', { name: 'One' }),
      a.call('contacts:add', { email: 'nobody@example.com' }),
      a.call('contacts:add', { email: 'carol@example.com', groupId: '1' }),
      a.call('contacts:add-group', { name: 'Two' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'server.205' });
    server().faults.reset();
    expect(clientView(a.snapshot().list)).toEqual(serverView('alice@example.com'));
    expect(groupNamed(a, 'One')).toBeDefined();
    expect(groupNamed(a, 'Two')).toBeDefined();
    expect(contact(a, 'carol@example.com')?.groupIds).toEqual(['1']);
    expect(contact(a, 'nobody@example.com')).toBeUndefined();
    // Replies carry list versions; one answered late must not move the cached version back.
    expect(a.snapshot().list.version).toBe(server().state.account('alice@example.com')!.listVersion);
  });

  it('a move whose second step fails undoes the first on the server too', async () => {
    const a = await alice();
    await a.call('contacts:add-group', { name: 'Work' });
    const work = groupNamed(a, 'Work')!.id;
    const before = a.snapshot().list;
    const serverBefore = serverView('alice@example.com');
    // bob is in group 1, not in group 0: ADD FL bob <work> succeeds, REM FL bob 0 gets 225.
    await expect(a.call('contacts:move', { email: 'bob@example.com', fromGroupId: '0', toGroupId: work })).rejects.toMatchObject({ code: 'server.225' });
    const { version: _v1, ...after } = a.snapshot().list;
    const { version: _v2, ...expected } = before;
    expect(after).toEqual(expected);
    expect({ ...serverView('alice@example.com'), version: 0 }).toEqual({ ...serverBefore, version: 0 });
    // The server counted the change and its undo; the client follows its version.
    expect(a.snapshot().list.version).toBe(server().state.account('alice@example.com')!.listVersion);
  });
});

describe('reverse-list prompt', () => {
  async function carolAddsAlice(): Promise<{ a: LiveService; carol: LiveService; prompt: Extract<MessengerEvent, { type: 'added-you' }> }> {
    const a = await alice();
    const carol = services.create();
    await carol.signIn('carol@example.com', 'carolpass');
    a.log.mark();
    await carol.call('contacts:add', { email: 'alice@example.com' });
    const prompt = await a.log.next((e): e is Extract<MessengerEvent, { type: 'added-you' }> => e.type === 'added-you', 'added-you at alice');
    return { a, carol, prompt };
  }

  it('someone adds you: you are asked; allow and add back puts them on AL and FL', async () => {
    const { a, prompt } = await carolAddsAlice();
    expect(prompt).toEqual({ type: 'added-you', accountId: a.accountId, email: 'carol@example.com', nickname: 'carol@example.com' });
    expect(contact(a, 'carol@example.com')?.lists).toEqual({ FL: false, AL: false, BL: false, RL: true });

    await a.call('contacts:answer-added-you', { email: 'carol@example.com', allow: true, addBack: true });
    expect(contact(a, 'carol@example.com')).toMatchObject({ lists: { FL: true, AL: true, BL: false, RL: true }, groupIds: ['0'] });
    expect(clientView(a.snapshot().list)).toEqual(serverView('alice@example.com'));
  });

  it('blocking them puts them on BL, and they see you offline', async () => {
    const { a, carol } = await carolAddsAlice();
    await expect.poll(() => contact(carol, 'alice@example.com')?.status, { timeout: 5_000 }).toBe('NLN');
    carol.log.mark();
    await a.call('contacts:answer-added-you', { email: 'carol@example.com', allow: false, addBack: false });
    expect(contact(a, 'carol@example.com')?.lists).toEqual({ FL: false, AL: false, BL: true, RL: true });
    expect(clientView(a.snapshot().list)).toEqual(serverView('alice@example.com'));
    const p = await carol.log.next((e) => e.type === 'presence' && e.email === 'alice@example.com', 'alice FLN at carol');
    expect(p).toMatchObject({ status: 'FLN' });
  });

  it('someone who removes you and adds you again is not asked again in this sign-in, only at the next one', async () => {
    const { a, carol } = await carolAddsAlice();
    await carol.call('contacts:remove', { email: 'alice@example.com' });
    await expect.poll(() => contact(a, 'carol@example.com'), { timeout: 5_000 }).toBeUndefined();
    await carol.call('contacts:add', { email: 'alice@example.com' });
    await expect.poll(() => contact(a, 'carol@example.com')?.lists.RL, { timeout: 5_000 }).toBe(true);
    await a.service.flush();
    expect(a.log.events.filter((e) => e.type === 'added-you')).toHaveLength(1);
    // A new sign-in asks again: she is still undecided.
    a.log.mark();
    await a.call('messenger:sign-out', {});
    await a.signIn('alice@example.com', 'alicepass');
    await a.log.next((e) => e.type === 'added-you' && e.email === 'carol@example.com', 'added-you at the next sign-in');
  });

  it('someone who added you while you were offline is asked about at sign-in', async () => {
    const carol = services.create();
    await carol.signIn('carol@example.com', 'carolpass');
    await carol.call('contacts:add', { email: 'alice@example.com' });
    const a = services.create();
    await a.signIn('alice@example.com', 'alicepass');
    expect(a.log.events.filter((e) => e.type === 'added-you')).toEqual([{ type: 'added-you', accountId: a.accountId, email: 'carol@example.com', nickname: 'carol@example.com' }]);
  });
});
