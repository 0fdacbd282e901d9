// One signed-in notification-server connection: list sync, presence, list management with optimistic changes rolled
// back on server errors, challenges, keep-alive pings with a dead-connection detector, and OUT handling.
// It never reconnects by itself: it closes once, with a reason, and the connection manager decides what comes next.
// What the server may push is bounded (ListLimits): the list's size, and unsolicited list changes by a token bucket —
// a flood ends the connection as a garbled stream instead of growing memory and work without end.
// What it has to tell goes out on one stream (onEvent): the account's events, plus 'list-changed' for the connection
// manager, which turns changes into list snapshots. A new kind of news is a new event type, not a new emitter.
import { DisposableStore, Emitter, type Disposable } from '../../src-shared/disposable';
import { ButterflyError } from '../../src-shared/errors';
import type { AccountEvent, ContactListSnapshot, ListName, OwnStatus, PresenceStatus } from '../../src-shared/messenger-types';
import type { ClientCommandName } from '../protocol/command-names';
import type { Clock } from './clock';
import { ContactList, type SavedContact, type SavedGroup } from './contact-list';
import { joinCut, ListSync } from './list-sync';
import type { MsnpChannel } from './msnp-channel';
import type { OwnProfileModel } from './own-profile';
import { sessionErrors } from './session-errors';
import type { SignedIn } from './sign-in';
import { TokenBucket, type TokenBudget } from './token-bucket';
import type { Incoming } from './wire';

export type SessionEndReason = 'user' | 'elsewhere' | 'server-shutdown' | 'lost';

export interface SessionEnd {
  reason: SessionEndReason;
  error?: ButterflyError;
}

/** What a session tells: the account's own events, and that the list changed (the manager snapshots it, coalesced). */
export type SessionEvent = AccountEvent | { type: 'list-changed' };

export interface PresenceUpdate {
  email: string;
  status: PresenceStatus;
  nickname: string;
  clientId: number;
}

export interface ChallengeAnswer {
  productId: string;
  /** 32 lower-case hex characters. */
  answer: string;
}

export interface NotificationSessionOptions {
  clock: Clock;
  /** Capability bits sent with CHG (MSNP8+). */
  clientId: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  syncTimeoutMs: number;
  answerChallenge: (challenge: string) => ChallengeAnswer;
  limits?: Partial<ListLimits>;
}

export interface ListLimits {
  /** Most contacts (people on any of FL/AL/BL/RL) a list may have; beyond it the sign-in ends with "list too large". */
  maxContacts: number;
  maxGroups: number;
  /** Unsolicited list changes (someone adding or removing you, list lines outside a download). */
  unsolicitedChanges: TokenBudget;
}

/**
 * 30,000 contacts (MSN itself capped the forward list at 150, later 1,000; the reverse list has no cap, and 30,000 is
 * still cheap: a few MB per snapshot), 1,000 groups (MSN allowed 30), and 10,000 unsolicited changes at once, then 20
 * a second (a person's list changes a few times a day).
 */
export const DEFAULT_LIST_LIMITS: ListLimits = { maxContacts: 30_000, maxGroups: 1_000, unsolicitedChanges: { burst: 10_000, perSecond: 20 } };

const STATUSES = new Set<PresenceStatus>(['NLN', 'BSY', 'IDL', 'BRB', 'AWY', 'PHN', 'LUN', 'HDN', 'FLN']);

export class NotificationSession implements Disposable {
  private readonly channel: MsnpChannel;
  private readonly store = new DisposableStore();
  private readonly sync: ListSync;
  private syncDone: (() => void) | undefined;
  private heldPresence = new Map<string, PresenceUpdate>();
  private readonly limits: ListLimits;
  private readonly unsolicitedChanges: TokenBucket;
  /** Finishes the line before a stray one when that line ended right after a nickname: the stray line is its rest. */
  private continuation: ((tail: string) => void) | undefined;
  /** The list as it was before a download began: put back if the download never finishes, so a connection cut off
   * mid-SYN leaves the last whole list (and its version) rather than half of one. */
  private listBeforeSync: ContactListSnapshot | undefined;
  private pingTimer: Disposable | undefined;
  private pongTimer: Disposable | undefined;
  private nextPingMs: number;
  private outReason: SessionEndReason | undefined;
  private ended = false;
  private endErrorValue: ButterflyError | undefined;
  private tempGroupSeq = 0;
  readonly version: number;
  /** The address signed in with, as the server spelled it. */
  readonly email: string;

  private readonly events = new Emitter<SessionEvent>();
  private readonly didEnd = new Emitter<SessionEnd>();
  private readonly unhandled = new Emitter<Incoming>();
  readonly onEvent = this.events.event;
  readonly onDidEnd = this.didEnd.event;
  /** Commands this session does not handle itself (RNG, XFR SB replies' relatives, MSG, NOT, ...): for the switchboard layer. */
  readonly onUnhandled = this.unhandled.event;

  constructor(
    signedIn: SignedIn,
    readonly list: ContactList,
    /** The account's profile: this session changes its nickname and status as the server confirms them. */
    private readonly profile: OwnProfileModel,
    private readonly options: NotificationSessionOptions,
  ) {
    this.channel = signedIn.channel;
    this.version = signedIn.version;
    this.email = signedIn.email;
    this.sync = new ListSync(list, this.version);
    this.limits = { ...DEFAULT_LIST_LIMITS, ...options.limits };
    this.unsolicitedChanges = new TokenBucket(this.limits.unsolicitedChanges, options.clock);
    this.nextPingMs = options.pingIntervalMs;
    this.store.add(this.channel.onUnsolicited((frame) => this.onFrame(frame)));
    this.store.add(this.channel.onStrayLine((line) => this.onStrayLine(line)));
    this.store.add(this.channel.onDidClose((info) => this.end(this.outReason ?? (info.local && !info.error ? 'user' : 'lost'), info.error)));
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Why the session ended (undefined while open, or after a polite sign-out). */
  get endError(): ButterflyError | undefined {
    return this.endErrorValue;
  }

  // ── start-up ─────────────────────────────────────────────────────────────────────────────────────────────────

  /** SYN with the cached version; resolves when the list is complete (or the cache was current). */
  async synchronize(): Promise<void> {
    const cached = this.list.version;
    this.listBeforeSync = this.list.snapshot();
    let unchanged = false;
    await this.channel.request('SYN', [String(cached)], {
      timeoutMs: this.options.syncTimeoutMs,
      onReply: (reply) => (unchanged = this.sync.begin(reply, cached)),
    });
    if (unchanged) {
      // The cached list is the list: finish as after a download, so undecided RL people are asked about again.
      this.finishSync();
      return;
    }
    const announced = this.sync.announced;
    const tooLarge =
      announced.contacts > this.limits.maxContacts
        ? sessionErrors.listTooLarge('contacts', this.limits.maxContacts, announced.contacts)
        : announced.groups > this.limits.maxGroups
          ? sessionErrors.listTooLarge('groups', this.limits.maxGroups, announced.groups)
          : undefined;
    if (tooLarge) {
      this.channel.close(tooLarge);
      throw tooLarge;
    }
    // The connection may have ended in the same read as the SYN reply (a fatal line right after it).
    if (this.ended) throw this.endErrorValue ?? sessionErrors.closed('during the contact list download');
    if (!this.sync.complete) {
      await new Promise<void>((resolve, reject) => {
        const timer = this.options.clock.setTimeout(() => {
          const error = sessionErrors.timeout('the contact list download', this.options.syncTimeoutMs);
          this.channel.close(error);
          reject(error);
        }, this.options.syncTimeoutMs);
        const closed = this.didEnd.event((end) => reject(end.error ?? sessionErrors.closed('during the contact list download')));
        this.syncDone = () => {
          timer.dispose();
          closed.dispose();
          resolve();
        };
      });
    }
    this.finishSync();
  }

  private finishSync(): void {
    this.listBeforeSync = undefined;
    this.sync.end();
    this.syncDone = undefined;
    for (const p of this.heldPresence.values()) this.applyPresence(p);
    this.heldPresence.clear();
    this.listChanged();
    if (this.list.gtc === 'A') for (const c of this.list.pendingReverse()) this.events.fire({ type: 'added-you', email: c.email, nickname: c.nickname });
  }

  /** Starts the keep-alive pings; call once signed in. */
  startKeepAlive(): void {
    this.schedulePing();
  }

  /** Sends any other NS command (e.g. `XFR SB` for the switchboard layer) with TrID correlation and a timeout. */
  request(command: ClientCommandName, args: string[]): Promise<Incoming> {
    return this.channel.request(command, args);
  }

  // ── own presence ─────────────────────────────────────────────────────────────────────────────────────────────

  async setStatus(status: OwnStatus): Promise<void> {
    const args = this.version >= 8 ? [status, String(this.options.clientId >>> 0)] : [status];
    const reply = await this.channel.request('CHG', args);
    this.profile.update({ status: (reply.args[0] as OwnStatus) ?? status });
  }

  /** `nickname` is already URL-encoded. */
  async setNickname(nickname: string): Promise<void> {
    const reply = await this.channel.request('REA', [this.email, nickname]);
    // REA trid ver email nick
    this.setListVersion(reply.args[0]);
    this.profile.update({ nickname: reply.args[2] ?? nickname });
  }

  // ── list management (optimistic; rolled back on error) ───────────────────────────────────────────────────────

  async addContact(email: string, groupId?: string): Promise<void> {
    const before = this.list.get(email);
    const steps: Step[] = [{ list: 'FL', add: true, email, group: groupId ?? this.defaultGroup }];
    if (!before?.lists.AL && !before?.lists.BL) steps.push({ list: 'AL', add: true, email });
    await this.runSteps(email, steps);
  }

  async removeContact(email: string): Promise<void> {
    await this.runSteps(email, [{ list: 'FL', add: false, email }]);
  }

  async blockContact(email: string): Promise<void> {
    await this.runSteps(email, this.privacySteps(email, false));
  }

  async unblockContact(email: string): Promise<void> {
    await this.runSteps(email, this.privacySteps(email, true));
  }

  async moveContact(email: string, fromGroupId: string, toGroupId: string): Promise<void> {
    if (fromGroupId === toGroupId) return;
    await this.runSteps(email, [
      { list: 'FL', add: true, email, group: toGroupId },
      { list: 'FL', add: false, email, group: fromGroupId },
    ]);
  }

  /** The reverse-list prompt's answer. */
  async answerAddedYou(email: string, allow: boolean, addBack: boolean): Promise<void> {
    const steps = this.privacySteps(email, allow);
    if (addBack && !this.list.get(email)?.lists.FL) steps.push({ list: 'FL', add: true, email, group: this.defaultGroup });
    await this.runSteps(email, steps);
  }

  /** Allowing puts someone on AL (off BL); blocking the reverse. AL and BL exclude each other on the server. */
  private privacySteps(email: string, allow: boolean): Step[] {
    const c = this.list.get(email);
    const [to, from]: ListName[] = allow ? ['AL', 'BL'] : ['BL', 'AL'];
    const steps: Step[] = [];
    if (c?.lists[from]) steps.push({ list: from, add: false, email });
    if (!c?.lists[to]) steps.push({ list: to, add: true, email });
    return steps;
  }

  /** Where a contact added without a group goes: group 0 from MSNP7 on; older versions have no groups. */
  private get defaultGroup(): string | undefined {
    return this.version >= 7 ? '0' : undefined;
  }

  /** `name` is already URL-encoded. Resolves with the server's group id. */
  async addGroup(name: string): Promise<string> {
    const tempId = `pending-${++this.tempGroupSeq}`;
    this.list.putGroup(tempId, name);
    this.listChanged();
    try {
      const reply = await this.channel.request('ADG', [name, '0']);
      // ADG trid ver name id 0
      this.list.removeGroup(tempId);
      this.setListVersion(reply.args[0]);
      const id = reply.args[2] ?? '';
      this.list.putGroup(id, reply.args[1] ?? name);
      this.listChanged();
      return id;
    } catch (error) {
      this.list.removeGroup(tempId);
      this.listChanged();
      throw error;
    }
  }

  async renameGroup(groupId: string, name: string): Promise<void> {
    await this.groupChange(groupId, () => this.list.putGroup(groupId, name), async () => {
      const reply = await this.channel.request('REG', [groupId, name, '0']);
      this.setListVersion(reply.args[0]);
      this.list.putGroup(groupId, reply.args[2] ?? name);
    });
  }

  async removeGroup(groupId: string): Promise<void> {
    await this.groupChange(groupId, () => this.list.removeGroup(groupId), async () => {
      const reply = await this.channel.request('RMG', [groupId]);
      this.setListVersion(reply.args[0]);
    });
  }

  private async groupChange(groupId: string, apply: () => void, run: () => Promise<void>): Promise<void> {
    const saved: SavedGroup = this.list.saveGroup(groupId);
    apply();
    this.listChanged();
    try {
      await run();
      this.listChanged();
    } catch (error) {
      this.list.restoreGroup(saved);
      this.listChanged();
      throw error;
    }
  }

  /**
   * Applies every step to the model at once (the UI shows the result immediately), then sends them one by one.
   * If one fails, the ones the server already accepted are undone on the server (best effort) and the model is put
   * back as it was.
   */
  private async runSteps(email: string, steps: Step[]): Promise<void> {
    if (steps.length === 0) return;
    const saved: SavedContact = this.list.saveContact(email);
    for (const s of steps) this.applyStep(s);
    this.listChanged();
    const done: Step[] = [];
    try {
      for (const s of steps) {
        await this.sendStep(s, s.add);
        done.push(s);
      }
      this.listChanged();
    } catch (error) {
      for (const s of done.reverse()) await this.sendStep(s, !s.add).catch(() => undefined);
      this.list.restoreContact(saved);
      this.listChanged();
      throw error;
    }
  }

  private applyStep(s: Step): void {
    if (s.add) this.list.addToList(s.email, s.list, this.list.get(s.email)?.nickname ?? s.email, s.group);
    else this.list.removeFromList(s.email, s.list, s.group);
  }

  private async sendStep(s: Step, add: boolean): Promise<void> {
    if (add) {
      const nick = this.list.get(s.email)?.nickname ?? s.email;
      const reply = await this.channel.request('ADD', [s.list, s.email, nick, ...(s.list === 'FL' && s.group !== undefined ? [s.group] : [])]);
      // ADD trid list ver email nick [group]
      this.setListVersion(reply.args[1]);
      if (reply.args[3] !== undefined) this.list.addToList(s.email, s.list, reply.args[3], reply.args[4]);
    } else {
      const reply = await this.channel.request('REM', [s.list, s.email, ...(s.group !== undefined ? [s.group] : [])]);
      this.setListVersion(reply.args[1]);
      this.list.removeFromList(s.email, s.list, s.group);
    }
  }

  /**
   * BLP (what happens to people on neither AL nor BL) and GTC (whether to be asked when someone adds you). A value
   * already in force is not sent (the server would answer 218); the list then holds what the server's reply says.
   */
  async setPrivacy(change: { blp?: 'AL' | 'BL'; gtc?: 'A' | 'N' }): Promise<void> {
    for (const [command, value] of [['BLP', change.blp], ['GTC', change.gtc]] as const) {
      if (value === undefined || value === (command === 'BLP' ? this.list.blp : this.list.gtc)) continue;
      // BLP trid ver AL|BL, GTC trid ver A|N
      const reply = await this.channel.request(command, [value]);
      this.setListVersion(reply.args[0]);
      const answered = reply.args[1];
      if (command === 'BLP' && (answered === 'AL' || answered === 'BL')) this.list.blp = answered;
      if (command === 'GTC' && (answered === 'A' || answered === 'N')) this.list.gtc = answered;
      this.listChanged();
    }
  }

  /** Versions only grow on the server; replies answered out of order must not move the cached one back. */
  private setListVersion(v: string | undefined): void {
    if (v !== undefined && /^\d+$/.test(v)) this.list.version = Math.max(this.list.version, Number(v));
  }

  // ── unsolicited ──────────────────────────────────────────────────────────────────────────────────────────────

  private onFrame(frame: Incoming): void {
    this.continuation = undefined;
    const a = frame.args;
    switch (frame.command) {
      case 'ILN': // ILN trid status email nick [clientId] [msnobj]
      case 'NLN': // NLN status email nick [clientId] [msnobj]
        if (STATUSES.has(a[0] as PresenceStatus) && a[1]) {
          this.onPresenceLine({ status: a[0] as PresenceStatus, email: a[1], nickname: a[2] ?? a[1], clientId: Number(a[3] ?? 0) >>> 0 });
          // Ended at the nickname: a stray line right after is the rest of it (and the client id).
          if (a.length === 3) this.continuation = (tail) => this.onFrame({ ...frame, args: [a[0], a[1], ...joinCut(a[2], tail)] });
        }
        return;
      case 'FLN':
        if (a[0]) this.onPresenceLine({ status: 'FLN', email: a[0], nickname: this.list.get(a[0])?.nickname ?? a[0], clientId: 0 });
        return;
      case 'ADD':
      case 'REM':
        this.onReverseListChange(frame);
        return;
      case 'CHL':
        this.answerChallenge(a[0]);
        return;
      case 'QNG':
        this.onPong(a[0]);
        return;
      case 'OUT':
        this.onOut(a[0]);
        return;
      default:
        if (this.sync.apply(frame)) this.afterListLine();
        else this.unhandled.fire(frame);
    }
  }

  /** A list line was applied: check the limits, then either the download may be complete or the list changed. */
  private afterListLine(): void {
    // An LST that ended at its nickname: a stray line right after is the rest of it.
    if (this.sync.cut) {
      this.continuation = (tail) => {
        this.sync.continueCut(tail);
        this.afterListLine();
      };
    }
    if (!this.withinLimits()) return;
    if (this.sync.active) {
      if (this.sync.complete) this.syncDone?.();
    } else this.unsolicitedListChange();
  }

  private onStrayLine(line: string): void {
    const finish = this.continuation;
    this.continuation = undefined;
    finish?.(line);
  }

  /** The list grew past the limits: the connection ends with "list too large" (false), or it is fine (true). */
  private withinLimits(): boolean {
    const { maxContacts, maxGroups } = this.limits;
    if (this.list.contactCount > maxContacts) this.channel.close(sessionErrors.listTooLarge('contacts', maxContacts));
    else if (this.list.groupCount > maxGroups) this.channel.close(sessionErrors.listTooLarge('groups', maxGroups));
    else return true;
    return false;
  }

  /** A change the server made on its own: counted against the budget, and past it the stream counts as garbled. */
  private unsolicitedListChange(): boolean {
    if (!this.unsolicitedChanges.take()) {
      this.channel.close(sessionErrors.listChangeFlood(this.unsolicitedChanges.budget));
      return false;
    }
    this.listChanged();
    return true;
  }

  private onPresenceLine(p: PresenceUpdate): void {
    if (this.sync.active && !this.list.has(p.email)) {
      // Held for someone the download has not listed yet; no more of them than the list may have people.
      const key = p.email.toLowerCase();
      if (this.heldPresence.has(key) || this.heldPresence.size < this.limits.maxContacts) this.heldPresence.set(key, p);
      return;
    }
    this.applyPresence(p);
  }

  private applyPresence(p: PresenceUpdate): void {
    if (this.list.setPresence(p.email, p.status, p.status === 'FLN' ? undefined : p.nickname, p.clientId)) {
      const c = this.list.get(p.email);
      this.events.fire({ type: 'presence', email: c?.email ?? p.email, status: p.status, nickname: c?.nickname ?? p.nickname, clientId: p.clientId });
    }
  }

  /** Someone added or removed you: `ADD 0 RL ver email nick` (or Escargot's `ADD 0 ver RL …`), `REM 0 RL ver [N=]email`. */
  private onReverseListChange(frame: Incoming): void {
    const a = frame.args;
    const at = a.indexOf('RL');
    if (at < 0 || at > 1) return;
    const version = at === 0 ? a[1] : a[0];
    const email = (a[2] ?? '').replace(/^N=/, '');
    if (!email) return;
    this.setListVersion(version);
    if (frame.command === 'ADD') {
      const nickname = (a[3] ?? email).replace(/^F=/, '');
      this.list.addToList(email, 'RL', nickname);
      if (!this.withinLimits() || !this.unsolicitedListChange()) return;
      const c = this.list.get(email);
      if (this.list.gtc === 'A' && c && !c.lists.AL && !c.lists.BL) this.events.fire({ type: 'added-you', email: c.email, nickname });
    } else {
      this.list.removeFromList(email, 'RL');
      this.unsolicitedListChange();
    }
  }

  private answerChallenge(challenge: string | undefined): void {
    if (!challenge) return;
    const { productId, answer } = this.options.answerChallenge(challenge);
    // The server's QRY acknowledgement is not awaited by anyone; a missing one is no reason to fail.
    this.channel.request('QRY', [productId], { payload: new TextEncoder().encode(answer) }).catch(() => undefined);
  }

  // ── keep-alive ───────────────────────────────────────────────────────────────────────────────────────────────

  private schedulePing(): void {
    this.pingTimer?.dispose();
    if (this.ended) return;
    this.pingTimer = this.options.clock.setTimeout(() => this.ping(), this.nextPingMs);
  }

  private ping(): void {
    if (this.ended) return;
    this.channel.send('PNG');
    this.pongTimer?.dispose();
    this.pongTimer = this.options.clock.setTimeout(() => {
      this.channel.close(sessionErrors.pingTimeout(this.options.pingTimeoutMs));
    }, this.options.pingTimeoutMs);
  }

  private onPong(seconds: string | undefined): void {
    this.pongTimer?.dispose();
    this.pongTimer = undefined;
    const wanted = Number(seconds) * 1000;
    this.nextPingMs = wanted > 0 ? Math.min(this.options.pingIntervalMs, wanted) : this.options.pingIntervalMs;
    this.schedulePing();
  }

  // ── ending ───────────────────────────────────────────────────────────────────────────────────────────────────

  private onOut(reason: string | undefined): void {
    if (reason === 'OTH') {
      // Signed in elsewhere: the server leaves the connection open; closing it is our job, and we must not come back.
      this.outReason = 'elsewhere';
      this.channel.close(sessionErrors.signedInElsewhere());
    } else if (reason === 'SSD') {
      this.outReason = 'server-shutdown';
      this.channel.close(sessionErrors.serverShutdown());
    } else {
      this.outReason ??= 'lost';
      this.channel.close();
    }
  }

  /** Polite sign-out: OUT, then close. */
  signOut(): void {
    if (this.ended) return;
    this.outReason = 'user';
    this.channel.send('OUT');
    this.channel.close();
  }

  private end(reason: SessionEndReason, error?: ButterflyError): void {
    if (this.ended) return;
    this.ended = true;
    this.endErrorValue = error;
    this.pingTimer?.dispose();
    this.pongTimer?.dispose();
    if (this.listBeforeSync) this.list.replace(this.listBeforeSync);
    this.listBeforeSync = undefined;
    this.list.setAllOffline();
    this.didEnd.fire({ reason, error: reason === 'user' ? undefined : error });
    this.store.dispose();
  }

  private listChanged(): void {
    this.events.fire({ type: 'list-changed' });
  }

  dispose(): void {
    if (!this.ended) this.channel.close();
    this.events.dispose();
    this.didEnd.dispose();
    this.unhandled.dispose();
  }
}

interface Step {
  list: ListName;
  add: boolean;
  email: string;
  group?: string;
}
