// The server's own MSNP framing for bytes coming FROM a client: command lines ending in `\n` (a `\r` before it is
// optional, as Escargot accepts a bare `\n`), and for the payload commands the byte count given as the last field.
// Chunks are queued and only copied when a line or payload is complete; the reader never throws on short input.

export interface InboundFrame {
  /** The command line decoded as UTF-8, without the line end. */
  line: string;
  /** Fields split on runs of spaces (Escargot collapses them). */
  fields: string[];
  /** The exact bytes of the line including its line end, for the transcript. */
  rawLine: Buffer;
  payload?: Buffer;
}

export interface FrameReaderOptions {
  /** Commands from the client that are followed by a payload whose length is the last field. */
  payloadCommands: ReadonlySet<string>;
  maxLineBytes: number;
  maxPayloadBytes: number;
  onFrame(frame: InboundFrame): void;
  /** A fatal framing problem (line too long, bad length): the reader stops accepting input. */
  onFatal(reason: string): void;
}

export const CLIENT_PAYLOAD_COMMANDS: ReadonlySet<string> = new Set(['MSG', 'QRY', 'UUX', 'ADL', 'RML', 'FQY', 'UUN', 'UBN', 'PUT', 'SDG']);

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private scanFrom = 0;
  private pendingLine: { line: string; fields: string[]; rawLine: Buffer; length: number } | undefined;
  private dead = false;

  constructor(private readonly options: FrameReaderOptions) {}

  get failed(): boolean {
    return this.dead;
  }

  /** Bytes received but not yet part of a complete frame. */
  leftover(): Buffer {
    return Buffer.concat(this.chunks, this.buffered);
  }

  push(chunk: Buffer): void {
    if (this.dead || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    // Bounded by the buffered bytes: each iteration consumes a frame or returns.
    while (!this.dead) {
      if (this.pendingLine) {
        if (this.buffered < this.pendingLine.length) return;
        const p = this.pendingLine;
        this.pendingLine = undefined;
        const payload = this.take(p.length);
        this.options.onFrame({ line: p.line, fields: p.fields, rawLine: p.rawLine, payload });
        continue;
      }
      const end = this.findNewline();
      if (end < 0) {
        if (this.buffered > this.options.maxLineBytes) this.fail(`line longer than ${this.options.maxLineBytes} bytes`);
        return;
      }
      const rawLine = this.take(end + 1);
      const text = rawLine.subarray(0, rawLine.length - (rawLine.length >= 2 && rawLine[rawLine.length - 2] === 0x0d ? 2 : 1));
      const line = text.toString('utf8');
      const fields = line.split(' ').filter((f) => f !== '');
      const command = fields[0] ?? '';
      if (this.options.payloadCommands.has(command) && fields.length >= 2) {
        const last = fields[fields.length - 1];
        if (!/^\d+$/.test(last)) {
          this.options.onFrame({ line, fields, rawLine });
          continue;
        }
        const length = Number(last);
        if (length > this.options.maxPayloadBytes) {
          this.fail(`payload length ${length} exceeds ${this.options.maxPayloadBytes}`);
          return;
        }
        this.pendingLine = { line, fields, rawLine, length };
        continue;
      }
      this.options.onFrame({ line, fields, rawLine });
    }
  }

  private fail(reason: string): void {
    this.dead = true;
    this.options.onFatal(reason);
  }

  /** Offset of the next `\n` in the queued bytes, or -1; remembers where scanning stopped. */
  private findNewline(): number {
    let base = 0;
    for (const chunk of this.chunks) {
      if (this.scanFrom < base + chunk.length) {
        const idx = chunk.indexOf(0x0a, Math.max(0, this.scanFrom - base));
        if (idx >= 0) {
          this.scanFrom = 0;
          return base + idx;
        }
      }
      base += chunk.length;
    }
    this.scanFrom = base;
    return -1;
  }

  private take(n: number): Buffer {
    this.buffered -= n;
    this.scanFrom = 0;
    const first = this.chunks[0];
    if (first && first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0];
      const need = n - filled;
      if (c.length <= need) {
        c.copy(out, filled);
        filled += c.length;
        this.chunks.shift();
      } else {
        c.copy(out, filled, 0, need);
        this.chunks[0] = c.subarray(need);
        filled += need;
      }
    }
    return out;
  }
}
