// The renderer benchmark's conversation scenario: the built renderer in Debian's Chromium (browser mode, 900×700)
// against the test server, alice in her conversation with bob, whose history (SQLite, on disk) holds 50,000 messages.
// They are chatted beforehand by an earlier run of the app's own service (alice and bob over the test server, lines of
// 1 to 60 words so that rows differ in height), the way a long friendship would fill it. Measured:
// (a) an incoming MSG written on the test server's socket → its text painted: from just before the server writes it
//     (this process) to the first frame presented after the text is in the page (Chromium), on the same wall clock;
// (b) scrolling from the newest message to the first of the 50,000, a step a frame, older pages loading as it goes:
//     the time of every frame meanwhile (p95, max) and the long tasks;
// (c) every `history:page` the renderer asks for, from its WebSocket request to the answer arriving.
// Targets (issue 17): socket → painted ≤ 50 ms on loopback, p95 frame ≤ 16 ms, every page fetch ≤ 10 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser, Page } from 'playwright';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings } from '../../src-shared/connection-settings';
import type { CallRequest } from '../../src-shared/ipc-contract';
import type { MessengerEvent } from '../../src-shared/messenger-types';
import { createAppService } from '../../src-main/shell/app-service';
import { startBrowserMode } from '../../src-main/shell/browser-main';
import { startTestServer } from '../../e2e/msn-server';
import { afterPaintScript, launchChromium, median, rendererDir } from './renderer-bench';

export interface ConversationBenchResult {
  stored: number;
  seeding: { ms: number; perSecond: number };
  socketToPaintMs: number[];
  scroll: { frames: number[]; longTasks: number[]; ms: number; reachedFirst: boolean };
  /** Main's handler, for every page the flow asked for. */
  pageFetchMs: number[];
  /** The same pages as the page saw them while scrolling: request frame → answer frame. */
  roundTripMs: number[];
  /** The limit the flow asks its pages with. */
  pageSize?: number;
}

const FIRST = 'the very first message';
const WORDS = ['hello', 'see', 'you', 'tomorrow', 'olá', 'tudo', 'bem', 'mañana', 'café', 'привет', '你好', 'こんにちは', '😀', ':)', 'meeting', 'lunch', 'great', 'idea'];
/** Message `i`'s text: 1–60 words, the same every run. */
const line = (i: number) => (i === 0 ? FIRST : Array.from({ length: 1 + ((i * 7919) % 60) }, (_, w) => WORDS[(i + w * 31) % WORDS.length]).join(' '));

/**
 * The earlier run: alice and bob chat `count` lines (bob two in three), as fast as the switchboard takes them, at
 * most `window` unconfirmed at a time; done when alice has every one (received, or delivered). Returns the time.
 */
async function chatHistory(settings: ConnectionSettings, aliceDir: string, bobDir: string, count: number): Promise<number> {
  const [a, b] = [aliceDir, bobDir].map((dataDir) => createAppService({ settings, dataDir }));
  try {
    const [{ accountId: alice }, { accountId: bob }] = await Promise.all([a.signIn({ email: 'alice@example.com', password: 'alicepass' }), b.signIn({ email: 'bob@example.com', password: 'bobpass' })]);
    let settled = 0;
    const waiters: { at: number; resolve: () => void }[] = [];
    const sub = a.onEvent((e: MessengerEvent) => {
      if (e.accountId !== alice) return;
      const arrived = (e.type === 'message' && e.message.direction === 'in') || (e.type === 'message-state' && e.state === 'delivered');
      if (!arrived) return;
      settled++;
      for (const w of waiters.splice(0)) (settled >= w.at ? w.resolve : () => waiters.push(w))();
    });
    const reached = (at: number) => (settled >= at ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ at, resolve })));
    const [fromAlice, fromBob] = await Promise.all([
      a.calls['conversations:open']({ accountId: alice, email: 'bob@example.com' }),
      b.calls['conversations:open']({ accountId: bob, email: 'alice@example.com' }),
    ]);
    const started = performance.now();
    const WINDOW = 400;
    for (let i = 0; i < count; i++) {
      // The first is the oldest stored: the others wait for it (the two switchboards would race it otherwise).
      if (i === 1) await reached(1);
      if (i >= WINDOW) await reached(i - WINDOW);
      if (i % 3 === 2) await a.calls['conversations:send-text']({ accountId: alice, conversationId: fromAlice.conversationId, text: line(i) });
      else await b.calls['conversations:send-text']({ accountId: bob, conversationId: fromBob.conversationId, text: line(i) });
    }
    await reached(count);
    const ms = performance.now() - started;
    sub.dispose();
    await a.flush();
    return ms;
  } finally {
    a.dispose();
    b.dispose();
  }
}

type PageRequest = Omit<CallRequest<'history:page'>, 'accountId'>;

/**
 * Every `history:page` call the page makes (CDP's view of its WebSocket frames): what it asked, and the round trip
 * from the request frame to the answer frame as the page's main thread handled them (so it includes the time an
 * answer waits behind the frames being drawn).
 */
async function timePageFetches(page: Page): Promise<{ reset(): void; times(): number[]; requests(): PageRequest[] }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const asked = new Map<number, number>();
  let times: number[] = [];
  let requests: PageRequest[] = [];
  cdp.on('Network.webSocketFrameSent', ({ timestamp, response }) => {
    if (!response.payloadData.includes('"channel":"history:page"')) return;
    const frame = JSON.parse(response.payloadData) as { id: number; payload: PageRequest & { accountId: string } };
    asked.set(frame.id, timestamp);
    const { conversationId, anchor, limit } = frame.payload;
    requests.push({ conversationId, anchor, ...(limit === undefined ? {} : { limit }) });
  });
  cdp.on('Network.webSocketFrameReceived', ({ timestamp, response }) => {
    const id = /^\{"t":"result","id":(\d+)/.exec(response.payloadData.slice(0, 40))?.[1];
    const at = id === undefined ? undefined : asked.get(Number(id));
    if (at === undefined) return;
    asked.delete(Number(id));
    times.push((timestamp - at) * 1000);
  });
  return {
    reset: () => {
      times = [];
      requests = [];
    },
    times: () => times,
    requests: () => requests,
  };
}

/** Signs alice in on a fresh page of `browser` and opens her conversation with bob. */
async function openConversation(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.addInitScript(afterPaintScript);
  await page.goto(url);
  await page.getByLabel('E-mail address').fill('alice@example.com');
  await page.getByLabel('Password').fill('alicepass');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('treeitem', { name: /^Bob, / }).dblclick();
  await page.getByRole('list', { name: 'Messages' }).waitFor();
  return page;
}

/** A switchboard MSG from bob, as the server relays it. */
function msg(text: string): Buffer {
  const payload = Buffer.from(`MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Segoe%20UI; EF=; CO=0; CS=0; PF=22\r\n\r\n${text}`, 'utf8');
  return Buffer.concat([Buffer.from(`MSG bob@example.com Bob ${payload.length}\r\n`, 'latin1'), payload]);
}

/** Scrolls the flow up a step a frame until the first stored message is drawn at the top; frame times and long tasks. */
function scrollToFirst(page: Page, first: string, step: number, timeoutMs: number) {
  return page.evaluate(
    ({ first, step, timeoutMs }) =>
      new Promise<{ frames: number[]; longTasks: number[]; ms: number; reachedFirst: boolean }>((resolve) => {
        const scroller = document.querySelector('.flow-scroll') as HTMLElement;
        const frames: number[] = [];
        const longTasks: number[] = [];
        const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
        observer.observe({ type: 'longtask' });
        const start = performance.now();
        let last = start;
        const found = () => [...scroller.querySelectorAll('.message-text')].some((p) => p.textContent === first);
        const finish = (reachedFirst: boolean) => {
          observer.disconnect();
          resolve({ frames, longTasks, ms: performance.now() - start, reachedFirst });
        };
        const frame = (now: number) => {
          frames.push(now - last);
          last = now;
          if (scroller.scrollTop <= 0 && found()) return finish(true);
          if (now - start > timeoutMs) return finish(false);
          scroller.scrollTop -= step;
          requestAnimationFrame(frame);
        };
        requestAnimationFrame((now) => {
          last = now;
          requestAnimationFrame(frame);
        });
      }),
    { first, step, timeoutMs },
  );
}

export async function runConversationBench(quick: boolean): Promise<ConversationBenchResult> {
  const stored = quick ? 5_000 : 50_000;
  const server = await startTestServer();
  const settings = { ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl };
  const aliceDir = mkdtempSync(join(tmpdir(), 'bf-bench-chat-alice-'));
  const bobDir = mkdtempSync(join(tmpdir(), 'bf-bench-chat-bob-'));
  let browser: Browser | undefined;
  let bridge: Awaited<ReturnType<typeof startBrowserMode>> | undefined;
  const bob = createAppService({ settings, dataDir: bobDir });
  try {
    const seedMs = await chatHistory(settings, aliceDir, bobDir, stored);
    // (a) MSG on the socket → painted, in Chromium as it draws for a screen (frames at its refresh rate).
    const app = () => startBrowserMode({ rendererDir, settings, dataDir: aliceDir, log: () => undefined });
    bridge = await app();
    await bob.signIn({ email: 'bob@example.com', password: 'bobpass' });
    browser = await launchChromium();
    let page = await openConversation(browser, bridge.url);
    const input = page.getByRole('textbox', { name: 'Type a message' });
    await input.fill('warm-up');
    await input.press('Enter');
    await page.getByLabel('Delivered').last().waitFor();
    const socketToPaintMs: number[] = [];
    for (let i = 0; i < (quick ? 5 : 20); i++) {
      const text = `ping ${i} from the socket`;
      await page.evaluate((text) => {
        const w = window as unknown as { afterPaint(done: () => void): void; __painted: Promise<number> };
        w.__painted = new Promise<number>((resolve) => {
          const flow = document.querySelector('.flow') as Element;
          const observer = new MutationObserver(() => {
            if (![...flow.querySelectorAll('.message-text')].some((p) => p.textContent === text)) return;
            observer.disconnect();
            w.afterPaint(() => resolve(performance.timeOrigin + performance.now()));
          });
          observer.observe(flow, { subtree: true, childList: true, characterData: true });
        });
      }, text);
      const sentAt = performance.timeOrigin + performance.now();
      if (server.faults.sendRawSb('alice@example.com', msg(text)) === 0) throw new Error('alice has no switchboard to write to');
      socketToPaintMs.push((await page.evaluate(() => (window as unknown as { __painted: Promise<number> }).__painted)) - sentAt);
      await page.waitForTimeout(100);
    }
    await browser.close();
    await bridge.close();

    // (b) and (c): the app started again, in a Chromium that draws each frame as soon as the one before is done (no
    // refresh-rate cap), so that a frame's time is what it cost; newest → the first stored message.
    bridge = await app();
    browser = await launchChromium(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
    page = await openConversation(browser, bridge.url);
    const fetches = await timePageFetches(page);
    await page.waitForTimeout(500);
    fetches.reset();
    const scroll = await scrollToFirst(page, FIRST, 600, quick ? 60_000 : 240_000);
    const roundTripMs = fetches.times();
    const asked = fetches.requests();
    await browser.close();
    await bridge.close();
    bridge = undefined;

    // (c) Every page the flow asked for, asked again of main's handler (the app's service on the same history),
    // without Chromium beside it.
    const service = createAppService({ settings, dataDir: aliceDir });
    try {
      const { accountId } = await service.signIn({ email: 'alice@example.com', password: 'alicepass' });
      // What signing in sets going (the list's sync and cache, the history's recall) done, as when a person scrolls.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const pageFetchMs: number[] = [];
      for (const request of asked) {
        const started = performance.now();
        await service.calls['history:page']({ ...request, accountId });
        pageFetchMs.push(performance.now() - started);
      }
      return { stored, seeding: { ms: seedMs, perSecond: stored / (seedMs / 1000) }, socketToPaintMs, scroll, pageFetchMs, roundTripMs, pageSize: asked[0]?.limit };
    } finally {
      service.dispose();
    }
  } finally {
    await browser?.close();
    bob.dispose();
    await bridge?.close();
    await server.stop();
    rmSync(aliceDir, { recursive: true, force: true });
    rmSync(bobDir, { recursive: true, force: true });
  }
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

/** Prints the figures and the targets; answers how many targets were missed. */
export async function conversationBench(quick: boolean): Promise<number> {
  const r = await runConversationBench(quick);
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const frameP95 = quantile(r.scroll.frames, 0.95);
  const fetchMax = Math.max(...r.pageFetchMs);
  console.log('');
  console.log(`renderer, a conversation with ${n(r.stored)} stored messages (SQLite), 900×700, Chromium`);
  console.log(`  history chatted beforehand through the test server: ${n(r.seeding.ms)} ms, ${n(r.seeding.perSecond)} messages/s`);
  console.log(`  MSG on the socket → painted       median ${ms(median(r.socketToPaintMs))}, max ${ms(Math.max(...r.socketToPaintMs))} (${r.socketToPaintMs.length} runs)`);
  console.log(
    `  newest → first message scrolled   ${r.scroll.reachedFirst ? 'reached' : 'NOT reached'} in ${n(r.scroll.ms)} ms, ${r.scroll.frames.length} frames: ` +
      `p50 ${ms(quantile(r.scroll.frames, 0.5))}, p95 ${ms(frameP95)}, max ${ms(Math.max(...r.scroll.frames))}; ${r.scroll.longTasks.length} tasks over 50 ms`,
  );
  const spread = (v: number[]) => `p50 ${ms(quantile(v, 0.5))}, p95 ${ms(quantile(v, 0.95))}, max ${ms(Math.max(...v))}`;
  const over = r.pageFetchMs.filter((t) => t > 10).length;
  console.log(`  history:page, ${r.pageFetchMs.length} pages of ${r.pageSize ?? 'default'}: main's handler ${spread(r.pageFetchMs)}; ${over} over 10 ms`);
  console.log(`    as the scrolling page waited for them (WebSocket frame to frame): ${spread(r.roundTripMs)}`);
  const targets: [string, boolean, string][] = [
    ['renderer: MSG on the socket → painted', median(r.socketToPaintMs) <= 50, `${ms(median(r.socketToPaintMs))} (target ≤ 50 ms)`],
    [`renderer: scrolling ${n(r.stored)} messages, p95 frame`, r.scroll.reachedFirst && frameP95 <= 16, `${ms(frameP95)} (target ≤ 16 ms)`],
    ['renderer: every history page fetch', fetchMax <= 10, `max ${ms(fetchMax)} (target ≤ 10 ms)`],
  ];
  let missed = 0;
  for (const [name, ok, detail] of targets) {
    if (!ok) missed++;
    console.log(`${ok ? 'met   ' : 'MISSED'} ${name.padEnd(44)} ${detail}`);
  }
  return missed;
}
