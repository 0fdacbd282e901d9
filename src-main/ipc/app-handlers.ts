// What main answers on each IPC channel. Both shells (Electron and browser mode) build their adapters from this, and
// forward the accounts' events with `forwardMessengerEvents` to the windows (or pages) watching each account. The
// requests arrive checked (the dispatcher); the messenger calls are the service's own functions, the ones the CLI
// calls too.
import type { AppInfo, CallRequest, CallResponse, EventChannel, IpcEvents } from '../../src-shared/ipc-contract';
import type { Disposable } from '../../src-shared/disposable';
import type { ConnectionCheckResult, ConnectionSettings } from '../../src-shared/connection-settings';
import { settingsUnreadableError, type SettingsStore } from '../settings/settings-store';
import type { MessengerService } from '../service/messenger-service';
import type { EventRoutes } from './event-routes';
import type { CallHandlers, Caller, SendHandlers } from './ipc-dispatcher';

/** How a shell shows views: Electron opens windows; browser mode answers that the page shows the view itself. */
export type OpenWindow = (request: CallRequest<'windows:open'>, caller: Caller) => Promise<CallResponse<'windows:open'>>;

export interface AppHandlerDeps {
  info: AppInfo;
  service: MessengerService;
  settings: SettingsStore;
  /** Which window watches which account: the shell's, shared with its event forwarding. */
  routes: EventRoutes;
  openWindow: OpenWindow;
  /** Walks a route step by step (the session's testConnection; tests may pass shorter timings). */
  testConnection(settings: ConnectionSettings): Promise<ConnectionCheckResult>;
  log(line: string): void;
}

export function createAppHandlers(deps: AppHandlerDeps): { calls: CallHandlers; sends: SendHandlers } {
  const { service, routes } = deps;
  return {
    calls: {
      'app:get-info': async () => deps.info,
      'accounts:watch': async ({ accountId }, caller) => {
        // A window opened for an account (or reloaded) keeps it; a new page takes the account used last.
        const id = accountId ?? routes.accountWatchedBy(caller.id) ?? service.accounts()[0]?.id;
        if (id === undefined) return { account: null };
        const account = service.snapshot(id);
        routes.watchAccount(caller.id, id);
        return { account };
      },
      'messenger:sign-in': async (request, caller) => {
        // Settings that could not be read: the person decides (settings:save or settings:use-defaults) before any
        // sign-in, so a saved proxy is never skipped without their knowing.
        if (deps.settings.view().unreadable) throw settingsUnreadableError();
        return service.signIn(request, { onAccount: (id) => routes.watchAccount(caller.id, id) });
      },
      // The account calls are the service's own functions, as the CLI calls them.
      ...service.calls,
      'windows:open': async (request, caller) => {
        service.account(request.accountId);
        // A conversation window only for a conversation there is (refused with its `conversation.*` code otherwise).
        if (request.view === 'conversation') await service.calls['conversations:get'](request);
        return deps.openWindow(request, caller);
      },
      'settings:get': async () => deps.settings.view(),
      'settings:save': (update) => deps.settings.save(update),
      'settings:test': (update) => deps.testConnection(deps.settings.resolve(update).settings),
      'settings:use-defaults': async () => deps.settings.useDefaults(),
      'settings:get-windows': async () => deps.settings.windows(),
      'settings:save-windows': (windows) => deps.settings.saveWindows(windows),
    },
    // Renderer log lines are size-capped by the contract's schema and marked as coming from the page.
    sends: { 'app:log': ({ level, message }) => deps.log(`[renderer:${level}] ${message}`) },
  };
}

export type EmitToClients = <C extends EventChannel>(clients: readonly string[], channel: C, payload: IpcEvents[C]) => void;

/** Sends each account's events, unchanged (names as they came off the wire), to the clients watching that account. */
export function forwardMessengerEvents(service: MessengerService, routes: EventRoutes, emit: EmitToClients): Disposable {
  return service.onEvent((event) => {
    const clients = routes.clientsFor(event);
    if (clients.length > 0) emit(clients, 'messenger:event', event);
  });
}
