// How this server writes and reads free-text command parameters (nicknames, group names, phone numbers).
// Output mirrors Escargot's asymmetric quirk (captures 04/06): only spaces become %20, raw UTF-8 and a bare `%`
// go out as they are. Control bytes are escaped too, because a raw CR/LF would break the framing (Escargot never
// stores them; we refuse to send them). Input is decoded byte-wise and leniently, like Escargot's unquote.

const HEX = /^[0-9a-fA-F]{2}$/;

export function encodeParam(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code === 0x20) out += '%20';
    else if (code < 0x20 || code === 0x7f) out += `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** `%XX` → that byte, anything else literal, then the whole byte string as UTF-8 (invalid bytes → U+FFFD). */
export function decodeParam(param: string): string {
  const src = Buffer.from(param, 'utf8');
  const out = Buffer.alloc(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (b === 0x25 && i + 2 < src.length && HEX.test(src.subarray(i + 1, i + 3).toString('latin1'))) {
      out[n++] = parseInt(src.subarray(i + 1, i + 3).toString('latin1'), 16);
      i += 2;
    } else {
      out[n++] = b;
    }
  }
  return out.subarray(0, n).toString('utf8');
}
