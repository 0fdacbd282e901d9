// Exports: runHistoryEndToEnd — messages/s through one switchboard with the history on disk, end to end. The
// conversation benchmark's harness (bench/conversations.ts: the test server in a process of its own, two accounts in
// one messenger service over loopback, every event serialised as IPC would) with the accounts' histories in SQLite
// files in a temporary data directory, as the app keeps them: alice's outgoing messages committed as they are sent,
// bob's incoming ones and alice's delivery states batched per turn of the event loop. From the first send to the last
// ACK; every message must be delivered, received once, and then be in both histories (alice's as delivered).
// Then what the disk writes cost the sockets at a steady pace (the conversation benchmark's 200 messages/s, as sends
// come from the UI: one per turn of the event loop): send → ACK latency, and how long the event loop — the sockets'
// and the IPC's thread — was held up, with the history on disk and, for comparison, in memory. (The throughput run
// sends from one loop without yielding, so the loop is busy by design there.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MessengerService } from '../src-main/service/messenger-service';
import { openHistoryStore } from '../src-main/storage/history/open-history';
import { createService, latency, startServerProcess, throughput, type ConversationBenchResult } from './conversations';

export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface HistoryEndToEndResult {
  messages: number;
  /** Messages per second, first send to last ACK, history on disk. */
  throughput: number;
  throughputMs: number;
  switchboards: number;
  received: number;
  /** The client's CPU time during the run (main thread and workers; the test server is a process of its own), per message. */
  cpuMicrosPerMessage: number;
  /** Messages found in alice's and bob's histories afterwards (each must equal `messages` plus the warm-up). */
  stored: { alice: number; aliceDelivered: number; bob: number };
  /** At a steady pace: send → ACK and the event loop's delays, history on disk and in memory. */
  paced: { disk: Paced; memory: Paced };
}

export interface Paced {
  latency: ConversationBenchResult['latency'];
  loop: LoopDelay;
}

const TARGET = 2_000;

async function signInBoth(service: MessengerService) {
  service.onEvent((e) => JSON.stringify(e));
  const [{ accountId: alice }, { accountId: bob }] = await Promise.all([
    service.signIn({ email: 'alice@example.com', password: 'alicepass' }),
    service.signIn({ email: 'bob@example.com', password: 'bobpass' }),
  ]);
  return { alice, bob };
}

const RATE = 200;

/** Messages at a steady pace, the event loop watched meanwhile. */
async function paced(service: MessengerService, alice: string, count: number): Promise<Paced> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const timed = await latency(service, alice, RATE, count);
  histogram.disable();
  const ms = (ns: number) => ns / 1e6;
  return { latency: timed, loop: { p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) } };
}

/** Every message stored for the account: paged from the oldest (500 at a time). */
async function storedMessages(dataDir: string, accountId: string): Promise<{ total: number; delivered: number }> {
  const store = await openHistoryStore({ dataDir, accountId, readOnly: true });
  try {
    let total = 0;
    let delivered = 0;
    for (const c of (await store.listConversations()).conversations) {
      for (let page = await store.page(c.id, { kind: 'oldest' }, 500); ; page = await store.page(c.id, { kind: 'after', cursor: page.newer! }, 500)) {
        total += page.messages.length;
        delivered += page.messages.filter((m) => m.direction === 'out' && m.state === 'delivered').length;
        if (!page.newer) break;
      }
    }
    return { total, delivered };
  } finally {
    await store.close();
  }
}

/** Signs both in on a new service, runs `work`, and disposes of the service whatever happens. */
async function withService<T>(service: MessengerService, work: (service: MessengerService, ids: { alice: string; bob: string }) => Promise<T>): Promise<T> {
  try {
    return await work(service, await signInBoth(service));
  } finally {
    service.dispose();
  }
}

export async function runHistoryEndToEnd(quick: boolean): Promise<HistoryEndToEndResult> {
  const count = quick ? 2_000 : 10_000;
  const pacedCount = quick ? 200 : 1_000;
  const { child, settings } = await startServerProcess();
  const dataDir = mkdtempSync(join(tmpdir(), 'bf-bench-history-'));
  try {
    const onDisk = await withService(createService(settings, { dataDir }), async (service, { alice, bob }) => {
      const cpu = process.cpuUsage();
      const run = await throughput(service, alice, bob, count);
      const used = process.cpuUsage(cpu);
      await service.flush();
      const [a, b] = [await storedMessages(dataDir, alice), await storedMessages(dataDir, bob)];
      return { run: { ...run, cpuMicrosPerMessage: (used.user + used.system) / count }, stored: { alice: a.total, aliceDelivered: a.delivered, bob: b.total }, paced: await paced(service, alice, pacedCount) };
    });
    const memory = await withService(createService(settings), (service, { alice }) => paced(service, alice, pacedCount));
    return { ...onDisk.run, stored: onDisk.stored, paced: { disk: onDisk.paced, memory } };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    child.kill('SIGTERM');
  }
}

/** Prints the figures and whether the target is met; answers how many were missed. */
export function reportHistoryEndToEnd(r: HistoryEndToEndResult): number {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const pace = (p: Paced) =>
    `send → ACK p50 ${p.latency.p50Ms.toFixed(2)} ms, p99 ${p.latency.p99Ms.toFixed(2)} ms; event loop held up p99 ${p.loop.p99Ms.toFixed(1)} ms, max ${p.loop.maxMs.toFixed(1)} ms`;
  // The warm-up message is stored too.
  const all = r.messages + 1;
  const complete = r.stored.alice === all && r.stored.aliceDelivered === all && r.stored.bob === all;
  console.log('');
  console.log('history end to end: two accounts in one service, the test server over loopback, ack mode A, both histories in SQLite');
  console.log(`  throughput: ${n(r.messages)} messages through ${r.switchboards} switchboard(s) in ${n(r.throughputMs)} ms: ${n(r.throughput)} messages/s`);
  console.log(`  the client's CPU time (both accounts, sockets, histories): ${r.cpuMicrosPerMessage.toFixed(0)} µs per message, ${n(1e6 / r.cpuMicrosPerMessage)} messages per CPU second`);
  console.log(`  stored afterwards: alice ${n(r.stored.alice)} (${n(r.stored.aliceDelivered)} delivered), bob ${n(r.stored.bob)}, of ${n(all)}`);
  console.log(`  at ${RATE} messages/s (${n(r.paced.disk.latency.messages)}), on disk: ${pace(r.paced.disk)}`);
  console.log(`  at ${RATE} messages/s (${n(r.paced.memory.latency.messages)}), in memory: ${pace(r.paced.memory)}`);
  const ok = r.throughput >= TARGET && r.switchboards === 1 && r.received === r.messages && complete;
  console.log(`${ok ? 'met   ' : 'MISSED'} ${'history: messages/s end to end, on disk'.padEnd(44)} ${n(r.throughput)} (target ≥ ${n(TARGET)}, every message stored)`);
  return ok ? 0 : 1;
}
