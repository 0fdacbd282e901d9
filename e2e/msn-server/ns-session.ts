// One notification-server connection: version negotiation, MD5 and TWN sign-in, list sync and edits, presence,
// personal messages, switchboard requests, keep-alive and challenges. Shapes follow the captures (MSNP12: 15,
// MSNP8: 04/06/11, MSNP7: 01-03) and, for MSNP9–12, the reference's lines (msnp9-12.md); the MSNP10+ list edits are
// in guid-lists.ts.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { ServerConnection } from './connection';
import type { ServerContext } from './context';
import type { Account } from './directory';
import type { ListName } from './accounts';
import type { InboundFrame } from './frame-reader';
import { checkAnswer } from './challenge';
import { GuidLists } from './guid-lists';
import { decodeParam, encodeParam } from './param-codec';
import { readUux } from './personal-status';
import { PresenceRegistry, type Watcher } from './presence';
import { buildSyncReply, SYNC_STAMP } from './sync-reply';

const STATUSES = new Set(['NLN', 'BSY', 'IDL', 'BRB', 'AWY', 'PHN', 'LUN', 'HDN']);
const TWN_CHALLENGE = 'ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1';
/** Escargot's fixed answer to `GCF trid <any file>` (msnp9-12.md): LF line ends, tabs, 151 bytes. */
export const SHIELDS_XML = '<?xml version="1.0" encoding="utf-8" ?>\n<config>\n\t<shield><cli maj="7" min="0" minbld="0" maxbld="9999" deny=" " /></shield>\n\t<block></block>\n</config>';

export const md5Hex = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

type Pending = { method: 'MD5'; email: string; salt: string } | { method: 'TWN'; email: string };

export class NsSession implements Watcher {
  version = 0;
  account!: Account;
  status: string | null = null;
  clientId = '0';
  readonly shown = new Map<string, string>();
  private signedIn = false;
  /** Set when another sign-in took over (`OUT OTH` sent): the connection stays open but gets nothing more. */
  private replaced = false;
  private pending: Pending | undefined;
  private readonly challenges = new Map<string, NodeJS.Timeout>();
  private readonly guid = new GuidLists(this);
  private challengeTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly conn: ServerConnection,
    readonly ctx: ServerContext,
  ) {
    conn.handler = { onFrame: (f) => this.onFrame(f), onClose: () => this.onClose() };
    this.armIdle();
  }

  get email(): string | undefined {
    return this.signedIn ? this.account.email : undefined;
  }

  get isSignedIn(): boolean {
    return this.signedIn && !this.replaced && !this.conn.closed;
  }

  send(line: string, payload?: Buffer): void {
    if (!this.conn.closed) this.conn.send(line, payload);
  }

  get ubxEscaped(): boolean {
    return this.ctx.ubxEscaped;
  }

  /** Escargot drops a connection without a word for a known command with too few fields. */
  drop(): void {
    this.conn.end();
  }

  private armIdle(): void {
    if (this.ctx.timings.nsIdleTimeoutMs <= 0) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.conn.destroy(), this.ctx.timings.nsIdleTimeoutMs);
  }

  private onFrame(f: InboundFrame): void {
    this.armIdle();
    const [cmd] = f.fields;
    const a = f.fields;
    switch (cmd) {
      case 'VER':
        return this.ver(a);
      case 'CVR':
        return this.cvr(a);
      case 'INF':
        if (a.length < 2) return this.drop();
        return this.send(this.version >= 8 ? `502 ${a[1]}` : `INF ${a[1]} MD5`);
      case 'USR':
        return this.usr(a);
      case 'OUT':
        this.send('OUT');
        return this.conn.end();
      case 'PNG':
        // MSNP9+: `QNG 60`, the seconds until the next PNG is wanted (Escargot always says 60).
        if (!this.ctx.faults().stallPng) this.send(this.version >= 9 ? 'QNG 60' : 'QNG');
        return;
      case 'QRY':
        return this.qry(a, f.payload);
      default:
        break;
    }
    if (!this.signedIn || this.replaced) {
      // Commands that need a signed-in user: the real server closes the connection (below USR OK nothing but
      // VER/CVR/INF/USR/OUT/PNG is accepted). Unknown commands stay silent either way.
      if (NEEDS_LOGIN.has(cmd)) this.drop();
      return;
    }
    if (this.version >= 10 && this.guid.handles(cmd)) return this.guid.handle(a);
    switch (cmd) {
      case 'SYN':
        return this.syn(a);
      case 'UUX':
        return this.uux(a, f.payload);
      case 'GCF':
        return this.gcf(a);
      case 'CHG':
        return this.chg(a);
      case 'REA':
        return this.rea(a);
      case 'ADD':
        return this.add(a);
      case 'REM':
        return this.rem(a);
      case 'ADG':
        return this.adg(a);
      case 'RMG':
        return this.rmg(a);
      case 'REG':
        return this.reg(a);
      case 'GTC':
        return this.gtc(a);
      case 'BLP':
        return this.blp(a);
      case 'PRP':
        return this.prp(a);
      case 'XFR':
        return this.xfr(a);
      case 'SBP':
        // MSNP10+ only (guid-lists.ts): below, newer Escargot's `_m_sbp` closes the connection.
        return this.drop();
      default:
        // Unknown commands get no reply at all (capture 04, `ZZZ 10 unknown`).
        return;
    }
  }

  private ver(a: string[]): void {
    if (a.length < 3) return this.drop();
    if (this.version !== 0) {
      this.send(`715 ${a[1]}`);
      return this.conn.end();
    }
    const offered = new Set(a.slice(2).map((v) => /^MSNP(\d+)$/.exec(v)?.[1]).filter((v): v is string => v !== undefined).map(Number));
    const pick = this.ctx.versions.find((v) => offered.has(v));
    if (pick === undefined) {
      // Capture 03: `VER 1 0` followed by every version the server speaks; the connection stays open.
      this.send(`VER ${a[1]} 0 ${this.ctx.versions.map((v) => `MSNP${v}`).join(' ')}`);
      return;
    }
    this.version = pick;
    this.send(`VER ${a[1]} MSNP${pick}`);
  }

  private cvr(a: string[]): void {
    if (a.length < 8) return this.drop();
    const v = a[7];
    const url = this.ctx.httpBase();
    this.send(`CVR ${a[1]} ${v} ${v} ${v} ${url} ${url}`);
  }

  private usr(a: string[]): void {
    if (a.length < 5 || this.version === 0) return this.drop();
    const [, trid, method, step, arg] = a;
    if (this.signedIn) return this.send(`207 ${trid}`);
    const wanted = this.version >= 8 ? 'TWN' : 'MD5';
    if (method !== wanted) return this.drop();
    if (step === 'I') {
      const email = decodeParam(arg);
      if (this.ctx.redirect.remaining > 0) {
        this.ctx.redirect.remaining--;
        const here = this.ctx.nsAddress();
        return this.send(`XFR ${trid} NS ${this.ctx.redirect.target()} 0 ${here}`);
      }
      const account = this.ctx.directory.get(email);
      if (!account) {
        this.send(`911 ${trid}`);
        return this.conn.end();
      }
      if (method === 'MD5') {
        const salt = randomBytes(8).toString('hex').slice(0, 15);
        this.pending = { method: 'MD5', email: account.email, salt };
        return this.send(`USR ${trid} MD5 S ${salt}`);
      }
      this.pending = { method: 'TWN', email: account.email };
      return this.send(`USR ${trid} TWN S ${TWN_CHALLENGE}`);
    }
    if (step !== 'S') return this.drop();
    const p = this.pending;
    const account = p ? this.ctx.directory.get(p.email) : undefined;
    if (!p || !account) return this.send(`911 ${trid}`);
    let ok: boolean;
    if (p.method === 'MD5') {
      ok = arg.toLowerCase() === md5Hex(p.salt + account.password);
    } else {
      // Escargot: a `t=…` ticket counts by the 20 characters after `t=`, anything else as a whole.
      const ticket = arg.startsWith('t=') ? arg.slice(2, 22) : arg;
      ok = this.ctx.tickets.consume(ticket, account.email);
    }
    // Capture 02: a wrong hash gets `911 trid` and the connection stays open and silent.
    if (!ok) return this.send(`911 ${trid}`);
    this.pending = undefined;
    this.signIn(account, trid);
  }

  private signIn(account: Account, trid: string): void {
    this.account = account;
    this.signedIn = true;
    const previous = this.ctx.presence.get(account.email);
    if (previous instanceof NsSession && previous !== this) previous.takenOver();
    else if (previous) this.ctx.presence.delete(previous);
    this.ctx.presence.set(this);
    this.conn.transcript.email = account.email;
    const nick = encodeParam(account.nickname);
    // MSNP10+ leave the nickname out (it comes as PRP MFN in the list); MSNP8–9 `OK email nick 1 0`.
    this.send(this.version >= 10 ? `USR ${trid} OK ${account.email} 1 0` : this.version >= 8 ? `USR ${trid} OK ${account.email} ${nick} 1 0` : `USR ${trid} OK ${account.email} ${nick}`);
    if (this.ctx.loginBurst) this.sendLoginBurst();
    // The previous session's contacts now see this account as offline until the new session's first CHG.
    if (previous) this.ctx.presence.fanOut(account.email);
  }

  /** Current Escargot after `USR OK`: `SBS 0 null` (MSNP11+), then the profile `MSG Hotmail Hotmail` at every version. */
  private sendLoginBurst(): void {
    if (this.version >= 11) this.send('SBS 0 null');
    const body = Buffer.from(
      `MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsprofile; charset=UTF-8\r\nLoginTime: ${Math.floor(Date.now() / 1000)}\r\nEmailEnabled: 0\r\nMemberIdHigh: 0\r\nMemberIdLow: 0\r\nlang_preference: 1033\r\nCountry: US\r\nKid: 0\r\nFlags: 1027\r\nsid: 507\r\nClientIP: 127.0.0.1\r\n\r\n`,
      'utf8',
    );
    this.send(`MSG Hotmail Hotmail ${body.length}`, body);
  }

  /** Someone put this user on their FL: `ADC 0 RL N= F=` from MSNP10, `ADD 0 RL ver email nick` before. */
  addedBy(who: Account): void {
    if (this.version >= 10) this.send(`ADC 0 RL N=${who.email} F=${encodeParam(who.nickname)}`);
    else this.send(`ADD 0 RL ${this.account.listVersion} ${who.email} ${encodeParam(who.nickname)}`);
  }

  /** A second sign-in elsewhere: `OUT OTH`, and like the real server leave closing to the client. */
  takenOver(): void {
    this.ctx.presence.delete(this);
    this.replaced = true;
    this.stopChallenges();
    this.send('OUT OTH');
  }

  /** Server shutdown notice (fault switch): `OUT SSD`, then close. */
  shutdownNotice(closeAfterMs: number): void {
    this.send('OUT SSD');
    setTimeout(() => this.conn.end(), closeAfterMs);
  }

  private syn(a: string[]): void {
    if (a.length < (this.version >= 10 ? 4 : 3)) return this.drop();
    const trid = a[1];
    const acc = this.account;
    if (this.ctx.synSkipWhenCurrent && this.version >= 10 && a[2] === SYNC_STAMP && a[3] === SYNC_STAMP) return this.send(`SYN ${trid} ${SYNC_STAMP} ${SYNC_STAMP}`);
    if (this.ctx.synSkipWhenCurrent && this.version < 10 && Number(a[2]) === acc.listVersion) return this.send(`SYN ${trid} ${acc.listVersion}`);
    const { head, tail } = buildSyncReply(this.ctx.directory, acc, this.version, trid);
    const stamps = this.ctx.faults().synStamps;
    if (stamps !== null && this.version >= 10) head[0] = head[0].split(SYNC_STAMP).join(stamps);
    for (const line of head) this.send(line);
    if (this.ctx.faults().unsolicitedDuringSyn) {
      const body = Buffer.from(INITIAL_EMAIL_NOTICE, 'utf8');
      this.send(`MSG Hotmail Hotmail ${body.length}`, body);
      if (this.ctx.challenges) this.sendChallenge();
    }
    for (const line of tail) this.send(line);
  }

  private chg(a: string[]): void {
    // Capture 11: `CHG 6` without a status makes the server drop the connection without a reply.
    if (a.length < 3) return this.drop();
    const [, trid, status] = a;
    // MSNP8+: a CHG without a client id is silently ignored by Escargot.
    if (this.version >= 8 && a.length < 4) return;
    if (!STATUSES.has(status)) return this.send(`201 ${trid}`);
    const first = this.status === null;
    this.status = status;
    if (this.version >= 8) this.clientId = String(Number(a[3]) >>> 0);
    // MSNP9+: the msnobject, stored decoded and echoed re-encoded (only when one was sent, as Escargot).
    if (this.version >= 9) this.account.msnObject = a[4] === undefined ? '' : decodeParam(a[4]);
    const picture = this.version >= 9 && a[4] !== undefined ? ` ${PresenceRegistry.msnObjectField(this.account.msnObject)}` : '';
    this.send(this.version >= 8 ? `CHG ${trid} ${status} ${this.clientId}${picture}` : `CHG ${trid} ${status}`);
    if (first) {
      // Capture 06: the ILNs follow the CHG reply and carry its TrID.
      for (const c of this.account.contacts.values()) if (this.ctx.presence.watches(this, c.email)) this.ctx.presence.refresh(this, c.email, trid);
      if (this.ctx.challenges) this.startChallenges();
    }
    this.ctx.presence.fanOut(this.account.email);
  }

  private rea(a: string[]): void {
    if (a.length < 4) return this.drop();
    // MSNP10+: REA is gone (the checkout answers 502); PRP MFN sets the nickname.
    if (this.version >= 10) return this.send(`502 ${a[1]}`);
    const [, trid, emailParam, nickParam] = a;
    const email = decodeParam(emailParam);
    const nickname = decodeParam(nickParam);
    const r = this.ctx.directory.rename(this.account, email, nickname);
    if (!r.ok) return this.send(`${r.error} ${trid}`);
    // Capture 04: the reply carries the new list version and the nickname re-encoded the server's way.
    this.send(`REA ${trid} ${r.version} ${email} ${encodeParam(nickname)}`);
    if (email.toLowerCase() === this.account.email.toLowerCase()) this.ctx.presence.fanOut(this.account.email);
  }

  private parseList(s: string): ListName | undefined {
    return s === 'FL' || s === 'AL' || s === 'BL' || s === 'RL' ? s : undefined;
  }

  sessionOf(email: string): NsSession | undefined {
    const u = this.ctx.presence.get(email);
    return u instanceof NsSession && u.isSignedIn ? u : undefined;
  }

  private add(a: string[]): void {
    if (a.length < 5) return this.drop();
    if (this.version >= 10) return this.send(`502 ${a[1]}`);
    const [, trid, listParam, emailParam, nickParam, groupParam] = a;
    const list = this.parseList(listParam);
    if (!list) return this.send(`201 ${trid}`);
    const email = decodeParam(emailParam);
    const nickname = decodeParam(nickParam);
    const group = groupParam !== undefined ? Number(groupParam) : undefined;
    if (group !== undefined && !Number.isInteger(group)) return this.send(`224 ${trid}`);
    const newOnFl = list === 'FL' && !this.ctx.directory.hasOnList(this.account, email, 'FL');
    const r = this.ctx.directory.add(this.account, list, email, nickname, list === 'FL' ? group : undefined);
    if (!r.ok) return this.send(`${r.error} ${trid}`);
    const stored = this.ctx.directory.contact(this.account, email)?.email ?? email;
    const groupTail = list === 'FL' && this.version >= 7 ? ` ${group ?? 0}` : '';
    this.send(`ADD ${trid} ${list} ${r.version} ${stored} ${encodeParam(nickname)}${groupTail}`);
    const other = this.sessionOf(email);
    if (list === 'FL') {
      // The reverse-list notice to the added user (classic order `ADD 0 RL ver email nick`).
      other?.addedBy(this.account);
      // The new contact's presence follows (lists.md), even when it was sent before they were on FL (presenceToEveryEntry).
      if (newOnFl) this.shown.delete(email.toLowerCase());
      this.ctx.presence.refresh(this, email);
    } else if (other) {
      this.ctx.presence.refresh(other, this.account.email);
    }
  }

  private rem(a: string[]): void {
    if (a.length < 4) return this.drop();
    const [, trid, listParam, emailParam, groupParam] = a;
    const list = this.parseList(listParam);
    // Escargot closes the connection when a client tries to edit its reverse list.
    if (list === 'RL') return this.drop();
    if (!list) return this.send(`201 ${trid}`);
    const email = decodeParam(emailParam);
    const group = list === 'FL' && groupParam !== undefined ? Number(groupParam) : undefined;
    if (group !== undefined && !Number.isInteger(group)) return this.send(`224 ${trid}`);
    const wasOnFl = this.ctx.directory.hasOnList(this.account, email, 'FL');
    const r = this.ctx.directory.remove(this.account, list, email, group);
    if (!r.ok) return this.send(`${r.error} ${trid}`);
    this.send(`REM ${trid} ${list} ${r.version} ${email}${group !== undefined ? ` ${group}` : ''}`);
    const other = this.sessionOf(email);
    if (list === 'FL' && wasOnFl && !this.ctx.directory.hasOnList(this.account, email, 'FL')) {
      const otherAccount = this.ctx.directory.get(email);
      // Escargot's MSNP10+ tell nobody about a removal.
      if (other && otherAccount && other.version < 10) other.send(`REM 0 RL ${otherAccount.listVersion} ${this.account.email}`);
      // The client removed them itself: forget what it saw without sending FLN.
      this.shown.delete(email.toLowerCase());
    } else if (other) {
      this.ctx.presence.refresh(other, this.account.email);
    }
  }

  private adg(a: string[]): void {
    if (a.length < 3) return this.drop();
    const name = decodeParam(a[2]);
    const r = this.ctx.directory.addGroup(this.account, name);
    if (!r.ok) return this.send(`${r.error} ${a[1]}`);
    this.send(`ADG ${a[1]} ${r.version} ${encodeParam(name)} ${r.id} 0`);
  }

  private rmg(a: string[]): void {
    if (a.length < 3) return this.drop();
    const id = Number(a[2]);
    if (!Number.isInteger(id)) return this.send(`224 ${a[1]}`);
    const r = this.ctx.directory.removeGroup(this.account, id);
    if (!r.ok) return this.send(`${r.error} ${a[1]}`);
    this.send(`RMG ${a[1]} ${r.version} ${id}`);
  }

  private reg(a: string[]): void {
    if (a.length < 4) return this.drop();
    const id = Number(a[2]);
    if (!Number.isInteger(id)) return this.send(`224 ${a[1]}`);
    const name = decodeParam(a[3]);
    const r = this.ctx.directory.renameGroup(this.account, id, name);
    if (!r.ok) return this.send(`${r.error} ${a[1]}`);
    this.send(`REG ${a[1]} ${r.version} ${id} ${encodeParam(name)} 0`);
  }

  private gtc(a: string[]): void {
    if (a.length < 3) return this.drop();
    if (a[2] !== 'A' && a[2] !== 'N') return this.send(`201 ${a[1]}`);
    if (this.ctx.faults().privacyNotKept) return this.send(`GTC ${a[1]} ${this.account.listVersion} ${a[2]}`);
    const r = this.ctx.directory.setGtc(this.account, a[2]);
    if (!r.ok) return this.send(`${r.error} ${a[1]}`);
    this.send(`GTC ${a[1]} ${r.version} ${a[2]}`);
  }

  private blp(a: string[]): void {
    if (a.length < 3) return this.drop();
    if (a[2] !== 'AL' && a[2] !== 'BL') return this.send(`201 ${a[1]}`);
    if (this.ctx.faults().privacyNotKept) return this.send(`BLP ${a[1]} ${this.account.listVersion} ${a[2]}`);
    const r = this.ctx.directory.setBlp(this.account, a[2]);
    if (!r.ok) return this.send(`${r.error} ${a[1]}`);
    this.send(`BLP ${a[1]} ${r.version} ${a[2]}`);
    for (const w of this.ctx.presence.watchers()) this.ctx.presence.refresh(w, this.account.email);
  }

  private prp(a: string[]): void {
    if (a.length < 3) return this.drop();
    const [, trid, k, value] = a;
    if (k !== 'PHH' && k !== 'PHW' && k !== 'PHM' && k !== 'MOB') return this.send(`201 ${trid}`);
    const decoded = value === undefined ? '' : decodeParam(value);
    if (k === 'MOB') {
      if (decoded !== 'Y' && decoded !== 'N') return this.send(`201 ${trid}`);
      this.account.phones.MOB = decoded;
    } else if (decoded === '') delete this.account.phones[k];
    else this.account.phones[k] = decoded;
    this.account.listVersion += 1;
    this.send(`PRP ${trid} ${this.account.listVersion} ${k}${decoded === '' ? '' : ` ${encodeParam(decoded)}`}`);
  }

  private xfr(a: string[]): void {
    if (a.length < 3) return this.drop();
    const [, trid, kind] = a;
    // Capture 04: `XFR 9 NS` from a signed-in client → 201.
    if (kind !== 'SB') return this.send(`201 ${trid}`);
    // The official servers and current Escargot refuse an SB before the first CHG and while HDN; the 2017 Escargot
    // hands one out anyway (presence.md, versions.md): `xfrSbWhenHidden` picks which.
    if ((this.status === null || this.status === 'HDN') && this.ctx.faults().xfrSbWhenHidden === '913') return this.send(`913 ${trid}`);
    const cookie = this.ctx.switchboard.issueCookie(this.account.email, this.version);
    this.send(`XFR ${trid} SB ${this.ctx.sbAddress()} CKI ${cookie}`);
  }

  /** A switchboard invitation for this user (`RNG`). */
  ring(sessionId: string, cookie: string, callerEmail: string, callerNick: string): void {
    this.send(`RNG ${sessionId} ${this.ctx.sbAddress()} CKI ${cookie} ${callerEmail} ${encodeParam(callerNick)}`);
  }

  private startChallenges(): void {
    this.sendChallenge();
    const every = this.ctx.timings.challengeIntervalMs;
    if (every > 0 && !this.challengeTimer) this.challengeTimer = setInterval(() => this.sendChallenge(), every);
  }

  private stopChallenges(): void {
    if (this.challengeTimer) clearInterval(this.challengeTimer);
    this.challengeTimer = undefined;
    for (const t of this.challenges.values()) clearTimeout(t);
    this.challenges.clear();
  }

  /** `CHL 0 <digits>`; no valid QRY within challengeTimeoutMs drops the connection. */
  sendChallenge(): void {
    if (this.conn.closed) return;
    const challenge = Array.from({ length: 20 }, () => randomInt(10)).join('');
    this.challenges.set(
      challenge,
      setTimeout(() => this.conn.destroy(), this.ctx.timings.challengeTimeoutMs),
    );
    this.send(`CHL 0 ${challenge}`);
  }

  private qry(a: string[], payload: Buffer | undefined): void {
    if (a.length < 4 || !payload) return this.drop();
    const [, trid, productId] = a;
    // The real server has no QRY handler at all: without an outstanding challenge, stay silent.
    if (this.challenges.size === 0) return;
    const answer = payload.toString('latin1');
    for (const [challenge, timer] of this.challenges) {
      // MD5 up to MSNP10, the MSNP11 algorithm from MSNP11 (challenge.ts, the server's own implementation).
      if (checkAnswer(challenge, productId, answer, this.version)) {
        clearTimeout(timer);
        this.challenges.delete(challenge);
        return this.send(`QRY ${trid}`);
      }
    }
    this.send(`540 ${trid}`);
    this.conn.end();
  }

  /** `UUX trid len` + XML (MSNP11+): the personal message and now playing; a malformed body drops the connection. */
  private uux(a: string[], payload: Buffer | undefined): void {
    if (this.version < 11) return this.drop();
    if (a.length < 3 || !payload) return this.drop();
    const outcome = readUux(payload);
    if (outcome.kind === 'drop') return this.drop();
    this.send(`UUX ${a[1]} 0`);
    if (outcome.kind === 'unchanged') return;
    this.account.personalMessage = outcome.personalMessage;
    this.account.currentMedia = outcome.currentMedia;
    this.ctx.presence.fanOut(this.account.email);
  }

  /** `GCF trid file` (MSNP11+): the fixed Shields.xml for any name; newer Escargot closes the connection below 11. */
  private gcf(a: string[]): void {
    if (this.version < 11 || a.length < 3) return this.drop();
    const body = Buffer.from(SHIELDS_XML, 'utf8');
    this.send(`GCF ${a[1]} ${a[2]} ${body.length}`, body);
  }

  private onClose(): void {
    this.stopChallenges();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.signedIn && this.ctx.presence.delete(this)) this.ctx.presence.fanOut(this.account.email);
  }
}

const INITIAL_EMAIL_NOTICE =
  'MIME-Version: 1.0\r\nContent-Type: text/x-msmsgsinitialemailnotification; charset=UTF-8\r\n\r\nInbox-Unread: 3\r\nFolders-Unread: 0\r\nInbox-URL: /cgi-bin/HoTMaiL\r\nFolders-URL: /cgi-bin/folders\r\nPost-URL: http://127.0.0.1/\r\n\r\n';

const NEEDS_LOGIN = new Set(['SYN', 'CHG', 'REA', 'ADD', 'ADC', 'REM', 'ADG', 'RMG', 'REG', 'GTC', 'BLP', 'PRP', 'SBP', 'UUX', 'GCF', 'XFR']);
