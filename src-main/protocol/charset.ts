// Exports: decodeBody (message body bytes + its Content-Type → text, by the MSNP charset rules), parseContentType,
// encodeUtf8Body, OUTGOING_TEXT_CONTENT_TYPE, DecodedText.
// Rules (encodings.md): charset=UTF-8 in any case or quoting → UTF-8; no charset → ISO-8859-1; any other charset
// iconv-lite knows (KOI8-R, windows-1251, Shift_JIS, GB2312, …) → decoded with it; an unknown one → ISO-8859-1 and
// flagged, so the UI can mark the message. Bytes a charset cannot decode show as U+FFFD and are flagged, never
// dropped. We always send UTF-8 and say so.
import iconv from 'iconv-lite';

export const OUTGOING_TEXT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

export interface DecodedText {
  text: string;
  /** The charset actually used: 'UTF-8', 'ISO-8859-1', or the declared label iconv-lite decoded with. */
  charset: string;
  /** The charset parameter as the sender wrote it (quotes removed); undefined when there was none. */
  declaredCharset: string | undefined;
  /** The declared charset is unknown: the text was read as ISO-8859-1 and may be wrong. */
  unknownCharset: boolean;
  /** Some bytes could not be decoded in the charset; each such spot shows as U+FFFD. */
  malformed: boolean;
}

export interface ContentType {
  /** Lower-cased `type/subtype`, '' when absent. */
  mediaType: string;
  /** Parameters with lower-cased names and unquoted values. */
  params: Map<string, string>;
}

/** `text/plain; charset="UTF-8"` → { mediaType: 'text/plain', params: charset → UTF-8 }. Never throws. */
export function parseContentType(value: string | undefined): ContentType {
  const params = new Map<string, string>();
  if (value === undefined) return { mediaType: '', params };
  const parts = value.split(';');
  for (const part of parts.slice(1)) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    let v = part.slice(eq + 1).trim();
    if (v.length >= 2 && ((v[0] === '"' && v[v.length - 1] === '"') || (v[0] === "'" && v[v.length - 1] === "'"))) v = v.slice(1, -1);
    if (name !== '' && !params.has(name)) params.set(name, v);
  }
  return { mediaType: parts[0].trim().toLowerCase(), params };
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Strict = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}

function decodeUtf8(bytes: Uint8Array): { text: string; malformed: boolean } {
  try {
    return { text: utf8Strict.decode(bytes), malformed: false };
  } catch {
    return { text: utf8.decode(bytes), malformed: true };
  }
}

// iconv-lite also "decodes" these, but they are transfer encodings, not character sets: a body labelled with one is
// treated as an unknown charset.
const NOT_CHARSETS = /^(base64|hex)$/i;
const isUtf8Label = (label: string): boolean => /^(utf-?8|unicode-1-1-utf-8)$/i.test(label);
const isLatin1Label = (label: string): boolean => /^(iso[-_]?8859-1|iso_8859-1:1987|latin-?1|l1|us-ascii|ascii)$/i.test(label);

/** Decodes a message body by the charset parameter of its Content-Type. Never throws. */
export function decodeBody(body: Uint8Array, contentType: string | undefined): DecodedText {
  const declared = parseContentType(contentType).params.get('charset');
  const label = declared?.trim();
  if (label === undefined || label === '') {
    return { text: latin1(body), charset: 'ISO-8859-1', declaredCharset: declared, unknownCharset: false, malformed: false };
  }
  if (isUtf8Label(label)) return { ...decodeUtf8(body), charset: 'UTF-8', declaredCharset: declared, unknownCharset: false };
  if (isLatin1Label(label)) return { text: latin1(body), charset: 'ISO-8859-1', declaredCharset: declared, unknownCharset: false, malformed: false };
  if (!NOT_CHARSETS.test(label) && iconv.encodingExists(label)) {
    try {
      const text = iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), label);
      return { text, charset: label, declaredCharset: declared, unknownCharset: false, malformed: text.includes('\uFFFD') };
    } catch {
      // A codec that fails on these bytes is treated like an unknown charset below.
    }
  }
  return { text: latin1(body), charset: 'ISO-8859-1', declaredCharset: declared, unknownCharset: true, malformed: false };
}

const encoder = new TextEncoder();

/** Text as the UTF-8 bytes we always send (with OUTGOING_TEXT_CONTENT_TYPE). */
export function encodeUtf8Body(text: string): Uint8Array {
  return encoder.encode(text);
}
