// One switchboard connection: USR (caller, with the XFR cookie) or ANS (invited, with the RNG cookie), then
// CAL/MSG/OUT. Shapes and quirks follow captures 09 and 10: the invited side gets its own JOI before the IRO
// roster, CAL of someone not on the caller's FL is 205, ACK only for modes A and D, no echo to the sender; someone
// leaving, by OUT or a dropped connection, is `BYE email` to the others (Escargot), `BYE email 1` only when the server
// itself drops them (timeOut). From MSNP12 IRO/JOI end in the member's capabilities (the version is the NS session's,
// kept with the cookie); `sbCapabilitiesFrom: 13` leaves them out until MSNP13, as Escargot. Fault switches: NAK
// instead of relaying, one-shot drops at a command.
import type { ServerConnection } from './connection';
import type { ServerContext } from './context';
import type { Account } from './directory';
import type { InboundFrame } from './frame-reader';
import { decodeParam, encodeParam } from './param-codec';
import { msgLine, type Conversation, type Participant, type RingTarget } from './switchboard-hub';

const ACK_MODES = new Set(['U', 'N', 'A', 'D', 'S']);

export class SbSession implements Participant {
  email = '';
  nickname = '';
  clientId = '0';
  /** The NS session's version (from the cookie): from MSNP12 (Escargot: 13) IRO/JOI carry the capabilities. */
  private version = 8;
  private conversation: Conversation | undefined;
  private leaving: 'out' | 'idle' | 'dropped' = 'dropped';

  constructor(
    readonly conn: ServerConnection,
    private readonly ctx: ServerContext,
    /** Finds whom to ring for a CAL: a signed-in NS session or a bot. */
    private readonly ringTarget: (email: string) => (RingTarget & { joinsAtOnce?: (c: Conversation) => void }) | undefined,
  ) {
    conn.handler = { onFrame: (f) => this.onFrame(f), onClose: () => this.onClose() };
  }

  get conversationId(): string | undefined {
    return this.conversation?.id;
  }

  private drop(): void {
    this.conn.end();
  }

  private onFrame(f: InboundFrame): void {
    const a = f.fields;
    const drop = this.ctx.takeSbDrop(a[0]);
    if (drop === 'before') return this.conn.destroy();
    this.handle(f);
    // Inside a command, end() goes out after that command's answer.
    if (drop === 'after') this.conn.end();
  }

  private handle(f: InboundFrame): void {
    const a = f.fields;
    switch (a[0]) {
      case 'USR':
        return this.usr(a);
      case 'ANS':
        return this.ans(a);
      case 'CAL':
        return this.cal(a);
      case 'MSG':
        return this.msg(a, f.payload);
      case 'OUT':
        this.leaving = 'out';
        this.conn.send('OUT');
        return this.conn.end();
      default:
        return;
    }
  }

  private usr(a: string[]): void {
    if (a.length < 4) return this.drop();
    const [, trid, emailParam, cookie] = a;
    if (this.conversation) return this.conn.send(`207 ${trid}`);
    const email = decodeParam(emailParam);
    const account = this.ctx.directory.get(email);
    const grant = account && this.ctx.switchboard.redeem(cookie, email);
    if (!account || !grant) {
      this.conn.send(`911 ${trid}`);
      return this.conn.end();
    }
    this.signedIn(account, grant.version);
    this.conversation = this.ctx.switchboard.create();
    this.conversation.join(this);
    this.conn.send(`USR ${trid} OK ${account.email} ${encodeParam(account.nickname)}`);
  }

  private ans(a: string[]): void {
    if (a.length < 5) return this.drop();
    const [, trid, emailParam, cookie, sessionId] = a;
    if (this.conversation) return this.conn.send(`207 ${trid}`);
    const email = decodeParam(emailParam);
    const account = this.ctx.directory.get(email);
    const conv = this.ctx.switchboard.get(sessionId);
    const grant = account && conv && this.ctx.switchboard.redeem(cookie, email, sessionId);
    if (!account || !conv || !grant) {
      this.conn.send(`911 ${trid}`);
      return this.conn.end();
    }
    this.signedIn(account, grant.version);
    this.conversation = conv;
    const others = [...conv.participants];
    // Capture 10: the invited side's own JOI comes first, then the roster, then ANS OK.
    this.joined(this);
    others.forEach((p, i) => this.conn.send(`IRO ${trid} ${i + 1} ${others.length} ${this.member(p)}`));
    this.conn.send(`ANS ${trid} OK`);
    conv.join(this);
  }

  /** Who this connection is: the account, its NS session's capabilities and version. */
  private signedIn(account: Account, version: number): void {
    this.email = account.email;
    this.nickname = account.nickname;
    this.clientId = this.ctx.presence.get(account.email)?.clientId ?? '0';
    this.version = version;
    this.conn.transcript.email = account.email;
  }

  /** `email nick` on IRO/JOI, and the capabilities from MSNP12 (the official servers) or 13 (Escargot). */
  private member(p: Participant): string {
    const caps = this.version >= this.ctx.faults().sbCapabilitiesFrom ? ` ${p.clientId}` : '';
    return `${p.email} ${encodeParam(p.nickname)}${caps}`;
  }

  private cal(a: string[]): void {
    if (a.length < 3) return this.drop();
    const trid = a[1];
    const conv = this.conversation;
    if (!conv) return this.drop();
    const email = decodeParam(a[2]);
    const caller = this.ctx.directory.get(this.email);
    if (conv.has(email)) return this.conn.send(`215 ${trid}`);
    // Capture 09: Escargot answers 205 for anyone not on the caller's forward list (real MSN said 217).
    if (!caller || !this.ctx.directory.hasOnList(caller, email, 'FL') || !this.ctx.directory.get(email)) return this.conn.send(`205 ${trid}`);
    const target = this.ringTarget(email);
    const presence = this.ctx.presence.get(email);
    const calleeAccount = this.ctx.directory.get(email);
    if (!target || !presence || presence.status === null || presence.status === 'HDN' || !calleeAccount || !this.ctx.directory.allows(calleeAccount, this.email)) {
      return this.conn.send(`217 ${trid}`);
    }
    this.conn.send(`CAL ${trid} RINGING ${conv.id}`);
    if (target.joinsAtOnce) return target.joinsAtOnce(conv);
    const cookie = this.ctx.switchboard.issueCookie(calleeAccount.email, target.version ?? 8, conv.id);
    const ring = () => target.ring(conv.id, cookie, this.email, this.nickname);
    const slow = this.ctx.faults().ringDelay;
    if (slow && slow.email.toLowerCase() === calleeAccount.email.toLowerCase()) setTimeout(ring, slow.ms);
    else ring();
  }

  private msg(a: string[], payload: Buffer | undefined): void {
    if (a.length < 4 || !payload) return this.drop();
    const [, trid, mode] = a;
    if (!this.conversation) return this.drop();
    if (!ACK_MODES.has(mode)) return this.drop();
    if (mode !== 'U' && this.ctx.takeNak()) return this.conn.send(`NAK ${trid}`);
    const delivered = this.conversation.relay(this, payload);
    if (delivered === 0 && this.ctx.nakWhenAlone && mode !== 'U') return this.conn.send(`NAK ${trid}`);
    if ((mode === 'A' || mode === 'D') && !this.ctx.faults().dropAck) this.conn.send(`ACK ${trid}`);
  }

  deliver(from: Participant, payload: Buffer): void {
    this.conn.send(msgLine(from, payload), payload);
  }

  joined(who: Participant): void {
    this.conn.send(`JOI ${this.member(who)}`);
  }

  left(who: Participant, reason: 'out' | 'idle' | 'dropped'): void {
    this.conn.send(reason === 'idle' ? `BYE ${who.email} 1` : `BYE ${who.email}`);
  }

  close(): void {
    this.leaving = 'idle';
    this.conversation = undefined;
    this.conn.end();
  }

  /** The server drops this participant as timed out: the others get `BYE email 1`. */
  timeOut(): void {
    this.leaving = 'idle';
    this.conn.destroy();
  }

  private onClose(): void {
    const conv = this.conversation;
    this.conversation = undefined;
    conv?.leave(this, this.leaving);
  }
}
