// Every call the renderer makes to main, in one module: components and slices never touch the IPC client. Each call
// resolves with a Result (never rejects), its error as the code main sent, which the UI translates where the person
// acted. Settings views are also handed to the store here, so the settings slice stays in step with every answer.
// The account calls go to the account this window shows (the store's accountId).
import type { ButterflyApi, CallChannel, CallRequest, CallResponse } from '../../src-shared/ipc-contract';
import type { ConnectionCheckResult, SaveSettingsResult, SettingsUpdate, SettingsView } from '../../src-shared/connection-settings';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import type { AccountId, OwnStatus } from '../../src-shared/messenger-types';
import type { MessageFormat } from '../../src-shared/conversation-types';
import type { WindowSettings } from '../../src-shared/window-view';
import type { HistoryStatus, MessagePage, PageAnchor, SearchPage } from '../../src-shared/history-types';
import type { ButterflyState } from './store';

export type Result<T = undefined> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
/** Where a conversation was shown: a window of its own (the desktop app) or this page's tab (browser mode). */
export type Shown = { shown: 'window' | 'in-page' };

export interface Commands {
  signIn(email: string, password: string, status: OwnStatus): Promise<Result>;
  signOut(): Promise<Result>;
  setStatus(status: OwnStatus): Promise<Result>;
  /** Plain text; main encodes it. */
  setNickname(nickname: string): Promise<Result>;
  /** Plain text ('' clears it); MSNP11+. */
  setPersonalMessage(message: string): Promise<Result>;
  /** The highest MSNP version offered to this account's server from its next sign-in (null: every version). */
  setMaxVersion(maxVersion: number | null): Promise<Result>;
  addContact(email: string, groupId?: string): Promise<Result>;
  removeContact(email: string): Promise<Result>;
  blockContact(email: string): Promise<Result>;
  unblockContact(email: string): Promise<Result>;
  moveContact(email: string, fromGroupId: string, toGroupId: string): Promise<Result>;
  /** Resolves once the new group is in this window's list (with the id the server gave it), so it can be used at once. */
  addGroup(name: string): Promise<Result<{ groupId: string }>>;
  renameGroup(groupId: string, name: string): Promise<Result>;
  removeGroup(groupId: string): Promise<Result>;
  answerAddedYou(email: string, allow: boolean, addBack: boolean): Promise<Result>;
  /** BLP (AL: people on neither list may see you; BL: they may not) and GTC (A: ask when someone adds you). */
  setPrivacy(change: { blp?: 'AL' | 'BL'; gtc?: 'A' | 'N' }): Promise<Result>;
  /** Whether this account keeps its message history, and whether it is on disk right now. */
  historyStatus(): Promise<Result<HistoryStatus>>;
  /** Turns keeping the message history on or off (off: this session's messages live in memory only). */
  setKeepHistory(keepHistory: boolean): Promise<Result<HistoryStatus>>;
  /** A page of a conversation's stored messages, oldest first (main checks the anchor and the limit). */
  historyPage(conversationId: string, anchor: PageAnchor, limit?: number): Promise<Result<MessagePage>>;
  /** Stored messages matching every word typed, newest first: in one conversation, or all when none is given. */
  searchHistory(text: string, options?: { conversationId?: string; cursor?: string; limit?: number }): Promise<Result<SearchPage>>;
  /**
   * Shows an account's contact list. Electron: main opens its window (or brings it forward). Browser mode: main
   * cannot open a tab, so it answers `in-page` and this window shows the account itself.
   */
  showAccount(accountId: AccountId): Promise<Result>;
  getSettings(): Promise<Result<SettingsView>>;
  saveSettings(update: SettingsUpdate): Promise<Result<SaveSettingsResult>>;
  testSettings(update: SettingsUpdate): Promise<Result<ConnectionCheckResult>>;
  useDefaultSettings(): Promise<Result<SettingsView>>;
  /** Opens (or finds) the conversation with a contact and shows it (showConversation). */
  openConversation(email: string): Promise<Result<{ conversationId: string } & Shown>>;
  /**
   * Shows a conversation. Electron: main opens its window (or brings it forward); a message never uses window.open.
   * Browser mode: main answers `in-page`, and this window puts it in the store and shows its tab. `messageId`: a stored
   * message to show there — a window of its own pages to it itself; in the page, the caller does (history-paging.ts).
   */
  showConversation(conversationId: string, messageId?: string): Promise<Result<Shown>>;
  /** Main's window settings (what a message arriving with no view open does in the desktop app). */
  getWindowSettings(): Promise<Result<WindowSettings>>;
  saveWindowSettings(settings: WindowSettings): Promise<Result<WindowSettings>>;
  /** Plain text as typed; main splits what is too long for one message. */
  sendText(conversationId: string, text: string, format?: MessageFormat): Promise<Result>;
  sendNudge(conversationId: string): Promise<Result>;
  retryMessage(messageId: string): Promise<Result>;
  invite(conversationId: string, email: string): Promise<Result>;
  /** The person is typing (main tells the others at most as often as the protocol wants). */
  typing(conversationId: string): Promise<Result>;
  markRead(conversationId: string): Promise<Result>;
  /** Leaves the conversation and forgets it (its tab closes when main says it is closed). */
  closeConversation(conversationId: string): Promise<Result>;
}

const noMain: ErrorInfo = { code: 'ipc.bridge-unavailable', message: 'Butterfly’s background service is not running.', retryable: true };
const noAccount: ErrorInfo = { code: 'session.not-connected', message: 'You are not signed in.', retryable: false };

/** The account calls, without the account: this window's is added. */
type AccountChannel = { [C in CallChannel]: CallRequest<C> extends { accountId: AccountId } ? C : never }[CallChannel];

export interface CommandsStore {
  getState(): ButterflyState;
  subscribe(listener: (state: ButterflyState) => void): () => void;
}

export function createCommands(api: ButterflyApi | null, store: CommandsStore, options: { listWaitMs?: number } = {}): Commands {
  const listWaitMs = options.listWaitMs ?? 5_000;
  /** Until the store shows what a call did (its list event may come a moment after the answer), or the wait is over. */
  const until = (done: (state: ButterflyState) => boolean) =>
    new Promise<void>((resolve) => {
      if (done(store.getState())) return resolve();
      const finish = () => {
        clearTimeout(timer);
        stop();
        resolve();
      };
      const timer = setTimeout(finish, listWaitMs);
      const stop = store.subscribe((state) => done(state) && finish());
    });
  const attempt = async <T>(call: (api: ButterflyApi) => Promise<T>): Promise<Result<T>> => {
    if (!api) return { ok: false, error: noMain };
    try {
      return { ok: true, value: await call(api) };
    } catch (error) {
      return { ok: false, error: toErrorInfo(error) };
    }
  };
  const call = <C extends CallChannel>(channel: C, request: CallRequest<C>): Promise<Result<CallResponse<C>>> => attempt((a) => a.call(channel, request));
  const withAccount = async <T>(run: (accountId: AccountId) => Promise<Result<T>>): Promise<Result<T>> => {
    const accountId = store.getState().accountId;
    return accountId === null ? { ok: false, error: noAccount } : run(accountId);
  };
  const forAccount = async <C extends AccountChannel>(channel: C, request: Omit<CallRequest<C>, 'accountId'>): Promise<Result> => {
    const r = await withAccount((accountId) => call(channel, { ...request, accountId } as CallRequest<C>));
    return r.ok ? { ok: true, value: undefined } : r;
  };
  const view = async (result: Promise<Result<SettingsView>>) => {
    const r = await result;
    if (r.ok) store.getState().applySettingsView(r.value);
    return r;
  };
  /** The history status in the store too, so the flow and search say when the account keeps none. */
  const status = async (accountId: AccountId, result: Promise<Result<HistoryStatus>>) => {
    const r = await result;
    if (r.ok) store.getState().applyHistoryStatus(accountId, r.value);
    return r;
  };
  const showConversation = (conversationId: string, messageId?: string): Promise<Result<Shown>> =>
    withAccount<Shown>(async (accountId) => {
      const opened = await call('windows:open', { view: 'conversation', accountId, conversationId, ...(messageId === undefined ? {} : { messageId }) });
      if (!opened.ok) return opened;
      if (opened.value.opened === 'window') return { ok: true, value: { shown: 'window' } };
      const got = await call('conversations:get', { accountId, conversationId });
      if (!got.ok) return got;
      store.getState().setConversation(got.value.conversation, got.value.messages);
      store.getState().showTab(conversationId);
      return { ok: true, value: { shown: 'in-page' } };
    });
  return {
    signIn: async (email, password, status) => {
      const r = await call('messenger:sign-in', { email, password, status });
      return r.ok ? { ok: true, value: undefined } : r;
    },
    signOut: () => forAccount('messenger:sign-out', {}),
    setStatus: (status) => forAccount('messenger:set-status', { status }),
    setNickname: (nickname) => forAccount('messenger:set-nickname', { nickname }),
    setPersonalMessage: (message) => forAccount('messenger:set-personal-message', { message }),
    setMaxVersion: async (maxVersion) => {
      const r = await forAccount('messenger:set-max-version', { maxVersion });
      if (r.ok) store.getState().noteMaxVersion(maxVersion);
      return r;
    },
    addContact: (email, groupId) => forAccount('contacts:add', groupId === undefined ? { email } : { email, groupId }),
    removeContact: (email) => forAccount('contacts:remove', { email }),
    blockContact: (email) => forAccount('contacts:block', { email }),
    unblockContact: (email) => forAccount('contacts:unblock', { email }),
    moveContact: (email, fromGroupId, toGroupId) => forAccount('contacts:move', { email, fromGroupId, toGroupId }),
    addGroup: async (name) => {
      const accountId = store.getState().accountId;
      if (accountId === null) return { ok: false, error: noAccount };
      const r = await call('contacts:add-group', { accountId, name });
      if (r.ok) await until((s) => s.groups.some((g) => g.id === r.value.groupId));
      return r;
    },
    renameGroup: (groupId, name) => forAccount('contacts:rename-group', { groupId, name }),
    removeGroup: (groupId) => forAccount('contacts:remove-group', { groupId }),
    answerAddedYou: (email, allow, addBack) => forAccount('contacts:answer-added-you', { email, allow, addBack }),
    setPrivacy: (change) => forAccount('contacts:set-privacy', change),
    historyStatus: () => withAccount((accountId) => status(accountId, call('history:get-status', { accountId }))),
    setKeepHistory: (keepHistory) => withAccount((accountId) => status(accountId, call('history:set-keep', { accountId, keepHistory }))),
    historyPage: (conversationId, anchor, limit) => withAccount((accountId) => call('history:page', limit === undefined ? { accountId, conversationId, anchor } : { accountId, conversationId, anchor, limit })),
    searchHistory: (text, options = {}) => withAccount((accountId) => call('history:search', { accountId, text, ...options })),
    async showAccount(accountId) {
      const opened = await call('windows:open', { view: 'contact-list', accountId });
      if (!opened.ok) return opened;
      if (opened.value.opened === 'in-page') {
        const watched = await call('accounts:watch', { accountId });
        if (!watched.ok) return watched;
        store.getState().applySnapshot(watched.value.account);
      }
      return { ok: true, value: undefined };
    },
    getSettings: () => view(attempt((a) => a.call('settings:get', null))),
    saveSettings: (update) =>
      attempt(async (a) => {
        const result = await a.call('settings:save', update);
        if (result.ok) store.getState().applySettingsView(result.view);
        return result;
      }),
    testSettings: (update) => attempt((a) => a.call('settings:test', update)),
    useDefaultSettings: () => view(attempt((a) => a.call('settings:use-defaults', null))),
    async openConversation(email) {
      const accountId = store.getState().accountId;
      if (accountId === null) return { ok: false, error: noAccount };
      const opened = await call('conversations:open', { accountId, email });
      if (!opened.ok) return opened;
      const { conversationId } = opened.value;
      const shown = await showConversation(conversationId);
      return shown.ok ? { ok: true, value: { conversationId, ...shown.value } } : shown;
    },
    showConversation,
    getWindowSettings: () => call('settings:get-windows', null),
    saveWindowSettings: (settings) => call('settings:save-windows', settings),
    sendText: (conversationId, text, format) => forAccount('conversations:send-text', format ? { conversationId, text, format } : { conversationId, text }),
    sendNudge: (conversationId) => forAccount('conversations:send-nudge', { conversationId }),
    retryMessage: (messageId) => forAccount('conversations:retry', { messageId }),
    invite: (conversationId, email) => forAccount('conversations:invite', { conversationId, email }),
    typing: (conversationId) => forAccount('conversations:typing', { conversationId }),
    markRead: (conversationId) => forAccount('conversations:mark-read', { conversationId }),
    closeConversation: (conversationId) => forAccount('conversations:close', { conversationId }),
  };
}
