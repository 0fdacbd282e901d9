// Where Butterfly keeps per-user data (list caches, settings), decided in one place. The Electron shell passes
// app.getPath('userData'); the CLI and browser mode get the same per-user location computed here, so all three
// share one cache. BUTTERFLY_DATA_DIR wins over everything (tests point it at a temp dir).
import { join } from 'node:path';
import { homedir } from 'node:os';

export const APP_DIR_NAME = 'Butterfly';

export interface DataDirInput {
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  home?: string;
  /** Electron's app.getPath('userData'), when running inside the desktop shell. */
  electronUserData?: string;
}

export function resolveDataDir(input: DataDirInput = {}): string {
  const env = input.env ?? process.env;
  const override = env.BUTTERFLY_DATA_DIR?.trim();
  if (override) return override;
  if (input.electronUserData) return input.electronUserData;
  const platform = input.platform ?? process.platform;
  const home = input.home ?? homedir();
  // Same places Electron's userData resolves to, so the CLI finds the desktop app's data.
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  const xdg = env.XDG_CONFIG_HOME?.trim();
  // XDG says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.config'), APP_DIR_NAME);
}
