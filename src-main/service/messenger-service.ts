// The messenger service: a registry of accounts, and the one facade the UI (through IPC), the browser bridge and the
// CLI call. Its calls are the contract's (src-shared/ipc-contract.ts), request in, typed result out, with requests
// already checked at the boundary that received them; each account's events come out on one stream, forwarded as
// they are (they carry the account's id), plus a traffic stream of protocol lines with secrets redacted.
//
// An account is (server, e-mail address): a sign-in names the address, and the server unless it is the configured
// one. Its route (proxy, gateway, Passport nexus) is the configured one — the service's default, which follows the
// settings (`reconfigure`) — unless the sign-in gave it one of its own. Each account keeps its message history
// (account-history.ts) in the data directory given as `history`, or in memory without one.
import { Emitter, type Disposable, type Event } from '../../src-shared/disposable';
import type { ConnectionSettings, HostPort } from '../../src-shared/connection-settings';
import { ButterflyError } from '../../src-shared/errors';
import type { CallChannel, CallRequest, CallResponse } from '../../src-shared/ipc-contract';
import type { AccountId, AccountSnapshot, AccountTrafficEntry, MessengerEvent } from '../../src-shared/messenger-types';
import type { ConnectionRoute } from '../session/connection-manager';
import { Account, type AccountDefaults } from './account';
import { AccountHistory, type HistoryDefaults } from './account-history';
import type { AccountRecord, AccountRegistry } from './account-registry';

/** A route without the server: how to get there (the server is part of the account). */
export type RouteSettings = Omit<ConnectionSettings, 'server'>;

export interface SignInRequest extends CallRequest<'messenger:sign-in'> {
  /** Default: the configured server. */
  server?: HostPort;
  /** The account's own route from now on; default: it keeps its own, or follows the configured one. */
  route?: RouteSettings;
}

export interface SignInHooks {
  /** Called once the account is known, before it starts connecting (a window subscribes to it here). */
  onAccount?(accountId: AccountId): void;
}

/** The contract's account calls (all of `messenger:`, `contacts:`, `conversations:` and `history:` but the sign-in, which has more to it). */
export type AccountCallChannel = Exclude<
  Extract<CallChannel, `messenger:${string}` | `contacts:${string}` | `conversations:${string}` | `history:${string}`>,
  'messenger:sign-in'
>;
/** The service's own functions for them: the IPC handlers for those channels, and what the CLI and tests call. */
export type AccountCalls = { [C in AccountCallChannel]: (request: CallRequest<C>) => Promise<CallResponse<C>> };

export interface MessengerService extends Disposable {
  /** Resolves once connected and synced; rejects with the typed failure (its state then says signed-out and why). */
  signIn(request: SignInRequest, hooks?: SignInHooks): Promise<CallResponse<'messenger:sign-in'>>;
  /** Everything else an account does, by the contract's channel: `service.calls['contacts:add-group']({ accountId, name })`. */
  readonly calls: AccountCalls;
  /** The account, or a typed 'service.unknown-account' error. */
  account(accountId: AccountId): Account;
  /** This run's accounts, the one signed in to last first. */
  accounts(): Account[];
  /** Everything the UI needs to draw one account from scratch. */
  snapshot(accountId: AccountId): AccountSnapshot;
  /** Every account's events, as each account told them. */
  readonly onEvent: Event<MessengerEvent>;
  readonly onTraffic: Event<AccountTrafficEntry>;
  /** Resolves when pending cache writes are done. */
  flush(): Promise<void>;
  /** New connection settings: the server of the next new account, and the route of every account without its own, from its next sign-in or reconnect on. */
  reconfigure(settings: ConnectionSettings): void;
}

export interface MessengerServiceOptions extends AccountDefaults {
  registry: AccountRegistry;
  /** The configured server and route (until `reconfigure`). */
  settings: ConnectionSettings;
  /** The transports and HTTP client a route stands for. */
  routeFor(settings: ConnectionSettings): ConnectionRoute;
  /** Where each account's message history is kept (`<dataDir>/history/<account id>.sqlite`); default: in memory. */
  history?: HistoryDefaults;
}

export function createMessengerService(options: MessengerServiceOptions): MessengerService {
  const { registry, routeFor, settings: initial, history: historyDefaults, ...defaults } = options;
  let settings = initial;
  /** By id, the one signed in to last at the end. */
  const accounts = new Map<AccountId, Account>();
  /** Accounts whose history is being opened: a second sign-in meanwhile waits for the same account. */
  const creating = new Map<AccountId, Promise<Account>>();
  let disposed = false;
  const events = new Emitter<MessengerEvent>();
  const traffic = new Emitter<AccountTrafficEntry>();
  const routeOf = (server: HostPort, route: RouteSettings) => routeFor({ ...route, server });

  const account = (accountId: AccountId): Account => {
    const found = accounts.get(accountId);
    if (!found) throw new ButterflyError('service.unknown-account', 'Butterfly does not know that account in this run: sign in to it first.');
    return found;
  };
  const create = async (record: AccountRecord): Promise<Account> => {
    const history = await AccountHistory.open(record.id, record.keepHistory !== false, historyDefaults);
    if (disposed) {
      history.dispose();
      throw new ButterflyError('session.cancelled', 'Butterfly is closing.');
    }
    const made = new Account(record, routeOf(record.server, settings), defaults, history);
    made.onEvent((e) => events.fire(e));
    made.onTraffic((t) => traffic.fire(t));
    return made;
  };
  const open = async (server: HostPort, email: string): Promise<Account> => {
    const record = await registry.resolve(server, email);
    let found = accounts.get(record.id);
    if (!found) {
      let pending = creating.get(record.id);
      if (!pending) {
        pending = create(record).finally(() => creating.delete(record.id));
        creating.set(record.id, pending);
      }
      found = await pending;
    }
    // Most recently used last.
    accounts.delete(record.id);
    accounts.set(record.id, found);
    return found;
  };
  const conversations = (accountId: AccountId) => account(accountId).conversations;
  const history = (accountId: AccountId) => account(accountId).history;
  /** A message's call answers once the message is on disk (with history kept; it already is, see account-history.ts). */
  const durable = async <T>(accountId: AccountId, sent: T): Promise<T> => {
    await history(accountId).flush();
    return sent;
  };
  /** Runs an account's work (a throw becomes a rejection) and answers null. */
  const done = async (work: () => unknown): Promise<null> => {
    await work();
    return null;
  };

  return {
    async signIn(request, hooks = {}) {
      const acct = await open(request.server ?? settings.server, request.email.trim());
      if (request.route) acct.useRoute(routeOf(acct.server, request.route), true);
      hooks.onAccount?.(acct.id);
      await acct.signIn(request.password, request.status);
      return { accountId: acct.id };
    },
    calls: {
      'messenger:sign-out': async ({ accountId }) => {
        account(accountId).signOut();
        return null;
      },
      'messenger:set-status': ({ accountId, status }) => done(() => account(accountId).setStatus(status)),
      'messenger:set-nickname': ({ accountId, nickname }) => done(() => account(accountId).setNickname(nickname)),
      'messenger:set-personal-message': ({ accountId, message }) => done(() => account(accountId).setPersonalMessage(message)),
      'messenger:set-now-playing': ({ accountId, media }) => done(() => account(accountId).setNowPlaying(media)),
      'messenger:set-max-version': async ({ accountId, maxVersion }) => {
        const acct = account(accountId);
        acct.setMaxVersion((await registry.update(accountId, { maxVersion })).maxVersion);
        return null;
      },
      'contacts:add': ({ accountId, email, groupId }) => done(() => account(accountId).addContact(email, groupId)),
      'contacts:remove': ({ accountId, email }) => done(() => account(accountId).removeContact(email)),
      'contacts:block': ({ accountId, email }) => done(() => account(accountId).blockContact(email)),
      'contacts:unblock': ({ accountId, email }) => done(() => account(accountId).unblockContact(email)),
      'contacts:move': ({ accountId, email, fromGroupId, toGroupId }) => done(() => account(accountId).moveContact(email, fromGroupId, toGroupId)),
      'contacts:answer-added-you': ({ accountId, email, allow, addBack }) => done(() => account(accountId).answerAddedYou(email, allow, addBack)),
      'contacts:add-group': async ({ accountId, name }) => ({ groupId: await account(accountId).addGroup(name) }),
      'contacts:rename-group': ({ accountId, groupId, name }) => done(() => account(accountId).renameGroup(groupId, name)),
      'contacts:remove-group': ({ accountId, groupId }) => done(() => account(accountId).removeGroup(groupId)),
      'contacts:set-privacy': ({ accountId, blp, gtc }) => done(() => account(accountId).setPrivacy({ blp, gtc })),
      'conversations:open': async ({ accountId, email }) => conversations(accountId).openConversation(email),
      'conversations:send-text': async ({ accountId, conversationId, text, format }) => durable(accountId, conversations(accountId).sendText(conversationId, text, format)),
      'conversations:send-nudge': async ({ accountId, conversationId }) => durable(accountId, conversations(accountId).sendNudge(conversationId)),
      'conversations:retry': async ({ accountId, messageId }) => conversations(accountId).retry(messageId),
      'conversations:invite': async ({ accountId, conversationId, email }) => conversations(accountId).invite(conversationId, email),
      'conversations:typing': ({ accountId, conversationId }) => done(() => conversations(accountId).userTyping(conversationId)),
      'conversations:mark-read': ({ accountId, conversationId }) => done(() => history(accountId).markRead(conversationId, conversations(accountId))),
      'conversations:leave': ({ accountId, conversationId }) => done(() => conversations(accountId).leave(conversationId)),
      'conversations:close': ({ accountId, conversationId }) => done(() => conversations(accountId).closeConversation(conversationId)),
      'conversations:list': async ({ accountId }) => ({ conversations: conversations(accountId).conversations() }),
      'conversations:get': async ({ accountId, conversationId }) => {
        const manager = conversations(accountId);
        return { conversation: manager.conversation(conversationId), messages: manager.messages(conversationId) };
      },
      'history:list': ({ accountId, limit, cursor }) => history(accountId).listConversations({ limit, cursor }, conversations(accountId)),
      'history:page': ({ accountId, conversationId, anchor, limit }) => history(accountId).page(conversationId, anchor, limit),
      'history:search': ({ accountId, text, conversationId, limit, cursor }) => history(accountId).search({ text, conversationId, limit, cursor }),
      'history:delete': ({ accountId, conversationId }) => done(() => history(accountId).deleteConversation(conversationId, conversations(accountId))),
      'history:get-status': async ({ accountId }) => history(accountId).status(),
      'history:set-keep': async ({ accountId, keepHistory }) => {
        const acct = account(accountId);
        await registry.update(accountId, { keepHistory });
        return acct.history.setKeepHistory(keepHistory, acct.conversations);
      },
    },
    account,
    accounts: () => [...accounts.values()].reverse(),
    snapshot: (accountId) => account(accountId).snapshot(),
    onEvent: events.event,
    onTraffic: traffic.event,
    async flush() {
      await Promise.all([...accounts.values()].flatMap((a) => [a.flush(), a.history.flush()]));
    },
    reconfigure(next) {
      settings = next;
      for (const a of accounts.values()) if (!a.hasOwnRoute) a.useRoute(routeOf(a.server, next), false);
    },
    dispose() {
      disposed = true;
      for (const a of accounts.values()) a.dispose();
      accounts.clear();
      events.dispose();
      traffic.dispose();
    },
  };
}
