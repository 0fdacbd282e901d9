// Exports: collectFrames — runs a frame parser over chunks and returns plain snapshots of the frames plus the
// error (if any), so tests can compare runs with different chunkings. Test support only; pure.
import { createFrameParser, type FrameParserOptions } from '../framing';
import { ProtocolError } from '../protocol-error';

export interface FrameSnapshot {
  line: string;
  command: string;
  raw: string;
  payload?: string;
  offset: number;
}

export interface ParseRun {
  frames: FrameSnapshot[];
  error?: { code: string; command?: string; offset?: number };
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export function collectFrames(chunks: Iterable<Uint8Array>, options?: FrameParserOptions, end = true): ParseRun {
  const frames: FrameSnapshot[] = [];
  const parser = createFrameParser((f) => {
    const snap: FrameSnapshot = { line: f.line, command: f.command, raw: hex(f.rawLine), offset: f.offset };
    if (f.payload !== undefined) snap.payload = hex(f.payload);
    frames.push(snap);
  }, options);
  try {
    for (const chunk of chunks) parser.push(chunk);
    if (end) parser.end();
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return { frames, error: { code: error.code, command: error.command, offset: error.offset } };
  }
  return { frames };
}

/** Splits bytes at the given sorted cut points. */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const cut of cuts) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  out.push(bytes.subarray(from));
  return out;
}
