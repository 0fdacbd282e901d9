// Exports: createFrameParser (bytes in, frames out), Frame, FrameParser, FrameParserOptions, and the default
// payload-command sets SERVER_PAYLOAD_COMMANDS / CLIENT_PAYLOAD_COMMANDS (which commands carry a payload in a
// negotiated version is its dialect's business: src-main/session/dialects, through setPayloadCommands).
//
// MSNP framing: a command line ends with "\r\n"; after a payload command's line, exactly <last field> raw bytes
// follow. The parser works on each pushed chunk in place: lines and payloads that lie inside one chunk are handed out
// as zero-copy views of it; only a line or payload that spans chunks is copied, once, into a buffer sized for it
// (a payload's buffer is allocated as soon as its length is known). That is the "queue chunks, copy only when a read
// spans chunks" rule with the queue collapsed into those two carry buffers: with 1-byte chunks a queue of thousands of
// tiny arrays would cost more than the bytes themselves, and memory stays bounded by the largest frame plus one chunk.
//
// Details: a bare "\n" also ends a line (servers send "\r\n"; accepting both costs nothing). Scanning and line
// decoding use a Buffer view of the chunk (memchr and Node's UTF-8 decoder: several times faster than Uint8Array's
// indexOf and TextDecoder on short lines). Whether a payload follows and its length are read from the bytes. A
// malformed stream throws ProtocolError after all frames before the fault were delivered, and the parser then
// refuses input; an exception thrown by onFrame propagates as it is and also closes the parser.
//
// Per-command limits (`skipPayloadsOver`): a payload over its command's limit is read past without being kept — the
// parser only counts the bytes down, so skipping a huge one costs no memory — and reported to onSkippedPayload in
// stream order, instead of failing the stream. For payloads no one needs whole (UBX, NOT, …), so one oversized frame
// does not cost the connection; a skip announced beyond `maxSkipBytes` is still fatal, or a lying length could make
// the rest of the connection vanish into a payload that never ends.
import { ProtocolError } from './protocol-error';

/** One command as it came off the wire. */
export interface Frame {
  /** The command line without its line end, decoded as UTF-8 (invalid bytes become U+FFFD; see lineWithFallback). */
  readonly line: string;
  /** The first field of the line: a 3-letter mnemonic, or a 3-digit error code. '' for an empty line. */
  readonly command: string;
  /** The raw bytes after the line, present only for payload commands (possibly empty). A view into the pushed chunk
   *  when the payload lay inside one chunk: copy it if you keep it and reuse the chunk's memory. */
  readonly payload?: Uint8Array;
  /** The line's raw bytes without the line end (a view; do not modify). */
  readonly rawLine: Uint8Array;
  /** The line split on single spaces, command first (computed on first use). */
  readonly fields: readonly string[];
  /** Byte offset in the stream where the line starts. */
  readonly offset: number;
  /** The line as UTF-8 when its bytes are valid UTF-8, otherwise as ISO-8859-1: never loses a byte. */
  lineWithFallback(): string;
}

export interface FrameParserOptions {
  /** Longest accepted command line in bytes, line end excluded. Default 32 KiB. */
  maxLineBytes?: number;
  /** Largest accepted payload in bytes. Default 1 MiB. */
  maxPayloadBytes?: number;
  /** Commands followed by a payload. Default: SERVER_PAYLOAD_COMMANDS. */
  payloadCommands?: Iterable<string>;
  /**
   * Per-command payload limits that skip instead of failing: a payload of a listed command longer than its limit
   * (or than maxPayloadBytes) is read past without being kept and reported to onSkippedPayload. Unlisted commands
   * keep the fatal maxPayloadBytes rule.
   */
  skipPayloadsOver?: Readonly<Record<string, number>>;
  /** Longest payload that is ever skipped; an announced length above it is fatal. Default 64 MiB. */
  maxSkipBytes?: number;
  /** Called, in stream order, once a skipped payload has been read past: the frame (without payload) and its length. */
  onSkippedPayload?: (frame: Frame, length: number) => void;
}

export interface FrameParser {
  /** Parses a chunk; delivers every complete frame in it. Throws ProtocolError on malformed input (after delivering
   *  every complete frame before the fault); from then on it refuses input. */
  push(chunk: Uint8Array): void;
  /** Declares the end of the stream; throws ProtocolError 'protocol.truncated' when it ends inside a frame. */
  end(): void;
  /** Replaces the payload-command set, e.g. once VER has settled the version. Applies from the next line on. */
  setPayloadCommands(names: Iterable<string>): void;
}

/** Server→client payload commands of MSNP8–12: the default before VER settles a version. */
export const SERVER_PAYLOAD_COMMANDS: readonly string[] = Object.freeze(['MSG', 'NOT', 'IPG', 'GCF', 'UBX']);
/** Client→server payload commands of MSNP8–12 (QRY's 32-byte answer, UUX from MSNP11): what a server reads. */
export const CLIENT_PAYLOAD_COMMANDS: readonly string[] = Object.freeze(['MSG', 'QRY', 'UUX']);

export const DEFAULT_MAX_LINE_BYTES = 32 * 1024;
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
export const DEFAULT_MAX_SKIP_BYTES = 64 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
/** Below this many bytes a JS loop finds a line end faster than a native indexOf call. */
const SHORT_SCAN = 16;
/** How many leading bytes an error message may quote as the command name. */
const COMMAND_PEEK = 16;

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Strict = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
const encoder = new TextEncoder();

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}

/** What a frame computes only when asked. */
interface FrameExtras {
  command?: string;
  raw?: Uint8Array;
  fields?: string[];
}

class ParsedFrame implements Frame {
  // Fields are declared and assigned in the constructor (not class-field initialisers): one hidden class and plain
  // stores, which V8 makes cheaper than [[Define]] semantics; the lazily computed values share one slot.
  declare readonly line: string;
  declare readonly offset: number;
  declare payload: Uint8Array | undefined;
  /**
   * `source` holds the line's bytes at [start, end) when they stay valid (the caller's chunk, or a private copy);
   * undefined when the line came through the reused carry buffer and was valid UTF-8, so re-encoding it is exact.
   */
  private declare source: Uint8Array | undefined;
  private declare start: number;
  private declare end: number;
  private declare extras: FrameExtras | undefined;

  constructor(line: string, offset: number, source: Uint8Array | undefined, start: number, end: number) {
    this.line = line;
    this.offset = offset;
    this.payload = undefined;
    this.source = source;
    this.start = start;
    this.end = end;
    this.extras = undefined;
  }

  get command(): string {
    const extras = (this.extras ??= {});
    if (extras.command === undefined) {
      const space = this.line.indexOf(' ');
      extras.command = space === -1 ? this.line : this.line.slice(0, space);
    }
    return extras.command;
  }

  get rawLine(): Uint8Array {
    const extras = (this.extras ??= {});
    if (extras.raw === undefined) {
      const source = this.source;
      extras.raw = source === undefined ? encoder.encode(this.line) : new Uint8Array(source.buffer, source.byteOffset + this.start, this.end - this.start);
      this.source = undefined;
    }
    return extras.raw;
  }

  get fields(): readonly string[] {
    const extras = (this.extras ??= {});
    return (extras.fields ??= this.line.split(' '));
  }

  lineWithFallback(): string {
    if (this.line.indexOf('\uFFFD') === -1) return this.line;
    try {
      return utf8Strict.decode(this.rawLine);
    } catch {
      return latin1(this.rawLine);
    }
  }
}

type Utf8Sliceable = { utf8Slice(start: number, end: number): string };
// Buffer#utf8Slice skips toString's argument handling; it is on every Buffer in Node and Electron, but it is not
// documented, so fall back to toString if a runtime ever lacks it.
const hasUtf8Slice = typeof (Buffer.prototype as unknown as Partial<Utf8Sliceable>).utf8Slice === 'function';
const utf8Slice: (bytes: Buffer, start: number, end: number) => string = hasUtf8Slice
  ? (bytes, start, end) => (bytes as unknown as Utf8Sliceable).utf8Slice(start, end)
  : (bytes, start, end) => bytes.toString('utf8', start, end);

/** A 3-byte command name as a number, for a set lookup without making a string; -1 if the name is not 3 bytes. */
function commandKey(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 3 || (end - start > 3 && bytes[start + 3] !== SPACE)) return -1;
  return (bytes[start] << 16) | (bytes[start + 1] << 8) | bytes[start + 2];
}

/** The commandKey of a name when it is 3 ASCII characters (3 bytes on the wire), else -1. */
function nameKey(name: string): number {
  if (name.length !== 3) return -1;
  const [a, b, c] = [name.charCodeAt(0), name.charCodeAt(1), name.charCodeAt(2)];
  return a < 0x80 && b < 0x80 && c < 0x80 ? (a << 16) | (b << 8) | c : -1;
}

/** No per-command limit: only maxPayloadBytes applies, and going over it is fatal. */
const NO_SKIP = -1;

/**
 * The payload-command set, split into 3-byte names (looked up by number) and any others (looked up by string), each
 * with its skip limit (NO_SKIP when a payload over maxPayloadBytes is fatal).
 */
class PayloadCommandSet {
  // A handful of numbers: a linear scan beats a Set's hashing here.
  private readonly keys: number[] = [];
  private readonly keyLimits: number[] = [];
  private readonly others = new Map<string, number>();

  constructor(names: Iterable<string>, skipOver: Readonly<Record<string, number>>, maxPayloadBytes: number) {
    for (const name of names) {
      const limit = Object.hasOwn(skipOver, name) ? Math.min(skipOver[name], maxPayloadBytes) : NO_SKIP;
      const key = nameKey(name);
      if (key === -1) this.others.set(name, limit);
      else if (!this.keys.includes(key)) {
        this.keys.push(key);
        this.keyLimits.push(limit);
      }
    }
  }

  /** undefined when the line's command takes no payload; else its skip limit (NO_SKIP: none). */
  lookup(bytes: Uint8Array, start: number, end: number): number | undefined {
    const key = commandKey(bytes, start, end);
    if (key !== -1) {
      const keys = this.keys;
      for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.keyLimits[i];
      return undefined;
    }
    if (this.others.size === 0) return undefined;
    let space = start;
    while (space < end && bytes[space] !== SPACE) space++;
    return this.others.get(utf8.decode(bytes.subarray(start, space)));
  }
}

/** What the parser waits for. */
type ParserState = 'AwaitingLine' | 'AwaitingPayload' | 'SkippingPayload' | 'Failed' | 'Ended';

export function createFrameParser(onFrame: (frame: Frame) => void, options: FrameParserOptions = {}): FrameParser {
  const maxLineBytes = checkLimit('maxLineBytes', options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const maxPayloadBytes = checkLimit('maxPayloadBytes', options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
  const maxSkipBytes = checkLimit('maxSkipBytes', options.maxSkipBytes ?? DEFAULT_MAX_SKIP_BYTES);
  const skipOver = options.skipPayloadsOver ?? {};
  for (const [name, limit] of Object.entries(skipOver)) checkLimit(`skipPayloadsOver.${name}`, limit, 0);
  const onSkippedPayload = options.onSkippedPayload;
  const commandSet = (names: Iterable<string>) => new PayloadCommandSet(names, skipOver, maxPayloadBytes);
  let payloadCommands = commandSet(options.payloadCommands ?? SERVER_PAYLOAD_COMMANDS);

  let state: ParserState = 'AwaitingLine';
  let failure: ProtocolError | undefined;
  /** Stream offset of byte 0 of the chunk being parsed (after it: of the next chunk). */
  let base = 0;

  // A line spanning chunks: its bytes so far, and where it started.
  let carry: Buffer = Buffer.alloc(0);
  let carryLength = 0;
  let carryOffset = 0;

  // The frame whose payload is awaited (or skipped), the payload's length, and (when it spans chunks) its buffer.
  let pending: ParsedFrame | undefined;
  let payloadLength = 0;
  let payloadBuffer: Uint8Array | undefined;
  let payloadFilled = 0;

  function fail(error: ProtocolError): never {
    state = 'Failed';
    failure = error;
    carry = Buffer.alloc(0);
    payloadBuffer = undefined;
    pending = undefined;
    throw error;
  }

  // The frame being handed to onFrame, so push can tell the handler's exceptions from its own.
  let delivering: ParsedFrame | undefined;

  function deliver(frame: ParsedFrame): void {
    delivering = frame;
    onFrame(frame);
    delivering = undefined;
  }

  /** A skipped payload has been read past: tell (through the same guard as onFrame), or drop it silently. */
  function skipped(frame: ParsedFrame, length: number): void {
    if (onSkippedPayload === undefined) return;
    delivering = frame;
    onSkippedPayload(frame, length);
    delivering = undefined;
  }

  /** The frame handler threw: its exception goes to the caller; the rest of the chunk is lost, so no more input. */
  function handlerFailed(frame: ParsedFrame, error: unknown): void {
    delivering = undefined;
    state = 'Failed';
    failure = new ProtocolError('protocol.parser-closed', 'The frame parser stopped because a frame handler threw.', {
      command: frame.command,
      offset: frame.offset,
    }, { cause: error });
  }

  /**
   * A complete line: bytes [start, end) of `bytes` (line end removed, maybe a trailing CR left). When the line lies
   * in the chunk (`chunk` given) and its whole payload follows in it, the payload is taken here as a view; returns
   * how many payload bytes were taken that way (0 otherwise).
   */
  function takeLine(bytes: Buffer, start: number, end: number, offset: number, chunk: Uint8Array | undefined, next: number): number {
    const copied = chunk === undefined;
    if (end > start && bytes[end - 1] === CR) end--;
    if (end - start > maxLineBytes) lineTooLong(bytes, start, end, offset);
    // Whether a payload follows, and its length, are read from the bytes before any text is made.
    const skipLimit = payloadCommands.lookup(bytes, start, end);
    const length = skipLimit === undefined ? -1 : parseLength(bytes, start, end, offset, skipLimit);
    const line = utf8Slice(bytes, start, end);
    let frame: ParsedFrame;
    if (!copied) frame = new ParsedFrame(line, offset, bytes, start, end);
    // A copied line lives in the reused carry buffer: keep its bytes only when they cannot be re-encoded exactly.
    else if (line.indexOf('\uFFFD') === -1) frame = new ParsedFrame(line, offset, undefined, 0, 0);
    else frame = new ParsedFrame(line, offset, new Uint8Array(bytes.subarray(start, end)), 0, end - start);
    if (length === -1) {
      deliver(frame);
    } else if (skipLimit !== undefined && skipLimit !== NO_SKIP && length > skipLimit) {
      if (chunk !== undefined && next + length <= chunk.length) {
        skipped(frame, length);
        return length;
      }
      pending = frame;
      payloadLength = length;
      payloadFilled = chunk === undefined ? 0 : chunk.length - next;
      state = 'SkippingPayload';
      return payloadFilled;
    } else if (length === 0) {
      frame.payload = new Uint8Array(0);
      deliver(frame);
    } else if (chunk !== undefined && next + length <= chunk.length) {
      // The whole payload is inside this chunk: a view, no copy.
      frame.payload = chunk.subarray(next, next + length);
      deliver(frame);
      return length;
    } else {
      pending = frame;
      payloadLength = length;
      payloadFilled = 0;
      payloadBuffer = undefined;
      state = 'AwaitingPayload';
    }
    return 0;
  }

  /**
   * The last field of a payload command's line as a byte count: 1–16 decimal digits, at most maxPayloadBytes (at most
   * maxSkipBytes when the command has a skip limit).
   */
  function parseLength(bytes: Buffer, start: number, end: number, offset: number, skipLimit: number): number {
    let from = end;
    while (from > start && bytes[from - 1] !== SPACE) from--;
    let value = 0;
    let ok = from > start && end > from && end - from <= 16;
    for (let i = from; ok && i < end; i++) {
      const c = bytes[i] - 48;
      if (c < 0 || c > 9) ok = false;
      else value = value * 10 + c;
    }
    if (!ok) {
      const command = peekCommand(bytes, start, end);
      const shown = JSON.stringify(utf8Slice(bytes, from, Math.min(end, from + 16)));
      fail(new ProtocolError('protocol.bad-length', `${command} at byte ${offset} has ${shown} where its payload length belongs.`, { command, offset }));
    }
    const limit = skipLimit === NO_SKIP ? maxPayloadBytes : maxSkipBytes;
    if (value > limit) {
      const command = peekCommand(bytes, start, end);
      fail(new ProtocolError('protocol.payload-too-large', `${command} at byte ${offset} announces a ${value}-byte payload; the limit is ${limit}.`, { command, offset }));
    }
    return value;
  }

  function lineTooLong(bytes: Uint8Array, start: number, end: number, offset: number): never {
    const command = peekCommand(bytes, start, end);
    return fail(new ProtocolError('protocol.line-too-long', `The ${command || 'command'} line at byte ${offset} is longer than ${maxLineBytes} bytes.`, {
      command: command || undefined,
      offset,
    }));
  }

  function appendCarry(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    const needed = carryLength + length;
    if (needed > carry.length) {
      // Grow by doubling, but never beyond what the limit allows (+1 for a CR, +1 to detect the overflow).
      const grown = Buffer.alloc(Math.min(Math.max(needed, carry.length * 2, 256), maxLineBytes + 2));
      grown.set(carry.subarray(0, carryLength));
      carry = grown;
    }
    if (length < SHORT_SCAN) for (let i = 0; i < length; i++) carry[carryLength + i] = bytes[start + i];
    else carry.set(bytes.subarray(start, end), carryLength);
    carryLength = needed;
  }

  function push(chunk: Uint8Array): void {
    if (state === 'Failed' || state === 'Ended') refuse();
    // Re-entry from a frame handler would interleave two positions in one stream.
    if (delivering !== undefined) throw new Error('createFrameParser: push() called from inside onFrame');
    try {
      parse(chunk);
    } catch (error) {
      if (delivering !== undefined) handlerFailed(delivering, error);
      throw error;
    }
  }

  function parse(chunk: Uint8Array): void {
    const length = chunk.length;
    // Buffer's indexOf and toString are several times faster than Uint8Array's and TextDecoder on short lines;
    // the view (no copy) is made only when a scan or a decode needs it, not for every 1-byte chunk.
    let view: Buffer | undefined;
    let pos = 0;
    while (pos < length) {
      if (state === 'AwaitingLine') {
        let lf = -1;
        if (length - pos < SHORT_SCAN) {
          for (let i = pos; i < length; i++) {
            if (chunk[i] === LF) {
              lf = i;
              break;
            }
          }
        } else {
          view ??= Buffer.from(chunk.buffer, chunk.byteOffset, length);
          lf = view.indexOf(LF, pos);
        }
        if (carryLength === 0) {
          if (lf === -1) {
            // The start of a line that continues in a later chunk.
            carryOffset = base + pos;
            if (length - pos > maxLineBytes + 1) lineTooLong(chunk, pos, length, carryOffset);
            appendCarry(chunk, pos, length);
            pos = length;
          } else {
            const start = pos;
            pos = lf + 1;
            view ??= Buffer.from(chunk.buffer, chunk.byteOffset, length);
            pos += takeLine(view, start, lf, base + start, chunk, pos);
          }
        } else if (lf === -1) {
          if (carryLength + length - pos > maxLineBytes + 1) {
            appendCarry(chunk, pos, Math.min(length, pos + maxLineBytes + 2 - carryLength));
            lineTooLong(carry, 0, carryLength, carryOffset);
          }
          appendCarry(chunk, pos, length);
          pos = length;
        } else {
          if (carryLength + lf - pos > maxLineBytes + 1) {
            appendCarry(chunk, pos, Math.min(lf, pos + maxLineBytes + 2 - carryLength));
            lineTooLong(carry, 0, carryLength, carryOffset);
          }
          appendCarry(chunk, pos, lf);
          pos = lf + 1;
          const lineLength = carryLength;
          carryLength = 0;
          takeLine(carry, 0, lineLength, carryOffset, undefined, 0);
        }
      } else if (state === 'AwaitingPayload') {
        const frame = pending as ParsedFrame;
        const available = length - pos;
        if (payloadBuffer === undefined && available >= payloadLength) {
          // The whole payload is inside this chunk: a view, no copy.
          frame.payload = chunk.subarray(pos, pos + payloadLength);
          pos += payloadLength;
        } else {
          // Unzeroed: every byte is written before the payload is handed out, and a failed parse drops it unread.
          if (payloadBuffer === undefined) {
            const unzeroed = Buffer.allocUnsafe(payloadLength);
            // A plain Uint8Array view, so the payload behaves the same (slice copies) however it was assembled.
            payloadBuffer = new Uint8Array(unzeroed.buffer, unzeroed.byteOffset, payloadLength);
          }
          const take = Math.min(available, payloadLength - payloadFilled);
          if (take < SHORT_SCAN) for (let i = 0; i < take; i++) payloadBuffer[payloadFilled + i] = chunk[pos + i];
          else payloadBuffer.set(chunk.subarray(pos, pos + take), payloadFilled);
          payloadFilled += take;
          pos += take;
          if (payloadFilled < payloadLength) break;
          frame.payload = payloadBuffer;
          payloadBuffer = undefined;
        }
        pending = undefined;
        state = 'AwaitingLine';
        deliver(frame);
      } else if (state === 'SkippingPayload') {
        // Counted down, never copied: the skipped bytes are not kept anywhere.
        const take = Math.min(length - pos, payloadLength - payloadFilled);
        payloadFilled += take;
        pos += take;
        if (payloadFilled < payloadLength) break;
        const frame = pending as ParsedFrame;
        pending = undefined;
        state = 'AwaitingLine';
        skipped(frame, payloadLength);
      } else {
        refuse();
      }
    }
    base += length;
  }

  function refuse(): never {
    if (failure) throw failure;
    throw new ProtocolError('protocol.parser-closed', `The stream already ended at byte ${base}; no more input is accepted.`, { offset: base });
  }

  function end(): void {
    if (state === 'Failed') refuse();
    if (delivering !== undefined) throw new Error('createFrameParser: end() called from inside onFrame');
    if (state === 'Ended') return;
    if (state === 'AwaitingPayload' || state === 'SkippingPayload') {
      const frame = pending as ParsedFrame;
      fail(new ProtocolError('protocol.truncated', `The stream ended inside the payload of ${frame.command} at byte ${frame.offset} (${payloadFilled} of ${payloadLength} bytes).`, {
        command: frame.command,
        offset: frame.offset,
      }));
    }
    if (carryLength > 0) {
      const command = peekCommand(carry, 0, carryLength);
      fail(new ProtocolError('protocol.truncated', `The stream ended inside the ${command || 'command'} line at byte ${carryOffset}.`, {
        command: command || undefined,
        offset: carryOffset,
      }));
    }
    state = 'Ended';
  }

  return {
    push,
    end,
    setPayloadCommands(names: Iterable<string>): void {
      payloadCommands = commandSet(names);
    },
  };
}

function checkLimit(name: string, value: number, min = COMMAND_PEEK): number {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer of at least ${min}`);
  return value;
}

/** The first field of a line for an error message: printable ASCII only, at most COMMAND_PEEK bytes. */
function peekCommand(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end && i < start + COMMAND_PEEK; i++) {
    const b = bytes[i];
    if (b === SPACE || b === CR || b === LF) break;
    out += b > SPACE && b < 0x7f ? String.fromCharCode(b) : '?';
  }
  return out;
}
