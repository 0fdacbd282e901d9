// One client connection as the server sees it, whether it arrived over TCP or through the HTTP gateway: frames
// in, frames out, the transcript, and the write-side faults (chunking, delays, reordering, drops, injected bytes).
// Replies a command produces are collected per command and written when the whole input chunk has been handled,
// so several commands that arrived together can be answered in reverse order when the fault asks for it.
import { CLIENT_PAYLOAD_COMMANDS, FrameReader, type InboundFrame } from './frame-reader';
import { malformedBytes, makeRandom, triggerMatches, type FaultOptions } from './faults';
import type { ConnectionTranscript, TranscriptEntry } from './transcript';

/** The byte pipe under a connection: a TCP socket or a gateway session. */
export interface Link {
  readonly via: 'tcp' | 'gateway';
  readonly remote: string;
  write(data: Buffer): void;
  /** Close after what was written (TCP FIN / gateway `Session=close`). */
  end(): void;
  /** Drop at once. */
  destroy(): void;
}

export interface ConnectionHandler {
  onFrame(frame: InboundFrame): void;
  onClose(): void;
}

type Item = { kind: 'line' | 'payload' | 'raw'; bytes: Buffer };
type Op = { type: 'write'; items: Item[]; offset: number; delayed: boolean; partial?: number; bytes?: Buffer } | { type: 'end'; delayed: boolean } | { type: 'destroy'; delayed: boolean };

export interface ConnectionLimits {
  maxLineBytes: number;
  maxPayloadBytes: number;
}

export class ServerConnection {
  readonly transcript: ConnectionTranscript;
  handler: ConnectionHandler | undefined;
  /** Told about exceptions thrown by the handler (the connection is then dropped). */
  onInternalError: ((error: Error, line: string) => void) | undefined;
  private readonly reader: FrameReader;
  private batches: Op[][] | null = null;
  private current: Item[] | null = null;
  private readonly queue: Op[] = [];
  private pumping = false;
  private stopped = false;
  private endAfterReply = false;
  private isClosed = false;
  private readonly counts = new Map<string, number>();
  private readonly random: () => number;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;

  constructor(
    readonly id: number,
    readonly server: 'ns' | 'sb',
    private readonly link: Link,
    private readonly faults: () => FaultOptions,
    limits: ConnectionLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.transcript = { id, server, via: link.via, remote: link.remote, openedAt: now(), entries: [] };
    this.random = makeRandom(faults().seed + id);
    this.reader = new FrameReader({
      payloadCommands: CLIENT_PAYLOAD_COMMANDS,
      maxLineBytes: limits.maxLineBytes,
      maxPayloadBytes: limits.maxPayloadBytes,
      onFrame: (f) => this.onFrame(f),
      // Like Escargot with garbage input: stop listening and drop the connection without a word.
      onFatal: () => this.destroy(),
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get via(): 'tcp' | 'gateway' {
    return this.link.via;
  }

  /** Bytes from the client. */
  receive(chunk: Buffer): void {
    if (this.isClosed || this.stopped) return;
    this.batches = [];
    try {
      this.reader.push(chunk);
    } finally {
      const batches = this.batches;
      this.batches = null;
      if (this.faults().reorderReplies && batches.length > 1) batches.reverse();
      for (const b of batches) for (const op of b) this.enqueue(op);
    }
  }

  /** Send one command line (without CRLF) and optionally a payload whose length the caller put on the line. */
  send(line: string, payload?: Buffer): void {
    const items: Item[] = [{ kind: 'line', bytes: Buffer.from(`${line}\r\n`, 'utf8') }];
    if (payload) items.push({ kind: 'payload', bytes: payload });
    if (this.current) this.current.push(...items);
    else this.enqueue({ type: 'write', items, offset: 0, delayed: false });
  }

  /** Bytes outside the framing (fault injection). */
  sendRaw(bytes: Buffer): void {
    const items: Item[] = [{ kind: 'raw', bytes }];
    if (this.current) this.current.push(...items);
    else this.enqueue({ type: 'write', items, offset: 0, delayed: false });
  }

  /** Close once everything queued has been written. */
  end(): void {
    this.stopped = true;
    // Inside a command, the end goes after that command's replies (see onFrame).
    if (this.current) this.endAfterReply = true;
    else if (this.batches) this.batches.push([{ type: 'end', delayed: false }]);
    else this.enqueue({ type: 'end', delayed: false });
  }

  /** Drop at once, discarding queued writes. */
  destroy(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.link.destroy();
    this.markClosed();
  }

  /** The link reports the connection is gone. */
  markClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.stopped = true;
    this.clearTimer();
    const left = this.reader.leftover();
    if (left.length > 0) this.record({ kind: 'raw', bytes: left }, 'C');
    this.transcript.closedAt = this.now();
    this.handler?.onClose();
  }

  private clearTimer(): void {
    const t = this.timer;
    this.timer = undefined;
    if (!t) return;
    if ('hasRef' in t && 'refresh' in t) clearTimeout(t as NodeJS.Timeout);
    else clearImmediate(t as NodeJS.Immediate);
  }

  private record(item: Item, dir: 'C' | 'S'): void {
    const e: TranscriptEntry = { dir, kind: item.kind, bytes: item.bytes, at: this.now() };
    this.transcript.entries.push(e);
  }

  private onFrame(frame: InboundFrame): void {
    if (this.stopped) return;
    this.record({ kind: 'line', bytes: frame.rawLine }, 'C');
    if (frame.payload) this.record({ kind: 'payload', bytes: frame.payload }, 'C');
    const command = frame.fields[0] ?? '';
    const n = (this.counts.get(command) ?? 0) + 1;
    this.counts.set(command, n);
    const f = this.faults();
    const ops: Op[] = [];
    const drop = triggerMatches(f.dropAt, this.server, command, n) ? (f.dropAt?.phase ?? 'before-reply') : undefined;
    if (drop === 'before-reply') {
      this.stopped = true;
      this.batches?.push([{ type: 'destroy', delayed: false }]);
      return;
    }
    const items: Item[] = [];
    this.current = items;
    try {
      this.handler?.onFrame(frame);
    } catch (error) {
      // A bug in a handler must not take the whole test process down: report it and drop this connection.
      this.onInternalError?.(error as Error, frame.line);
      this.current = null;
      this.stopped = true;
      this.batches?.push([{ type: 'destroy', delayed: false }]);
      return;
    } finally {
      this.current = null;
    }
    if (drop === 'mid-reply') {
      const total = items.reduce((s, i) => s + i.bytes.length, 0);
      ops.push({ type: 'write', items, offset: 0, delayed: false, partial: Math.max(1, Math.floor(total / 2)) });
      ops.push({ type: 'destroy', delayed: false });
      this.stopped = true;
    } else {
      if (items.length > 0) ops.push({ type: 'write', items, offset: 0, delayed: false });
      if (triggerMatches(f.malformed, this.server, command, n) && f.malformed) {
        ops.push({ type: 'write', items: [{ kind: 'raw', bytes: malformedBytes(f.malformed.kind) }], offset: 0, delayed: false });
      }
      if (triggerMatches(f.outSsdAt, this.server, command, n)) {
        ops.push({ type: 'write', items: [{ kind: 'line', bytes: Buffer.from('OUT SSD\r\n') }], offset: 0, delayed: false });
        ops.push({ type: 'end', delayed: false });
        this.stopped = true;
      }
      if (drop === 'after-reply') {
        ops.push({ type: 'destroy', delayed: false });
        this.stopped = true;
      }
    }
    if (this.endAfterReply) {
      this.endAfterReply = false;
      ops.push({ type: 'end', delayed: false });
    }
    this.batches?.push(ops);
  }

  private enqueue(op: Op): void {
    if (this.isClosed) return;
    this.queue.push(op);
    if (!this.pumping) this.pump();
  }

  private faultsHere(): FaultOptions {
    const f = this.faults();
    return f.scope === 'all' || f.scope === this.server ? f : { ...f, chunking: 'none', replyDelayMs: 0 };
  }

  // Writes queued ops in order; synchronous when no write fault is on, so a reply lands in the same gateway
  // response (and the same TCP segment) as on the real server.
  private pump(): void {
    this.pumping = true;
    this.timer = undefined;
    // Bounded: every pass either consumes bytes/an op or returns to wait for a timer.
    while (this.queue.length > 0 && !this.isClosed) {
      const f = this.faultsHere();
      const op = this.queue[0];
      if (f.replyDelayMs > 0 && !op.delayed) {
        op.delayed = true;
        this.timer = setTimeout(() => this.pump(), f.replyDelayMs);
        return;
      }
      if (op.type === 'end') {
        this.queue.shift();
        this.stopped = true;
        this.link.end();
        continue;
      }
      if (op.type === 'destroy') {
        this.queue.shift();
        this.destroy();
        break;
      }
      // Concatenated once per op: chunked writes walk through it piece by piece.
      op.bytes ??= Buffer.concat(op.items.map((i) => i.bytes));
      const bytes = op.bytes;
      const limit = op.partial ?? bytes.length;
      if (op.offset === 0) {
        if (op.partial === undefined) for (const i of op.items) this.record(i, 'S');
        else this.record({ kind: 'raw', bytes: bytes.subarray(0, limit) }, 'S');
      }
      if (f.chunking === 'none') {
        this.link.write(bytes.subarray(op.offset, limit));
        this.queue.shift();
        continue;
      }
      const size = f.chunking === 'byte' ? 1 : 1 + Math.floor(this.random() * 16);
      this.link.write(bytes.subarray(op.offset, Math.min(limit, op.offset + size)));
      op.offset += size;
      if (op.offset >= limit) this.queue.shift();
      if (this.queue.length === 0) break;
      this.timer = f.chunkDelayMs > 0 ? setTimeout(() => this.pump(), f.chunkDelayMs) : setImmediate(() => this.pump());
      return;
    }
    this.pumping = false;
  }
}
