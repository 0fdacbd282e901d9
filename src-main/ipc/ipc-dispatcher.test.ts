// The contract's boundary: every request checked against its channel's schema, once, before any handler runs —
// strict objects, bounds, field by field — and the handler given the checked value and its caller.
import { describe, expect, it } from 'vitest';
import type { CallChannel } from '../../src-shared/ipc-contract';
import { createIpcDispatcher, type CallHandlers, type Caller, type SendHandlers } from './ipc-dispatcher';

function recording() {
  const seen: { channel: string; request: unknown; caller: Caller }[] = [];
  const logged: unknown[] = [];
  const calls = new Proxy({} as CallHandlers, {
    get:
      (_target, channel: string) =>
      async (request: unknown, caller: Caller) => {
        seen.push({ channel, request, caller });
        return channel === 'contacts:add-group' ? { groupId: '7' } : null;
      },
  });
  const sends: SendHandlers = { 'app:log': (m) => void logged.push(m) };
  return { dispatcher: createIpcDispatcher(calls, sends), seen, logged };
}

const page: Caller = { id: 'page-1' };
const refusal = (channel: CallChannel | string, request: unknown) => recording().dispatcher.call(channel, request, page).catch((e: unknown) => e);

describe('IPC dispatcher', () => {
  it('hands a valid request to its handler once, with the caller, and answers the typed result', async () => {
    const { dispatcher, seen } = recording();
    expect(await dispatcher.call('contacts:add-group', { accountId: 'a-1', name: 'Friends ✿' }, page)).toEqual({ groupId: '7' });
    expect(seen).toEqual([{ channel: 'contacts:add-group', request: { accountId: 'a-1', name: 'Friends ✿' }, caller: page }]);
  });

  it('refuses an unknown channel, inherited names included', async () => {
    for (const channel of ['fs:read', 'messenger:execute', '__proto__', 'toString', 7]) {
      expect(await refusal(channel as string, null), String(channel)).toMatchObject({ code: 'ipc.unknown-channel' });
    }
  });

  it('refuses a bad request with one message per field, and the handler never runs', async () => {
    const { dispatcher, seen } = recording();
    const error = await dispatcher.call('messenger:set-status', { accountId: 'a 1', status: 'FLN' }, page).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ipc.invalid-payload',
      fields: [
        { path: 'accountId', message: 'must be an account id' },
        { path: 'status', message: expect.stringContaining('must be a status you can set') },
      ],
    });
    expect((error as Error).message).toMatch(/^Invalid request for messenger:set-status: accountId: must be an account id; status: must be a status/);
    expect(seen).toEqual([]);
  });

  it('objects are strict: an unknown key, a password inside settings, a __proto__ key are refused', async () => {
    expect(await refusal('contacts:remove', { accountId: 'a', email: 'bob@example.com', admin: true })).toMatchObject({ code: 'ipc.invalid-payload', fields: [{ path: 'admin' }] });
    const settings = { server: { host: 'h', port: 1 }, nexusUrl: 'https://n', transport: 'socks5', gateway: { host: 'h', port: 80 } };
    expect(await refusal('settings:save', { settings: { ...settings, proxy: { host: 'p', port: 1080, password: 'x' } } })).toMatchObject({ code: 'ipc.invalid-payload', fields: [{ path: 'settings.proxy.password' }] });
    expect(await refusal('messenger:sign-in', JSON.parse('{"email":"a@b.c","password":"p","__proto__":{"status":"NLN"}}'))).toMatchObject({ code: 'ipc.invalid-payload' });
  });

  it('checks bounds and shapes: e-mail addresses, names, ids, no-argument calls', async () => {
    const cases: [CallChannel, unknown, string][] = [
      ['contacts:add', { accountId: 'a', email: 'not an address' }, 'email'],
      ['contacts:add', { accountId: 'a', email: `${'x'.repeat(320)}@example.com` }, 'email'],
      ['contacts:add-group', { accountId: 'a', name: '' }, 'name'],
      ['contacts:add-group', { accountId: 'a', name: 'x'.repeat(62) }, 'name'],
      ['messenger:set-nickname', { accountId: 'a', nickname: 'x'.repeat(388) }, 'nickname'],
      ['contacts:move', { accountId: 'a', email: 'b@example.com', fromGroupId: '1' }, 'toGroupId'],
      ['contacts:answer-added-you', { accountId: 'a', email: 'b@example.com', allow: 'yes', addBack: false }, 'allow'],
      ['windows:open', { view: 'settings', accountId: 'a' }, 'view'],
      ['messenger:sign-out', {}, 'accountId'],
    ];
    for (const [channel, request, field] of cases) {
      const error = (await refusal(channel, request)) as { code: string; fields: { path: string }[] };
      expect(error.code, `${channel} ${JSON.stringify(request).slice(0, 60)}`).toBe('ipc.invalid-payload');
      expect(error.fields.map((f) => f.path)).toContain(field);
    }
    expect(await refusal('app:get-info', {})).toMatchObject({ code: 'ipc.invalid-payload' });
    expect(await refusal('app:get-info', undefined)).toMatchObject({ code: 'ipc.invalid-payload' });
  });

  it("checks a conversation call's fields: ids, text within 32 KiB of UTF-8, a format that could reach a style", async () => {
    const send = (fields: Record<string, unknown>) => ({ accountId: 'a', conversationId: 'c-1', text: 'hi', ...fields });
    const cases: [CallChannel, unknown, string][] = [
      ['conversations:send-text', send({ text: '' }), 'text'],
      // 16,385 characters, 32,770 bytes: the bound is on bytes, as the switchboard counts them.
      ['conversations:send-text', send({ text: 'é'.repeat(16_385) }), 'text'],
      ['conversations:send-text', send({ conversationId: 'c 1' }), 'conversationId'],
      ['conversations:send-text', send({ format: { font: '<script>' } }), 'format.font'],
      ['conversations:send-text', send({ format: { font: 'x'.repeat(32) } }), 'format.font'],
      ['conversations:send-text', send({ format: { color: 'url(javascript:x)' } }), 'format.color'],
      ['conversations:send-text', send({ format: { bold: 'yes' } }), 'format.bold'],
      ['conversations:send-text', send({ format: { style: 'color:red' } }), 'format.style'],
      ['conversations:retry', { accountId: 'a' }, 'messageId'],
      ['conversations:invite', { accountId: 'a', conversationId: 'c', email: 'carol' }, 'email'],
      ['conversations:open', { accountId: 'a', email: 'b@example.com', conversationId: 'c' }, 'conversationId'],
      ['conversations:list', { accountId: 'a', all: true }, 'all'],
    ];
    for (const [channel, request, field] of cases) {
      const error = (await refusal(channel, request)) as { code: string; fields: { path: string }[] };
      expect(error.code, `${channel} ${JSON.stringify(request).slice(0, 60)}`).toBe('ipc.invalid-payload');
      expect(error.fields.map((f) => f.path)).toContain(field);
    }
    const { dispatcher, seen } = recording();
    const ok = send({ text: 'é'.repeat(16_384), format: { font: 'Segoe UI', bold: true, color: '#FF0000' } });
    await dispatcher.call('conversations:send-text', ok, page);
    expect(seen).toEqual([{ channel: 'conversations:send-text', request: ok, caller: page }]);
  });

  it("checks a history call's fields: anchors, cursors, limits, search text, the setting", async () => {
    const at = (anchor: unknown, more: Record<string, unknown> = {}) => ({ accountId: 'a', conversationId: 'c-1', anchor, ...more });
    const cases: [CallChannel, unknown, string][] = [
      ['history:page', at({ kind: 'middle' }), 'anchor.kind'],
      ['history:page', at({ kind: 'before' }), 'anchor.cursor'],
      ['history:page', at({ kind: 'after', cursor: '' }), 'anchor.cursor'],
      ['history:page', at({ kind: 'around', messageId: 'm 1' }), 'anchor.messageId'],
      ['history:page', at({ kind: 'newest', cursor: '5' }), 'anchor.cursor'],
      ['history:page', at({ kind: 'newest' }, { limit: 501 }), 'limit'],
      ['history:page', at({ kind: 'newest' }, { limit: 2.5 }), 'limit'],
      ['history:page', { accountId: 'a', anchor: { kind: 'newest' } }, 'conversationId'],
      ['history:list', { accountId: 'a', limit: 0 }, 'limit'],
      ['history:list', { accountId: 'a', cursor: 'x'.repeat(65) }, 'cursor'],
      ['history:search', { accountId: 'a', text: 'x'.repeat(257) }, 'text'],
      ['history:search', { accountId: 'a', text: 'hi', limit: 201 }, 'limit'],
      ['history:search', { accountId: 'a', text: 'hi', conversationId: '../c' }, 'conversationId'],
      ['history:search', { accountId: 'a', text: 7 }, 'text'],
      ['history:delete', { accountId: 'a' }, 'conversationId'],
      ['history:set-keep', { accountId: 'a', keepHistory: 'no' }, 'keepHistory'],
      ['history:get-status', { accountId: 'a', keepHistory: true }, 'keepHistory'],
    ];
    for (const [channel, request, field] of cases) {
      const error = (await refusal(channel, request)) as { code: string; fields: { path: string }[] };
      expect(error.code, `${channel} ${JSON.stringify(request).slice(0, 60)}`).toBe('ipc.invalid-payload');
      expect(error.fields.map((f) => f.path)).toContain(field);
    }
    const { dispatcher, seen } = recording();
    const ok = [
      at({ kind: 'around', messageId: 'm-1' }, { limit: 500 }),
      at({ kind: 'before', cursor: '12' }),
      at({ kind: 'oldest' }),
    ];
    for (const request of ok) await dispatcher.call('history:page', request, page);
    await dispatcher.call('history:search', { accountId: 'a', text: '"quotes" AND -operators*', limit: 200, cursor: '99' }, page);
    expect(seen.map((s) => s.request)).toEqual([...ok, { accountId: 'a', text: '"quotes" AND -operators*', limit: 200, cursor: '99' }]);
  });

  it('a request with a thousand unknown keys gets a short answer', async () => {
    const request = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`k${i}`, i]));
    const error = (await refusal('contacts:remove', request)) as { fields: unknown[]; message: string };
    expect(error.fields.length).toBeGreaterThan(0);
    expect(error.fields.length).toBeLessThanOrEqual(8);
    expect(error.message.length).toBeLessThan(1_000);
  });

  it('drops a send the contract does not allow, and passes a valid one on', () => {
    const { dispatcher, logged } = recording();
    expect(dispatcher.send('app:log', { level: 'debug', message: 'x' })).toBe(false);
    expect(dispatcher.send('app:log', { level: 'info', message: 'x'.repeat(4097) })).toBe(false);
    expect(dispatcher.send('app:log', { level: 'info', message: 'hi', extra: 1 })).toBe(false);
    expect(dispatcher.send('nope', null)).toBe(false);
    expect(dispatcher.send('app:log', { level: 'warn', message: 'hi' })).toBe(true);
    expect(logged).toEqual([{ level: 'warn', message: 'hi' }]);
  });
});
