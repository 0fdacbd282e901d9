// Switchboard bookkeeping shared by the NS (XFR SB, RNG) and the SB connections: single-use cookies that expire,
// and conversations with their participants and idle timer. Participants are SB connections or the demo bot.
import { randomBytes, randomUUID } from 'node:crypto';
import { encodeParam } from './param-codec';

export interface Participant {
  readonly email: string;
  readonly nickname: string;
  /** The capabilities their NS session's CHG gave (`IRO`/`JOI` carry them from MSNP12). */
  readonly clientId: string;
  /** A message from another participant: `MSG email nick len` + payload. */
  deliver(from: Participant, payload: Buffer): void;
  joined(who: Participant): void;
  left(who: Participant, reason: 'out' | 'idle' | 'dropped'): void;
  /** The conversation is being closed by the server (idle timeout). */
  close(): void;
}

export interface CookieGrant {
  email: string;
  /** Set for RNG cookies: the conversation the invited user may answer. */
  sessionId?: string;
  /** The version of the NS session the cookie is for: the switchboard has no VER and speaks that one. */
  version: number;
  expires: number;
}

export class Conversation {
  readonly participants: Participant[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  messages = 0;

  constructor(
    readonly id: string,
    private readonly hub: SwitchboardHub,
  ) {
    this.touch();
  }

  has(email: string): boolean {
    return this.participants.some((p) => p.email.toLowerCase() === email.toLowerCase());
  }

  /** Adds a participant and tells everyone already present (`JOI`). */
  join(p: Participant): void {
    for (const other of this.participants) other.joined(p);
    this.participants.push(p);
    this.touch();
  }

  leave(p: Participant, reason: 'out' | 'idle' | 'dropped'): void {
    const i = this.participants.indexOf(p);
    if (i < 0) return;
    this.participants.splice(i, 1);
    for (const other of this.participants) other.left(p, reason);
    if (this.participants.length === 0) this.dispose();
  }

  /** Relays a payload to everyone but the sender; returns how many received it. */
  relay(from: Participant, payload: Buffer): number {
    this.touch();
    this.messages++;
    let n = 0;
    for (const p of [...this.participants]) {
      if (p === from) continue;
      p.deliver(from, payload);
      n++;
    }
    return n;
  }

  touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const ms = this.hub.idleTimeoutMs();
    if (ms > 0) this.idleTimer = setTimeout(() => this.expire(), ms);
  }

  private expire(): void {
    for (const p of [...this.participants]) p.close();
    this.dispose();
  }

  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.participants.length = 0;
    this.hub.forget(this);
  }
}

/** How the switchboard reaches the NS side: ring a signed-in user, or a bot that joins by itself. */
export interface RingTarget {
  ring(sessionId: string, cookie: string, callerEmail: string, callerNick: string): void;
  /** The NS session's version, which the invited side's switchboard speaks. */
  readonly version?: number;
}

export class SwitchboardHub {
  private readonly cookies = new Map<string, CookieGrant>();
  private readonly conversations = new Map<string, Conversation>();

  constructor(
    private readonly settings: { idleTimeoutMs: () => number; cookieTtlMs: () => number; now?: () => number },
  ) {}

  idleTimeoutMs(): number {
    return this.settings.idleTimeoutMs();
  }

  private now(): number {
    return (this.settings.now ?? Date.now)();
  }

  issueCookie(email: string, version: number, sessionId?: string): string {
    const now = this.now();
    for (const [c, g] of this.cookies) if (g.expires <= now) this.cookies.delete(c);
    const cookie = randomBytes(10).toString('hex');
    this.cookies.set(cookie, { email, sessionId, version, expires: now + this.settings.cookieTtlMs() });
    return cookie;
  }

  /** Single use: valid only for that account (and that conversation for RNG cookies) before it expires. */
  redeem(cookie: string, email: string, sessionId?: string): CookieGrant | undefined {
    const g = this.cookies.get(cookie);
    if (!g) return undefined;
    if (g.email.toLowerCase() !== email.toLowerCase() || g.sessionId !== sessionId || g.expires <= this.now()) return undefined;
    this.cookies.delete(cookie);
    return g;
  }

  create(): Conversation {
    const c = new Conversation(randomUUID(), this);
    this.conversations.set(c.id, c);
    return c;
  }

  get(id: string): Conversation | undefined {
    return this.conversations.get(id);
  }

  list(): Conversation[] {
    return [...this.conversations.values()];
  }

  forget(c: Conversation): void {
    this.conversations.delete(c.id);
  }

  closeAll(): void {
    for (const c of this.list()) c.dispose();
  }
}

export function msgLine(from: Participant, payload: Buffer): string {
  return `MSG ${from.email} ${encodeParam(from.nickname)} ${payload.length}`;
}
