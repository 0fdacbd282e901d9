// Exports: runListStorm — what a server pushing list changes costs the client. The real messenger service (real
// clock, so the real coalescing windows; the real file list cache in a temp directory; every event serialised as IPC
// would) signs in through a scripted transport that plays the server, so the heap measured is the client's alone.
// 1. A 2,000-contact list gets a burst of 10,000 unsolicited ADD/REM RL changes in socket-sized reads: the time until
//    the list settles with every change applied (the UI's last snapshot and the cache file both at the final version),
//    and the heap after a forced GC. 2. A 100,000-change storm: how it ends (applied, or refused past the budget) and
//    the peak heap while it lasts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ConnectionState, ContactListSnapshot } from '../src-shared/messenger-types';
import { createMessengerService, type MessengerService } from '../src-main/service/messenger-service';
import { createMemoryAccountRegistry } from '../src-main/service/account-registry';
import { systemClock } from '../src-main/session/clock';
import { createFileListCache } from '../src-main/session/list-cache';
import { fakePassport, msnp8 } from '../src-main/session/testing/fake-server-script';
import { ScriptedTransportFactory } from '../src-main/session/testing/scripted-transport';
import { heapAfterGc, heapNow } from './memory';

const LIST_VERSION = 7;
const CHUNK_BYTES = 64 * 1024;

export interface StormResult {
  contacts: number;
  changes: number;
  /** Changes the client applied before the end (all of them, or those before it refused the rest). */
  applied: number;
  /** How it ended: 'applied' or the connection's error code. */
  ending: string;
  endingMessage?: string;
  /** From the first change sent to the list settled (burst) or the connection ended (storm). */
  ms: number;
  /** Contact-list snapshots sent to the UI, and cache files written. */
  snapshots: number;
  cacheWrites: number;
  heapAfterGcBytes: number;
  peakHeapBytes: number;
}

/** `count` toggles of the contacts' RL bit: the first of each person removes them from RL, the next adds them back. */
function toggleStream(count: number, people: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let text = '';
  for (let i = 0; i < count; i++) {
    const who = `c${i % people}@example.com`;
    const v = LIST_VERSION + 1 + i;
    text += Math.floor(i / people) % 2 === 0 ? `REM 0 RL ${v} ${who}\r\n` : `ADD 0 RL ${v} ${who} Contact%20${i % people}\r\n`;
    if (text.length >= CHUNK_BYTES) {
      chunks.push(Buffer.from(text));
      text = '';
    }
  }
  if (text) chunks.push(Buffer.from(text));
  return chunks;
}

const yieldToIo = () => new Promise<void>((r) => setImmediate(r));

async function storm(contacts: number, changes: number, settle: boolean): Promise<StormResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bf-bench-lists-'));
  const list = ['GTC A', 'BLP AL', 'LSG 0 Other%20Contacts 0', ...Array.from({ length: contacts }, (_, i) => `LST c${i}@example.com Contact%20${i} 11 0`)];
  const factory = new ScriptedTransportFactory((t) => msnp8(t, { list, listVersion: LIST_VERSION }));
  const cache = createFileListCache(join(dir, 'lists'));
  let cacheWrites = 0;
  const passport = fakePassport('pw');
  const service: MessengerService = createMessengerService({
    registry: createMemoryAccountRegistry(),
    settings: { server: { host: 'ns.bench', port: 1863 }, nexusUrl: 'https://nexus.bench/rdr/pprdr.asp', transport: 'direct', gateway: { host: 'ns.bench', port: 80 } },
    routeFor: (s) => ({ transportFactory: factory, httpClient: passport, nexusUrl: s.nexusUrl }),
    clock: systemClock,
    listCache: { load: cache.load, save: (account, s) => (cacheWrites++, cache.save(account, s)) },
    answerChallenge: () => ({ productId: 'p', answer: '0'.repeat(32) }),
    backoff: { initialMs: 60_000, maxMs: 60_000, factor: 1, jitter: 0 },
  });
  let snapshots = 0;
  let lastList: ContactListSnapshot | undefined;
  let state = { kind: 'signed-out', reason: 'user' } as ConnectionState;
  service.onEvent((e) => {
    // What the IPC layer does with every event: serialise it.
    JSON.stringify(e);
    if (e.type === 'contact-list') {
      snapshots++;
      lastList = e.list;
    } else if (e.type === 'connection-state') state = e.state;
  });
  const { accountId } = await service.signIn({ email: 'alice@example.com', password: 'pw' });
  await service.flush();
  snapshots = 0;
  cacheWrites = 0;
  const chunks = toggleStream(changes, contacts);
  const finalVersion = LIST_VERSION + changes;
  const transport = factory.last;
  let peak = heapNow();
  const started = performance.now();
  for (const chunk of chunks) {
    if (state.kind !== 'connected') break;
    transport.push(chunk);
    peak = Math.max(peak, heapNow());
    await yieldToIo();
  }
  let ms: number;
  if (settle) {
    // Settled: the UI's last snapshot and the cache file both carry the last change.
    const file = join(dir, 'lists', `${accountId}.json`);
    const cached = () => (JSON.parse(readFileSync(file, 'utf8')) as { list: ContactListSnapshot }).list.version;
    for (let guard = 0; guard < 100_000 && (lastList?.version !== finalVersion || cached() !== finalVersion); guard++) {
      await new Promise((r) => setTimeout(r, 1));
      peak = Math.max(peak, heapNow());
    }
    ms = performance.now() - started;
    const applied = lastList!.contacts.every((c) => c.lists.RL === (Math.ceil((changes - Number(c.email.slice(1).split('@')[0])) / contacts) % 2 === 0));
    if (!applied) throw new Error('list storm: the settled list does not show every change');
  } else {
    ms = performance.now() - started;
  }
  await service.flush();
  const applied = service.snapshot(accountId).list.version - LIST_VERSION;
  const heapAfter = heapAfterGc();
  const ending = state.kind === 'connected' ? 'applied' : state.kind === 'reconnecting' || state.kind === 'signed-out' ? (state.error?.code ?? state.kind) : state.kind;
  const endingMessage = state.kind === 'reconnecting' || state.kind === 'signed-out' ? state.error?.message : undefined;
  service.dispose();
  rmSync(dir, { recursive: true, force: true });
  return { contacts, changes, applied, ending, endingMessage, ms, snapshots, cacheWrites, heapAfterGcBytes: heapAfter, peakHeapBytes: peak };
}

export async function runListStorm(quick: boolean): Promise<{ burst: StormResult; storm: StormResult }> {
  // Warm-up, so the JIT's work is not counted as the burst's.
  await storm(200, 1_000, true);
  const burst = await storm(2_000, quick ? 5_000 : 10_000, true);
  const big = await storm(2_000, quick ? 20_000 : 100_000, false);
  return { burst, storm: big };
}
