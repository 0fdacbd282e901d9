// One MSNP connection as commands — the notification server's, or a switchboard's (the same machinery for both):
// TrID-correlated requests with per-command timeouts (TrIDs wrap at 2^32), everything the server pushes on its own
// delivered as unsolicited frames, one close path. Bytes become frames in the protocol core's parser; this file never
// looks at bytes itself. Its traffic entries say which server they are ('NS' or 'SB'); a switchboard session adds
// its session id once it knows it.
//
// Stray lines — a line whose first field is no command name, such as the tail of a nickname the server relayed with
// a raw CR/LF in it (Escargot does) — are skipped and handed to onStrayLine, not treated as a broken stream: line
// framing is intact (the server ended the line properly, so the next line starts clean), they come from text one
// contact controls, and failing on them would keep that contact's every reader offline on every reconnect. Only a
// flood of them (over `strayLines`, a token bucket) says the stream itself is garbage and ends the connection.
// An error ends the connection at once (nothing more is worth sending or waiting for); a polite close flushes.
import { Emitter, DisposableStore, type Event } from '../../src-shared/disposable';
import { ButterflyError } from '../../src-shared/errors';
import type { TrafficEntry } from '../../src-shared/messenger-types';
import type { ClientCommandName } from '../protocol/command-names';
import type { Transport } from '../transport/transport';
import type { Clock } from './clock';
import { sessionErrors } from './session-errors';
import { TokenBucket, type TokenBudget } from './token-bucket';
import type { WireDialect } from './dialects';
import { createWireCodec, type Incoming } from './wire';
import { redactLine } from './redact';
import { serverErrorFor } from './server-error';
import { TrIdAllocator } from '../protocol/trid-allocator';

export interface RequestOptions {
  payload?: Uint8Array;
  /** Overrides the channel's default request timeout. */
  timeoutMs?: number;
  /** Other reply commands that also answer this request (USR may be answered by XFR NS). */
  alsoAccept?: string[];
  /** Runs synchronously with the reply, before any later frame of the same read is handled (promises resolve too late). */
  onReply?: (frame: Incoming) => void;
}

export interface ChannelCloseInfo {
  error?: ButterflyError;
  local: boolean;
}

export interface MsnpChannel {
  readonly description: string;
  readonly closed: boolean;
  /** Sends `CMD trid args…` and resolves with the reply carrying the same TrID and command; rejects on an error code. */
  request(command: ClientCommandName, args: string[], options?: RequestOptions): Promise<Incoming>;
  /** The negotiated version's wire: its payload sets go to the parser (setPayloadCommands), its TrID rules apply. */
  useDialect(dialect: WireDialect): void;
  /** A remark of Butterfly's own in the traffic (a list line it skipped, and why). */
  note(text: string): void;
  /** Sends a command without a TrID (PNG, OUT). */
  send(command: ClientCommandName, args?: string[]): void;
  /** Sends `CMD trid args…` with a fresh TrID and awaits no answer (switchboard `MSG U`/`N`); returns the TrID. */
  post(command: ClientCommandName, args: string[], payload?: Uint8Array): number;
  /** Frames that answer no pending request: presence, list lines, challenges, OUT, ILN after a CHG reply, ... */
  readonly onUnsolicited: Event<Incoming>;
  /** Lines that are no command (see the header), in stream order among the frames; already skipped. */
  readonly onStrayLine: Event<string>;
  readonly onTraffic: Event<TrafficEntry>;
  readonly onDidClose: Event<ChannelCloseInfo>;
  /**
   * Closes the connection; pending requests fail with `error` (or a generic 'closed' error). With an error it ends at
   * once; without one, queued commands (an OUT) are flushed first.
   */
  close(error?: ButterflyError): void;
}

export interface MsnpChannelOptions {
  clock: Clock;
  requestTimeoutMs: number;
  /** The first TrID (default 1); TrIDs wrap from 2^32 - 1 back to 1. */
  firstTrid?: number;
  /** How many stray lines are skipped before the stream counts as garbled (default STRAY_LINE_BUDGET). */
  strayLines?: TokenBudget;
  /** Which server the traffic entries name (default 'NS'). */
  traffic?: 'NS' | 'SB';
}

/** 1,000 stray lines at once, then 10 a second: far more nicknames with line breaks than any list has. */
export const STRAY_LINE_BUDGET: TokenBudget = { burst: 1_000, perSecond: 10 };

interface Pending {
  command: string;
  accepts: string[];
  onReply?: (frame: Incoming) => void;
  resolve: (frame: Incoming) => void;
  reject: (error: ButterflyError) => void;
  timer: { dispose(): void };
}

/** Three upper-case letters or digits: every MSNP command and every numeric error code. */
const COMMAND_NAME = /^[A-Z0-9]{3}$/;

export function createMsnpChannel(transport: Transport, options: MsnpChannelOptions): MsnpChannel {
  const pending = new Map<number, Pending>();
  const unsolicited = new Emitter<Incoming>();
  const stray = new Emitter<string>();
  const strayBudget = new TokenBucket(options.strayLines ?? STRAY_LINE_BUDGET, options.clock);
  const traffic = new Emitter<TrafficEntry>();
  const didClose = new Emitter<ChannelCloseInfo>();
  const store = new DisposableStore();
  const trids = new TrIdAllocator(options.firstTrid);
  let closed = false;
  let closeError: ButterflyError | undefined;

  const tap = (direction: 'in' | 'out', line: string, payloadBytes?: number) =>
    traffic.fire({ direction, channel: options.traffic ?? 'NS', line: redactLine(direction, line), payloadBytes, at: options.clock.now() });

  const finish = (info: ChannelCloseInfo) => {
    if (closed) return;
    closed = true;
    const error = info.error ?? closeError ?? sessionErrors.closed('while a command was waiting for its answer');
    for (const p of pending.values()) {
      p.timer.dispose();
      p.reject(error);
    }
    pending.clear();
    didClose.fire({ error: info.error ?? closeError, local: info.local });
    store.dispose();
    unsolicited.dispose();
    stray.dispose();
    traffic.dispose();
    didClose.dispose();
  };

  const fatal = (error: ButterflyError) => {
    closeError ??= error;
    transport.close({ abort: true });
  };

  const onStray = (line: string) => {
    if (!strayBudget.take()) return fatal(sessionErrors.strayLineFlood(line, strayBudget.budget));
    tap('in', `${line}  [not a command]`);
    stray.fire(line);
  };

  const codec = createWireCodec((frame) => {
    if (closeError) return;
    if (!COMMAND_NAME.test(frame.command)) return onStray(frame.line);
    tap('in', frame.line, frame.payload?.byteLength);
    if (frame.trid !== undefined) {
      const p = pending.get(frame.trid);
      if (p && (frame.errorCode !== undefined || p.accepts.includes(frame.command))) {
        pending.delete(frame.trid);
        p.timer.dispose();
        if (frame.errorCode !== undefined) p.reject(serverErrorFor(frame.errorCode, p.command));
        else {
          p.onReply?.(frame);
          p.resolve(frame);
        }
        return;
      }
    }
    unsolicited.fire(frame);
  }, (frame, length, limit) => {
    if (!closeError) tap('in', `${frame.line}  [payload of ${length} bytes skipped: over the ${limit}-byte limit for ${frame.command}]`, length);
  });

  store.add(
    transport.onData((bytes) => {
      if (closed || closeError) return;
      try {
        codec.push(bytes);
      } catch (error) {
        // A framing error is fatal for this connection: nothing after it can be trusted.
        fatal(error instanceof ButterflyError ? error : sessionErrors.unexpected(String(error)));
      }
    }),
  );
  store.add(transport.onDidClose((info) => finish({ error: info.error ?? closeError, local: info.local })));

  const write = (command: ClientCommandName, trid: number | undefined, args: string[], payload?: Uint8Array) => {
    const { bytes, line } = codec.encode(command, trid, args, payload);
    tap('out', line, payload?.byteLength);
    transport.write(bytes);
  };

  return {
    get description() {
      return transport.description;
    },
    get closed() {
      return closed;
    },
    request(command, args, requestOptions = {}) {
      if (closed) return Promise.reject(closeError ?? sessionErrors.closed('before the command could be sent'));
      const trid = trids.next();
      const timeoutMs = requestOptions.timeoutMs ?? options.requestTimeoutMs;
      return new Promise<Incoming>((resolve, reject) => {
        const timer = options.clock.setTimeout(() => {
          pending.delete(trid);
          reject(sessionErrors.timeout(command, timeoutMs));
        }, timeoutMs);
        pending.set(trid, { command, accepts: [command, ...(requestOptions.alsoAccept ?? [])], onReply: requestOptions.onReply, resolve, reject, timer });
        write(command, trid, args, requestOptions.payload);
      });
    },
    send(command, args = []) {
      if (!closed) write(command, undefined, args);
    },
    post(command, args, payload) {
      const trid = trids.next();
      if (!closed) write(command, trid, args, payload);
      return trid;
    },
    useDialect: (dialect) => codec.use(dialect),
    note(text) {
      if (!closed) traffic.fire({ direction: 'note', channel: options.traffic ?? 'NS', line: text, at: options.clock.now() });
    },
    onUnsolicited: unsolicited.event,
    onStrayLine: stray.event,
    onTraffic: traffic.event,
    onDidClose: didClose.event,
    close(error) {
      if (closed) return;
      closeError ??= error;
      transport.close({ abort: error !== undefined });
    },
  };
}
