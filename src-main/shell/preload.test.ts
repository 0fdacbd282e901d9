// The preload against the recording stand-in for `electron`: it exposes one object, passes only the contract's
// channels to main, and turns main's answers back into values or typed errors (their codes and field problems kept).
import { beforeAll, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { ButterflyApi } from '../../src-shared/ipc-contract';
import { ButterflyError } from '../../src-shared/errors';
import { contextBridge, ipcRenderer } from './testing/fake-electron';

vi.mock('electron', () => import('./testing/fake-electron'));

let api: ButterflyApi;
beforeAll(async () => {
  await import('./preload');
  api = contextBridge.exposed.get('butterfly') as ButterflyApi;
});

describe('preload', () => {
  it("exposes exactly one object, window.butterfly: the contract's api", async () => {
    expectTypeOf((await import('./preload')).api).toEqualTypeOf<ButterflyApi>();
    expect([...contextBridge.exposed.keys()]).toEqual(['butterfly']);
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'send']);
  });

  it('passes a call to main and answers its typed result', async () => {
    ipcRenderer.answer = () => ({ ok: true, value: { groupId: '4' } });
    expect(await api.call('contacts:add-group', { accountId: 'a', name: 'Friends' })).toEqual({ groupId: '4' });
    expect(ipcRenderer.invoked.at(-1)).toEqual({ channel: 'contacts:add-group', payload: { accountId: 'a', name: 'Friends' } });
  });

  it("turns main's refusal into a ButterflyError with its code and field problems", async () => {
    ipcRenderer.answer = () => ({ ok: false, error: { code: 'ipc.invalid-payload', message: 'Invalid request', retryable: false, fields: [{ path: 'email', message: 'must be an e-mail address' }] } });
    const error = await api.call('contacts:add', { accountId: 'a', email: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ButterflyError);
    expect(error).toMatchObject({ code: 'ipc.invalid-payload', fields: [{ path: 'email' }] });
  });

  it('sends nothing on channels outside the contract', async () => {
    const invoked = ipcRenderer.invoked.length;
    await expect(api.call('fs:read' as never, null as never)).rejects.toThrow('unknown channel');
    expect(ipcRenderer.invoked.length).toBe(invoked);
    api.send('evil:send' as never, {} as never);
    expect(ipcRenderer.sentMessages).toEqual([]);
    api.send('app:log', { level: 'info', message: 'hi' });
    expect(ipcRenderer.sentMessages).toEqual([{ channel: 'app:log', payload: { level: 'info', message: 'hi' } }]);
    expect(() => api.on('evil:event' as never, () => undefined)).toThrow('unknown channel');
  });

  it("delivers main's events to listeners until they stop listening", () => {
    const seen: unknown[] = [];
    const stop = api.on('messenger:event', (e) => seen.push(e));
    ipcRenderer.deliver('messenger:event', { accountId: 'a', type: 'added-you', email: 'x@example.com', nickname: 'x' });
    stop();
    ipcRenderer.deliver('messenger:event', { accountId: 'a', type: 'added-you', email: 'y@example.com', nickname: 'y' });
    expect(seen).toEqual([{ accountId: 'a', type: 'added-you', email: 'x@example.com', nickname: 'x' }]);
  });
});
