// The messenger service against a hostile server (e2e/hostile-server) over real sockets, with the real transports
// (their default 5 s graceful-close wait included): floods and storms of list changes, a 100,000-contact list, an
// NLN flood of 10^5 a second, a poisoned line on every connection, an oversized UBX, names with NUL, invalid UTF-8
// and raw CR/LF, and a fatal error while the server holds the socket open. Each checked as the UI sees it — the
// connection state and its message, the events — with memory judged by counts (snapshots sent, events per contact),
// never by wall-clock or RSS thresholds; time bounds are generous.
import { afterEach, describe, expect, it } from 'vitest';
import { lines, startHostileServer, type HostileServer, type Scenario } from '../../e2e/hostile-server';
import { paced, rlToggles, synWith } from '../../e2e/hostile-server/payloads';
import type { AccountSnapshot, MessengerEvent } from '../../src-shared/messenger-types';
import { answerChallenge } from '../protocol/challenge';
import { systemClock } from '../session/clock';
import { createMemoryListCache } from '../session/list-cache';
import { createHttpClient, createTransportFactory } from '../transport';
import { createMessengerService, type MessengerService } from './messenger-service';
import { createMemoryAccountRegistry } from './account-registry';
import { EventLog, FAST_BACKOFF, FAST_TIMINGS } from './testing/live-service';

let server: HostileServer | undefined;
const services: MessengerService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) {
    for (const a of s.accounts()) a.signOut();
    await s.flush();
    s.dispose();
  }
  await server?.stop();
  server = undefined;
});

interface Hostile {
  service: MessengerService;
  log: EventLog;
  linesIn: () => string[];
  signIn: () => Promise<unknown>;
  /** The account's snapshot (after signIn was called). */
  snapshot: () => AccountSnapshot;
  count: (type: MessengerEvent['type']) => number;
}

async function against(scenario: Scenario): Promise<Hostile> {
  server = await startHostileServer(scenario);
  const settings = { server: server.ns, nexusUrl: server.nexusUrl, transport: 'direct' as const, gateway: { host: '127.0.0.1', port: 1 } };
  const service = createMessengerService({
    registry: createMemoryAccountRegistry(),
    settings,
    // The default transport timings, 5 s graceful-close wait included: an error must not wait for it.
    routeFor: (s) => ({ transportFactory: createTransportFactory(s), httpClient: createHttpClient(s), nexusUrl: s.nexusUrl }),
    clock: systemClock,
    listCache: createMemoryListCache(),
    answerChallenge,
    backoff: FAST_BACKOFF,
    random: () => 0.5,
    timings: { ...FAST_TIMINGS, presenceWindowMs: 100, listWindowMs: 100 },
  });
  services.push(service);
  const log = new EventLog();
  const traffic: string[] = [];
  service.onEvent((e) => log.push(e));
  service.onTraffic((t) => t.direction === 'in' && traffic.push(t.line));
  let accountId: string | undefined;
  return {
    service,
    log,
    linesIn: () => traffic,
    signIn: () => service.signIn({ email: 'alice@example.com', password: 'any' }, { onAccount: (id) => (accountId = id) }),
    snapshot: () => service.snapshot(accountId ?? ''),
    count: (type) => log.events.filter((e) => e.type === type).length,
  };
}

const contactsNamed = (count: number) => (c: { trid: string }) => synWith(c.trid, count);

describe('server-driven memory is bounded (finding 3)', () => {
  it('600 contacts, then 10,000 ADD/REM RL toggles in one burst: all applied, a handful of snapshots, still connected', async () => {
    const h = await against({ instead: { SYN: contactsNamed(600) }, after: { CHG: () => rlToggles(10_000, 600) } });
    await h.signIn();
    // The last toggle (version 10,001) adds p399 back: wait until the list shows it.
    await expect.poll(() => h.snapshot().list.version, { timeout: 20_000 }).toBe(10_001);
    await h.service.flush();
    const list = h.snapshot().list;
    // p0–p399 were toggled 17 times (ADD first: on RL), p400–p599 16 times (off again, so gone).
    expect(list.contacts.filter((c) => c.email.startsWith('p'))).toHaveLength(400);
    expect(h.snapshot().connection.kind).toBe('connected');
    // One snapshot per 100 ms window at most, however many changes: nowhere near one per change.
    expect(h.count('contact-list')).toBeLessThan(100);
    const last = h.log.events.filter((e) => e.type === 'contact-list').at(-1) as Extract<MessengerEvent, { type: 'contact-list' }>;
    expect(last.list.version).toBe(10_001);
  });

  it('30,000 toggles on every connection: each ends as a garbled stream past the budget, and after three the client stops', async () => {
    const h = await against({ instead: { SYN: contactsNamed(600) }, after: { CHG: () => rlToggles(30_000, 600) } });
    await h.signIn();
    const out = await h.log.state('signed-out', 30_000);
    expect(out).toEqual({
      kind: 'signed-out',
      reason: 'error',
      error: {
        code: 'session.garbled-stream',
        retryable: false,
        message: 'Butterfly stopped reconnecting: it failed the same way 3 times in a row soon after signing in. The server sent more than 10,000 contact-list changes at once (or over 20 a second for long), so the connection was treated as garbled.',
      },
    });
    expect(server!.connections()).toBe(4);
    expect(h.count('contact-list')).toBeLessThan(200);
  });

  it('100,000 contacts and then 1,000 ADD RL: "list too large", signed out, never out of memory', async () => {
    const h = await against({ instead: { SYN: contactsNamed(100_000) }, after: { SYN: () => rlToggles(1_000, 1_000) } });
    await expect(h.signIn()).rejects.toMatchObject({ code: 'session.list-too-large' });
    expect(h.snapshot().connection).toEqual({
      kind: 'signed-out',
      reason: 'error',
      error: { code: 'session.list-too-large', retryable: false, message: 'Your contact list is too large: it has 100,000 contacts, and Butterfly handles at most 30,000.' },
    });
    expect(h.snapshot().list.contacts).toHaveLength(0);
  });

  it('an NLN flood of 100,000 a second for a second: connected, presence events at most one per contact per window', async () => {
    const people = 200;
    const statuses = ['NLN', 'BSY', 'AWY', 'IDL'];
    const h = await against({
      instead: { SYN: contactsNamed(people) },
      after: { CHG: () => paced(100_000, 1_000, (i) => `NLN ${statuses[Math.floor(i / people) % 4]} c${i % people}@example.com C${i % people} 0`) },
    });
    await h.signIn();
    const lastLine = 100_000 - 1;
    const finalStatus = statuses[Math.floor(lastLine / people) % 4];
    const lastContact = () => h.snapshot().list.contacts.find((c) => c.email === `c${lastLine % people}@example.com`);
    await expect.poll(() => server!.find((e) => e.what === 'sent CHG'), { timeout: 20_000 }).toBeDefined();
    await expect.poll(() => lastContact()?.status, { timeout: 10_000 }).toBe(finalStatus);
    await h.service.flush();
    expect(h.snapshot().connection.kind).toBe('connected');
    const presence = h.log.events.filter((e): e is Extract<MessengerEvent, { type: 'presence' }> => e.type === 'presence');
    // 100,000 lines over ~1 s: with a 100 ms window that is about 10 windows, so at most ~11 events per contact.
    const perContact = new Map<string, number>();
    for (const p of presence) perContact.set(p.email, (perContact.get(p.email) ?? 0) + 1);
    expect(Math.max(...perContact.values())).toBeLessThanOrEqual(30);
    expect(presence.length).toBeLessThan(100_000 / 10);
    // The last state of each contact is what the UI was told last.
    expect(presence.filter((p) => p.email === lastContact()?.email).at(-1)?.status).toBe(finalStatus);
  });
});

describe('no endless failure loop (finding 11)', () => {
  it('a line that breaks the stream on every connection: three reconnects fail the same way, then a sign-out naming it', async () => {
    const h = await against({ after: { CHG: () => 'MSG Hotmail Hotmail 2097152\r\n' } });
    await h.signIn();
    const out = await h.log.state('signed-out', 20_000);
    expect(out.error).toMatchObject({ code: 'protocol.payload-too-large', retryable: false });
    expect(out.error?.message).toMatch(/^Butterfly stopped reconnecting: it failed the same way 3 times in a row soon after signing in\. MSG at byte \d+ announces a 2097152-byte payload; the limit is 1048576\.$/);
    expect(server!.connections()).toBe(4);
  });

  it('a 2 MiB UBX from a contact is skipped: connected, the traffic log says so, what follows is applied', async () => {
    const h = await against({ after: { CHG: () => [`UBX bob@example.com ${2 * 1024 * 1024}\r\n`, Buffer.alloc(2 * 1024 * 1024, 0x3c), 'NLN BSY bob@example.com Bob 0\r\n'] } });
    await h.signIn();
    await expect.poll(() => h.snapshot().list.contacts.find((c) => c.email === 'bob@example.com')?.status, { timeout: 10_000 }).toBe('BSY');
    expect(h.linesIn()).toContain('UBX bob@example.com 2097152  [payload of 2097152 bytes skipped: over the 65536-byte limit for UBX]');
    expect(h.snapshot().connection.kind).toBe('connected');
  });

  it('raw CR/LF, NUL and invalid UTF-8 in a presence nickname: connected, the nickname joined up and kept', async () => {
    const bad = Buffer.concat([Buffer.from('NLN AWY bob@example.com B%00ob\r\nthe'), Buffer.from([0xff]), Buffer.from(' 268435492\r\n')]);
    const h = await against({ after: { CHG: () => bad } });
    await h.signIn();
    await expect.poll(() => h.snapshot().list.contacts.find((c) => c.email === 'bob@example.com')?.status, { timeout: 10_000 }).toBe('AWY');
    expect(h.snapshot().list.contacts.find((c) => c.email === 'bob@example.com')).toMatchObject({ nickname: 'B%00ob%0D%0Athe\ufffd', clientId: 268435492 });
    expect(h.snapshot().connection.kind).toBe('connected');
  });

  it('the "added you" prompt once per person per sign-in, however often the server toggles them', async () => {
    const h = await against({ after: { CHG: () => lines(Array.from({ length: 400 }, (_, i) => (i % 2 ? `REM 0 RL ${2 + i} eve@example.com` : `ADD 0 RL ${2 + i} eve@example.com Eve`))) } });
    await h.signIn();
    await expect.poll(() => h.snapshot().list.version, { timeout: 10_000 }).toBe(401);
    await h.service.flush();
    expect(h.log.events.filter((e) => e.type === 'added-you')).toEqual([{ type: 'added-you', accountId: h.snapshot().accountId, email: 'eve@example.com', nickname: 'Eve' }]);
  });
});

describe('finding 9: a fatal error ends the connection at once', () => {
  it('while the server holds the socket open, the error is reported and the connection gone well before the 5 s close wait', async () => {
    const h = await against({ after: { CHG: () => 'MSG Hotmail Hotmail -5\r\n' }, holdOpen: true });
    await h.signIn();
    const reconnecting = await h.log.state('reconnecting', 10_000);
    expect(reconnecting.error).toMatchObject({ code: 'protocol.bad-length' });
    const sent = server!.find((e) => e.connection === 0 && e.what === 'sent CHG')!;
    expect(Date.now() - sent.at).toBeLessThan(2_000);
    await expect.poll(() => server!.find((e) => e.connection === 0 && e.what === 'client-end'), { timeout: 2_000 }).toBeDefined();
    expect(server!.find((e) => e.connection === 0 && e.what === 'client-end')!.at - sent.at).toBeLessThan(2_000);
  });
});
