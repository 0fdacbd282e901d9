// Every byte in and out of one client connection, kept as frames so a failing test can print the conversation in
// the same lossless notation as ../shared/captures (`C: ` line, `C. ` payload row, `S~ ` bytes left unframed).

export type Direction = 'C' | 'S';

export interface TranscriptEntry {
  dir: Direction;
  /** `line`: a command line with its line end; `payload`: a body; `raw`: bytes outside the framing (faults, leftovers). */
  kind: 'line' | 'payload' | 'raw';
  bytes: Buffer;
  at: number;
}

export interface ConnectionTranscript {
  id: number;
  /** `ns`, `sb` or `http` (Passport and gateway requests are not MSNP connections and are not recorded here). */
  server: 'ns' | 'sb';
  via: 'tcp' | 'gateway';
  remote: string;
  /** Set once the account is known (after USR / ANS). */
  email?: string;
  openedAt: number;
  closedAt?: number;
  entries: TranscriptEntry[];
}

export function escapeBytes(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  // Where the bytes are not valid UTF-8, fall back to escaping byte by byte.
  if (Buffer.from(text, 'utf8').equals(bytes)) return escapeText(text);
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const len = utf8Length(bytes, i);
    if (len === 0) {
      out += `\\x${bytes[i].toString(16).padStart(2, '0')}`;
      i += 1;
    } else {
      out += escapeText(bytes.subarray(i, i + len).toString('utf8'));
      i += len;
    }
  }
  return out;
}

function utf8Length(b: Buffer, i: number): number {
  const c = b[i];
  const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n <= 1 || i + n > b.length) return n === 1 ? 1 : 0;
  const piece = b.subarray(i, i + n);
  return Buffer.from(piece.toString('utf8'), 'utf8').equals(piece) ? n : 0;
}

function escapeText(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\r') out += '\\r';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\\') out += '\\\\';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** Splits a payload after each `\n`, as the capture files do. */
function payloadRows(bytes: Buffer): Buffer[] {
  const rows: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      rows.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) rows.push(bytes.subarray(start));
  return rows;
}

export function formatTranscript(t: ConnectionTranscript): string {
  const head = `# connection ${t.id}: ${t.server} via ${t.via} from ${t.remote}${t.email ? ` (${t.email})` : ''}`;
  const rows = [head];
  for (const e of t.entries) {
    if (e.kind === 'line') rows.push(`${e.dir}: ${escapeBytes(e.bytes)}`);
    else if (e.kind === 'payload') for (const r of payloadRows(e.bytes)) rows.push(`${e.dir}. ${escapeBytes(r)}`);
    else rows.push(`${e.dir}~ ${escapeBytes(e.bytes)}`);
  }
  if (t.closedAt !== undefined) rows.push('# closed');
  return rows.join('\n');
}

export function formatTranscripts(list: readonly ConnectionTranscript[]): string {
  return list.map(formatTranscript).join('\n\n');
}
