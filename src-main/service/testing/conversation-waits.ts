// Waiting on a LiveService's events in the conversation and history tests: an event of one type for one account,
// found whatever else arrives and in whichever order, with a bounded wait; alice and bob signed in together.
import { vi } from 'vitest';
import type { AccountId, MessengerEvent } from '../../../src-shared/messenger-types';
import type { LiveService } from './live-service';

export type Of<T extends MessengerEvent['type']> = Extract<MessengerEvent, { type: T }>;

/** Matches an event of `type` for `accountId` (and `more`, when given). */
export const is =
  <T extends MessengerEvent['type']>(type: T, accountId: AccountId, more: (e: Of<T>) => boolean = () => true) =>
  (e: MessengerEvent): e is Of<T> =>
    e.type === type && e.accountId === accountId && more(e as Of<T>);

/** The first event from `from` on that matches, waited for (whatever else arrives, in whichever order). */
export function find<E extends MessengerEvent>(live: LiveService, match: (e: MessengerEvent) => e is E, what: string, from = 0): Promise<E> {
  return vi.waitFor(
    () => {
      const found = live.log.events.slice(from).find(match);
      if (!found) throw new Error(`no ${what} yet`);
      return found;
    },
    { timeout: 10_000, interval: 5 },
  );
}

/** The message's final state: delivered, failed or unconfirmed. */
export const settled = (live: LiveService, accountId: AccountId, messageId: string) =>
  find(live, is('message-state', accountId, (e) => e.messageId === messageId && e.state !== 'queued' && e.state !== 'sent'), `${messageId} settled`);

/** alice and bob of the test server, signed in at once on the same service. */
export async function aliceAndBob(live: LiveService): Promise<{ alice: AccountId; bob: AccountId }> {
  const [alice, bob] = await Promise.all([
    live.service.signIn({ email: 'alice@example.com', password: 'alicepass' }),
    live.service.signIn({ email: 'bob@example.com', password: 'bobpass' }),
  ]).then((r) => r.map((x) => x.accountId));
  return { alice, bob };
}
