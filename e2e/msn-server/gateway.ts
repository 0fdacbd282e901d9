// The HTTP polling gateway (capture 13, protocol/http-gateway.md) in front of the same NS and SB logic: each
// gateway session is a Link whose writes wait in a queue until the client's next POST collects them. Like
// Escargot, a POST without SessionID opens a session (Action is ignored; Server=SB picks the switchboard), the
// session id never changes, answers to a POST's commands come in that POST's body, and once the server has
// closed a session its id is dead (400) — no `Session=close` is sent.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Link } from './connection';

export interface GatewayHost {
  /** Creates the NS or SB connection behind a new gateway session. */
  open(server: 'ns' | 'sb', link: Link): { receive(chunk: Buffer): void; markClosed(): void; destroy(): void };
  idleTimeoutMs(): number;
  gwIp(): string;
  maxBodyBytes: number;
}

class GatewaySession implements Link {
  readonly via = 'gateway' as const;
  readonly id = randomUUID();
  private out: Buffer[] = [];
  /** The server ended the connection: deliver what is queued, then the id is dead. */
  ending = false;
  dead = false;
  busy = false;
  conn!: { receive(chunk: Buffer): void; markClosed(): void; destroy(): void };
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly remote: string,
    private readonly onIdle: (s: GatewaySession) => void,
    private readonly idleMs: number,
  ) {
    this.touch();
  }

  write(data: Buffer): void {
    if (!this.dead) this.out.push(Buffer.from(data));
  }

  end(): void {
    this.ending = true;
  }

  destroy(): void {
    this.dead = true;
    this.out = [];
    if (this.idleTimer) clearTimeout(this.idleTimer);
  }

  take(): Buffer {
    const b = Buffer.concat(this.out);
    this.out = [];
    return b;
  }

  touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.idleMs > 0) this.idleTimer = setTimeout(() => this.onIdle(this), this.idleMs);
  }
}

export class Gateway {
  private readonly sessions = new Map<string, GatewaySession>();

  constructor(private readonly host: GatewayHost) {}

  count(): number {
    return [...this.sessions.values()].filter((s) => !s.dead).length;
  }

  busyCount(): number {
    return [...this.sessions.values()].filter((s) => !s.dead && s.busy).length;
  }

  private corsHeaders(): Record<string, string> {
    return {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'POST',
      'Access-Control-Expose-Headers': 'X-MSN-Messenger',
    };
  }

  options(res: ServerResponse): void {
    res.writeHead(200, { ...this.corsHeaders(), 'Access-Control-Allow-Headers': 'Content-Type', 'Content-Length': '0' });
    res.end();
  }

  private badRequest(res: ServerResponse): void {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '0' });
    res.end();
  }

  async post(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const sessionId = url.searchParams.get('SessionID');
    let s: GatewaySession | undefined;
    if (sessionId !== null) {
      s = this.sessions.get(sessionId);
      // Unknown or closed session, or a second request while one is in flight: 400, as the gateways do.
      if (!s || s.dead || s.busy) {
        req.resume();
        return this.badRequest(res);
      }
      s.busy = true;
    }
    let body: Buffer;
    try {
      body = await readBody(req, this.host.maxBodyBytes);
    } catch {
      if (s) s.busy = false;
      res.writeHead(413, { 'Content-Length': '0' });
      res.end();
      return;
    }
    if (!s) {
      const server = url.searchParams.get('Server') === 'SB' ? 'sb' : 'ns';
      s = new GatewaySession(`${req.socket.remoteAddress}:${req.socket.remotePort}`, (x) => this.expire(x), this.host.idleTimeoutMs());
      s.conn = this.host.open(server, s);
      this.sessions.set(s.id, s);
      s.busy = true;
    }
    s.touch();
    if (body.length > 0) s.conn.receive(body);
    // Let replies written in this turn (and immediate follow-ups) land in this response.
    await new Promise((r) => setImmediate(r));
    const out = s.take();
    s.busy = false;
    if (s.ending || s.dead) {
      s.dead = true;
      s.conn.markClosed();
      this.sessions.delete(s.id);
    }
    res.writeHead(200, {
      ...this.corsHeaders(),
      'X-MSN-Messenger': `SessionID=${s.id}; GW-IP=${this.host.gwIp()}`,
      'Content-Type': 'application/x-msn-messenger',
      'Content-Length': String(out.length),
    });
    res.end(out);
  }

  private expire(s: GatewaySession): void {
    s.dead = true;
    this.sessions.delete(s.id);
    s.conn.markClosed();
  }

  closeAll(): void {
    for (const s of this.sessions.values()) {
      s.dead = true;
      s.conn.markClosed();
      s.destroy();
    }
    this.sessions.clear();
  }
}

export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
