// Exports: decodeName (MSNP "URL-encoded" text → string, lenient, never throws) and encodeName (string → the
// URL-encoded form to put in a command line), plus percentDecodeBytes (the byte stage of decodeName).
//
// Servers escape asymmetrically: Escargot turns only spaces into %20 and sends everything else raw, including UTF-8
// and bare '%' (`Alice%20✿%20Ünïcødé%20100%`). So decoding works on bytes: every %XX (two hex digits) becomes that
// byte, every other character its UTF-8 bytes, a '%' without two hex digits stays literal; the bytes are then read as
// UTF-8, or as ISO-8859-1 when they are not valid UTF-8 (old Latin-1 peers) — never an exception, never a lost byte.
// Only ES2022 and TextEncoder/TextDecoder here: this file runs in the renderer too.

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();
const HEX = '0123456789ABCDEF';

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/** The byte stage of decodeName: %XX → that byte, '%' without two hex digits → '%', anything else → its UTF-8. */
export function percentDecodeBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && i + 2 < text.length) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out.push(hi * 16 + lo);
        i += 2;
        continue;
      }
      out.push(c);
    } else if (c < 0x80) {
      out.push(c);
    } else {
      // codePointAt pairs surrogates; a lone surrogate has no UTF-8 form and becomes U+FFFD, as TextEncoder does.
      const cp = text.codePointAt(i) as number;
      if (cp > 0xffff) i++;
      pushUtf8(out, cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
    }
  }
  return Uint8Array.from(out);
}

/** Decodes a URL-encoded name, nickname, group name or phone number. Never throws; never drops a byte. */
export function decodeName(text: string): string {
  // Without a '%' every character stands for itself, and its UTF-8 bytes decode back to the same string.
  if (text.indexOf('%') === -1) return text;
  const bytes = percentDecodeBytes(text);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    let out = '';
    for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
    return out;
  }
}

/**
 * URL-encodes text for a command line: its UTF-8 bytes, with every byte <= 0x20 (controls, space), '%' and every byte
 * >= 0x7F (DEL and all non-ASCII) written as %XX. Escaping non-ASCII too keeps the line plain ASCII, which every
 * server and peer reads the same way; decodeName reverses it exactly.
 */
export function encodeName(text: string): string {
  let plain = true;
  for (let i = 0; i < text.length && plain; i++) {
    const c = text.charCodeAt(i);
    plain = c > 0x20 && c < 0x7f && c !== 0x25;
  }
  if (plain) return text;
  let out = '';
  for (const b of encoder.encode(text)) {
    out += b <= 0x20 || b >= 0x7f || b === 0x25 ? `%${HEX[b >> 4]}${HEX[b & 15]}` : String.fromCharCode(b);
  }
  return out;
}
