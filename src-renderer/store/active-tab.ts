// Which conversation tab was shown, per account, kept for this browser tab only (sessionStorage): a reload shows it
// again, a new tab or window starts with none shown. Everything else about the conversations comes back from main.
import { accountIdSchema } from '../../src-shared/messenger-types';
import { conversationIdSchema } from '../../src-shared/conversation-types';
import * as v from 'valibot';

export type TabStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const keyFor = (accountId: string) => `butterfly.active-tab.${accountId}`;

export function loadActiveTab(storage: TabStorage | undefined, accountId: string): string | null {
  try {
    const id = storage?.getItem(keyFor(accountId)) ?? null;
    return id !== null && v.is(conversationIdSchema, id) ? id : null;
  } catch {
    return null; // storage refused (a locked-down profile)
  }
}

export function saveActiveTab(storage: TabStorage | undefined, accountId: string, conversationId: string | null): void {
  if (!v.is(accountIdSchema, accountId)) return;
  try {
    if (conversationId === null) storage?.removeItem(keyFor(accountId));
    else storage?.setItem(keyFor(accountId), conversationId);
  } catch {
    // Full or refused: the tab is still shown in this page.
  }
}
