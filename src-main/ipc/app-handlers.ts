// What main answers on each IPC channel. Both shells (Electron and browser mode) build their adapters from this,
// and forward the messenger service's events with `forwardMessengerEvents`.
import type { AppInfo, EventChannel, IpcEvents } from '../../src-shared/ipc-contract';
import type { Disposable } from '../../src-shared/disposable';
import type { ConnectionCheckResult, ConnectionSettings } from '../../src-shared/connection-settings';
import { settingsUnreadableError, type SettingsStore } from '../settings/settings-store';
import type { MessengerService } from '../service/messenger-service';
import type { CallHandlers, SendHandlers } from './ipc-dispatcher';

export interface AppHandlerDeps {
  info: AppInfo;
  service: MessengerService;
  settings: SettingsStore;
  /** Walks a route step by step (the session's testConnection; tests may pass shorter timings). */
  testConnection(settings: ConnectionSettings): Promise<ConnectionCheckResult>;
  log(line: string): void;
}

export function createAppHandlers(deps: AppHandlerDeps): { calls: CallHandlers; sends: SendHandlers } {
  return {
    calls: {
      'app:get-info': async () => deps.info,
      'messenger:execute': async (command) => {
        // Settings that could not be read: the person decides (settings:save or settings:use-defaults) before any
        // sign-in, so a saved proxy is never skipped without their knowing.
        if (command.type === 'sign-in' && deps.settings.view().unreadable) throw settingsUnreadableError();
        await deps.service.execute(command);
        return null;
      },
      'messenger:get-snapshot': async () => deps.service.snapshot(),
      'settings:get': async () => deps.settings.view(),
      'settings:save': (update) => deps.settings.save(update),
      'settings:test': (update) => deps.testConnection(deps.settings.resolve(update).settings),
      'settings:use-defaults': async () => deps.settings.useDefaults(),
    },
    // Renderer log lines are size-capped by the contract's validator and marked as coming from the page.
    sends: { 'app:log': ({ level, message }) => deps.log(`[renderer:${level}] ${message}`) },
  };
}

export type EmitToRenderer = <C extends EventChannel>(channel: C, payload: IpcEvents[C]) => void;

/** Sends every messenger event to the renderer unchanged: names stay as they came off the wire. */
export function forwardMessengerEvents(service: MessengerService, emit: EmitToRenderer): Disposable {
  return service.onEvent((event) => emit('messenger:event', event));
}
