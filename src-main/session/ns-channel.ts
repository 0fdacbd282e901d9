// One notification-server connection as commands: TrID-correlated requests with per-command timeouts, everything
// the server pushes on its own delivered as unsolicited frames, one close path. Bytes become frames in the protocol
// core's parser; this file never looks at bytes itself.
import { Emitter, DisposableStore, type Event } from '../../src-shared/disposable';
import { ButterflyError } from '../../src-shared/errors';
import type { TrafficEntry } from '../../src-shared/messenger-types';
import type { ClientCommandName } from '../protocol/command-names';
import type { Transport } from '../transport/transport';
import type { Clock } from './clock';
import { sessionErrors } from './session-errors';
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

export interface NsChannel {
  readonly description: string;
  readonly closed: boolean;
  /** Sends `CMD trid args…` and resolves with the reply carrying the same TrID and command; rejects on an error code. */
  request(command: ClientCommandName, args: string[], options?: RequestOptions): Promise<Incoming>;
  /** Sends a command without a TrID (PNG, OUT). */
  send(command: ClientCommandName, args?: string[]): void;
  /** Frames that answer no pending request: presence, list lines, challenges, OUT, ILN after a CHG reply, ... */
  readonly onUnsolicited: Event<Incoming>;
  readonly onTraffic: Event<TrafficEntry>;
  readonly onDidClose: Event<ChannelCloseInfo>;
  /** Closes the connection; pending requests fail with `error` (or a generic 'closed' error). */
  close(error?: ButterflyError): void;
}

export interface NsChannelOptions {
  clock: Clock;
  requestTimeoutMs: number;
  /** The first TrID (default 1); TrIDs wrap from 2^32 - 1 back to 1. */
  firstTrid?: number;
}

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

export function createNsChannel(transport: Transport, options: NsChannelOptions): NsChannel {
  const pending = new Map<number, Pending>();
  const unsolicited = new Emitter<Incoming>();
  const traffic = new Emitter<TrafficEntry>();
  const didClose = new Emitter<ChannelCloseInfo>();
  const store = new DisposableStore();
  const trids = new TrIdAllocator(options.firstTrid);
  let closed = false;
  let closeError: ButterflyError | undefined;

  const tap = (direction: 'in' | 'out', line: string, payloadBytes?: number) =>
    traffic.fire({ direction, channel: 'NS', line: redactLine(direction, line), payloadBytes, at: options.clock.now() });

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
    traffic.dispose();
    didClose.dispose();
  };

  // The framing cannot tell a corrupted stream from a command it does not know; a name that no MSNP command could
  // have (control bytes, lower case, invalid UTF-8) means the bytes are no longer trustworthy, like a framing error.
  const fatal = (error: ButterflyError) => {
    closeError ??= error;
    transport.close();
  };

  const codec = createWireCodec((frame) => {
    if (closeError) return;
    if (!COMMAND_NAME.test(frame.command)) return fatal(sessionErrors.garbled(frame.line));
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
    onUnsolicited: unsolicited.event,
    onTraffic: traffic.event,
    onDidClose: didClose.event,
    close(error) {
      if (closed) return;
      closeError ??= error;
      transport.close();
    },
  };
}
