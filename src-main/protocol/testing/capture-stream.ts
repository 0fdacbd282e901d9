// Exports: captureStream — one direction of a capture transcript (testing/captures, copied from ../shared/captures)
// as the exact bytes that crossed the wire, following the unescaping rules of the captures' README; and
// captureConnections, the same per TCP connection for files that hold several. Test support only; pure.

const encoder = new TextEncoder();
const ESCAPES: Record<string, number> = { r: 13, n: 10, t: 9, '\\': 92 };

/** A transcript row's text (prefix removed) → its bytes: `\r \n \t \\ \xNN` escapes, all else UTF-8. */
export function unescapeRow(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') {
      const cp = text.codePointAt(i) as number;
      if (cp > 0xffff) i++;
      out.push(...encoder.encode(String.fromCodePoint(cp)));
      continue;
    }
    const e = text[++i];
    if (e === 'x') {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e !== undefined && e in ESCAPES) {
      out.push(ESCAPES[e]);
    } else {
      throw new Error(`bad escape \\${e} in capture row`);
    }
  }
  return Uint8Array.from(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const rowOf = (line: string, dir: 'C' | 'S'): string | undefined =>
  line.startsWith(`${dir}: `) || line.startsWith(`${dir}. `) || line.startsWith(`${dir}~ `)
    ? line.slice(3).replace(/ {3}\(incomplete at close\)$/, '')
    : undefined;

/** All bytes one side sent in the file, in order. */
export function captureStream(text: string, dir: 'C' | 'S'): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const line of text.split('\n')) {
    const row = rowOf(line, dir);
    if (row !== undefined) parts.push(unescapeRow(row));
  }
  return concat(parts);
}

/** One side's bytes per TCP connection (split at `# new TCP connection` comments). */
export function captureConnections(text: string, dir: 'C' | 'S'): Uint8Array[] {
  const connections: Uint8Array[][] = [[]];
  for (const line of text.split('\n')) {
    if (line.startsWith('# new TCP connection') && connections[connections.length - 1].length > 0) connections.push([]);
    const row = rowOf(line, dir);
    if (row !== undefined) connections[connections.length - 1].push(unescapeRow(row));
  }
  return connections.map(concat).filter((c) => c.length > 0);
}
