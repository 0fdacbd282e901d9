// Exports: generateMsnp8Stream — a realistic server→client MSNP8 byte stream for the benchmark: about 60% presence
// lines (NLN/ILN/FLN/CHG with URL-encoded UTF-8 nicknames), 30% MSG of 50–1500 bytes with a few of 10–60 KB, and the
// rest other commands (QNG, LST, CHL, RNG, errors, NOT, UBX). Deterministic for a given seed. Nicknames are
// percent-encoded UTF-8 (pure ASCII lines) by default, or Escargot-style (only spaces escaped, raw UTF-8 bytes).
import { encodeName } from '../src-shared/url-codec';
import { createRandom, type Random } from './random';

const enc = new TextEncoder();

const NICK_PARTS = ['Alice', 'Bob', 'Zoë', 'Ünïcødé', '✿', '☃', 'Ωμέγα', 'Привет', '你好', 'こんにちは', '😀', '100%', '~*~', 'Dave', 'Kim Lê'];
const STATUSES = ['NLN', 'AWY', 'BSY', 'IDL', 'BRB', 'PHN', 'LUN'];
const TEXT_WORDS = ['hello', 'ça', 'va', 'très', 'bien', 'how', 'are', 'you', '☃', '你好', 'lol', 'brb', '😀', 'ok', 'the', 'message', 'Привет'];

export type NicknameStyle = 'percent-encoded' | 'escargot-raw-utf8';
let nicknameStyle: NicknameStyle = 'percent-encoded';

function nickname(r: Random): string {
  const n = r.int(1, 4);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(r.pick(NICK_PARTS));
  const nick = parts.join(' ');
  return nicknameStyle === 'percent-encoded' ? encodeName(nick) : nick.replace(/ /g, '%20');
}

const email = (r: Random): string => `user${r.int(1, 5000)}@example.com`;

function presence(r: Random): string {
  const x = r.next();
  if (x < 0.55) return `NLN ${r.pick(STATUSES)} ${email(r)} ${nickname(r)} ${r.int(0, 0x7fffffff)}\r\n`;
  if (x < 0.8) return `ILN ${r.int(1, 20)} ${r.pick(STATUSES)} ${email(r)} ${nickname(r)} ${r.int(0, 0x7fffffff)}\r\n`;
  if (x < 0.95) return `FLN ${email(r)}\r\n`;
  return `CHG ${r.int(1, 999)} ${r.pick(STATUSES)} ${r.int(0, 0x7fffffff)}\r\n`;
}

const WORD_BYTES = new Map(TEXT_WORDS.map((w) => [w, enc.encode(w).length]));

/** Random words of at most `bytes` UTF-8 bytes (and within a word's length of it). */
function words(r: Random, bytes: number): string {
  const out: string[] = [];
  let length = -1;
  for (;;) {
    const word = r.pick(TEXT_WORDS);
    const next = length + 1 + (WORD_BYTES.get(word) as number);
    if (next > bytes) break;
    out.push(word);
    length = next;
  }
  return out.join(' ');
}

function message(r: Random, large: boolean, size?: number): Uint8Array {
  const head = `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nX-MMS-IM-Format: FN=Segoe%20UI; EF=B; CO=ff0000; CS=0; PF=22\r\n\r\n`;
  const target = size ?? (large ? r.int(10_000, 60_000) : r.int(50, 1500));
  const body = enc.encode(head + words(r, Math.max(0, target - head.length)));
  const line = enc.encode(`MSG ${email(r)} ${nickname(r)} ${body.length}\r\n`);
  const out = new Uint8Array(line.length + body.length);
  out.set(line);
  out.set(body, line.length);
  return out;
}

function other(r: Random): string {
  switch (r.int(0, 7)) {
    case 0:
      return 'QNG 60\r\n';
    case 1:
      return `LST ${email(r)} ${nickname(r)} 11 0\r\n`;
    case 2:
      return `CHL 0 ${r.int(1e9, 2e9)}${r.int(1e9, 2e9)}\r\n`;
    case 3:
      return `RNG ${r.int(1e6, 9e6)} 127.0.0.1:1864 CKI ${r.int(1e9, 9e9)}.${r.int(1e6, 9e6)} ${email(r)} ${nickname(r)}\r\n`;
    case 4:
      return `217 ${r.int(1, 999)}\r\n`;
    case 5: {
      const xml = `<NOTIFICATION id="${r.int(1, 99)}"><TEXT>${words(r, r.int(20, 300))}</TEXT></NOTIFICATION>`;
      return `NOT ${enc.encode(xml).length}\r\n${xml}`;
    }
    case 6: {
      const xml = `<Data><PSM>${words(r, r.int(0, 100))}</PSM><CurrentMedia></CurrentMedia></Data>`;
      return `UBX ${email(r)} ${enc.encode(xml).length}\r\n${xml}`;
    }
    default:
      return `XFR ${r.int(1, 999)} SB 127.0.0.1:1864 CKI ${r.int(1e9, 9e9)}.${r.int(1e6, 9e6)}\r\n`;
  }
}

export interface GeneratedStream {
  bytes: Uint8Array;
  frames: number;
  largeMessages: number;
  /** The longest frame (line + payload) in bytes. */
  largestFrame: number;
}

/**
 * About `targetBytes` of stream (at least `minLarge` messages of 10–60 KB among the MSGs). With `hugePayload`, one
 * MSG of about that many bytes sits in the middle (for the memory benchmark).
 */
export function generateMsnp8Stream(targetBytes: number, seed = 1, minLarge = 2, style: NicknameStyle = 'percent-encoded', hugePayload = 0): GeneratedStream {
  const r = createRandom(seed);
  nicknameStyle = style;
  const parts: Uint8Array[] = [];
  let total = 0;
  let frames = 0;
  let largeMessages = 0;
  let largestFrame = 0;
  let hugeSent = hugePayload === 0;
  while (total < targetBytes || largeMessages < minLarge || !hugeSent) {
    const x = r.next();
    let part: Uint8Array;
    if (!hugeSent && total >= targetBytes / 2) {
      part = message(r, true, hugePayload);
      hugeSent = true;
    } else if (x < 0.6) part = enc.encode(presence(r));
    else if (x < 0.9) {
      // A few large ones: about 1 in 400 messages, and the first ones early enough to be in short streams.
      const large = r.next() < 1 / 400 || (largeMessages < minLarge && total > (targetBytes * (largeMessages + 1)) / (minLarge + 1));
      if (large) largeMessages++;
      part = message(r, large);
    } else part = enc.encode(other(r));
    parts.push(part);
    total += part.length;
    largestFrame = Math.max(largestFrame, part.length);
    frames++;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes, frames, largeMessages, largestFrame };
}

/** Cuts a stream into chunks whose sizes come from `size(r)`. Views, no copies. */
export function chunkStream(bytes: Uint8Array, seed: number, size: (r: Random) => number): Uint8Array[] {
  const r = createRandom(seed);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = Math.max(1, size(r));
    chunks.push(bytes.subarray(at, Math.min(bytes.length, at + n)));
    at += n;
  }
  return chunks;
}

/** Socket-read sizes: log-uniform between 64 B and 64 KiB, like a busy TCP connection's reads. */
export const realisticChunkSize = (r: Random): number => Math.round(Math.exp(Math.log(64) + r.next() * (Math.log(65536) - Math.log(64))));
export const tinyChunkSize = (r: Random): number => r.int(1, 3);
