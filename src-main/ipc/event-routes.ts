// Which window — or, in browser mode, which page connection — gets which events: each watches one account (the
// contact list of that account; a conversation window, the account of its conversation), and an account's events go to
// the windows watching it and nowhere else. Plain data keyed by the adapters' caller ids, so the Electron shell and
// the browser bridge route the same way.
import type { AccountId, MessengerEvent } from '../../src-shared/messenger-types';

export class EventRoutes {
  private readonly accountOf = new Map<string, AccountId>();
  private readonly watchers = new Map<AccountId, Set<string>>();

  /** `client` shows `accountId` from now on: that account's events go to it, the one it showed before stops. */
  watchAccount(client: string, accountId: AccountId): void {
    this.forget(client);
    this.accountOf.set(client, accountId);
    const set = this.watchers.get(accountId) ?? new Set<string>();
    set.add(client);
    this.watchers.set(accountId, set);
  }

  /** The account `client` watches, if any. */
  accountWatchedBy(client: string): AccountId | undefined {
    return this.accountOf.get(client);
  }

  /** The client is gone (a closed window, a page that left): nothing more goes to it. */
  forget(client: string): void {
    const accountId = this.accountOf.get(client);
    if (accountId === undefined) return;
    this.accountOf.delete(client);
    const set = this.watchers.get(accountId);
    set?.delete(client);
    if (set?.size === 0) this.watchers.delete(accountId);
  }

  /** The clients an event goes to. */
  clientsFor(event: MessengerEvent): readonly string[] {
    return [...(this.watchers.get(event.accountId) ?? [])];
  }
}
