// One signed-in notification-server connection: list sync, presence (with personal messages and pictures; shown for
// FL contacts only, whatever else a server sends), contacts' stored names following the names presence brings (where
// the version keeps one: SBP), list management with optimistic changes rolled back on server errors, the own personal message, challenges, keep-alive
// pings with a dead-connection detector, and OUT handling. Everything that differs between versions is asked of the
// negotiated version's Dialect (./dialects): this file never asks which version it speaks. A command the version does
// not have is refused before it is sent (session.not-supported), so the server never sees one.
// It never reconnects by itself: it closes once, with a reason, and the connection manager decides what comes next.
// What the server may push is bounded (ListLimits): the list's size, and unsolicited list changes by a token bucket —
// a flood ends the connection as a garbled stream instead of growing memory and work without end.
// What it has to tell goes out on one stream (onEvent): the account's events, plus 'list-changed' for the connection
// manager, which turns changes into list snapshots. A new kind of news is a new event type, not a new emitter.
// A change the server acknowledges but does not keep (Escargot's REG at MSNP10+) cannot be seen at once: the new
// state is shown until the next download says otherwise, and then `list-change-not-kept` tells what was lost.
import * as v from 'valibot';
import { DisposableStore, Emitter, type Disposable } from '../../src-shared/disposable';
import { ButterflyError } from '../../src-shared/errors';
import { nicknameSchema, type AccountEvent, type ContactListSnapshot, type ListChange, type ListName, type MsnObjectInfo, type OwnStatus, type PresenceUpdate } from '../../src-shared/messenger-types';
import type { CurrentMedia } from '../../src-shared/personal-status';
import { decodeName, encodeName } from '../../src-shared/url-codec';
import { answerChallenge, type ChallengeSpec } from '../protocol/challenge';
import type { ClientCommandName } from '../protocol/command-names';
import { decodePersonalStatus, encodePersonalStatus } from '../protocol/personal-status';
import type { Clock } from './clock';
import { ContactList, type SavedContact, type SavedGroup } from './contact-list';
import type { Dialect, ListStep, Request } from './dialects';
import { joinCut, type ListSync } from './list-sync';
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

export type { PresenceUpdate };

/** What a person sets about themselves beside the status (MSNP11+): both go out together, always. */
export interface PersonalStatusChange {
  /** Plain text; '' clears it (the server may keep the old one: then contacts go on seeing it). */
  personalMessage?: string;
  /** null stops "now playing". */
  currentMedia?: CurrentMedia | null;
}

export interface ChallengeAnswer {
  productId: string;
  /** 32 lower-case hex characters. */
  answer: string;
}

export interface NotificationSessionOptions {
  clock: Clock;
  /** Capability bits sent with CHG (MSNP8+); default the dialect's (0). */
  clientId?: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  syncTimeoutMs: number;
  /** Answers a CHL under the negotiated version (the dialect is its ChallengeSpec); default protocol/challenge's. */
  answerChallenge?: (challenge: string, spec: ChallengeSpec) => ChallengeAnswer;
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

export class NotificationSession implements Disposable {
  private readonly channel: MsnpChannel;
  private readonly store = new DisposableStore();
  private readonly sync: ListSync;
  private syncDone: (() => void) | undefined;
  private heldPresence = new Map<string, PresenceUpdate>();
  /** Contacts whose stored name is on its way (lower-case e-mail → a newer name to store after it, if any). */
  private readonly namesToStore = new Map<string, string | undefined>();
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
  /** Everything the negotiated version does its own way. */
  readonly dialect: Dialect;
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
    this.dialect = signedIn.dialect;
    this.email = signedIn.email;
    this.sync = this.dialect.createListSync(list);
    this.sync.onSkip = (why) => this.channel.note(`skipped ${why}`);
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

  /** SYN with the cache's key (list version, or timestamps); resolves when the list is complete (or was current). */
  async synchronize(): Promise<void> {
    this.listBeforeSync = this.list.snapshot();
    let unchanged = false;
    await this.channel.request('SYN', this.sync.synArgs(), {
      timeoutMs: this.options.syncTimeoutMs,
      onReply: (reply) => (unchanged = this.sync.begin(reply)),
    });
    if (unchanged) {
      // The cached list is the list: finish as after a download, so undecided RL people are asked about again.
      this.finishSync(false);
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
    this.finishSync(true);
  }

  private finishSync(downloaded: boolean): void {
    this.listBeforeSync = undefined;
    this.sync.end();
    this.syncDone = undefined;
    for (const p of this.heldPresence.values()) this.applyPresence(p);
    this.heldPresence.clear();
    // MSNP10+: the list is where the own nickname comes from (and the cache keeps it for lists not re-sent).
    if (this.list.ownNickname !== undefined) this.profile.update({ nickname: this.list.ownNickname });
    if (downloaded) this.verifyChanges();
    this.listChanged();
    if (this.list.gtc === 'A') for (const c of this.list.pendingReverse()) this.events.fire({ type: 'added-you', email: c.email, nickname: c.nickname });
  }

  /** After a download: changes the server acknowledged but did not keep are told (the list shows its state). */
  private verifyChanges(): void {
    const { renames, gtc, blp } = this.list.unverified;
    for (const [id, name] of renames) {
      const now = this.list.getGroup(id);
      if (now && now.name !== name) this.notKept('contacts:rename-group', `The server did not keep the new name of the group "${decodeName(now.name)}": it is still called that.`);
    }
    if (blp !== undefined && blp !== this.list.blp) this.notKept('contacts:set-privacy', `The server did not keep who may see you: ${this.list.blp === 'AL' ? 'everyone not blocked still may' : 'only people you allowed still may'}.`);
    if (gtc !== undefined && gtc !== this.list.gtc) this.notKept('contacts:set-privacy', `The server did not keep whether you are asked when someone adds you: ${this.list.gtc === 'A' ? 'you still are' : 'you still are not'}.`);
    this.list.unverified = { renames: new Map() };
  }

  private notKept(change: ListChange, what: string): void {
    this.events.fire({ type: 'list-change-not-kept', change, what });
  }

  /** Starts the keep-alive pings; call once signed in. */
  startKeepAlive(): void {
    this.schedulePing();
  }

  /** Sends any other NS command (e.g. `XFR SB` for the switchboard layer) with TrID correlation and a timeout. */
  request(command: ClientCommandName, args: string[]): Promise<Incoming> {
    return this.send({ command, args });
  }

  /** Every command goes out here: one the negotiated version does not have is refused, never sent. */
  private send(r: Request, payload?: Uint8Array): Promise<Incoming> {
    if (!this.dialect.sends(r.command)) return Promise.reject(sessionErrors.notSupported(`${r.command} is not a command of ${this.dialect.name}, the version this server speaks.`));
    return this.channel.request(r.command, r.args, payload ? { payload } : {});
  }

  // ── own presence ─────────────────────────────────────────────────────────────────────────────────────────────

  async setStatus(status: OwnStatus): Promise<void> {
    const reply = await this.send({ command: 'CHG', args: this.dialect.setStatus(status, this.options.clientId ?? this.dialect.clientCapabilities) });
    this.profile.update({ status: (reply.args[0] as OwnStatus) ?? status });
  }

  /** `nickname` is already URL-encoded. */
  async setNickname(nickname: string): Promise<void> {
    const reply = await this.send(this.dialect.lists.setNickname(this.email, nickname));
    this.profile.update({ nickname: this.dialect.lists.nicknameSet(reply, nickname, this.list) });
    this.listChanged();
  }

  /**
   * The personal message and now playing (MSNP11+): both go out in one UUX, what is not given as last set (kept with
   * the list). The profile then holds what was sent: the server answers `UUX trid 0` without saying what it kept
   * (Escargot keeps the old message when both are empty; contacts see that).
   */
  async setPersonalStatus(change: PersonalStatusChange): Promise<void> {
    if (!this.dialect.personalStatus) throw sessionErrors.notSupported(`Personal messages need MSNP11 or later; this server speaks ${this.dialect.name}.`);
    const personalMessage = change.personalMessage ?? this.list.ownPersonalMessage ?? '';
    const currentMedia = change.currentMedia === null ? undefined : (change.currentMedia ?? this.list.ownCurrentMedia);
    await this.send({ command: 'UUX', args: [] }, encodePersonalStatus({ personalMessage, currentMedia }));
    // Kept with the list (and its cache): the server never says it back, and the next sign-in sends it again.
    this.list.ownPersonalMessage = personalMessage;
    this.list.ownCurrentMedia = currentMedia;
    this.profile.update({ personalMessage, currentMedia });
    this.listChanged();
  }

  // ── list management (optimistic; rolled back on error) ───────────────────────────────────────────────────────

  async addContact(email: string, groupId?: string): Promise<void> {
    const before = this.list.get(email);
    const steps = this.dialect.lists.addToForwardList(email, groupId, this.list);
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

  /** Into `toGroupId`, out of `fromGroupId` — unless they are in no group (MSNP10+ have no group 0): then only into it. */
  async moveContact(email: string, fromGroupId: string, toGroupId: string): Promise<void> {
    if (fromGroupId === toGroupId) return;
    const steps: ListStep[] = [{ list: 'FL', add: true, email, group: toGroupId }];
    if (this.list.get(email)?.groupIds.length !== 0) steps.push({ list: 'FL', add: false, email, group: fromGroupId });
    await this.runSteps(email, steps);
  }

  /** The reverse-list prompt's answer. */
  async answerAddedYou(email: string, allow: boolean, addBack: boolean): Promise<void> {
    const steps = this.privacySteps(email, allow);
    if (addBack && !this.list.get(email)?.lists.FL) steps.push(...this.dialect.lists.addToForwardList(email, undefined, this.list));
    await this.runSteps(email, steps);
  }

  /** Allowing puts someone on AL (off BL); blocking the reverse. AL and BL exclude each other on the server. */
  private privacySteps(email: string, allow: boolean): ListStep[] {
    const c = this.list.get(email);
    const [to, from]: ListName[] = allow ? ['AL', 'BL'] : ['BL', 'AL'];
    const steps: ListStep[] = [];
    if (c?.lists[from]) steps.push({ list: from, add: false, email });
    if (!c?.lists[to]) steps.push({ list: to, add: true, email });
    return steps;
  }

  /** `name` is already URL-encoded. Resolves with the server's group id. */
  async addGroup(name: string): Promise<string> {
    const tempId = `pending-${++this.tempGroupSeq}`;
    this.list.putGroup(tempId, name);
    this.listChanged();
    try {
      const reply = await this.send(this.dialect.lists.addGroup(name));
      this.list.removeGroup(tempId);
      const added = this.dialect.lists.groupAdded(reply, name, this.list);
      if (!added.id) throw sessionErrors.unexpected(`ADG answered without a group id (${reply.line.slice(0, 60)})`);
      this.list.putGroup(added.id, added.name);
      this.listChanged();
      return added.id;
    } catch (error) {
      this.list.removeGroup(tempId);
      this.listChanged();
      throw error;
    }
  }

  async renameGroup(groupId: string, name: string): Promise<void> {
    await this.groupChange(groupId, () => this.list.putGroup(groupId, name), async () => {
      const reply = await this.send(this.dialect.lists.renameGroup(groupId, name));
      const answered = this.dialect.lists.groupRenamed(reply, groupId, name, this.list);
      this.list.putGroup(groupId, answered);
      this.list.unverified.renames.set(groupId, answered);
    });
  }

  async removeGroup(groupId: string): Promise<void> {
    await this.groupChange(groupId, () => this.list.removeGroup(groupId), async () => {
      this.dialect.lists.groupRemoved(await this.send(this.dialect.lists.removeGroup(groupId)), this.list);
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
  private async runSteps(email: string, steps: ListStep[]): Promise<void> {
    if (steps.length === 0) return;
    const saved: SavedContact = this.list.saveContact(email);
    for (const s of steps) this.applyStep(s);
    this.listChanged();
    const done: ListStep[] = [];
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

  private applyStep(s: ListStep): void {
    if (s.add) this.list.addToList(s.email, s.list, this.list.get(s.email)?.nickname ?? s.email, s.group);
    else this.list.removeFromList(s.email, s.list, s.group);
  }

  /** One step (or its undo) as this version's command; the reply goes into the model. */
  private async sendStep(s: ListStep, add: boolean): Promise<void> {
    const step = { ...s, add };
    this.dialect.lists.accepted(step, await this.send(this.dialect.lists.request(step, this.list)), this.list);
  }

  /**
   * BLP (what happens to people on neither AL nor BL) and GTC (whether to be asked when someone adds you). A value
   * already in force is not sent (the server would answer 218); the list then holds what the server's reply says.
   */
  async setPrivacy(change: { blp?: 'AL' | 'BL'; gtc?: 'A' | 'N' }): Promise<void> {
    for (const [command, value] of [['BLP', change.blp], ['GTC', change.gtc]] as const) {
      if (value === undefined || value === (command === 'BLP' ? this.list.blp : this.list.gtc)) continue;
      const answered = this.dialect.lists.privacySet(await this.send({ command, args: [value] }), this.list);
      if (command === 'BLP' && (answered === 'AL' || answered === 'BL')) this.list.blp = this.list.unverified.blp = answered;
      if (command === 'GTC' && (answered === 'A' || answered === 'N')) this.list.gtc = this.list.unverified.gtc = answered;
      this.listChanged();
    }
  }

  // ── unsolicited ──────────────────────────────────────────────────────────────────────────────────────────────

  private onFrame(frame: Incoming): void {
    this.continuation = undefined;
    const a = frame.args;
    switch (frame.command) {
      case 'ILN': // ILN trid status email nick [clientId] [msnobj]
      case 'NLN': {
        // NLN status email nick [clientId] [msnobj]
        const line = this.dialect.presence(frame);
        if (line) {
          const initial = frame.command === 'ILN' ? { initial: true } : {};
          this.onPresenceLine({ status: line.status, email: line.email, nickname: line.nickname, clientId: line.clientId, ...initial }, line.picture);
          // Ended at the nickname: a stray line right after is the rest of it (and the client id).
          if (line.endsAtNickname) this.continuation = (tail) => this.onFrame({ ...frame, args: [a[0], a[1], ...joinCut(a[2], tail)] });
        }
        return;
      }
      case 'FLN':
        if (a[0]) this.onPresenceLine({ status: 'FLN', email: a[0], nickname: this.list.get(a[0])?.nickname ?? a[0], clientId: 0 });
        return;
      case 'UBX':
        this.onPersonalStatus(frame);
        return;
      case 'ADD':
      case 'ADC':
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

  private onPresenceLine(p: PresenceUpdate, picture?: { msnObject: MsnObjectInfo | undefined }): void {
    if (this.sync.active && !this.list.has(p.email)) {
      // Held for someone the download has not listed yet; no more of them than the list may have people.
      const key = p.email.toLowerCase();
      if (this.heldPresence.has(key) || this.heldPresence.size < this.limits.maxContacts) this.heldPresence.set(key, { ...p, ...(picture?.msnObject ? { msnObject: picture.msnObject } : {}) });
      return;
    }
    this.applyPresence(p, picture);
  }

  private applyPresence(p: PresenceUpdate, picture: { msnObject: MsnObjectInfo | undefined } | undefined = { msnObject: p.msnObject }): void {
    // Escargot sends presence for everyone on the list, people only on RL or BL too: only FL contacts have one to show.
    if (p.status !== 'FLN' && !this.list.isOn(p.email, 'FL')) return;
    const before = this.list.nicknameOf(p.email);
    if (!this.list.setPresence(p.email, p.status, p.status === 'FLN' ? undefined : p.nickname, p.clientId, picture)) return;
    this.firePresence(p.email, p.initial === true);
    if (p.status !== 'FLN' && p.nickname !== before) this.storeName(p.email, p.nickname);
  }

  /**
   * A contact goes by a new name: where the version keeps a stored name (MSNP10+ SBP), it follows, as Messenger does,
   * so the list the server sends next shows it while they are offline too. One request per contact at a time; a name
   * that changed meanwhile goes next. The server only echoes it; a refusal is noted and nothing else changes (the list
   * already shows the new name). A name no nickname could be is not sent.
   */
  private storeName(email: string, nickname: string): void {
    const k = email.toLowerCase();
    if (this.namesToStore.has(k)) {
      this.namesToStore.set(k, nickname);
      return;
    }
    const decoded = decodeName(nickname);
    const request = v.is(nicknameSchema, decoded) ? this.dialect.lists.storedName(email, encodeName(decoded), this.list) : undefined;
    if (!request) return;
    this.namesToStore.set(k, undefined);
    this.send(request)
      .catch((error: unknown) => this.channel.note(`the server did not store the new name of ${email.slice(0, 80)}: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        const next = this.namesToStore.get(k);
        this.namesToStore.delete(k);
        if (next !== undefined && next !== nickname && !this.ended) this.storeName(email, next);
      });
  }

  /** The contact's presence as the list now has it, with their personal message, media and picture. */
  private firePresence(email: string, initial = false): void {
    const c = this.list.get(email);
    if (!c) return;
    this.events.fire({
      type: 'presence',
      email: c.email,
      status: c.status,
      nickname: c.nickname,
      clientId: c.clientId,
      ...(c.personalMessage !== undefined ? { personalMessage: c.personalMessage } : {}),
      ...(c.currentMedia ? { currentMedia: c.currentMedia } : {}),
      ...(c.msnObject ? { msnObject: c.msnObject } : {}),
      ...(initial ? { initial } : {}),
    });
  }

  /** `UBX email len` + XML (MSNP11+): a contact's personal message; one that cannot be read is skipped and noted. */
  private onPersonalStatus(frame: Incoming): void {
    const email = frame.args[0];
    if (!email || !frame.payload || !this.list.isOn(email, 'FL')) return;
    const read = decodePersonalStatus(frame.payload);
    if (!read.ok) return this.channel.note(`skipped the personal message of ${email.slice(0, 80)}: ${read.reason}`);
    if (this.list.setPersonalStatus(email, read.personalMessage, read.currentMedia)) this.firePresence(email);
  }

  /** Someone added or removed you (the dialect reads the line). */
  private onReverseListChange(frame: Incoming): void {
    const change = this.dialect.reverseListChange(frame);
    if (!change) return;
    const { email, nickname } = change;
    this.list.noteVersion(change.listVersion);
    if (change.added) {
      this.list.addToList(email, 'RL', nickname);
      if (!this.withinLimits() || !this.unsolicitedListChange()) return;
      const c = this.list.get(email);
      if (this.list.gtc === 'A' && c && !c.lists.AL && !c.lists.BL) this.events.fire({ type: 'added-you', email: c.email, nickname });
    } else {
      this.list.removeFromList(email, 'RL');
      this.unsolicitedListChange();
    }
  }

  /** `CHL 0 <challenge>`: answered by the negotiated version's algorithm and product; one that is not ASCII is skipped. */
  private answerChallenge(challenge: string | undefined): void {
    if (!challenge) return;
    let answered: ChallengeAnswer;
    try {
      answered = (this.options.answerChallenge ?? answerChallenge)(challenge, this.dialect);
    } catch (error) {
      return this.channel.note(`skipped a challenge that cannot be answered (${error instanceof Error ? error.message : String(error)})`);
    }
    // The server's QRY acknowledgement is not awaited by anyone; a missing one is no reason to fail.
    this.send({ command: 'QRY', args: [answered.productId] }, new TextEncoder().encode(answered.answer)).catch(() => undefined);
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

