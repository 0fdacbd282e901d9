// The user's connection settings: kept in `<data dir>/settings.json` (written atomically, mode 0600), the proxy
// password sealed by a SecretBox or, where nothing can seal it, kept only in memory. Validated with the same rules as
// the dialog; secrets never leave main (the view the page gets says only whether a password is saved).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  validateConnectionSettings,
  type ConnectionSettings,
  type FieldError,
  type SaveSettingsResult,
  type SettingsUpdate,
  type SettingsView,
} from '../../src-shared/connection-settings';
import type { SecretBox } from './secret-box';

const FORMAT = 1;

interface SettingsFile {
  format: number;
  settings: ConnectionSettings;
  /** The sealed proxy password, when there is one and it could be sealed. */
  proxyPassword?: string;
}

export interface SettingsStore {
  /** The settings to connect with, proxy password included. */
  current(): ConnectionSettings;
  view(): SettingsView;
  /** Validates, then saves and applies; field errors leave everything as it was. */
  save(update: SettingsUpdate): Promise<SaveSettingsResult>;
  /** What an update would connect with (for "Test connection" before saving), and its field errors if any. */
  resolve(update: SettingsUpdate): { settings: ConnectionSettings; errors: FieldError[] };
  onDidChange(listener: (settings: ConnectionSettings) => void): void;
}

export interface SettingsStoreOptions {
  dataDir: string;
  secrets: SecretBox;
  /** Used when nothing is saved yet (or the file cannot be read). */
  defaults: ConnectionSettings;
}

export async function openSettingsStore(options: SettingsStoreOptions): Promise<SettingsStore> {
  const file = join(options.dataDir, 'settings.json');
  const loaded = await readSettingsFile(file);
  let saved: ConnectionSettings = loaded ? withoutPassword(loaded.settings) : withoutPassword(options.defaults);
  let password = loaded?.proxyPassword === undefined ? undefined : options.secrets.open(loaded.proxyPassword);
  const listeners: ((s: ConnectionSettings) => void)[] = [];

  const withPassword = (s: ConnectionSettings, pw: string | undefined): ConnectionSettings =>
    s.proxy ? { ...s, proxy: { ...s.proxy, ...(pw ? { password: pw } : {}) } } : s;
  const passwordFor = (update: SettingsUpdate) => (update.proxyPassword === undefined ? password : (update.proxyPassword ?? undefined) || undefined);

  const resolve: SettingsStore['resolve'] = (update) => {
    const settings = withPassword(withoutPassword(update.settings), passwordFor(update));
    return { settings, errors: validateConnectionSettings(settings) };
  };

  const store: SettingsStore = {
    current: () => withPassword(saved, password),
    view: () => ({ settings: saved, proxyPasswordSaved: password !== undefined && saved.proxy !== undefined, secretStorage: options.secrets.kind }),
    resolve,
    async save(update) {
      const resolved = resolve(update);
      if (resolved.errors.length > 0) return { ok: false, errors: resolved.errors };
      const nextSettings = withoutPassword(resolved.settings);
      // A password only means something with a proxy: dropping the proxy drops its password.
      const nextPassword = nextSettings.proxy ? passwordFor(update) : undefined;
      const sealed = nextPassword === undefined ? undefined : options.secrets.seal(nextPassword);
      await mkdir(options.dataDir, { recursive: true });
      const body: SettingsFile = { format: FORMAT, settings: nextSettings, ...(sealed ? { proxyPassword: sealed } : {}) };
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, file);
      saved = nextSettings;
      password = nextPassword;
      for (const listener of listeners) listener(store.current());
      return { ok: true, view: store.view() };
    },
    onDidChange: (listener) => void listeners.push(listener),
  };
  return store;
}

function withoutPassword(s: ConnectionSettings): ConnectionSettings {
  const copy: ConnectionSettings = { server: { ...s.server }, nexusUrl: s.nexusUrl, transport: s.transport, gateway: { ...s.gateway } };
  if (s.proxy) {
    copy.proxy = { host: s.proxy.host, port: s.proxy.port };
    if (s.proxy.username) copy.proxy.username = s.proxy.username;
  }
  return copy;
}

/** The saved file, or undefined when there is none or it cannot be used (it is then left alone, not deleted). */
async function readSettingsFile(file: string): Promise<SettingsFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as SettingsFile;
    if (parsed.format !== FORMAT || validateConnectionSettings(parsed.settings).length > 0) return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}
