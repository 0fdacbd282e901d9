// Test helper for conversation unit tests: an in-memory switchboard server behind the Transport interface, and a
// SwitchboardHost around it, so the conversation manager runs with a fake clock and no sockets. Client bytes are
// read with the protocol core's frame parser; the switchboard answers like the test server (USR OK, CAL RINGING then
// JOI, ANS with its roster, ACK for MSG A, OUT) unless a test says otherwise through `behaviour`.
import { Emitter } from '../../../src-shared/disposable';
import type { ButterflyError } from '../../../src-shared/errors';
import { createFrameParser, type Frame } from '../../protocol/framing';
import type { RingInvite, SwitchboardGrant } from '../../protocol/sb-commands';
import type { CloseOptions, ConnectTarget, Transport, TransportCloseInfo, TransportFactory, TransportState, TransportTap } from '../../transport/transport';
import type { HostState, SwitchboardHost } from '../switchboard-host';

export interface SwitchboardBehaviour {
  /** The answer to `CAL email`: 'join' (RINGING, then JOI), 'ring' (RINGING only), an error code, or an error code
   *  without a TrID (`{ bare: 205 }`, as some Escargot versions answer an unknown address). */
  cal(email: string): 'join' | 'ring' | number | { bare: number };
  /** The answer to `MSG trid A`: 'ACK', 'NAK' or nothing. */
  ack(): 'ACK' | 'NAK' | 'none';
}

const DEFAULT_BEHAVIOUR: SwitchboardBehaviour = { cal: () => 'join', ack: () => 'ACK' };

const enc = new TextEncoder();

/** One client connection to the fake switchboard. */
export class FakeSbConnection implements Transport {
  state: TransportState = 'open';
  readonly description: string;
  /** What the client sent: each command line with its payload as text. */
  readonly received: { line: string; payload?: string }[] = [];
  private readonly data = new Emitter<Uint8Array>();
  private readonly closeEmitter = new Emitter<TransportCloseInfo>();
  private readonly tap = new Emitter<TransportTap>();
  readonly onData = this.data.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly onTap = this.tap.event;
  private readonly parser = createFrameParser((f) => this.onFrame(f), { payloadCommands: ['MSG'] });

  constructor(
    readonly target: ConnectTarget,
    private readonly server: FakeSwitchboardServer,
  ) {
    this.description = `fake switchboard ${target.host}:${target.port}`;
  }

  /** Server → client lines (each given CRLF), delivered on a later microtask as a socket would. */
  lines(...lines: string[]): void {
    this.push(enc.encode(lines.map((l) => `${l}\r\n`).join('')));
  }

  /** `MSG from nick len` + payload, from another participant. */
  message(from: string, payload: Uint8Array | string): void {
    const body = typeof payload === 'string' ? enc.encode(payload) : payload;
    const head = enc.encode(`MSG ${from} ${from.split('@')[0]} ${body.length}\r\n`);
    const bytes = new Uint8Array(head.length + body.length);
    bytes.set(head);
    bytes.set(body, head.length);
    this.push(bytes);
  }

  push(bytes: Uint8Array): void {
    queueMicrotask(() => {
      if (this.state === 'open') this.data.fire(bytes);
    });
  }

  write(bytes: Uint8Array): void {
    if (this.state === 'open') this.parser.push(bytes);
  }

  close(_options?: CloseOptions): void {
    this.finish(true);
  }

  /** The server side goes away. */
  drop(error?: ButterflyError): void {
    this.finish(false, error);
  }

  private finish(local: boolean, error?: ButterflyError): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    queueMicrotask(() => this.closeEmitter.fire({ local, error }));
  }

  private onFrame(f: Frame): void {
    const payload = f.payload ? new TextDecoder().decode(f.payload) : undefined;
    this.received.push(payload === undefined ? { line: f.line } : { line: f.line, payload });
    const [cmd, trid, a1, , a3] = f.fields;
    const b = this.server.behaviour;
    switch (cmd) {
      case 'USR':
        return this.lines(`USR ${trid} OK ${a1} ${a1}`);
      case 'ANS': {
        const roster = this.server.rosters.get(a3 ?? '') ?? [];
        return this.lines(...roster.map((e, i) => `IRO ${trid} ${i + 1} ${roster.length} ${e} ${e.split('@')[0]}`), `ANS ${trid} OK`);
      }
      case 'CAL': {
        const answer = b.cal(a1);
        if (typeof answer === 'number') return this.lines(`${answer} ${trid}`);
        if (typeof answer === 'object') return this.lines(String(answer.bare));
        this.lines(`CAL ${trid} RINGING 4242`);
        if (answer === 'join') this.lines(`JOI ${a1} ${a1.split('@')[0]}`);
        return;
      }
      case 'MSG': {
        if (f.fields[2] !== 'A') return;
        const ack = b.ack();
        if (ack !== 'none') this.lines(`${ack} ${trid}`);
        return;
      }
      case 'OUT':
        this.lines('OUT');
        this.finish(false);
        return;
    }
  }
}

/** The fake switchboard's connections and what it does. */
export class FakeSwitchboardServer {
  readonly connections: FakeSbConnection[] = [];
  behaviour: SwitchboardBehaviour = { ...DEFAULT_BEHAVIOUR };
  /** Rosters of sessions the client may be invited to (session id → the others' addresses). */
  readonly rosters = new Map<string, string[]>();
  readonly factory: TransportFactory = {
    connect: async (target) => {
      const c = new FakeSbConnection(target, this);
      this.connections.push(c);
      return c;
    },
  };

  get last(): FakeSbConnection {
    return this.connections[this.connections.length - 1];
  }

  /** Connections still open. */
  open(): FakeSbConnection[] {
    return this.connections.filter((c) => c.state === 'open');
  }
}

/** A SwitchboardHost whose NS is the test: it hands out grants (or errors) and rings on demand. */
export class FakeHost implements SwitchboardHost {
  stateValue: HostState = 'online';
  selfEmail: string | undefined = 'alice@example.com';
  /** What the next `XFR SB` answers; by default a grant. */
  nextGrant: () => Promise<SwitchboardGrant> = async () => ({ host: 'sb.test', port: 1864, cookie: `cookie-${++this.xfrs}` });
  xfrs = 0;
  private readonly stateEmitter = new Emitter<HostState>();
  private readonly ringEmitter = new Emitter<RingInvite>();
  readonly onState = this.stateEmitter.event;
  readonly onRing = this.ringEmitter.event;

  constructor(readonly sb: FakeSwitchboardServer = new FakeSwitchboardServer()) {}

  get state(): HostState {
    return this.stateValue;
  }

  get transportFactory(): TransportFactory {
    return this.sb.factory;
  }

  requestSwitchboard(): Promise<SwitchboardGrant> {
    return this.nextGrant();
  }

  setState(state: HostState): void {
    this.stateValue = state;
    this.stateEmitter.fire(state);
  }

  /** An invitation from `caller` into session `sessionId`, whose others are `roster` (caller first by default). */
  ring(caller: string, sessionId: string, roster: string[] = [caller]): void {
    this.sb.rosters.set(sessionId, roster);
    this.ringEmitter.fire({ host: 'sb.test', port: 1864, cookie: `ring-${sessionId}`, sessionId, callerEmail: caller, callerNickname: caller.split('@')[0] });
  }
}
