// Exports: measure — feeds prepared chunks to a fresh sink several times and keeps the fastest run (the least
// disturbed by GC and the other processes sharing the machine), returning seconds and the sink's count.
import type { StreamSink } from './baselines';

export interface Measurement {
  seconds: number;
  count: number;
}

export function measure(makeSink: () => StreamSink, chunks: readonly Uint8Array[], runs: number): Measurement {
  let best = Number.POSITIVE_INFINITY;
  let count = 0;
  for (let run = 0; run < runs; run++) {
    const sink = makeSink();
    const start = process.hrtime.bigint();
    for (let i = 0; i < chunks.length; i++) sink.push(chunks[i]);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    count = sink.count();
    if (seconds < best) best = seconds;
  }
  return { seconds: best, count };
}
