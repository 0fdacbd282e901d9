// What a hostile server sends, as Outputs for startHostileServer: big lists, endless lines, floods paced in time.
// Large outputs are generated a batch at a time, so the server's own memory stays flat however much it sends.
import { lines } from './index';

const BATCH = 1000;

/** `count` MSNP8 LST lines (c0@example.com, c1@…), in batches; `nick(i)` may carry anything, raw bytes included. */
export function* contactLines(count: number, nick: (i: number) => string = (i) => `C${i}`, bits = 11): Iterable<string> {
  for (let from = 0; from < count; from += BATCH) {
    const batch: string[] = [];
    for (let i = from; i < Math.min(count, from + BATCH); i++) batch.push(`LST c${i}@example.com ${nick(i)} ${bits} 0`);
    yield lines(batch);
  }
}

/** A SYN answer announcing `announced` contacts (default: the real count) and one group, then the lines. */
export function* synWith(trid: string, count: number, options: { announced?: number; nick?: (i: number) => string } = {}): Iterable<string> {
  yield lines([`SYN ${trid} 1 ${options.announced ?? count} 1`, 'GTC A', 'BLP AL', 'LSG 0 Friends 0']);
  yield* contactLines(count, options.nick);
}

/** `bytes` bytes of one line that never ends (no LF), 64 KiB at a time. */
export function* endlessLine(bytes: number, start = 'NLN NLN x@example.com '): Iterable<Uint8Array> {
  const piece = Buffer.alloc(64 * 1024, 0x41);
  yield Buffer.from(start);
  for (let sent = 0; sent < bytes; sent += piece.length) yield piece.subarray(0, Math.min(piece.length, bytes - sent));
}

/** `perSecond` lines a second for `ms`, in 10 ms ticks; `line(i)` makes line number i (without CRLF). */
export async function* paced(perSecond: number, ms: number, line: (i: number) => string): AsyncIterable<string> {
  const tick = 10;
  const perTick = Math.max(1, Math.round((perSecond * tick) / 1000));
  const start = Date.now();
  let i = 0;
  for (let t = 0; t < ms; t += tick) {
    const batch: string[] = [];
    for (let k = 0; k < perTick; k++) batch.push(line(i++));
    yield lines(batch);
    const wait = start + t + tick - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

/** `count` unsolicited list changes: `ADD 0 RL` / `REM 0 RL` toggles over `people` people, versions from `from`. */
export function* rlToggles(count: number, people: number, from = 2): Iterable<string> {
  for (let start = 0; start < count; start += BATCH) {
    const batch: string[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const who = `p${i % people}@example.com`;
      batch.push(Math.floor(i / people) % 2 === 0 ? `ADD 0 RL ${from + i} ${who} P${i % people}` : `REM 0 RL ${from + i} ${who}`);
    }
    yield lines(batch);
  }
}
