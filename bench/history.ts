// Exports: historyBench — the history store (src-main/storage/history) on a real SQLite file in a temp directory:
// 1. insert rate: 100,000 generated multilingual messages (bench/history-corpus.ts) appended the way the
//    conversation layer will (bursts, each append awaited), one conversation of 50,000 and 199 smaller ones, with
//    the event loop's delay while it writes (what the sockets would wait);
// 2. search: the first page of 50 for ~50 typical queries, across the history and within one conversation, after
//    reopening the store — p50/p95 (target p95 ≤ 20 ms);
// 3. the 50,000-message conversation opened on a fresh store: its newest page and the page around a message in the
//    middle, first call and repeated (target ≤ 10 ms each);
// 4. deleting that conversation: how long the sweep takes and the event loop's delay meanwhile.
// Prints a table and "met / MISSED" lines; returns how many targets were missed.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { ConversationMessage } from '../src-shared/conversation-types';
import type { HistoryStore } from '../src-main/storage/history/history-types';
import { historyFile, openHistoryStore } from '../src-main/storage/history/open-history';
import { incoming, outgoing, single } from '../src-main/storage/history/testing/history-fixtures';
import { chatLine, LANGUAGE_COUNT, SEARCHES } from './history-corpus';
import { createRandom } from './random';

const ACCOUNT = 'bench';
const BURST = 250;
/** The last messages go in at this steady rate (the phase-2 target for the whole conversation path). */
const STEADY = 10_000;
const STEADY_RATE = 2_000;
const BIG = 'c-big';

interface Stats {
  p50: number;
  p95: number;
  max: number;
}

const stats = (ms: number[]): Stats => {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1] };
};

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** The generated history: every other message in one conversation, the rest spread over 199 others. */
function generate(total: number): ConversationMessage[] {
  const random = createRandom(2024);
  const messages: ConversationMessage[] = [];
  for (let i = 0; i < total; i++) {
    const big = i % 2 === 0;
    const conversation = big ? BIG : `c-${random.int(1, 199)}`;
    const text = chatLine(random, big ? 0 : random.int(0, LANGUAGE_COUNT - 1));
    const at = 1_700_000_000_000 + i * 1000;
    messages.push(random.next() < 0.5 ? incoming(`m${i}`, conversation, 'friend@example.com', text, at) : outgoing(`m${i}`, conversation, text, at, { state: 'delivered' }));
  }
  return messages;
}

/** Appends as fast as the store takes them, in bursts per turn of the event loop; messages per second, end to end. */
async function insertAtFullSpeed(store: HistoryStore, messages: readonly ConversationMessage[]): Promise<number> {
  const start = performance.now();
  let last: Promise<void> = Promise.resolve();
  for (let i = 0; i < messages.length; i++) {
    last = store.append(messages[i]);
    if (i % BURST === BURST - 1) await tick();
  }
  await last;
  return messages.length / ((performance.now() - start) / 1000);
}

/** Appends at a steady rate (bursts every 10 ms, as socket reads bring them) and measures the event loop's delay. */
async function insertAtRate(store: HistoryStore, messages: readonly ConversationMessage[], perSecond: number): Promise<Stats> {
  const perTick = Math.max(1, Math.round(perSecond / 100));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  for (let i = 0; i < messages.length; i += perTick) {
    const burst = messages.slice(i, i + perTick).map((m) => store.append(m));
    await Promise.all([...burst, new Promise((resolve) => setTimeout(resolve, 10))]);
  }
  delay.disable();
  return { p50: delay.percentile(50) / 1e6, p95: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
}

export async function historyBench(quick: boolean): Promise<number> {
  const total = quick ? 20_000 : 100_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'bf-history-bench-'));
  try {
    const messages = generate(total);
    const steady = messages.slice(total - STEADY);
    let store = await openHistoryStore({ dataDir, accountId: ACCOUNT });
    await store.recordConversation(single(BIG, 'big@example.com'));
    for (let c = 1; c < 200; c++) await store.recordConversation(single(`c-${c}`, `friend${c}@example.com`));
    const perSecond = await insertAtFullSpeed(store, messages.slice(0, total - STEADY));
    const steadyDelay = await insertAtRate(store, steady, STEADY_RATE);
    await store.close();
    const file = historyFile(dataDir, ACCOUNT);
    const megabytes = statSync(file).size / 1e6;

    // Searches on a freshly opened store (the page cache is warm, as it is for a running app).
    store = await openHistoryStore({ dataDir, accountId: ACCOUNT });
    const bigCid = `(SELECT cid FROM conversations WHERE id = '${BIG}')`;
    const bigMessages = query<{ n: number }>(file, `SELECT count(*) AS n FROM messages WHERE cid = ${bigCid}`).n;
    const runs = quick ? 3 : 10;
    const all: number[] = [];
    const inConversation: number[] = [];
    const slowest: [number, string][] = [];
    let hits = 0;
    for (const text of SEARCHES) await store.search({ text });
    for (let r = 0; r < runs; r++) {
      for (const text of SEARCHES) {
        const [ms, page] = await timed(() => store.search({ text, limit: 50 }));
        all.push(ms);
        hits += page.hits.length;
        slowest.push([ms, text]);
        const [inMs] = await timed(() => store.search({ text, limit: 50, conversationId: r % 2 === 0 ? BIG : 'c-7' }));
        inConversation.push(inMs);
      }
    }
    slowest.sort((a, b) => b[0] - a[0]);
    await store.close();

    // The big conversation on a fresh store: first call, then repeated.
    store = await openHistoryStore({ dataDir, accountId: ACCOUNT });
    const [newestFirst, newest] = await timed(() => store.page(BIG, { kind: 'newest' }, 50));
    const middleId = query<{ id: string }>(file, `SELECT id FROM messages WHERE cid = ${bigCid} ORDER BY seq LIMIT 1 OFFSET ?`, Math.floor(bigMessages / 2)).id;
    const [aroundFirst] = await timed(() => store.page(BIG, { kind: 'around', messageId: middleId }, 50));
    const newestRuns: number[] = [];
    const aroundRuns: number[] = [];
    const olderRuns: number[] = [];
    for (let r = 0; r < 50; r++) {
      newestRuns.push((await timed(() => store.page(BIG, { kind: 'newest' }, 50)))[0]);
      aroundRuns.push((await timed(() => store.page(BIG, { kind: 'around', messageId: middleId }, 50)))[0]);
      olderRuns.push((await timed(() => store.page(BIG, { kind: 'before', cursor: newest.older as string }, 50)))[0]);
    }

    // Deleting it: the sweep runs a slice per turn; the event loop stays free meanwhile.
    const delay = monitorEventLoopDelay({ resolution: 1 });
    const watcher = new Database(file, { readonly: true });
    const left = watcher.prepare('SELECT count(*) AS n FROM messages');
    delay.enable();
    const sweepStart = performance.now();
    await store.deleteConversation(BIG);
    while ((left.get() as { n: number }).n > total - bigMessages) await new Promise((resolve) => setTimeout(resolve, 50));
    const sweepMs = performance.now() - sweepStart;
    delay.disable();
    watcher.close();
    await store.close();

    const s = stats(all);
    const sc = stats(inConversation);
    const pages = { newest: stats(newestRuns), around: stats(aroundRuns), older: stats(olderRuns) };
    const f = (n: number) => n.toFixed(2);
    console.log('');
    console.log(`history store: ${total.toLocaleString('en-US')} messages (${bigMessages.toLocaleString('en-US')} in one conversation, the rest in 199), ${megabytes.toFixed(1)} MB`);
    console.log(`  insert, appends awaited in bursts of ${BURST} per turn: ${Math.round(perSecond).toLocaleString('en-US')} messages/s`);
    console.log(`  event-loop delay while ${STEADY.toLocaleString('en-US')} more arrive at ${STEADY_RATE.toLocaleString('en-US')}/s: p50 ${f(steadyDelay.p50)} ms, p99 ${f(steadyDelay.p95)} ms, max ${f(steadyDelay.max)} ms`);
    console.log(`  search, first page of 50, ${SEARCHES.length} queries × ${runs}: p50 ${f(s.p50)} ms, p95 ${f(s.p95)} ms, max ${f(s.max)} ms (${hits.toLocaleString('en-US')} hits); slowest: ${slowest.slice(0, 3).map(([ms, t]) => `${JSON.stringify(t)} ${f(ms)} ms`).join(', ')}`);
    console.log(`  search within one conversation: p50 ${f(sc.p50)} ms, p95 ${f(sc.p95)} ms, max ${f(sc.max)} ms`);
    console.log(`  ${bigMessages.toLocaleString('en-US')}-message conversation, fresh store: newest page ${f(newestFirst)} ms, page around the middle ${f(aroundFirst)} ms (first calls)`);
    console.log(`  repeated ×50: newest p50 ${f(pages.newest.p50)} / p95 ${f(pages.newest.p95)} ms, around p50 ${f(pages.around.p50)} / p95 ${f(pages.around.p95)} ms, next older p50 ${f(pages.older.p50)} / p95 ${f(pages.older.p95)} ms`);
    console.log(`  deleting it: swept in ${(sweepMs / 1000).toFixed(2)} s, event-loop delay p99 ${f(delay.percentile(99) / 1e6)} ms, max ${f(delay.max / 1e6)} ms`);

    const targets: [string, number, number][] = [
      ['history: search p95, first page of 50', s.p95, 20],
      [`history: newest page of ${bigMessages.toLocaleString('en-US')} (first call)`, newestFirst, 10],
      ['history: page around the middle (first call)', aroundFirst, 10],
      ['history: any page p95 (repeated)', Math.max(pages.newest.p95, pages.around.p95, pages.older.p95), 10],
    ];
    let missed = 0;
    for (const [name, value, target] of targets) {
      const ok = value <= target;
      if (!ok) missed++;
      console.log(`${ok ? 'met   ' : 'MISSED'} ${name.padEnd(44)} ${f(value)} ms (target ≤ ${target} ms)`);
    }
    return missed;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Facts for the benchmark's own use, read with a plain connection beside the store. */
function query<T>(file: string, sql: string, ...args: unknown[]): T {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).get(...args) as T;
  } finally {
    db.close();
  }
}
