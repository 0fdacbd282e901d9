// Browser mode's entry: main's messenger service behind the loopback bridge, for machines where the Electron binary is
// missing. Prints nothing itself: the caller shows the one URL (with its token) to open. Same renderer build as the
// desktop app, same handlers, same events. Each page connection is a window of its own for the event routes; main
// cannot open or raise a browser tab, so `windows:open` is answered `in-page` and the page shows the view itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionSettings } from '../../src-shared/connection-settings';
import { startMainServices } from './app-service';
import { resolveDataDir } from './data-dir';
import { forwardMessengerEvents } from '../ipc/app-handlers';
import { EventRoutes } from '../ipc/event-routes';
import { sessionOnlySecretBox } from '../settings/secret-box';
import { createIpcDispatcher } from '../ipc/ipc-dispatcher';
import { startBrowserBridge, type BridgeLimits, type BrowserBridge } from '../ipc/browser-bridge';
import type { SessionTimings } from '../session/connection-manager';

export interface BrowserModeOptions {
  rendererDir: string;
  /** The connection settings until the user saves others (in the data directory). */
  settings: ConnectionSettings;
  /** Defaults to the per-user data directory (or BUTTERFLY_DATA_DIR). */
  dataDir?: string;
  port?: number;
  /** The one-time token of the printed address (tests); random otherwise. */
  token?: string;
  bridgeLimits?: Partial<BridgeLimits>;
  timings?: Partial<SessionTimings>;
  log?: (line: string) => void;
}

export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserBridge> {
  const log = options.log ?? ((line: string) => console.log(line));
  const routes = new EventRoutes();
  const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  const main = await startMainServices({
    info: { name: 'Butterfly', version, shell: 'browser', platform: process.platform },
    dataDir: options.dataDir ?? resolveDataDir(),
    // No OS keychain outside Electron: a proxy password is kept for this run only, never written.
    secrets: sessionOnlySecretBox,
    defaults: options.settings,
    timings: options.timings,
    routes,
    openWindow: async () => ({ opened: 'in-page' }),
    log,
  });
  const { calls, sends } = main.handlers;
  const bridge = await startBrowserBridge({
    dispatcher: createIpcDispatcher(calls, sends),
    rendererDir: options.rendererDir,
    port: options.port,
    token: options.token,
    limits: options.bridgeLimits,
    log,
    onPageClosed: (caller) => routes.forget(caller.id),
  });
  const forwarding = forwardMessengerEvents(main.service, routes, (clients, channel, payload) => bridge.emit(channel, payload, clients));
  return {
    ...bridge,
    async close() {
      forwarding.dispose();
      main.dispose();
      await bridge.close();
    },
  };
}
