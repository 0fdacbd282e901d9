// The one module that turns main's answers and events into store actions. Slices never call IPC themselves. A page
// starts from what main has: the account's snapshot, then its open conversations (a reload or a new window shows
// them again), or — a conversation window — that one conversation.
import type { ButterflyApi } from '../../src-shared/ipc-contract';
import type { AccountId } from '../../src-shared/messenger-types';
import type { ConversationWindowView } from '../../src-shared/window-view';
import type { ButterflyState } from '../store/store';
import type { MainLinkProblem } from '../store/app-slice';
import type { RestoredConversation } from '../store/events';
import { loadActiveTab, type TabStorage } from '../store/active-tab';

/** Browser mode's bridge says when the page has no session (the service restarted, or the page lacks its token). */
const problemOf = (error: unknown): MainLinkProblem => ((error as { code?: unknown })?.code === 'ipc.bridge-no-session' ? 'no-session' : 'not-running');

export interface BindOptions {
  /** This page is that conversation's window (the desktop app): only it is loaded. */
  conversation?: ConversationWindowView;
  /** Where the shown tab was kept (sessionStorage). */
  tabStorage?: TabStorage;
}

export function bindMainToStore(api: ButterflyApi | null, store: { getState(): ButterflyState }, options: BindOptions = {}): () => void {
  const state = store.getState();
  if (!api) {
    state.setMainLink('unavailable');
    return () => undefined;
  }
  // Listen first, then watch the account this window shows (the one main opened it for, or the one used last) and take
  // its snapshot: main starts sending its events at the same moment, so none falls between the two.
  const stopInfo = api.on('app:did-change-info', (info) => store.getState().setAppInfo(info));
  const stopEvents = api.on('messenger:event', (event) => store.getState().applyEvent(event));
  api.call('app:get-info', null).then(
    (info) => store.getState().setAppInfo(info),
    (error: unknown) => store.getState().setMainLink('unavailable', problemOf(error)),
  );
  const { conversation } = options;
  api.call('accounts:watch', conversation ? { accountId: conversation.accountId } : {}).then(
    ({ account }) => {
      store.getState().applySnapshot(account);
      if (!account) return;
      if (conversation) void loadConversation(api, store, conversation.accountId, conversation.conversationId);
      else void restoreConversations(api, store, account.accountId, options.tabStorage);
    },
    (error: unknown) => store.getState().setMainLink('unavailable', problemOf(error)),
  );
  return () => {
    stopInfo();
    stopEvents();
  };
}

/** One conversation and its recent messages, into the store (refused — it is gone — leaves the store as it was). */
async function loadConversation(api: ButterflyApi, store: { getState(): ButterflyState }, accountId: AccountId, conversationId: string): Promise<void> {
  const got = await api.call('conversations:get', { accountId, conversationId }).catch(() => undefined);
  if (got) store.getState().applyConversations(accountId, [got], conversationId);
}

/** The account's open conversations, each with its messages and unread count, and the tab shown before the reload. */
async function restoreConversations(api: ButterflyApi, store: { getState(): ButterflyState }, accountId: AccountId, tabStorage: TabStorage | undefined): Promise<void> {
  const listed = await api.call('conversations:list', { accountId }).catch(() => undefined);
  if (!listed) return;
  // One closed in between is refused: the others come back all the same.
  const got = await Promise.all(listed.conversations.map((c) => api.call('conversations:get', { accountId, conversationId: c.id }).catch(() => undefined)));
  const restored: RestoredConversation[] = got.flatMap((g) => (g ? [g] : []));
  store.getState().applyConversations(accountId, restored, loadActiveTab(tabStorage, accountId));
}
