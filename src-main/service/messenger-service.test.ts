import { describe, expect, it } from 'vitest';
import type { MessengerEvent, TrafficEntry } from '../../src-shared/messenger-types';
import { FakeClock } from '../session/testing/fake-clock';
import { createMemoryListCache } from '../session/list-cache';
import { ScriptedTransportFactory } from '../session/testing/scripted-transport';
import { fakePassport, msnp8 } from '../session/testing/fake-server-script';
import { createMessengerService } from './messenger-service';
import { createMemoryAccountRegistry } from './account-registry';

function setup() {
  const factory = new ScriptedTransportFactory((t) =>
    msnp8(t, {
      override: (_l, f) => {
        if (f[0] === 'REA') return `REA {trid} 8 ${f[2]} ${f[3]}`;
        if (f[0] === 'ADG') return `ADG {trid} 9 ${f[2]} 4 0`;
        if (f[0] === 'ADD' && f[3] === 'nobody@example.com') return '205 {trid}';
        return undefined;
      },
    }),
  );
  const passport = fakePassport('secret%,pw');
  const service = createMessengerService({
    registry: createMemoryAccountRegistry(),
    settings: { server: { host: 'ns.test', port: 1863 }, nexusUrl: 'https://nexus.test/rdr/pprdr.asp', transport: 'direct', gateway: { host: 'ns.test', port: 80 } },
    routeFor: (s) => ({ transportFactory: factory, httpClient: passport, nexusUrl: s.nexusUrl }),
    clock: new FakeClock(),
    listCache: createMemoryListCache(),
    answerChallenge: () => ({ productId: 'p', answer: '0'.repeat(32) }),
  });
  const events: MessengerEvent[] = [];
  const traffic: TrafficEntry[] = [];
  service.onEvent((e) => events.push(e));
  service.onTraffic((t) => traffic.push(t));
  return { factory, service, events, traffic };
}

describe('MessengerService', () => {
  it('signs in, emits JSON-safe events and a redacted traffic stream', async () => {
    const { service, events, traffic } = setup();
    const { accountId } = await service.signIn({ email: 'alice@example.com', password: 'secret%,pw' });
    await service.flush();
    expect(events.some((e) => e.type === 'connection-state' && e.state.kind === 'connected')).toBe(true);
    // Every event names its account.
    expect(events.every((e) => e.accountId === accountId)).toBe(true);
    expect(events.some((e) => e.type === 'contact-list' && e.list.contacts.length === 2)).toBe(true);
    // Events survive a JSON round trip unchanged: the IPC layer can forward them as they are.
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
    const all = JSON.stringify(traffic);
    expect(all).toContain('USR 3 TWN I alice@example.com');
    expect(all).not.toMatch(/secret|TICKET/);
    expect(traffic.some((t) => t.channel === 'HTTP' && t.line.startsWith('GET https://passport.test/login2.srf'))).toBe(true);
    expect(service.snapshot(accountId).connection.kind).toBe('connected');
  });

  it('encodes names typed by people exactly once', async () => {
    const { service, factory, events } = setup();
    const { accountId } = await service.signIn({ email: 'alice@example.com', password: 'secret%,pw' });
    await service.calls['messenger:set-nickname']({ accountId, nickname: 'Al ✿ 100%' });
    expect(factory.last.written.find((l) => l.startsWith('REA'))).toBe('REA 7 alice@example.com Al%20%E2%9C%BF%20100%25');
    expect(events.at(-1)).toMatchObject({ type: 'own-profile', profile: { nickname: 'Al%20%E2%9C%BF%20100%25' } });
    // The group's id comes back as the call's result.
    expect(await service.calls['contacts:add-group']({ accountId, name: 'Best friends' })).toEqual({ groupId: '4' });
    expect(service.snapshot(accountId).list.groups.find((g) => g.id === '4')?.name).toBe('Best%20friends');
  });

  // A request the contract refuses (a status of FLN) never gets here: ipc-contract.test.ts has it.
  it('refuses calls for an unknown account or a signed-out one with typed errors, and reports refused list changes', async () => {
    const { service, events } = setup();
    await expect(service.calls['contacts:remove-group']({ accountId: 'nobody', groupId: '1' })).rejects.toMatchObject({ code: 'service.unknown-account' });
    const { accountId } = await service.signIn({ email: 'alice@example.com', password: 'secret%,pw' });
    await expect(service.calls['contacts:add']({ accountId, email: 'nobody@example.com' })).rejects.toMatchObject({ code: 'server.205' });
    expect(events.at(-1)).toMatchObject({ type: 'list-change-failed', accountId, change: 'contacts:add', error: { code: 'server.205' } });
    expect(service.snapshot(accountId).list.contacts.some((c) => c.email === 'nobody@example.com')).toBe(false);
    await service.calls['messenger:sign-out']({ accountId });
    await expect(service.calls['contacts:remove-group']({ accountId, groupId: '1' })).rejects.toMatchObject({ code: 'session.not-connected' });
  });

  it("an account follows the configured route until it is given its own; its server stays the account's", async () => {
    const factory = new ScriptedTransportFactory((t) => msnp8(t, {}));
    const connectedVia: string[] = [];
    const base = { server: { host: 'ns.test', port: 1863 }, nexusUrl: 'https://one.test/rdr/pprdr.asp', transport: 'direct' as const, gateway: { host: 'ns.test', port: 80 } };
    const service = createMessengerService({
      registry: createMemoryAccountRegistry(),
      settings: base,
      routeFor: (s) => ({
        transportFactory: { connect: (target) => (connectedVia.push(`${new URL(s.nexusUrl).host} ${target.host}:${target.port}`), factory.connect(target)) },
        httpClient: fakePassport('secret%,pw'),
        nexusUrl: s.nexusUrl,
      }),
      clock: new FakeClock(),
      listCache: createMemoryListCache(),
      answerChallenge: () => ({ productId: 'p', answer: '0'.repeat(32) }),
    });
    const signIn = (more = {}) => service.signIn({ email: 'alice@example.com', password: 'secret%,pw', ...more });
    const { accountId: alice } = await signIn();
    // New settings: the route applies from alice's next sign-in; the new server makes the next sign-in another account.
    service.reconfigure({ ...base, server: { host: 'other.test', port: 1863 }, nexusUrl: 'https://two.test/rdr/pprdr.asp' });
    expect((await signIn({ server: base.server })).accountId).toBe(alice);
    const { accountId: elsewhere } = await signIn();
    expect(elsewhere).not.toBe(alice);
    // Given its own route at a sign-in, an account keeps it through later changes of the settings.
    await signIn({ server: base.server, route: { ...base, nexusUrl: 'https://own.test/rdr/pprdr.asp' } });
    service.reconfigure({ ...base, nexusUrl: 'https://three.test/rdr/pprdr.asp' });
    await signIn({ server: base.server });
    expect(connectedVia).toEqual(['one.test ns.test:1863', 'two.test ns.test:1863', 'two.test other.test:1863', 'own.test ns.test:1863', 'own.test ns.test:1863']);
    expect(service.snapshot(alice).server).toBe('ns.test:1863');
    expect(service.snapshot(elsewhere).server).toBe('other.test:1863');
    service.dispose();
  });

  it('a failed sign-in reports the reason and never echoes the password', async () => {
    const { service, events } = setup();
    await expect(service.signIn({ email: 'alice@example.com', password: 'Zq9-bad-pass' })).rejects.toMatchObject({ code: 'auth.wrong-password' });
    expect(events.at(-1)).toMatchObject({ type: 'connection-state', state: { kind: 'signed-out', reason: 'error', error: { code: 'auth.wrong-password' } } });
    expect(JSON.stringify(events)).not.toContain('Zq9-bad-pass');
  });
});
