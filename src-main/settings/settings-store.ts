// The user's connection settings: kept in `<data dir>/settings.json` (written atomically, mode 0600), the proxy
// password sealed by a SecretBox or, where nothing can seal it, kept only in memory. The file is checked against its
// schema and the dialog's rules before use; one that fails is kept aside (`settings.json.unreadable-<time>`) and the
// defaults apply — but the store says so (`view().unreadable`) until the person saves or chooses the defaults, and
// main will not sign in before that. Secrets never leave main (the page learns only whether a password is saved).
// The same file keeps main's window settings (what a message arriving with no view open does), saved on their own.
import { join } from 'node:path';
import * as v from 'valibot';
import { ButterflyError } from '../../src-shared/errors';
import {
  connectionSettingsSchema,
  SETTINGS_UNREADABLE_MESSAGE,
  validateConnectionSettings,
  type ConnectionSettings,
  type FieldError,
  type SaveSettingsResult,
  type SettingsUpdate,
  type SettingsView,
} from '../../src-shared/connection-settings';
import { DEFAULT_WINDOW_SETTINGS, windowSettingsSchema, type WindowSettings } from '../../src-shared/window-view';
import { createPrivateDir, readJsonFile, writeFileAtomically } from '../storage/json-file';
import type { SecretBox } from './secret-box';

const settingsFileSchema = v.strictObject({
  format: v.literal(1),
  settings: v.pipe(
    connectionSettingsSchema,
    v.check(
      (s) => validateConnectionSettings(s).length === 0,
      (issue) => validateConnectionSettings(issue.input as ConnectionSettings)[0]?.message ?? 'invalid settings',
    ),
  ),
  /** The sealed proxy password, when there is one and it could be sealed. */
  proxyPassword: v.optional(v.pipe(v.string(), v.maxLength(16 * 1024))),
  /** Absent in files from before they existed: the defaults. */
  windows: v.optional(windowSettingsSchema),
});
type SettingsFile = v.InferOutput<typeof settingsFileSchema>;
const SETTINGS_FILE = 'settings.json';
const MAX_SETTINGS_BYTES = 64 * 1024;

/** Thrown by a sign-in while the saved settings could not be read and the person has not chosen yet. */
export const settingsUnreadableError = () =>
  new ButterflyError('settings.unreadable', `${SETTINGS_UNREADABLE_MESSAGE} Open the connection settings or choose to use the defaults first.`);

export interface SettingsStore {
  /** The settings to connect with, proxy password included. */
  current(): ConnectionSettings;
  view(): SettingsView;
  /** The person accepts the defaults after the saved file could not be read; sign-in no longer waits. */
  useDefaults(): SettingsView;
  /** Validates, then saves and applies; field errors leave everything as it was. */
  save(update: SettingsUpdate): Promise<SaveSettingsResult>;
  /** What an update would connect with (for "Test connection" before saving), and its field errors if any. */
  resolve(update: SettingsUpdate): { settings: ConnectionSettings; errors: FieldError[] };
  onDidChange(listener: (settings: ConnectionSettings) => void): void;
  windows(): WindowSettings;
  /**
   * Saves the window settings and applies them at once. While the saved file could not be read (and the person has
   * not chosen yet) they apply for this run and are written with the next save, so the file is not replaced by defaults behind their back.
   */
  saveWindows(settings: WindowSettings): Promise<WindowSettings>;
}

export interface SettingsStoreOptions {
  dataDir: string;
  secrets: SecretBox;
  /** Used when nothing is saved yet (or the file cannot be read). */
  defaults: ConnectionSettings;
  /** Names the unreadable copy (`settings.json.unreadable-<now>`). */
  now?: () => number;
}

export async function openSettingsStore(options: SettingsStoreOptions): Promise<SettingsStore> {
  const file = join(options.dataDir, SETTINGS_FILE);
  const read = await readJsonFile(file, settingsFileSchema, { maxBytes: MAX_SETTINGS_BYTES, now: options.now });
  const loaded = read.kind === 'ok' ? read.value : undefined;
  let unreadable: SettingsView['unreadable'] = read.kind === 'unreadable' ? { keptAs: read.keptAs } : undefined;
  let saved: ConnectionSettings = loaded ? withoutPassword(loaded.settings) : withoutPassword(options.defaults);
  let password = loaded?.proxyPassword === undefined ? undefined : options.secrets.open(loaded.proxyPassword);
  let windows: WindowSettings = loaded?.windows ?? { ...DEFAULT_WINDOW_SETTINGS };
  const listeners: ((s: ConnectionSettings) => void)[] = [];
  const write = async (settings: ConnectionSettings, pw: string | undefined, win: WindowSettings) => {
    const sealed = pw === undefined ? undefined : options.secrets.seal(pw);
    await createPrivateDir(options.dataDir);
    const body: SettingsFile = { format: 1, settings, ...(sealed ? { proxyPassword: sealed } : {}), windows: win };
    await writeFileAtomically(file, `${JSON.stringify(body, null, 2)}\n`);
  };

  const withPassword = (s: ConnectionSettings, pw: string | undefined): ConnectionSettings =>
    s.proxy ? { ...s, proxy: { ...s.proxy, ...(pw ? { password: pw } : {}) } } : s;
  const passwordFor = (update: SettingsUpdate) => (update.proxyPassword === undefined ? password : (update.proxyPassword ?? undefined) || undefined);

  const resolve: SettingsStore['resolve'] = (update) => {
    const settings = withPassword(withoutPassword(update.settings), passwordFor(update));
    return { settings, errors: validateConnectionSettings(settings) };
  };

  const store: SettingsStore = {
    current: () => withPassword(saved, password),
    view: () => ({
      settings: saved,
      proxyPasswordSaved: password !== undefined && saved.proxy !== undefined,
      secretStorage: options.secrets.kind,
      ...(unreadable ? { unreadable } : {}),
    }),
    useDefaults() {
      unreadable = undefined;
      return store.view();
    },
    resolve,
    async save(update) {
      const resolved = resolve(update);
      if (resolved.errors.length > 0) return { ok: false, errors: resolved.errors };
      const nextSettings = withoutPassword(resolved.settings);
      // A password only means something with a proxy: dropping the proxy drops its password.
      const nextPassword = nextSettings.proxy ? passwordFor(update) : undefined;
      await write(nextSettings, nextPassword, windows);
      saved = nextSettings;
      password = nextPassword;
      unreadable = undefined;
      for (const listener of listeners) listener(store.current());
      return { ok: true, view: store.view() };
    },
    onDidChange: (listener) => void listeners.push(listener),
    windows: () => ({ ...windows }),
    async saveWindows(next) {
      if (!unreadable) await write(saved, password, next);
      windows = { ...next };
      return store.windows();
    },
  };
  return store;
}

/**
 * The saved settings without the proxy password, for a reader that does not own them (the CLI): nothing is changed,
 * an unreadable file is left where it is. Undefined when there are none to use.
 */
export async function readSavedSettings(dataDir: string): Promise<ConnectionSettings | undefined> {
  const read = await readJsonFile(join(dataDir, SETTINGS_FILE), settingsFileSchema, { maxBytes: MAX_SETTINGS_BYTES, setAside: false });
  return read.kind === 'ok' ? withoutPassword(read.value.settings) : undefined;
}

function withoutPassword(s: ConnectionSettings): ConnectionSettings {
  const copy: ConnectionSettings = { server: { ...s.server }, nexusUrl: s.nexusUrl, transport: s.transport, gateway: { ...s.gateway } };
  if (s.proxy) {
    copy.proxy = { host: s.proxy.host, port: s.proxy.port };
    if (s.proxy.username) copy.proxy.username = s.proxy.username;
  }
  return copy;
}
