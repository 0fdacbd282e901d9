// Exports: parseMime (a MSG payload → headers + body view), buildMime (headers + body → payload bytes), getHeader
// (case-insensitive lookup), parseHeaderFields (a `Name: value` block, as in profile and mail-notification bodies),
// MimeMessage, MimeHeader.
// Header names are matched case-insensitively but kept as sent; we send the canonical spellings. Never throws on input.
import { ProtocolError } from './protocol-error';

export interface MimeHeader {
  name: string;
  value: string;
}

export interface MimeMessage {
  headers: MimeHeader[];
  /** The bytes after the blank line (a view into the payload; may be binary). */
  body: Uint8Array;
}

const utf8Strict = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

function lenientText(bytes: Uint8Array): string {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    let out = '';
    for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
    return out;
  }
}

/** `Name: value` lines (CRLF or LF; folded lines joined) → headers in order. Lines without ':' are skipped. */
export function parseHeaderFields(text: string): MimeHeader[] {
  const headers: MimeHeader[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && headers.length > 0) {
      headers[headers.length - 1].value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return headers;
}

/** Splits a payload at the first blank line. Without one, the whole payload is headers and the body is empty. */
export function parseMime(payload: Uint8Array): MimeMessage {
  let headerEnd = payload.length;
  let bodyStart = payload.length;
  for (let i = payload.indexOf(0x0a); i !== -1; i = payload.indexOf(0x0a, i + 1)) {
    if (payload[i + 1] === 0x0a) {
      headerEnd = i;
      bodyStart = i + 2;
      break;
    }
    if (payload[i + 1] === 0x0d && payload[i + 2] === 0x0a) {
      headerEnd = i;
      bodyStart = i + 3;
      break;
    }
  }
  // A payload that starts with the blank line has no headers.
  if (payload[0] === 0x0a || (payload[0] === 0x0d && payload[1] === 0x0a)) {
    headerEnd = 0;
    bodyStart = payload[0] === 0x0a ? 1 : 2;
  }
  return { headers: parseHeaderFields(lenientText(payload.subarray(0, headerEnd))), body: payload.subarray(bodyStart) };
}

export function getHeader(message: Pick<MimeMessage, 'headers'>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return message.headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

const encoder = new TextEncoder();

/** `Name: value\r\n`… `\r\n` body. Header names and values may not contain CR or LF (or ':' in a name). */
export function buildMime(headers: readonly MimeHeader[], body: Uint8Array | string = ''): Uint8Array {
  let head = '';
  for (const { name, value } of headers) {
    if (name === '' || /[\r\n:]/.test(name) || /[\r\n]/.test(value)) {
      throw new ProtocolError('protocol.bad-argument', `The message header ${JSON.stringify(name.slice(0, 40))} cannot be sent as given.`);
    }
    head += `${name}: ${value}\r\n`;
  }
  const headBytes = encoder.encode(`${head}\r\n`);
  const bodyBytes = typeof body === 'string' ? encoder.encode(body) : body;
  const out = new Uint8Array(headBytes.length + bodyBytes.length);
  out.set(headBytes, 0);
  out.set(bodyBytes, headBytes.length);
  return out;
}
