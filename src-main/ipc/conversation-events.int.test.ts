// Conversations through main's IPC boundary, as windows use it: calls go through the one dispatcher (checked there)
// to the app's handlers, and conversation events are forwarded only to the windows watching their account — over
// real sockets to the test server, two accounts in one app.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../e2e/msn-server';
import { DEFAULT_CONNECTION_SETTINGS } from '../../src-shared/connection-settings';
import type { Disposable } from '../../src-shared/disposable';
import type { MessengerEvent } from '../../src-shared/messenger-types';
import { startMainServices, type MainServices } from '../shell/app-service';
import { sessionOnlySecretBox } from '../settings/secret-box';
import { forwardMessengerEvents } from './app-handlers';
import { EventRoutes } from './event-routes';
import { createIpcDispatcher, type IpcDispatcher } from './ipc-dispatcher';

let server: TestServer;
let main: MainServices;
let dispatcher: IpcDispatcher;
let forwarding: Disposable;
let dataDir: string;
const routes = new EventRoutes();
/** What each window (caller id) was sent. */
const received = new Map<string, MessengerEvent[]>();

beforeAll(async () => {
  server = await startTestServer();
  dataDir = mkdtempSync(join(tmpdir(), 'bf-ipc-conversations-'));
  main = await startMainServices({
    info: { name: 'Butterfly', version: '0.0.0', shell: 'browser', platform: 'linux' },
    dataDir,
    secrets: sessionOnlySecretBox,
    defaults: { ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl },
    routes,
    openWindow: async () => ({ opened: 'in-page' }),
    log: () => undefined,
  });
  dispatcher = createIpcDispatcher(main.handlers.calls, main.handlers.sends);
  forwarding = forwardMessengerEvents(main.service, routes, (clients, channel, payload) => {
    if (channel !== 'messenger:event') return;
    for (const c of clients) received.set(c, [...(received.get(c) ?? []), payload as MessengerEvent]);
  });
});
afterAll(async () => {
  forwarding?.dispose();
  main?.dispose();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const call = (window: string, channel: string, request: unknown) => dispatcher.call(channel, request, { id: window });
const seenBy = (window: string) => received.get(window) ?? [];

describe('conversation events, per window', () => {
  it('go to the windows watching their account, and nowhere else; calls are checked once at the boundary', async () => {
    const { accountId: alice } = (await call('w-alice', 'messenger:sign-in', { email: 'alice@example.com', password: 'alicepass' })) as { accountId: string };
    const { accountId: bob } = (await call('w-bob', 'messenger:sign-in', { email: 'bob@example.com', password: 'bobpass' })) as { accountId: string };
    // A second window on bob's account (a conversation window would be one), and one watching nothing.
    await call('w-bob-2', 'accounts:watch', { accountId: bob });

    const { conversationId } = (await call('w-alice', 'conversations:open', { accountId: alice, email: 'bob@example.com' })) as { conversationId: string };
    await expect(call('w-alice', 'conversations:send-text', { accountId: alice, conversationId, text: 'x', colour: 'red' })).rejects.toMatchObject({ code: 'ipc.invalid-payload', fields: [{ path: 'colour' }] });
    const { messageIds } = (await call('w-alice', 'conversations:send-text', { accountId: alice, conversationId, text: 'Hallo Bob ✿' })) as { messageIds: string[] };

    const arrived = (window: string) => seenBy(window).find((e) => e.type === 'message' && e.message.direction === 'in');
    await vi.waitFor(() => expect(arrived('w-bob')).toBeDefined(), { timeout: 10_000 });
    await vi.waitFor(() => expect(seenBy('w-alice').some((e) => e.type === 'message-state' && e.messageId === messageIds[0] && e.state === 'delivered')).toBe(true), { timeout: 10_000 });
    expect(arrived('w-bob')).toMatchObject({ accountId: bob, message: { text: 'Hallo Bob ✿', from: 'alice@example.com' } });
    await vi.waitFor(() => expect(arrived('w-bob-2')).toEqual(arrived('w-bob')));

    const conversational = (e: MessengerEvent) => e.type === 'message' || e.type === 'message-state' || e.type.startsWith('conversation-');
    expect(seenBy('w-alice').filter(conversational).length).toBeGreaterThan(0);
    expect(seenBy('w-alice').every((e) => e.accountId === alice)).toBe(true);
    expect(seenBy('w-bob').every((e) => e.accountId === bob)).toBe(true);
    expect(seenBy('w-nobody')).toEqual([]);

    // A window that is gone gets nothing more.
    routes.forget('w-bob-2');
    const before = seenBy('w-bob-2').length;
    const reply = (await call('w-bob', 'conversations:list', { accountId: bob })) as { conversations: { id: string; unread: number }[] };
    expect(reply.conversations).toEqual([expect.objectContaining({ unread: 1 })]);
    await call('w-bob', 'conversations:mark-read', { accountId: bob, conversationId: reply.conversations[0].id });
    await vi.waitFor(() => expect(seenBy('w-bob').some((e) => e.type === 'conversation-updated' && e.conversation.unread === 0)).toBe(true));
    expect(seenBy('w-bob-2')).toHaveLength(before);
  });
});
