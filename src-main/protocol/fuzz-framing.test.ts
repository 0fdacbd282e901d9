// Fuzz: 1,000,000 small random and capture-mutated inputs, each fed to a fresh frame parser in random chunks, every
// frame then lifted by parseCommand. Nothing may escape but ProtocolError; every delivered frame is consistent with
// the input; nothing exceeds the limits; and the whole run is bounded in time and heap.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommand } from './command';
import { createFrameParser, type Frame } from './framing';
import { ProtocolError } from './protocol-error';
import { corpusFromTranscripts } from './testing/corpus';
import { createFuzzInputs } from './testing/fuzz-inputs';

const dir = join(import.meta.dirname, 'testing', 'captures');
const corpus = corpusFromTranscripts(readdirSync(dir).filter((f) => f.endsWith('.txt') && !f.startsWith('00-')).map((f) => readFileSync(join(dir, f), 'utf8')));

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const PER_SEED = 125_000;
const LIMITS = { maxLineBytes: 48, maxPayloadBytes: 96 };

// Plain checks, not expect(): a million expect() calls would cost more than the fuzzing itself.
function fail(seed: number, n: number, what: string): never {
  throw new Error(`fuzz seed ${seed}, input #${n}: ${what}`);
}

interface SeedResult {
  errors: number;
  delivered: number;
}

function fuzzSeed(seed: number): SeedResult {
  const inputs = createFuzzInputs(seed, corpus);
  let frames: Frame[] = [];
  let errors = 0;
  let delivered = 0;
  for (let n = 0; n < PER_SEED; n++) {
    const input = inputs.next(96);
    frames = [];
    const parser = createFrameParser((f) => frames.push(f), LIMITS);
    if (n % 3 === 0) parser.setPayloadCommands(['MSG', 'QRY', 'UUX', 'ADL']);
    let at = 0;
    try {
      while (at < input.length) {
        const size = 1 + inputs.int(input.length - at);
        parser.push(input.subarray(at, at + size));
        at += size;
      }
      parser.end();
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      errors++;
      if (!(error.offset !== undefined && error.offset >= 0 && error.offset <= input.length)) fail(seed, n, `offset ${error.offset}`);
      // After a fatal error the parser refuses everything, with the same error.
      let again: unknown;
      try {
        parser.push(Uint8Array.of(0x0a));
      } catch (e) {
        again = e;
      }
      if (again !== error) fail(seed, n, 'input accepted after a fatal error');
    }
    let bytes = 0;
    for (const f of frames) {
      // Every frame came from the input: its line fits the limit, its payload the limit, and they add up.
      if (f.rawLine.length > LIMITS.maxLineBytes) fail(seed, n, 'line over the limit');
      if (f.payload && f.payload.length > LIMITS.maxPayloadBytes) fail(seed, n, 'payload over the limit');
      bytes += f.rawLine.length + 1 + (f.payload?.length ?? 0);
      parseCommand(f, { listLinesCarryTrid: n % 2 === 1 });
      f.lineWithFallback();
      if (f.fields[0] !== f.command) fail(seed, n, 'command is not the first field');
    }
    if (bytes > input.length) fail(seed, n, 'frames hold more bytes than the input');
    delivered += frames.length;
  }
  return { errors, delivered };
}

describe('frame parser fuzz', () => {
  it('has a corpus from every capture', () => {
    expect(corpus.length).toBeGreaterThan(30);
  });

  for (const seed of SEEDS) {
    it(`seed ${seed}: ${PER_SEED.toLocaleString('en-US')} inputs, only ProtocolError escapes`, () => {
      const heapBefore = process.memoryUsage().heapUsed;
      const started = Date.now();
      // Stack traces are not under test, and capturing one per ProtocolError would dominate the run.
      const stackTraceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      let result: SeedResult;
      try {
        result = fuzzSeed(seed);
      } finally {
        Error.stackTraceLimit = stackTraceLimit;
      }
      // No hang: the seed finishes in bounded time even on a slow, shared CI machine.
      expect(Date.now() - started).toBeLessThan(30_000);
      // Memory bounded: a run over 125,000 inputs keeps nothing alive.
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
      // The inputs reach both the error paths and the frame paths.
      expect(result.errors).toBeGreaterThan(PER_SEED / 20);
      expect(result.errors).toBeLessThan(PER_SEED * 0.9);
      expect(result.delivered).toBeGreaterThan(PER_SEED / 2);
    });
  }
});
