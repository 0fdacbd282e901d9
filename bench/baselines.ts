// Exports: createNaiveParser (the baseline to beat: Buffer.concat every chunk onto the buffer, then split lines and
// payloads off the front, decoding as it goes) and createBareLimit (no parsing at all: one indexOf scan for line ends
// plus one copy of every byte — what any parser must at least do).
import { Buffer } from 'node:buffer';

export interface StreamSink {
  push(chunk: Uint8Array): void;
  /** Frames (or, for the bare limit, line ends) seen so far. */
  count(): number;
}

export function createNaiveParser(payloadCommands: readonly string[], onFrame: (line: string, payload?: Uint8Array) => void): StreamSink {
  const payloads = new Set(payloadCommands);
  let buffer = Buffer.alloc(0);
  let frames = 0;
  return {
    push(chunk) {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const lf = buffer.indexOf(0x0a);
        if (lf === -1) return;
        const line = buffer.toString('utf8', 0, lf > 0 && buffer[lf - 1] === 0x0d ? lf - 1 : lf);
        const fields = line.split(' ');
        if (payloads.has(fields[0])) {
          const length = Number(fields[fields.length - 1]);
          if (buffer.length < lf + 1 + length) return;
          onFrame(line, buffer.subarray(lf + 1, lf + 1 + length));
          buffer = buffer.subarray(lf + 1 + length);
        } else {
          onFrame(line);
          buffer = buffer.subarray(lf + 1);
        }
        frames++;
      }
    },
    count: () => frames,
  };
}

export function createBareLimit(totalBytes: number): StreamSink {
  const copy = new Uint8Array(totalBytes);
  let at = 0;
  let lines = 0;
  return {
    push(chunk) {
      // Buffer's indexOf (memchr) is the fastest scan Node offers, so this is a true lower bound.
      const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (let i = view.indexOf(0x0a); i !== -1; i = view.indexOf(0x0a, i + 1)) lines++;
      copy.set(chunk, at);
      at += chunk.length;
    },
    count: () => lines,
  };
}
