// One account: (server, e-mail address) with its stable id, and everything that belongs to it — its connection
// manager, contact list and presence, own profile and route, and its conversations (a ConversationManager on the
// connection, through `connectionManagerHost`: its switchboards take the account's route) and their message history
// (account-history.ts). Everything the account has to tell goes out on one stream, stamped with its id once, here; the
// service forwards it as it is. Conversation events go first, in order, to the history, then to the conversation sink
// if there is one, then out; the history's notices go out as `history-notice` events.
// Names typed by people arrive as plain text and are URL-encoded here, exactly once.
import type { ConversationEvent } from '../../src-shared/conversation-types';
import { DisposableStore, Emitter, type Disposable } from '../../src-shared/disposable';
import { formatHostPort, type HostPort } from '../../src-shared/connection-settings';
import { toErrorInfo } from '../../src-shared/errors';
import type { HistoryEvent } from '../../src-shared/history-types';
import type { AccountEvent, AccountId, AccountSnapshot, AccountTrafficEntry, ListChange, MessengerEvent, OwnProfile, OwnStatus, TrafficEntry } from '../../src-shared/messenger-types';
import { mediaForNowPlaying, type NowPlaying } from '../../src-shared/personal-status';
import { encodeName } from '../../src-shared/url-codec';
import { ConnectionManager, type ConnectionManagerOptions, type ConnectionRoute } from '../session/connection-manager';
import type { ContactList } from '../session/contact-list';
import { ConversationManager, type ConversationLimits, type ConversationTimings } from '../session/conversation-manager';
import { connectionManagerHost } from '../session/switchboard-host';
import type { AccountHistory } from './account-history';
import type { AccountRecord } from './account-registry';

/** Takes an account's conversation events in order — every message, every state change — before anyone else. */
export interface ConversationSink {
  record(event: ConversationEvent): void;
  /** The account is going; what it had queued has been failed and recorded by then. */
  dispose?(): void;
}

export interface ConversationDefaults {
  conversationTimings?: Partial<ConversationTimings>;
  conversationLimits?: Partial<ConversationLimits>;
  /** Each account's conversation sink, besides its history (tests); none by default. */
  conversationSink?(account: AccountRecord): ConversationSink;
}

/** What every account of a service shares: the clock, the list cache, the timings, the protocol's choices. */
export type AccountDefaults = Omit<ConnectionManagerOptions, 'server' | 'email' | 'accountId' | keyof ConnectionRoute> & ConversationDefaults;

export class Account implements Disposable {
  readonly id: AccountId;
  readonly server: HostPort;
  readonly email: string;
  readonly connection: ConnectionManager;
  /** Its conversations; their calls are the service's `conversations:*`. */
  readonly conversations: ConversationManager;
  /** Its message history; its calls are the service's `history:*`. */
  readonly history: AccountHistory;
  private readonly sink: ConversationSink | undefined;
  private routeIsOwn = false;
  private maxVersion: number | undefined;
  private readonly events = new Emitter<MessengerEvent>();
  private readonly traffic = new Emitter<AccountTrafficEntry>();
  private readonly store = new DisposableStore();
  /** The account's events, each stamped with its id. */
  readonly onEvent = this.events.event;
  /** Its protocol lines (secrets redacted), stamped with its id. */
  readonly onTraffic = this.traffic.event;

  constructor(record: AccountRecord, route: ConnectionRoute, defaults: AccountDefaults, history: AccountHistory) {
    this.id = record.id;
    this.history = history;
    this.server = { ...record.server };
    this.email = record.email;
    const { conversationTimings, conversationLimits, conversationSink, ...connection } = defaults;
    // The account's own cap, else the service's (tests cap every account).
    this.maxVersion = record.maxVersion ?? connection.maxVersion;
    this.connection = new ConnectionManager({ ...connection, ...route, server: this.server, email: this.email, accountId: this.id, maxVersion: this.maxVersion });
    const onTraffic = (entry: TrafficEntry) => this.traffic.fire({ ...entry, accountId: this.id });
    this.store.add(this.connection.onEvent((event) => this.publish(event)));
    this.store.add(this.connection.onTraffic(onTraffic));
    const host = this.store.add(connectionManagerHost(this.connection, onTraffic));
    this.conversations = new ConversationManager({
      host,
      clock: connection.clock,
      timings: conversationTimings,
      limits: conversationLimits,
      recall: (contact) => history.recall(contact),
    });
    this.sink = conversationSink?.(record);
    this.store.add(
      this.conversations.onEvent((event) => {
        history.record(event);
        this.sink?.record(event);
        this.publish(event);
      }),
    );
    this.store.add(history.onNotice((notice) => this.publish({ type: 'history-notice', notice })));
  }

  get list(): ContactList {
    return this.connection.list;
  }

  get profile(): OwnProfile | undefined {
    return this.connection.profile;
  }

  snapshot(): AccountSnapshot {
    const profile = this.profile;
    return {
      accountId: this.id,
      server: formatHostPort(this.server),
      email: this.email,
      connection: this.connection.state,
      ...(profile ? { profile } : {}),
      list: this.list.snapshot(),
      history: this.history.status(),
      ...(this.maxVersion !== undefined ? { maxVersion: this.maxVersion } : {}),
    };
  }

  /** The highest version offered from the next sign-in or reconnect on (undefined: all). */
  setMaxVersion(version: number | undefined): void {
    this.maxVersion = version;
    this.connection.setMaxVersion(version);
  }

  /** Whether the account goes its own way (given at a sign-in) rather than the service's default route. */
  get hasOwnRoute(): boolean {
    return this.routeIsOwn;
  }

  /** The route from the next sign-in or reconnect on: its own, or the default (which follows the settings). */
  useRoute(route: ConnectionRoute, own: boolean): void {
    this.routeIsOwn = own;
    this.connection.reconfigure(route);
  }

  signIn(password: string, status?: OwnStatus): Promise<void> {
    return this.connection.signIn(password, status);
  }

  signOut(): void {
    this.connection.signOut();
  }

  setStatus(status: OwnStatus): Promise<void> {
    return this.connection.setStatus(status);
  }

  /** Plain text ('' clears it); MSNP11+. */
  setPersonalMessage(message: string): Promise<void> {
    return this.connection.setPersonalStatus({ personalMessage: message });
  }

  /** A song (null: nothing playing); MSNP11+. */
  setNowPlaying(media: NowPlaying | null): Promise<void> {
    return this.connection.setPersonalStatus({ currentMedia: media ? mediaForNowPlaying(media) : null });
  }

  /** Plain text; encoded here. */
  setNickname(nickname: string): Promise<void> {
    return this.connection.session().setNickname(encodeName(nickname));
  }

  addContact(email: string, groupId?: string): Promise<void> {
    return this.listChange('contacts:add', () => this.connection.session().addContact(email.trim(), groupId));
  }

  removeContact(email: string): Promise<void> {
    return this.listChange('contacts:remove', () => this.connection.session().removeContact(email));
  }

  blockContact(email: string): Promise<void> {
    return this.listChange('contacts:block', () => this.connection.session().blockContact(email));
  }

  unblockContact(email: string): Promise<void> {
    return this.listChange('contacts:unblock', () => this.connection.session().unblockContact(email));
  }

  moveContact(email: string, fromGroupId: string, toGroupId: string): Promise<void> {
    return this.listChange('contacts:move', () => this.connection.session().moveContact(email, fromGroupId, toGroupId));
  }

  answerAddedYou(email: string, allow: boolean, addBack: boolean): Promise<void> {
    return this.listChange('contacts:answer-added-you', () => this.connection.session().answerAddedYou(email, allow, addBack));
  }

  /** Plain text; encoded here. Resolves with the server's id for the group. */
  addGroup(name: string): Promise<string> {
    return this.listChange('contacts:add-group', () => this.connection.session().addGroup(encodeName(name)));
  }

  renameGroup(groupId: string, name: string): Promise<void> {
    return this.listChange('contacts:rename-group', () => this.connection.session().renameGroup(groupId, encodeName(name)));
  }

  removeGroup(groupId: string): Promise<void> {
    return this.listChange('contacts:remove-group', () => this.connection.session().removeGroup(groupId));
  }

  setPrivacy(change: { blp?: 'AL' | 'BL'; gtc?: 'A' | 'N' }): Promise<void> {
    return this.listChange('contacts:set-privacy', () => this.connection.session().setPrivacy(change));
  }

  /** Resolves when pending cache writes are done. */
  flush(): Promise<void> {
    return this.connection.flush();
  }

  /** A refused list change is also told on the stream (the optimistic change has been rolled back by then). */
  private async listChange<T>(change: ListChange, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.publish({ type: 'list-change-failed', change, error: toErrorInfo(error) });
      throw error;
    }
  }

  private publish(event: AccountEvent | ConversationEvent | HistoryEvent): void {
    this.events.fire({ ...event, accountId: this.id });
  }

  dispose(): void {
    // Quitting: queued messages fail first, told on the stream, to the history and to the sink; then the history is
    // committed and closed, and the switchboards and the NS go.
    this.conversations.dispose();
    this.history.dispose();
    this.sink?.dispose?.();
    this.store.dispose();
    this.connection.dispose();
    this.events.dispose();
    this.traffic.dispose();
  }
}
