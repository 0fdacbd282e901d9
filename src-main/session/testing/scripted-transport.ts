// A Transport for unit tests: the test plays the server. Lines the client writes are recorded and may trigger
// scripted answers; the test pushes server bytes in any chunking it likes and closes from either side.
import { Emitter } from '../../../src-shared/disposable';
import type { ButterflyError } from '../../../src-shared/errors';
import type { CloseOptions, ConnectTarget, Transport, TransportCloseInfo, TransportFactory, TransportState, TransportTap } from '../../transport/transport';

type Responder = (line: string, fields: string[]) => string | string[] | undefined | void;

export class ScriptedTransport implements Transport {
  state: TransportState = 'open';
  readonly description: string;
  /** Every command line written by the client, without CRLF (payload bytes follow their line as text). */
  readonly written: string[] = [];
  private readonly data = new Emitter<Uint8Array>();
  private readonly closeEmitter = new Emitter<TransportCloseInfo>();
  private readonly tap = new Emitter<TransportTap>();
  private responders: Responder[] = [];
  private pendingOut = '';
  readonly onData = this.data.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly onTap = this.tap.event;

  constructor(readonly target: ConnectTarget) {
    this.description = `scripted ${target.host}:${target.port}`;
  }

  /** Answers each client line the responder recognises; `{trid}` in the answer is replaced by the line's TrID. */
  respond(responder: Responder): this {
    this.responders.push(responder);
    return this;
  }

  /** Server → client bytes, optionally split into chunks of `chunk` bytes. */
  push(text: string | Uint8Array, chunk = Infinity): void {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    for (let i = 0; i < bytes.length; i += chunk) {
      if (this.state !== 'open') return;
      this.data.fire(bytes.subarray(i, Math.min(bytes.length, i + chunk)));
    }
  }

  /** Server → client lines, each given CRLF. */
  lines(...lines: string[]): void {
    this.push(lines.map((l) => `${l}\r\n`).join(''));
  }

  write(bytes: Uint8Array): void {
    if (this.state !== 'open') return;
    // Kept as one char per byte, so payload lengths (bytes) can be counted; rows are recorded as UTF-8 text.
    this.pendingOut += Buffer.from(bytes).toString('latin1');
    const utf8 = (binary: string) => Buffer.from(binary, 'latin1').toString('utf8');
    let at: number;
    while ((at = this.pendingOut.indexOf('\r\n')) >= 0) {
      const line = utf8(this.pendingOut.slice(0, at));
      this.pendingOut = this.pendingOut.slice(at + 2);
      this.written.push(line);
      const fields = line.split(' ');
      // QRY carries a 32-byte body and UUX an XML one, with no CRLF; each is recorded as its own row.
      const bodyLength = fields[0] === 'QRY' ? 32 : fields[0] === 'UUX' ? Number(fields[fields.length - 1]) : 0;
      if (bodyLength > 0 && this.pendingOut.length >= bodyLength) {
        this.written.push(utf8(this.pendingOut.slice(0, bodyLength)));
        this.pendingOut = this.pendingOut.slice(bodyLength);
      }
      for (const r of this.responders) {
        const answer = r(line, fields);
        if (answer === undefined) continue;
        const out = (Array.isArray(answer) ? answer : [answer]).map((a) => a.replaceAll('{trid}', fields[1] ?? '0'));
        // Answer asynchronously, as a socket would.
        queueMicrotask(() => this.lines(...out));
        break;
      }
    }
  }

  /** How the client closed it: `{ abort: true }` means at once, without waiting to flush. */
  closedWith: CloseOptions | undefined;

  close(options: CloseOptions = {}): void {
    if (this.state !== 'closed') this.closedWith = options;
    this.closeFrom(true);
  }

  /** The server side closes (error = a broken connection, none = a clean end). */
  serverClose(error?: ButterflyError): void {
    this.closeFrom(false, error);
  }

  private closeFrom(local: boolean, error?: ButterflyError): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeEmitter.fire({ local, error });
  }
}

export class ScriptedTransportFactory implements TransportFactory {
  readonly connections: ScriptedTransport[] = [];
  /** Called for each new connection so the test can script it; throw to refuse the connection. */
  constructor(private readonly script: (t: ScriptedTransport, index: number) => void) {}

  async connect(target: ConnectTarget): Promise<Transport> {
    const t = new ScriptedTransport(target);
    this.script(t, this.connections.length);
    this.connections.push(t);
    return t;
  }

  get last(): ScriptedTransport {
    return this.connections[this.connections.length - 1];
  }
}
