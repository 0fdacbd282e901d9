// Exports: createFrameParser (bytes in, frames out), Frame, FrameParser, FrameParserOptions, and the payload-command
// sets SERVER_PAYLOAD_COMMANDS / CLIENT_PAYLOAD_COMMANDS with payloadCommandsFor(version, direction).
//
// MSNP framing: a command line ends with "\r\n"; after a payload command's line, exactly <last field> raw bytes
// follow. The parser works on each pushed chunk in place: lines and payloads that lie inside one chunk are handed out
// as zero-copy views of it; only a line or payload that spans chunks is copied, once, into a buffer sized for it
// (a payload's buffer is allocated as soon as its length is known). That is the "queue chunks, copy only when a read
// spans chunks" rule with the queue collapsed into those two carry buffers: with 1-byte chunks a queue of thousands of
// tiny arrays would cost more than the bytes themselves, and memory stays bounded by the largest frame plus one chunk.
import { ProtocolError } from './protocol-error';

/** One command as it came off the wire. */
export interface Frame {
  /** The command line without its line end, decoded as UTF-8 (invalid bytes become U+FFFD; see lineWithFallback). */
  readonly line: string;
  /** The first field of the line: a 3-letter mnemonic, or a 3-digit error code. '' for an empty line. */
  readonly command: string;
  /** The raw bytes after the line, present only for payload commands (possibly empty). */
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

/** Server→client payload commands of MSNP8–12 (MSNP2–7 use only MSG, which is included). */
export const SERVER_PAYLOAD_COMMANDS: readonly string[] = Object.freeze(['MSG', 'NOT', 'IPG', 'GCF', 'UBX']);
/** Client→server payload commands of MSNP8–12 (QRY's 32-byte answer, UUX from MSNP11). */
export const CLIENT_PAYLOAD_COMMANDS: readonly string[] = Object.freeze(['MSG', 'QRY', 'UUX']);

/** The payload commands for a negotiated version (2–12; later versions get the MSNP12 set) and direction. */
export function payloadCommandsFor(version: number, direction: 'server-to-client' | 'client-to-server'): string[] {
  if (direction === 'client-to-server') {
    if (version < 8) return ['MSG'];
    return version < 11 ? ['MSG', 'QRY'] : ['MSG', 'QRY', 'UUX'];
  }
  if (version < 8) return ['MSG'];
  return version < 11 ? ['MSG', 'NOT', 'IPG'] : ['MSG', 'NOT', 'IPG', 'GCF', 'UBX'];
}

export const DEFAULT_MAX_LINE_BYTES = 32 * 1024;
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

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

class ParsedFrame implements Frame {
  payload?: Uint8Array;
  private raw: Uint8Array | undefined;
  private split: string[] | undefined;

  constructor(
    readonly line: string,
    readonly command: string,
    raw: Uint8Array | undefined,
    readonly offset: number,
  ) {
    this.raw = raw;
  }

  get rawLine(): Uint8Array {
    // Only lines that were valid UTF-8 arrive without raw bytes, and those re-encode to exactly the original bytes.
    if (this.raw === undefined) this.raw = encoder.encode(this.line);
    return this.raw;
  }

  get fields(): readonly string[] {
    if (this.split === undefined) this.split = this.line.split(' ');
    return this.split;
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

/** What the parser waits for. */
type ParserState = 'AwaitingLine' | 'AwaitingPayload' | 'Failed' | 'Ended';

export function createFrameParser(onFrame: (frame: Frame) => void, options: FrameParserOptions = {}): FrameParser {
  const maxLineBytes = checkLimit('maxLineBytes', options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const maxPayloadBytes = checkLimit('maxPayloadBytes', options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
  let payloadCommands = new Set<string>(options.payloadCommands ?? SERVER_PAYLOAD_COMMANDS);

  let state: ParserState = 'AwaitingLine';
  let failure: ProtocolError | undefined;
  /** Stream offset of byte 0 of the chunk being parsed (after it: of the next chunk). */
  let base = 0;

  // A line spanning chunks: its bytes so far, and where it started.
  let carry: Uint8Array = new Uint8Array(0);
  let carryLength = 0;
  let carryOffset = 0;

  // The frame whose payload is awaited, the payload's length, and (when it spans chunks) its buffer.
  let pending: ParsedFrame | undefined;
  let payloadLength = 0;
  let payloadBuffer: Uint8Array | undefined;
  let payloadFilled = 0;

  function fail(error: ProtocolError): never {
    state = 'Failed';
    failure = error;
    carry = new Uint8Array(0);
    payloadBuffer = undefined;
    pending = undefined;
    throw error;
  }

  function deliver(frame: ParsedFrame): void {
    try {
      onFrame(frame);
    } catch (error) {
      // The callback's own exception goes to the caller; the rest of the chunk is lost, so no more input.
      state = 'Failed';
      failure = new ProtocolError('protocol.parser-closed', 'The frame parser stopped because a frame handler threw.', {
        command: frame.command,
        offset: frame.offset,
      }, { cause: error });
      throw error;
    }
  }

  /** A complete line: bytes [start, end) of `bytes`, line end already removed (but maybe a trailing CR). */
  function takeLine(bytes: Uint8Array, start: number, end: number, offset: number, copied: boolean): void {
    if (end > start && bytes[end - 1] === CR) end--;
    if (end - start > maxLineBytes) lineTooLong(bytes, start, end, offset);
    const raw = bytes.subarray(start, end);
    const line = utf8.decode(raw);
    const space = line.indexOf(' ');
    const command = space === -1 ? line : line.slice(0, space);
    // A copied line lives in the reused carry buffer: keep its bytes only when they cannot be re-encoded exactly.
    const keep = copied ? (line.indexOf('\uFFFD') === -1 ? undefined : raw.slice()) : raw;
    const frame = new ParsedFrame(line, command, keep, offset);
    if (!payloadCommands.has(command)) {
      deliver(frame);
      return;
    }
    const length = parseLength(line, command, offset);
    if (length === 0) {
      frame.payload = new Uint8Array(0);
      deliver(frame);
      return;
    }
    pending = frame;
    payloadLength = length;
    payloadFilled = 0;
    payloadBuffer = undefined;
    state = 'AwaitingPayload';
  }

  function parseLength(line: string, command: string, offset: number): number {
    const space = line.lastIndexOf(' ');
    const from = space + 1;
    const digits = line.length - from;
    let value = 0;
    let ok = space !== -1 && digits > 0 && digits <= 16;
    for (let i = from; ok && i < line.length; i++) {
      const c = line.charCodeAt(i) - 48;
      if (c < 0 || c > 9) ok = false;
      else value = value * 10 + c;
    }
    if (!ok) {
      const shown = JSON.stringify(line.slice(from, from + 16));
      fail(new ProtocolError('protocol.bad-length', `${command} at byte ${offset} has ${shown} where its payload length belongs.`, { command, offset }));
    }
    if (value > maxPayloadBytes) {
      fail(new ProtocolError('protocol.payload-too-large', `${command} at byte ${offset} announces a ${value}-byte payload; the limit is ${maxPayloadBytes}.`, { command, offset }));
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
      const grown = new Uint8Array(Math.min(Math.max(needed, carry.length * 2, 256), maxLineBytes + 2));
      grown.set(carry.subarray(0, carryLength));
      carry = grown;
    }
    if (length < SHORT_SCAN) for (let i = 0; i < length; i++) carry[carryLength + i] = bytes[start + i];
    else carry.set(bytes.subarray(start, end), carryLength);
    carryLength = needed;
  }

  function push(chunk: Uint8Array): void {
    if (state === 'Failed' || state === 'Ended') refuse();
    const length = chunk.length;
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
          lf = chunk.indexOf(LF, pos);
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
            takeLine(chunk, start, lf, base + start, false);
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
          takeLine(carry, 0, lineLength, carryOffset, true);
        }
      } else if (state === 'AwaitingPayload') {
        const frame = pending as ParsedFrame;
        const available = length - pos;
        if (payloadBuffer === undefined && available >= payloadLength) {
          // The whole payload is inside this chunk: a view, no copy.
          frame.payload = chunk.subarray(pos, pos + payloadLength);
          pos += payloadLength;
        } else {
          if (payloadBuffer === undefined) payloadBuffer = new Uint8Array(payloadLength);
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
    if (state === 'Ended') return;
    if (state === 'AwaitingPayload') {
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
      payloadCommands = new Set(names);
    },
  };
}

function checkLimit(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < COMMAND_PEEK) throw new RangeError(`${name} must be an integer of at least ${COMMAND_PEEK}`);
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
