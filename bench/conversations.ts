// Exports: runConversationBench — what conversations cost through the whole client. Two accounts (alice and bob) in
// one messenger service — real transports, the real clock, every event serialised as IPC would — sign in over
// loopback to the project's test server, run as a process of its own so that its work is not counted as the
// client's heap. History in memory (the service's default without a data directory; bench/history-e2e.ts runs the
// throughput part with it on disk).
// 1. Memory: the heap (and buffers) after a forced GC, after 200 conversations opened, used for one message and
//    closed on both sides, against the same after a warm-up.
// 2. Throughput: 10,000 text messages through one switchboard, ack mode A, sent as fast as the outbox takes them;
//    from the first send to the last ACK. Every one must be delivered, and received by bob exactly once.
// 3. Latency: send → ACK, measured separately at a fixed moderate rate (200 messages/s), so it is not queueing.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { ConnectionSettings } from '../src-shared/connection-settings';
import type { AccountId, MessengerEvent } from '../src-shared/messenger-types';
import { createMemoryAccountRegistry } from '../src-main/service/account-registry';
import type { HistoryDefaults } from '../src-main/service/account-history';
import { createMessengerService, type MessengerService } from '../src-main/service/messenger-service';
import { systemClock } from '../src-main/session/clock';
import { createMemoryListCache } from '../src-main/session/list-cache';
import { createHttpClient, createTransportFactory } from '../src-main/transport';
import { usedAfterGc } from './memory';

export interface ConversationBenchResult {
  messages: number;
  /** Messages per second, first send to last ACK. */
  throughput: number;
  throughputMs: number;
  /** Switchboards alice opened for the throughput run, warm-up included (one, when none was lost). */
  switchboards: number;
  /** Messages bob received during it (must equal `messages`). */
  received: number;
  latency: { rate: number; messages: number; p50Ms: number; p99Ms: number; maxMs: number };
  memory: { cycles: number; baselineBytes: number; afterBytes: number };
}

const ROOT = join(import.meta.dirname, '..');

/** The test server in a process of its own on free loopback ports; resolves once it printed its addresses. */
export async function startServerProcess(): Promise<{ child: ChildProcess; settings: ConnectionSettings }> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'e2e', 'msn-server', 'cli.ts'), '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const settings = await new Promise<ConnectionSettings>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the test server did not start: ${out}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`the test server exited (${code}): ${out}`)));
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const ns = /Notification server\s+([\d.]+):(\d+)/.exec(out);
      const nexus = /Passport nexus\s+(\S+)/.exec(out);
      const gateway = /HTTP gateway\s+http:\/\/([\d.]+):(\d+)/.exec(out);
      if (!ns || !nexus || !gateway) return;
      clearTimeout(timer);
      resolve({ server: { host: ns[1], port: Number(ns[2]) }, nexusUrl: nexus[1], transport: 'direct', gateway: { host: gateway[1], port: Number(gateway[2]) } });
    });
  });
  return { child, settings };
}

/** `history`: where the accounts keep their histories (bench/history-e2e.ts); default: in memory. */
export function createService(settings: ConnectionSettings, history?: HistoryDefaults): MessengerService {
  return createMessengerService({
    ...(history ? { history } : {}),
    registry: createMemoryAccountRegistry(),
    settings,
    routeFor: (s) => ({ transportFactory: createTransportFactory(s), httpClient: createHttpClient(s), nexusUrl: s.nexusUrl }),
    clock: systemClock,
    listCache: createMemoryListCache(),
    // The test server sends no challenges unless asked to.
    answerChallenge: () => ({ productId: 'p', answer: '0'.repeat(32) }),
    backoff: { initialMs: 60_000, maxMs: 60_000, factor: 1, jitter: 0 },
  });
}

/** Resolves on the first event for which `match` is true. */
function next(service: MessengerService, match: (e: MessengerEvent) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`conversation bench: timed out waiting for ${what}`));
    }, timeoutMs);
    const sub = service.onEvent((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

const deliveredOf = (accountId: AccountId, messageId: string) => (e: MessengerEvent) =>
  e.type === 'message-state' && e.accountId === accountId && e.messageId === messageId && (e.state === 'delivered' || e.state === 'failed' || e.state === 'unconfirmed');

/** One conversation opened, one message delivered and read, closed on both sides. */
async function cycle(service: MessengerService, alice: AccountId, bob: AccountId): Promise<void> {
  const { calls } = service;
  const bobGotIt = new Promise<string>((resolve) => {
    const sub = service.onEvent((e) => {
      if (e.accountId !== bob || e.type !== 'message' || e.message.direction !== 'in') return;
      sub.dispose();
      resolve(e.message.conversationId);
    });
  });
  const { conversationId } = await calls['conversations:open']({ accountId: alice, email: 'bob@example.com' });
  const [id] = (await calls['conversations:send-text']({ accountId: alice, conversationId, text: 'hello, and goodbye' })).messageIds;
  await next(service, deliveredOf(alice, id), 'a cycle message');
  const bobsConversation = await bobGotIt;
  await calls['conversations:mark-read']({ accountId: bob, conversationId: bobsConversation });
  await calls['conversations:close']({ accountId: bob, conversationId: bobsConversation });
  await calls['conversations:close']({ accountId: alice, conversationId });
}

async function memory(service: MessengerService, alice: AccountId, bob: AccountId, cycles: number): Promise<ConversationBenchResult['memory']> {
  for (let i = 0; i < 20; i++) await cycle(service, alice, bob);
  await settle();
  const baselineBytes = usedAfterGc();
  for (let i = 0; i < cycles; i++) await cycle(service, alice, bob);
  await settle();
  return { cycles, baselineBytes, afterBytes: usedAfterGc() };
}

/** Lets closing sockets finish closing. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await delay(50);
}

export async function throughput(service: MessengerService, alice: AccountId, bob: AccountId, count: number) {
  const { calls } = service;
  let switchboards = 0;
  const traffic = service.onTraffic((t) => {
    if (t.accountId === alice && t.channel === 'SB' && t.direction === 'out' && t.line.startsWith('USR ')) switchboards++;
  });
  const { conversationId } = await calls['conversations:open']({ accountId: alice, email: 'bob@example.com' });
  // The switchboard is up (and warm) before the clock starts.
  const [first] = (await calls['conversations:send-text']({ accountId: alice, conversationId, text: 'warm-up' })).messageIds;
  await next(service, deliveredOf(alice, first), 'the warm-up message');
  let settled = 0;
  const notDelivered: string[] = [];
  let received = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const events = service.onEvent((e) => {
    if (e.type === 'message-state' && e.accountId === alice && e.state !== 'sent' && e.state !== 'queued') {
      if (e.state !== 'delivered') notDelivered.push(`${e.state} (${e.reason?.message})`);
      if (++settled === count) done();
      // The warm-up may reach bob after its ACK reached alice: it is not one of them.
    } else if (e.type === 'message' && e.accountId === bob && e.message.direction === 'in' && e.message.text !== 'warm-up') received++;
  });
  const started = performance.now();
  for (let i = 0; i < count; i++) await calls['conversations:send-text']({ accountId: alice, conversationId, text: `message ${i} ✿ with a little text in it` });
  await finished;
  const ms = performance.now() - started;
  if (notDelivered.length > 0) throw new Error(`conversation bench: ${notDelivered.length} messages not delivered, e.g. ${notDelivered[0]}`);
  // The last of them reaching bob.
  for (let guard = 0; guard < 1_000 && received < count; guard++) await delay(10);
  events.dispose();
  traffic.dispose();
  await calls['conversations:close']({ accountId: alice, conversationId });
  return { messages: count, throughput: count / (ms / 1000), throughputMs: ms, switchboards, received };
}

export async function latency(service: MessengerService, alice: AccountId, rate: number, count: number): Promise<ConversationBenchResult['latency']> {
  const { calls } = service;
  const { conversationId } = await calls['conversations:open']({ accountId: alice, email: 'bob@example.com' });
  const [first] = (await calls['conversations:send-text']({ accountId: alice, conversationId, text: 'warm-up' })).messageIds;
  await next(service, deliveredOf(alice, first), 'the warm-up message');
  const sentAt = new Map<string, number>();
  const took: number[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const sub = service.onEvent((e) => {
    if (e.type !== 'message-state' || e.accountId !== alice || e.state !== 'delivered') return;
    const at = sentAt.get(e.messageId);
    if (at === undefined) return;
    took.push(performance.now() - at);
    if (took.length === count) done();
  });
  const interval = 1000 / rate;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    // On a fixed schedule (not "interval after the last one"), so a slow send does not lower the rate.
    const wait = start + i * interval - performance.now();
    if (wait > 1) await delay(wait);
    const before = performance.now();
    const [id] = (await calls['conversations:send-text']({ accountId: alice, conversationId, text: `timed ${i}` })).messageIds;
    sentAt.set(id, before);
  }
  await finished;
  sub.dispose();
  await calls['conversations:close']({ accountId: alice, conversationId });
  took.sort((a, b) => a - b);
  const at = (q: number) => took[Math.min(took.length - 1, Math.floor(q * took.length))];
  return { rate, messages: count, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: took[took.length - 1] };
}

export async function runConversationBench(quick: boolean): Promise<ConversationBenchResult> {
  const { child, settings } = await startServerProcess();
  const service = createService(settings);
  try {
    // What the IPC layer does with every event: serialise it.
    service.onEvent((e) => JSON.stringify(e));
    const [{ accountId: alice }, { accountId: bob }] = await Promise.all([
      service.signIn({ email: 'alice@example.com', password: 'alicepass' }),
      service.signIn({ email: 'bob@example.com', password: 'bobpass' }),
    ]);
    const mem = await memory(service, alice, bob, quick ? 50 : 200);
    const run = await throughput(service, alice, bob, quick ? 2_000 : 10_000);
    const lat = await latency(service, alice, 200, quick ? 200 : 1_000);
    return { ...run, latency: lat, memory: mem };
  } finally {
    service.dispose();
    child.kill('SIGTERM');
  }
}

const THROUGHPUT_TARGET = 5_000;
const MEMORY_TARGET = 0.1;

/** Prints the figures and whether the targets are met; answers how many were missed. */
export function reportConversationBench(r: ConversationBenchResult): number {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;
  const growth = r.memory.afterBytes / r.memory.baselineBytes - 1;
  console.log('');
  console.log('conversations: two accounts in one service, the test server over loopback, ack mode A, history in memory');
  console.log(`  throughput: ${n(r.messages)} messages through ${r.switchboards} switchboard(s) in ${n(r.throughputMs)} ms: ${n(r.throughput)} messages/s, ${n(r.received)} received`);
  const l = r.latency;
  console.log(`  send → ACK at ${l.rate} messages/s (${n(l.messages)}): p50 ${l.p50Ms.toFixed(2)} ms, p99 ${l.p99Ms.toFixed(2)} ms, max ${l.maxMs.toFixed(2)} ms`);
  console.log(`  heap + buffers after GC: ${mib(r.memory.baselineBytes)} after a warm-up, ${mib(r.memory.afterBytes)} after ${r.memory.cycles} conversations opened and closed (${(growth * 100).toFixed(1)}%)`);
  const targets: [string, boolean, string][] = [
    ['conversations: messages/s through one switchboard', r.throughput >= THROUGHPUT_TARGET && r.switchboards === 1 && r.received === r.messages, `${n(r.throughput)} (target ≥ ${n(THROUGHPUT_TARGET)})`],
    ['conversations: memory after opening and closing', growth <= MEMORY_TARGET, `${(growth * 100).toFixed(1)}% over the baseline (target ≤ 10%)`],
  ];
  let missed = 0;
  for (const [name, ok, detail] of targets) {
    if (!ok) missed++;
    console.log(`${ok ? 'met   ' : 'MISSED'} ${name.padEnd(44)} ${detail}`);
  }
  return missed;
}
