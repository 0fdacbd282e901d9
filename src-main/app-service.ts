// The messenger service as every shell builds it (desktop app, browser mode, CLI): the user's connection settings
// become a transport factory and an HTTP client, the list cache lives in the data directory, time is the system's.
import { join } from 'node:path';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings } from '../src-shared/connection-settings';
import { answerChallenge } from './protocol/challenge';
import { createMessengerService, type MessengerService } from './service/messenger-service';
import { systemClock } from './session/clock';
import type { SessionTimings } from './session/connection-manager';
import { createFileListCache } from './session/list-cache';
import { createHttpClient, createTransportFactory } from './transport';

export interface AppServiceOptions {
  settings: ConnectionSettings;
  dataDir: string;
  timings?: Partial<SessionTimings>;
}

export function createAppService(options: AppServiceOptions): MessengerService {
  const { settings } = options;
  return createMessengerService({
    transportFactory: createTransportFactory(settings),
    httpClient: createHttpClient(settings),
    clock: systemClock,
    listCache: createFileListCache(join(options.dataDir, 'lists')),
    server: settings.server,
    nexusUrl: settings.nexusUrl,
    answerChallenge,
    timings: options.timings,
  });
}

/**
 * The desktop app and browser mode connect directly to the live network unless `BUTTERFLY_SERVER` (host:port) and
 * `BUTTERFLY_NEXUS` (URL) point elsewhere — `npm run demo` uses them for the bundled test server. The settings
 * dialog will replace this.
 */
export function settingsFromEnvironment(env: Record<string, string | undefined>): ConnectionSettings {
  const server = env.BUTTERFLY_SERVER?.trim();
  const match = server ? /^(.+):(\d{1,5})$/.exec(server) : null;
  return {
    ...DEFAULT_CONNECTION_SETTINGS,
    server: match ? { host: match[1], port: Number(match[2]) } : { ...DEFAULT_CONNECTION_SETTINGS.server },
    nexusUrl: env.BUTTERFLY_NEXUS?.trim() || DEFAULT_CONNECTION_SETTINGS.nexusUrl,
  };
}
