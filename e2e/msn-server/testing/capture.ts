// Reads the captures' lossless notation back into bytes: `C: ` / `S: ` lines, `C. ` / `S. ` payload rows,
// `\r \n \t \\ \xNN` escapes, everything else UTF-8. Timeline rows carry a `[file]` prefix.
import { readFileSync } from 'node:fs';

export interface CaptureRow {
  file: string;
  dir: 'C' | 'S';
  kind: 'line' | 'payload' | 'raw';
  /** The row as written (escaped). */
  text: string;
  bytes: Buffer;
}

const ESCAPES: Record<string, number> = { r: 13, n: 10, t: 9, '\\': 92 };

export function unescapeRow(s: string): Buffer {
  const out: Buffer[] = [];
  let plain = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\') {
      plain += s[i];
      continue;
    }
    out.push(Buffer.from(plain, 'utf8'));
    plain = '';
    const e = s[++i];
    if (e === 'x') {
      out.push(Buffer.from([parseInt(s.slice(i + 1, i + 3), 16)]));
      i += 2;
    } else {
      const b = ESCAPES[e];
      if (b === undefined) throw new Error(`bad escape \\${e} in ${s}`);
      out.push(Buffer.from([b]));
    }
  }
  out.push(Buffer.from(plain, 'utf8'));
  return Buffer.concat(out);
}

export function parseCapture(text: string, defaultFile = ''): CaptureRow[] {
  const rows: CaptureRow[] = [];
  for (const raw of text.split('\n')) {
    let line = raw;
    let file = defaultFile;
    const m = /^\[([^\]]+)\] (.*)$/.exec(line);
    if (m) {
      file = m[1];
      line = m[2];
    }
    const head = /^([CS])([:.~]) (.*)$/.exec(line);
    if (!head) continue;
    const kind = head[2] === ':' ? 'line' : head[2] === '.' ? 'payload' : 'raw';
    const body = head[3].replace(/ {3}\(incomplete at close\)$/, '');
    rows.push({ file, dir: head[1] as 'C' | 'S', kind, text: body, bytes: unescapeRow(body) });
  }
  return rows;
}

export function loadCapture(name: string): CaptureRow[] {
  return parseCapture(readFileSync(new URL(`./captures/${name}`, import.meta.url), 'utf8'), name.replace(/\.txt$/, ''));
}
