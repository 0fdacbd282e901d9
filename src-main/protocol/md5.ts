// Exports: md5Hex (lower-case hex MD5 of text as UTF-8, or of bytes) and md5Response (the MSNP2–7 `USR MD5 S` answer).
// Uses node:crypto's createHash: a pure computation, no I/O (lint allows it here), and a well-tested MD5 beats a
// hand-written one we would have to maintain. The protocol core only ever runs in the main process, where it exists.
import { createHash } from 'node:crypto';

export function md5Hex(input: string | Uint8Array): string {
  return createHash('md5').update(input).digest('hex');
}

/** The answer to `USR n MD5 S <salt>`: md5(salt + password) in lower-case hex, the salt exactly as received. */
export function md5Response(salt: string, password: string): string {
  return md5Hex(salt + password);
}
