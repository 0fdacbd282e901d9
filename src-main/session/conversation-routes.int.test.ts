// Conversations over every route the NS takes, against the test server and real proxies: the switchboard connections
// (ours after XFR SB, theirs after RNG) go the user's way — SOCKS5 with a password through dante, HTTP CONNECT
// through tinyproxy, and the MSN HTTP gateway (Server=SB), directly and behind tinyproxy.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../e2e/msn-server';
import { startProxy, type RunningProxy } from '../../e2e/proxies';
import type { ConnectionSettings } from '../../src-shared/connection-settings';
import { ChatAccounts, directSettings, type ChatAccount } from './testing/conversation-harness';

let server: TestServer;
let dante: RunningProxy;
let tiny: RunningProxy;
const accounts = new ChatAccounts(() => server);

beforeAll(async () => {
  [server, dante, tiny] = await Promise.all([startTestServer(), startProxy('dante-socks5-auth'), startProxy('tinyproxy', { auth: true })]);
});
afterAll(async () => {
  await Promise.all([dante?.stop(), tiny?.stop(), server?.stop()]);
});
afterEach(async () => {
  await accounts.disposeAll();
  expect(server.state.internalErrors()).toEqual([]);
});

const creds = (p: RunningProxy) => ({ host: p.host, port: p.port, username: p.username, password: p.password });

const routes: [string, () => Partial<ConnectionSettings>, RegExp][] = [
  ['SOCKS5 with a password (dante)', () => ({ transport: 'socks5', proxy: creds(dante) }), /^SOCKS5 127\.0\.0\.1:\d+ → /],
  ['HTTP CONNECT (tinyproxy, Basic)', () => ({ transport: 'http-proxy', proxy: creds(tiny) }), /^HTTP proxy 127\.0\.0\.1:\d+ → /],
  ['the HTTP gateway', () => ({ transport: 'gateway' }), /^HTTP gateway 127\.0\.0\.1:\d+ → SB /],
  ['the HTTP gateway behind tinyproxy', () => ({ transport: 'gateway', proxy: creds(tiny) }), /^HTTP gateway 127\.0\.0\.1:\d+ via HTTP proxy 127\.0\.0\.1:\d+ → SB /],
];

describe.each(routes)('conversations through %s', (_name, route, description) => {
  it('both ways: our switchboard and the one we are invited to go through the route', async () => {
    const settings = (s: TestServer): ConnectionSettings => ({ ...directSettings(s), ...route() });
    const alice = await accounts.signIn('alice@example.com', 'alicepass', { settings });
    const bob = await accounts.signIn('bob@example.com', 'bobpass', { settings });
    const a = alice.conversations.openConversation('bob@example.com').conversationId;
    const [first] = alice.conversations.sendText(a, 'through the route: ünïcødé ✿').messageIds;
    expect((await bob.nextText()).text).toBe('through the route: ünïcødé ✿');
    expect((await alice.settled(first)).state).toBe('delivered');
    const b = bob.conversations.conversations()[0].id;
    const [reply] = bob.conversations.sendText(b, 'and back').messageIds;
    expect((await alice.nextText()).text).toBe('and back');
    expect((await bob.settled(reply)).state).toBe('delivered');
    // Alice's switchboard (XFR) and bob's (RNG) both went the route's way.
    const sbOf = (acc: ChatAccount) => acc.connections.filter((c) => c.role === 'SB');
    expect(sbOf(alice).length).toBeGreaterThanOrEqual(1);
    expect(sbOf(bob).length).toBeGreaterThanOrEqual(1);
    for (const c of [...sbOf(alice), ...sbOf(bob)]) expect(c.description).toMatch(description);
    if (route().transport === 'gateway') {
      expect(server.state.connections().filter((c) => c.server === 'sb').every((c) => c.via === 'gateway')).toBe(true);
    }
    // Typing goes the same way.
    alice.conversations.userTyping(a);
    await bob.log.next((e) => e.type === 'typing' && e.active, 'alice typing');
  });
});
