// Exports: createFuzzInputs — a seeded source of small fuzz inputs for the protocol core: random bytes drawn mostly
// from the protocol's own alphabet, and mutations and splices of real capture bytes. Test support only; pure.

/** mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const enc = new TextEncoder();
// Pieces that steer random input into the parser's interesting states: payload commands, lengths, line ends, spaces.
const TOKENS = ['MSG ', 'NOT ', 'UBX ', 'GCF ', 'IPG ', 'NLN ', '911 ', 'QNG ', 'CHL 0 ', ' 0', ' 1', ' 5', ' 12', ' 99', ' -1', ' 1e3', ' 00', '\r\n', '\n', '\r', ' ', '%', '%2', '%20', '%E2%9C%BF', '%zz', 'é', '☃', '😀', '\u0000', 'charset=', '&amp;', '&#x26;', '&#'].map((t) => enc.encode(t));

export interface FuzzInputs {
  /** The next input, at most `maxLength` bytes (splices may be up to twice that). */
  next(maxLength: number): Uint8Array;
  /** A random integer in [0, n). */
  int(n: number): number;
}

export function createFuzzInputs(seed: number, corpus: readonly Uint8Array[]): FuzzInputs {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);

  function randomBytes(max: number): Uint8Array {
    const out: number[] = [];
    const length = int(max + 1);
    while (out.length < length) {
      const r = random();
      if (r < 0.45) out.push(...TOKENS[int(TOKENS.length)]);
      else if (r < 0.75) out.push(0x41 + int(26));
      else if (r < 0.9) out.push(0x30 + int(10));
      else out.push(int(256));
    }
    return Uint8Array.from(out.slice(0, Math.max(length, 0)));
  }

  /** A run of capture bytes; half the time starting at a line start and ending at a line end, as real reads do. */
  function window(max: number): Uint8Array {
    const source = corpus[int(corpus.length)];
    const length = 1 + int(Math.min(max, source.length));
    let start = int(source.length - length + 1);
    let end = start + length;
    if (random() < 0.5) {
      const lineStart = start === 0 ? 0 : source.indexOf(0x0a, start - 1) + 1;
      if (lineStart > 0 && lineStart < source.length) start = lineStart;
      const lineEnd = source.lastIndexOf(0x0a, Math.min(source.length, start + length) - 1);
      end = lineEnd >= start ? lineEnd + 1 : Math.min(source.length, start + length);
    }
    return source.subarray(start, end);
  }

  function mutate(input: Uint8Array): Uint8Array {
    const bytes = Array.from(input);
    const rounds = 1 + int(4);
    for (let i = 0; i < rounds; i++) {
      const at = int(bytes.length + 1);
      switch (int(7)) {
        case 0: // flip a bit
          if (bytes.length > 0) bytes[at % bytes.length] ^= 1 << int(8);
          break;
        case 1: // insert a random byte
          bytes.splice(at, 0, int(256));
          break;
        case 2: // delete a short run
          bytes.splice(at, 1 + int(4));
          break;
        case 3: // insert a token
          bytes.splice(at, 0, ...TOKENS[int(TOKENS.length)]);
          break;
        case 4: // change a digit (lengths!)
          for (let j = 0; j < bytes.length; j++) {
            const k = (at + j) % bytes.length;
            if (bytes[k] >= 0x30 && bytes[k] <= 0x39) {
              bytes[k] = 0x30 + int(10);
              break;
            }
          }
          break;
        case 5: // duplicate a run
          if (bytes.length > 0) {
            const from = int(bytes.length);
            bytes.splice(at, 0, ...bytes.slice(from, from + 1 + int(16)));
          }
          break;
        default: // truncate
          bytes.length = Math.min(bytes.length, at);
      }
    }
    return Uint8Array.from(bytes);
  }

  return {
    int,
    next(maxLength) {
      const r = random();
      if (r < 0.3) return randomBytes(maxLength);
      if (r < 0.55) return window(maxLength);
      if (r < 0.9) return mutate(window(maxLength));
      const a = mutate(window(maxLength));
      const b = window(maxLength);
      const out = new Uint8Array(a.length + b.length);
      out.set(a);
      out.set(b, a.length);
      return out;
    },
  };
}
