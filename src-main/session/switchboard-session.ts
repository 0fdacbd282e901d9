// One switchboard connection as commands, on the same channel machinery and the same route as the NS (the transport
// factory is the user's; the gateway opens it with Server=SB). Two ways in: as the caller (XFR SB's grant → connect
// → `USR email cookie`, then `CAL` whoever is wanted) or invited (RNG → connect → `ANS email cookie session` → IRO
// roster → `ANS OK`). Then MSG in its ack modes (A: the promise settles on ACK/NAK; U/N: no answer expected), JOI and
// BYE as participants come and go, and OUT to leave.
//
// The switchboard has no VER: it speaks the NS's dialect (its payload sets go to the parser; it reads IRO/JOI, with
// the MSNP12 capability field where present). Everything the switchboard says is handed to one listener as events, in order; events that arrive before anybody
// listens (a message in the same read as `ANS OK`) are held and delivered when `listen` is called, so none is lost.
// A switchboard that breaks the protocol (a line that is no command, a MSG without its sender, a roster line of the
// wrong shape, a lying length) is closed with a typed error. That touches only this connection: the NS and every
// other conversation go on, and the conversation opens a new switchboard when it needs one.
import { ButterflyError } from '../../src-shared/errors';
import type { TrafficEntry } from '../../src-shared/messenger-types';
import { parseBye, parseMessageSender, type RingInvite, type SwitchboardGrant, type SwitchboardMember } from '../protocol/sb-commands';
import { readSwitchboardPayload, type SwitchboardContent } from '../protocol/sb-message';
import type { TransportFactory } from '../transport/transport';
import type { Clock } from './clock';
import { switchboardErrors } from './conversation-errors';
import { dialectFor, type Dialect } from './dialects';
import { createMsnpChannel, type MsnpChannel } from './msnp-channel';
import { serverErrorFor } from './server-error';
import { sessionErrors } from './session-errors';
import type { Incoming } from './wire';

export interface SwitchboardOptions {
  transportFactory: TransportFactory;
  clock: Clock;
  /** Our own address, as signed in. */
  selfEmail: string;
  connectTimeoutMs: number;
  /** USR, ANS and CAL answers. */
  requestTimeoutMs: number;
  /** How long a `MSG A` may wait for its ACK or NAK. */
  ackTimeoutMs: number;
  /** The NS's dialect (default MSNP8's): the switchboard follows it. */
  dialect?: Dialect;
  onTraffic?: (entry: TrafficEntry) => void;
}

export type SwitchboardEvent =
  | { type: 'joined'; member: SwitchboardMember }
  | { type: 'left'; email: string; dropped: boolean }
  | { type: 'content'; from: SwitchboardMember; content: SwitchboardContent }
  /** The last event: the connection is gone (`error` when it broke, or the server sent nonsense). */
  | { type: 'closed'; error?: ButterflyError; local: boolean };

/** Held events beyond this before anyone listens mean a peer is flooding us: the switchboard is closed. */
const MAX_HELD_EVENTS = 1_000;

const key = (email: string): string => email.toLowerCase();

export class SwitchboardSession {
  /** The other people in the switchboard now, by lower-case address. */
  readonly members = new Map<string, SwitchboardMember>();
  /** Set from `CAL … RINGING` (caller) or the RNG (invited); traffic entries carry it once known. */
  sessionId: string | undefined;
  /** Last MSG in or out (ms since the epoch). */
  lastActivity: number;
  private listener: ((event: SwitchboardEvent) => void) | undefined;
  /** CALs awaiting their answer, oldest first (a bare error code without a TrID answers the oldest). */
  private readonly pendingCalls: ((error?: ButterflyError) => void)[] = [];
  private held: SwitchboardEvent[] = [];
  private ended = false;
  private readonly dialect: Dialect;

  private constructor(
    private readonly channel: MsnpChannel,
    private readonly options: SwitchboardOptions,
    /** Who opened it: us (caller) or the one who rang. */
    readonly caller: string,
  ) {
    this.lastActivity = options.clock.now();
    this.dialect = options.dialect ?? MSNP8;
    channel.useDialect(this.dialect.sb);
    const onTraffic = options.onTraffic;
    if (onTraffic) channel.onTraffic((entry) => onTraffic(this.sessionId === undefined ? entry : { ...entry, sessionId: this.sessionId }));
    channel.onUnsolicited((frame) => this.onFrame(frame));
    channel.onStrayLine((line) => this.close(switchboardErrors.garbled(`a line that is no command: ${JSON.stringify(line.slice(0, 24))}`)));
    channel.onDidClose((info) => {
      this.ended = true;
      this.emit({ type: 'closed', error: info.error, local: info.local });
    });
  }

  /** We open it: connect to the XFR SB grant and authenticate with its cookie. Resolves once `USR … OK` came. */
  static async call(options: SwitchboardOptions, grant: SwitchboardGrant): Promise<SwitchboardSession> {
    const sb = new SwitchboardSession(await connect(options, grant), options, options.selfEmail);
    try {
      const ok = await sb.channel.request('USR', [options.selfEmail, grant.cookie]);
      if (ok.args[0] !== 'OK') throw switchboardErrors.unexpected(`USR answered "${ok.args.slice(0, 1).join(' ')}"`);
    } catch (error) {
      sb.close(asError(error));
      throw error;
    }
    return sb;
  }

  /** We were invited: connect to the RNG's address and answer; resolves after the roster and `ANS … OK`. */
  static async answer(options: SwitchboardOptions, ring: RingInvite): Promise<SwitchboardSession> {
    const sb = new SwitchboardSession(await connect(options, ring), options, ring.callerEmail);
    sb.sessionId = ring.sessionId;
    try {
      await sb.channel.request('ANS', [options.selfEmail, ring.cookie, ring.sessionId]);
    } catch (error) {
      sb.close(asError(error));
      throw error;
    }
    return sb;
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Starts delivering events, the held ones first. One listener per switchboard. */
  listen(listener: (event: SwitchboardEvent) => void): void {
    this.listener = listener;
    const held = this.held;
    this.held = [];
    for (const e of held) listener(e);
  }

  /**
   * `CAL`: resolves on `CAL … RINGING` (the JOI comes later as an event); rejects with the server's error (217
   * offline, 205 unknown, …). Some Escargot versions answer an unknown address with a bare `205` and no TrID: that
   * answers the oldest CAL still waiting, rather than leaving it to time out.
   */
  invite(email: string): Promise<void> {
    return new Promise((resolve, reject) => {
      // Settles once: by the CAL's own answer, or by a bare error code that came first.
      const settle = (error?: ButterflyError) => {
        const i = this.pendingCalls.indexOf(settle);
        if (i < 0) return;
        this.pendingCalls.splice(i, 1);
        if (error) reject(error);
        else resolve();
      };
      this.pendingCalls.push(settle);
      this.channel.request('CAL', [email]).then(
        (reply) => {
          if (reply.args[0] !== 'RINGING') return settle(switchboardErrors.unexpected(`CAL answered "${reply.args.slice(0, 1).join(' ')}"`));
          this.sessionId ??= reply.args[1];
          settle();
        },
        (error: unknown) => settle(asError(error) ?? switchboardErrors.unexpected(String(error))),
      );
    });
  }

  /** `MSG trid A len`: resolves with 'ACK' or 'NAK'; rejects when the connection closes first, on a timeout, or with a server error. */
  async sendMessage(payload: Uint8Array): Promise<'ACK' | 'NAK'> {
    this.lastActivity = this.options.clock.now();
    const reply = await this.channel.request('MSG', ['A'], { payload, alsoAccept: ['ACK', 'NAK'], timeoutMs: this.options.ackTimeoutMs });
    return reply.command === 'NAK' ? 'NAK' : 'ACK';
  }

  /** `MSG trid U|N len` with no answer awaited (typing: U; nudges: N). */
  post(payload: Uint8Array, mode: 'U' | 'N'): void {
    if (this.ended) return;
    this.lastActivity = this.options.clock.now();
    this.channel.post('MSG', [mode], payload);
  }

  /** `OUT`, then a graceful close. */
  leave(): void {
    if (this.ended) return;
    this.channel.send('OUT');
    this.channel.close();
  }

  /** Closes the connection; with an error (the switchboard broke the protocol) at once. */
  close(error?: ButterflyError): void {
    this.channel.close(error);
  }

  private emit(event: SwitchboardEvent): void {
    if (this.listener) return this.listener(event);
    this.held.push(event);
    if (this.held.length > MAX_HELD_EVENTS) this.close(switchboardErrors.garbled('a flood of messages before the conversation was set up'));
  }

  private onFrame(frame: Incoming): void {
    if (this.ended) return;
    const a = frame.args;
    switch (frame.command) {
      case 'MSG': {
        const from = parseMessageSender(a);
        if (!from || !frame.payload) return this.close(switchboardErrors.garbled(`a message line without its sender (${frame.line.slice(0, 40)})`));
        this.lastActivity = this.options.clock.now();
        return this.emit({ type: 'content', from, content: readSwitchboardPayload(frame.payload) });
      }
      case 'JOI':
      case 'IRO': {
        const member = this.dialect.switchboardMember(frame.command, a);
        if (!member) return this.close(switchboardErrors.garbled(`a participant line of the wrong shape (${frame.line.slice(0, 40)})`));
        // The invited side hears its own JOI first (capture 10): we are not one of the others.
        if (key(member.email) === key(this.options.selfEmail)) return;
        this.members.set(key(member.email), member);
        return this.emit({ type: 'joined', member });
      }
      case 'BYE': {
        const bye = parseBye(a);
        if (!bye) return this.close(switchboardErrors.garbled(`a leave line of the wrong shape (${frame.line.slice(0, 40)})`));
        if (!this.members.delete(key(bye.email))) return;
        return this.emit({ type: 'left', email: bye.email, dropped: bye.dropped });
      }
      case 'OUT':
        // The server's answer to our OUT, or it closing the switchboard: it closes the connection next.
        return;
      default:
        if (frame.errorCode !== undefined && frame.trid === 0) return this.pendingCalls[0]?.(serverErrorFor(frame.errorCode, 'CAL'));
        // ACK/NAK for a `MSG N` nobody waits for, late answers to timed-out requests, commands of later versions.
        return;
    }
  }
}

async function connect(options: SwitchboardOptions, where: SwitchboardGrant): Promise<MsnpChannel> {
  const abort = new AbortController();
  const timer = options.clock.setTimeout(() => abort.abort(), options.connectTimeoutMs);
  try {
    const transport = await options.transportFactory.connect({ host: where.host, port: where.port, role: 'SB' }, { signal: abort.signal });
    return createMsnpChannel(transport, { clock: options.clock, requestTimeoutMs: options.requestTimeoutMs, traffic: 'SB' });
  } catch (error) {
    if (abort.signal.aborted) throw sessionErrors.timeout(`the connection to the conversation server ${where.host}:${where.port}`, options.connectTimeoutMs);
    throw error;
  } finally {
    timer.dispose();
  }
}

const MSNP8 = dialectFor(8) as Dialect;

const asError = (error: unknown): ButterflyError | undefined => (error instanceof ButterflyError ? error : undefined);
