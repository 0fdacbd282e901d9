// Every call the renderer makes to main, in one module: components and slices never touch the IPC client. Each call
// resolves with a Result (never rejects), its error as the code main sent, which the UI translates where the person
// acted. Settings views are also handed to the store here, so the settings slice stays in step with every answer.
import type { ButterflyApi } from '../../src-shared/ipc-contract';
import type { ConnectionCheckResult, SaveSettingsResult, SettingsUpdate, SettingsView } from '../../src-shared/connection-settings';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import type { MessengerCommand, OwnStatus } from '../../src-shared/messenger-types';
import type { ButterflyState } from './store';

export type Result<T = undefined> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export interface Commands {
  signIn(email: string, password: string, status: OwnStatus): Promise<Result>;
  signOut(): Promise<Result>;
  setStatus(status: OwnStatus): Promise<Result>;
  /** Plain text; main encodes it. */
  setNickname(nickname: string): Promise<Result>;
  addContact(email: string, groupId?: string): Promise<Result>;
  removeContact(email: string): Promise<Result>;
  blockContact(email: string): Promise<Result>;
  unblockContact(email: string): Promise<Result>;
  moveContact(email: string, fromGroupId: string, toGroupId: string): Promise<Result>;
  addGroup(name: string): Promise<Result>;
  renameGroup(groupId: string, name: string): Promise<Result>;
  removeGroup(groupId: string): Promise<Result>;
  answerAddedYou(email: string, allow: boolean, addBack: boolean): Promise<Result>;
  getSettings(): Promise<Result<SettingsView>>;
  saveSettings(update: SettingsUpdate): Promise<Result<SaveSettingsResult>>;
  testSettings(update: SettingsUpdate): Promise<Result<ConnectionCheckResult>>;
  useDefaultSettings(): Promise<Result<SettingsView>>;
}

const noMain: ErrorInfo = { code: 'ipc.bridge-unavailable', message: 'Butterfly’s background service is not running.', retryable: true };

export function createCommands(api: ButterflyApi | null, store: { getState(): ButterflyState }): Commands {
  const attempt = async <T>(call: (api: ButterflyApi) => Promise<T>): Promise<Result<T>> => {
    if (!api) return { ok: false, error: noMain };
    try {
      return { ok: true, value: await call(api) };
    } catch (error) {
      return { ok: false, error: toErrorInfo(error) };
    }
  };
  const run = (command: MessengerCommand): Promise<Result> => attempt(async (a) => void (await a.call('messenger:execute', command)));
  const view = async (result: Promise<Result<SettingsView>>) => {
    const r = await result;
    if (r.ok) store.getState().applySettingsView(r.value);
    return r;
  };
  return {
    signIn: (email, password, status) => run({ type: 'sign-in', email, password, status }),
    signOut: () => run({ type: 'sign-out' }),
    setStatus: (status) => run({ type: 'set-status', status }),
    setNickname: (nickname) => run({ type: 'set-nickname', nickname }),
    addContact: (email, groupId) => run(groupId === undefined ? { type: 'add-contact', email } : { type: 'add-contact', email, groupId }),
    removeContact: (email) => run({ type: 'remove-contact', email }),
    blockContact: (email) => run({ type: 'block-contact', email }),
    unblockContact: (email) => run({ type: 'unblock-contact', email }),
    moveContact: (email, fromGroupId, toGroupId) => run({ type: 'move-contact', email, fromGroupId, toGroupId }),
    addGroup: (name) => run({ type: 'add-group', name }),
    renameGroup: (groupId, name) => run({ type: 'rename-group', groupId, name }),
    removeGroup: (groupId) => run({ type: 'remove-group', groupId }),
    answerAddedYou: (email, allow, addBack) => run({ type: 'answer-added-you', email, allow, addBack }),
    getSettings: () => view(attempt((a) => a.call('settings:get', null))),
    saveSettings: (update) =>
      attempt(async (a) => {
        const result = await a.call('settings:save', update);
        if (result.ok) store.getState().applySettingsView(result.view);
        return result;
      }),
    testSettings: (update) => attempt((a) => a.call('settings:test', update)),
    useDefaultSettings: () => view(attempt((a) => a.call('settings:use-defaults', null))),
  };
}
