// Exports: heapNow, heapAfterGc, usedAfterGc; peakRetained — what a sink keeps alive while it parses: the stream is fed chunk by chunk, and every
// `every` chunks a full GC runs and the heap plus ArrayBuffer memory is read. The peak over the baseline (taken after
// the stream and its chunks exist) is what the parser holds: its carry buffers, a spanning payload, its own state.
// Frames are dropped as they arrive, as a session that has handled them would.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { StreamSink } from './baselines';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The JS heap in use right now (no GC first): for peaks while something runs. */
export function heapNow(): number {
  return process.memoryUsage().heapUsed;
}

/** The JS heap in use after a full GC: what is really held. */
export function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** The JS heap plus ArrayBuffer memory (socket and payload buffers) in use after a full GC. */
export function usedAfterGc(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export function peakRetained(makeSink: () => StreamSink, chunks: readonly Uint8Array[], every: number): number {
  // Warm up first, so code the JIT compiles on the way is not counted as memory the parser holds.
  const warm = makeSink();
  for (let i = 0; i < Math.min(chunks.length, 20_000); i++) warm.push(chunks[i]);
  const baseline = usedAfterGc();
  const sink = makeSink();
  let peak = 0;
  for (let i = 0; i < chunks.length; i++) {
    sink.push(chunks[i]);
    if (i % every === every - 1) peak = Math.max(peak, usedAfterGc() - baseline);
  }
  // Keep the sink reachable until the last sample, so its state is counted.
  return sink.count() >= 0 ? peak : -1;
}
