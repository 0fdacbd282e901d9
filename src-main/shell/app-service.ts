// The main process's services as every shell builds them. createAppService: the messenger service (desktop app,
// browser mode, CLI) — its accounts in the data directory's registry, their list caches and message histories there too, connection
// settings turned into transport factories and HTTP clients, time the system's. startMainServices: that service plus
// the saved settings and the IPC handlers, for the two shells that show the UI (Electron and browser mode).
import { join } from 'node:path';
import { DEFAULT_CONNECTION_SETTINGS, splitHostPort, type ConnectionSettings, type HostPort } from '../../src-shared/connection-settings';
import { answerChallenge } from '../protocol/challenge';
import { createMessengerService, type MessengerService } from '../service/messenger-service';
import { openFileAccountRegistry } from '../service/account-registry';
import { systemClock } from '../session/clock';
import type { ConnectionRoute, SessionTimings } from '../session/connection-manager';
import { createFileListCache } from '../session/list-cache';
import type { AppInfo } from '../../src-shared/ipc-contract';
import { createAppHandlers, type OpenWindow } from '../ipc/app-handlers';
import type { EventRoutes } from '../ipc/event-routes';
import type { CallHandlers, SendHandlers } from '../ipc/ipc-dispatcher';
import type { SecretBox } from '../settings/secret-box';
import { openSettingsStore, type SettingsStore } from '../settings/settings-store';
import { createHttpClient, createTransportFactory } from '../transport';
import { testConnection, type ConnectionCheckDeps } from '../session/connection-check';

export interface AppServiceOptions {
  /** The default server and route (the saved settings in the app, the options given to the CLI). */
  settings: ConnectionSettings;
  dataDir: string;
  /** The server the settings name now: list caches an older Butterfly kept by e-mail address alone become its accounts'. Default: settings.server. */
  configuredServer?: HostPort;
  timings?: Partial<SessionTimings>;
}

export function createAppService(options: AppServiceOptions): MessengerService {
  const lists = join(options.dataDir, 'lists');
  return createMessengerService({
    registry: openFileAccountRegistry(options.dataDir, { legacyListCaches: { dir: lists, server: options.configuredServer ?? options.settings.server } }),
    settings: options.settings,
    routeFor,
    clock: systemClock,
    listCache: createFileListCache(lists),
    answerChallenge,
    timings: options.timings,
    history: { dataDir: options.dataDir },
  });
}

/** The transports and HTTP client a set of connection settings stands for. */
export function routeFor(settings: ConnectionSettings): ConnectionRoute {
  return { transportFactory: createTransportFactory(settings), httpClient: createHttpClient(settings), nexusUrl: settings.nexusUrl };
}

/**
 * The desktop app's settings before the user saves any: the live network, unless `BUTTERFLY_SERVER` (host:port) and
 * `BUTTERFLY_NEXUS` (URL) point elsewhere — `npm run demo` uses them (with a fresh data directory) for the bundled
 * test server.
 */
export function settingsFromEnvironment(env: Record<string, string | undefined>): ConnectionSettings {
  // Only a full host:port counts: a port guessed for a typo would hide it.
  const server = splitHostPort(env.BUTTERFLY_SERVER ?? '');
  return {
    ...DEFAULT_CONNECTION_SETTINGS,
    server: server?.port !== undefined ? { host: server.host, port: server.port } : { ...DEFAULT_CONNECTION_SETTINGS.server },
    nexusUrl: env.BUTTERFLY_NEXUS?.trim() || DEFAULT_CONNECTION_SETTINGS.nexusUrl,
  };
}

export interface MainServicesOptions {
  info: AppInfo;
  dataDir: string;
  /** How a saved proxy password is protected: safeStorage on the desktop, session-only in browser mode. */
  secrets: SecretBox;
  /** The settings when none are saved yet. */
  defaults: ConnectionSettings;
  timings?: Partial<SessionTimings>;
  /** For "Test connection"; tests pass shorter ones. */
  checkTimings?: ConnectionCheckDeps;
  /** Which window (or page) watches which account: the shell's, shared with its event forwarding. */
  routes: EventRoutes;
  /** How this shell opens a view in a window of its own. */
  openWindow: OpenWindow;
  log(line: string): void;
}

export interface MainServices {
  service: MessengerService;
  settings: SettingsStore;
  handlers: { calls: CallHandlers; sends: SendHandlers };
  dispose(): void;
}

export async function startMainServices(options: MainServicesOptions): Promise<MainServices> {
  const settings = await openSettingsStore({ dataDir: options.dataDir, secrets: options.secrets, defaults: options.defaults });
  const service = createAppService({ settings: settings.current(), dataDir: options.dataDir, timings: options.timings });
  // Saved settings apply from the next sign-in or reconnect on.
  settings.onDidChange((next) => service.reconfigure(next));
  const handlers = createAppHandlers({
    info: options.info,
    service,
    settings,
    routes: options.routes,
    openWindow: options.openWindow,
    testConnection: (s) => testConnection(s, options.checkTimings),
    log: options.log,
  });
  return { service, settings, handlers, dispose: () => service.dispose() };
}
