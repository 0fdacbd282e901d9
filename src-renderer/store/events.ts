// Main's snapshot and events as store actions, across slices. ipc/main-events.ts (the one adapter) calls these; the
// events of an account this window does not show are ignored (main routes only the watched account's, but a window
// that switches accounts may still see a late one).
import type { StateCreator } from 'zustand';
import type { AccountId, AccountSnapshot, MessengerEvent } from '../../src-shared/messenger-types';
import type { ConversationMessage, ConversationSummary } from '../../src-shared/conversation-types';
import { emptyContacts, listState, presenceState } from './contacts-slice';
import { emptyConversations, isConversationEvent } from './conversations-slice';
import type { ButterflyState } from './store';

export interface EventsSlice {
  /** Everything about the account this window shows, from scratch; null: no account yet in this run. */
  applySnapshot(account: AccountSnapshot | null): void;
  applyEvent(event: MessengerEvent): void;
  /**
   * The account's open conversations as main answered them (`conversations:list`, then `conversations:get` each): a
   * reload or a new window shows them again — a tab each (after any this window has already), their messages and
   * the service's unread counts — and `activeTab` is shown if it is one of them. Ignored for another account.
   */
  applyConversations(accountId: AccountId, restored: readonly RestoredConversation[], activeTab: string | null): void;
}

export interface RestoredConversation {
  conversation: ConversationSummary;
  messages: readonly ConversationMessage[];
}

export const createEventsSlice: StateCreator<ButterflyState, [], [], EventsSlice> = (set, get) => ({
  applySnapshot: (account) => {
    if (!account) return;
    set({
      accountId: account.accountId,
      connection: account.connection,
      profile: account.profile ?? null,
      maxVersion: account.maxVersion ?? null,
      email: get().email || account.email,
      ...listState(account.accountId === get().accountId ? get().contacts : {}, account.list),
    });
  },
  applyConversations: (accountId, restored, activeTab) => {
    if (get().accountId !== accountId) return;
    for (const { conversation, messages } of restored) get().setConversation(conversation, messages);
    const ids = restored.map((r) => r.conversation.id);
    set((s) => ({
      tabs: [...s.tabs, ...ids.filter((id) => !s.tabs.includes(id))],
      activeTab: s.activeTab ?? (activeTab !== null && ids.includes(activeTab) ? activeTab : null),
    }));
  },
  applyEvent: (event) => {
    const s = get();
    if (s.accountId !== null && event.accountId !== s.accountId) {
      // A new account (a sign-in from this window) starts from scratch; anything else belongs elsewhere.
      if (event.type !== 'connection-state' || event.state.kind !== 'connecting') return;
      set({ ...emptyContacts, ...emptyConversations, accountId: event.accountId, profile: null, maxVersion: null });
    } else if (s.accountId === null) set({ accountId: event.accountId });
    switch (event.type) {
      case 'connection-state': {
        const state = event.state;
        if (state.kind !== 'signed-out') return set({ connection: state });
        // Signed out: prompts and notices are about the session that ended; the e-mail stays in the form.
        return set({ connection: state, addedYou: [], notice: null, filter: '', email: s.profile?.email ?? s.email });
      }
      case 'own-profile':
        return set({ profile: event.profile });
      case 'contact-list':
        return set(listState(s.contacts, event.list));
      case 'presence': {
        const change = presenceState(s, event);
        return change ? set(change) : undefined;
      }
      case 'added-you':
        return set({ addedYou: [...s.addedYou.filter((p) => p.email !== event.email), { email: event.email, nickname: event.nickname }] });
      case 'list-change-failed':
        // The window that asked shows the refusal where the person acted (store/commands.ts answers it the error).
        return;
      default:
        if (isConversationEvent(event)) s.applyConversationEvent(event);
        return;
    }
  },
});
