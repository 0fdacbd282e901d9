// The benchmark's parts: the generated stream has the mix the issue asks for, and the naive baseline and the real
// parser agree frame for frame on it in every chunking (so the benchmark compares equal work).
import { describe, expect, it } from 'vitest';
import { createFrameParser, SERVER_PAYLOAD_COMMANDS } from '../src-main/protocol/framing';
import { createBareLimit, createNaiveParser } from './baselines';
import { chunkStream, generateMsnp8Stream, realisticChunkSize, tinyChunkSize } from './generate-stream';
import { runListStorm } from './list-storm';

const hex = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('hex'));

function butterflyFrames(chunks: Uint8Array[]): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  const parser = createFrameParser((f) => out.push([f.line, hex(f.payload)]));
  for (const c of chunks) parser.push(c);
  parser.end();
  return out;
}

function naiveFrames(chunks: Uint8Array[]): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  const naive = createNaiveParser(SERVER_PAYLOAD_COMMANDS, (line, payload) => out.push([line, hex(payload)]));
  for (const c of chunks) naive.push(c);
  return out;
}

describe('benchmark stream', () => {
  const stream = generateMsnp8Stream(300_000, 5, 2);

  it('is ~60% presence, ~30% MSG (a few of 10–60 KB), the rest other', () => {
    const frames = butterflyFrames([stream.bytes]);
    expect(frames).toHaveLength(stream.frames);
    const share = (re: RegExp) => frames.filter(([line]) => re.test(line)).length / frames.length;
    expect(share(/^(NLN|ILN|FLN|CHG) /)).toBeGreaterThan(0.55);
    expect(share(/^(NLN|ILN|FLN|CHG) /)).toBeLessThan(0.65);
    expect(share(/^MSG /)).toBeGreaterThan(0.25);
    expect(share(/^MSG /)).toBeLessThan(0.35);
    const sizes = frames.filter(([line]) => line.startsWith('MSG ')).map(([, p]) => (p as string).length / 2);
    expect(sizes.filter((n) => n >= 10_000 && n <= 60_000)).toHaveLength(stream.largeMessages);
    expect(stream.largeMessages).toBeGreaterThanOrEqual(2);
    expect(sizes.filter((n) => n < 10_000).every((n) => n >= 50 && n <= 1500)).toBe(true);
    // Nicknames are URL-encoded UTF-8 by default: pure ASCII lines with %XX escapes of multi-byte characters.
    expect(frames.some(([line]) => /^NLN .*%E2%9C%BF/.test(line))).toBe(true);
  });

  it('the naive baseline and the parser agree frame for frame, in realistic and 1–3-byte chunks', () => {
    const whole = butterflyFrames([stream.bytes]);
    for (const [seed, size] of [[1, realisticChunkSize], [2, tinyChunkSize]] as const) {
      const chunks = chunkStream(stream.bytes, seed, size);
      expect(butterflyFrames(chunks)).toEqual(whole);
      expect(naiveFrames(chunks)).toEqual(whole);
    }
  });

  it('the bare limit sees every line end', () => {
    const bare = createBareLimit(stream.bytes.length);
    for (const c of chunkStream(stream.bytes, 3, realisticChunkSize)) bare.push(c);
    expect(bare.count()).toBe(stream.bytes.filter((b) => b === 0x0a).length);
  });

  it('the Escargot variant carries raw UTF-8 nicknames', () => {
    const raw = generateMsnp8Stream(50_000, 5, 1, 'escargot-raw-utf8');
    expect(butterflyFrames([raw.bytes]).some(([line]) => /^NLN .*[\u0080-\uffff]/.test(line))).toBe(true);
  });
});

describe('list-storm benchmark', () => {
  it('settles a burst with every change applied, and ends a storm refused past the budget', async () => {
    const { burst, storm } = await runListStorm(true);
    expect(burst).toMatchObject({ ending: 'applied', applied: burst.changes });
    expect(burst.snapshots).toBeLessThan(burst.changes / 100);
    expect(storm).toMatchObject({ ending: 'session.garbled-stream' });
    expect(storm.applied).toBeGreaterThanOrEqual(10_000);
    expect(storm.applied).toBeLessThan(storm.changes);
  });
});
