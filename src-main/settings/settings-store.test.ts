import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings } from '../../src-shared/connection-settings';
import { safeStorageSecretBox, sessionOnlySecretBox, type SafeStorageLike } from './secret-box';
import { openSettingsStore } from './settings-store';

// Stands in for the OS keychain behind Electron's safeStorage: real AES-256-GCM with a key only this "machine" has.
function keychain(): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => true,
    encryptString(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const socks: ConnectionSettings = { ...DEFAULT_CONNECTION_SETTINGS, transport: 'socks5', proxy: { host: '127.0.0.1', port: 1080, username: 'me' } };
const dir = () => mkdtempSync(join(tmpdir(), 'bf-settings-'));

describe('settings store', () => {
  it('starts from the defaults and shows no password', async () => {
    const store = await openSettingsStore({ dataDir: dir(), secrets: sessionOnlySecretBox, defaults: DEFAULT_CONNECTION_SETTINGS });
    expect(store.current()).toEqual(DEFAULT_CONNECTION_SETTINGS);
    expect(store.view()).toEqual({ settings: DEFAULT_CONNECTION_SETTINGS, proxyPasswordSaved: false, secretStorage: 'session' });
  });

  it('saves the proxy password sealed by the keychain, never in clear, and reads it back on the next start', async () => {
    const dataDir = dir();
    const box = safeStorageSecretBox(keychain(), 'darwin');
    const store = await openSettingsStore({ dataDir, secrets: box, defaults: DEFAULT_CONNECTION_SETTINGS });
    const result = await store.save({ settings: socks, proxyPassword: 'hunter2-secret' });
    expect(result).toEqual({ ok: true, view: { settings: socks, proxyPasswordSaved: true, secretStorage: 'os' } });
    const text = readFileSync(join(dataDir, 'settings.json'), 'utf8');
    expect(text).not.toContain('hunter2-secret');
    expect(JSON.parse(text).proxyPassword).toMatch(/^[A-Za-z0-9+/]+=*$/);

    const again = await openSettingsStore({ dataDir, secrets: box, defaults: DEFAULT_CONNECTION_SETTINGS });
    expect(again.current().proxy).toEqual({ host: '127.0.0.1', port: 1080, username: 'me', password: 'hunter2-secret' });
    expect(again.view().settings.proxy).toEqual({ host: '127.0.0.1', port: 1080, username: 'me' });
  });

  it('without system encryption keeps the password for this run only', async () => {
    const dataDir = dir();
    const store = await openSettingsStore({ dataDir, secrets: sessionOnlySecretBox, defaults: DEFAULT_CONNECTION_SETTINGS });
    await store.save({ settings: socks, proxyPassword: 'hunter2-secret' });
    expect(store.current().proxy?.password).toBe('hunter2-secret');
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).not.toContain('hunter2');
    const again = await openSettingsStore({ dataDir, secrets: sessionOnlySecretBox, defaults: DEFAULT_CONNECTION_SETTINGS });
    expect(again.current().proxy).toEqual({ host: '127.0.0.1', port: 1080, username: 'me' });
    expect(again.view().proxyPasswordSaved).toBe(false);
  });

  it('a Linux desktop without a keyring (basic_text) does not count as encryption', () => {
    const weak = { ...keychain(), getSelectedStorageBackend: () => 'basic_text' };
    expect(safeStorageSecretBox(weak, 'linux').kind).toBe('session');
    expect(safeStorageSecretBox({ ...keychain(), isEncryptionAvailable: () => false }, 'win32').kind).toBe('session');
  });

  it('keeps the password when none is given, clears it with null, and drops it with the proxy', async () => {
    const store = await openSettingsStore({ dataDir: dir(), secrets: safeStorageSecretBox(keychain(), 'win32'), defaults: DEFAULT_CONNECTION_SETTINGS });
    await store.save({ settings: socks, proxyPassword: 'one' });
    await store.save({ settings: { ...socks, proxy: { host: '127.0.0.1', port: 1081, username: 'me' } } });
    expect(store.current().proxy).toMatchObject({ port: 1081, password: 'one' });
    await store.save({ settings: socks, proxyPassword: null });
    expect(store.current().proxy?.password).toBeUndefined();
    await store.save({ settings: socks, proxyPassword: 'two' });
    await store.save({ settings: DEFAULT_CONNECTION_SETTINGS });
    await store.save({ settings: { ...socks, proxy: { host: '127.0.0.1', port: 1080 } } });
    expect(store.current().proxy?.password).toBeUndefined();
  });

  it('refuses invalid settings with field messages and changes nothing', async () => {
    const dataDir = dir();
    const store = await openSettingsStore({ dataDir, secrets: sessionOnlySecretBox, defaults: DEFAULT_CONNECTION_SETTINGS });
    const changed: ConnectionSettings[] = [];
    store.onDidChange((s) => changed.push(s));
    const result = await store.save({ settings: { ...DEFAULT_CONNECTION_SETTINGS, server: { host: '', port: 70000 } } });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['server.host', 'server.port']);
    expect(store.current()).toEqual(DEFAULT_CONNECTION_SETTINGS);
    expect(changed).toEqual([]);
    expect(() => readFileSync(join(dataDir, 'settings.json'))).toThrow();
  });

  it('an unreadable file is kept aside, the defaults apply, and the store says so until the person chooses', async () => {
    const dataDir = dir();
    const box = safeStorageSecretBox(keychain(), 'darwin');
    await (await openSettingsStore({ dataDir, secrets: box, defaults: DEFAULT_CONNECTION_SETTINGS })).save({ settings: socks, proxyPassword: 'hunter2-secret' });
    // Truncated after saving a SOCKS5 proxy (finding 5).
    const text = readFileSync(join(dataDir, 'settings.json'), 'utf8');
    writeFileSync(join(dataDir, 'settings.json'), text.slice(0, text.length / 2));
    const store = await openSettingsStore({ dataDir, secrets: box, defaults: DEFAULT_CONNECTION_SETTINGS, now: () => 1234 });
    expect(store.current()).toEqual(DEFAULT_CONNECTION_SETTINGS);
    expect(store.view().unreadable).toEqual({ keptAs: 'settings.json.unreadable-1234' });
    expect(readdirSync(dataDir)).toEqual(['settings.json.unreadable-1234']);
    expect(readFileSync(join(dataDir, 'settings.json.unreadable-1234'), 'utf8')).toBe(text.slice(0, text.length / 2));
    // Choosing the defaults clears it, for this run; the copy stays.
    expect(store.useDefaults().unreadable).toBeUndefined();
    expect(readdirSync(dataDir)).toEqual(['settings.json.unreadable-1234']);
  });

  it('saving new settings after an unreadable file clears the notice and does not touch the kept copy', async () => {
    const dataDir = dir();
    writeFileSync(join(dataDir, 'settings.json'), '{"format":1,"settings":');
    const store = await openSettingsStore({ dataDir, secrets: sessionOnlySecretBox, defaults: DEFAULT_CONNECTION_SETTINGS, now: () => 7 });
    expect(store.view().unreadable).toBeDefined();
    const saved = await store.save({ settings: socks });
    expect(saved.ok).toBe(true);
    expect(store.view().unreadable).toBeUndefined();
    expect(readdirSync(dataDir).sort()).toEqual(['settings.json', 'settings.json.unreadable-7']);
    expect(readFileSync(join(dataDir, 'settings.json.unreadable-7'), 'utf8')).toBe('{"format":1,"settings":');
  });

  it.each<[string, unknown]>([
    ['not JSON', 'nope'],
    ['a future format', { format: 2, settings: DEFAULT_CONNECTION_SETTINGS }],
    ['an unknown key', { format: 1, settings: { ...DEFAULT_CONNECTION_SETTINGS, extra: 1 } }],
    ['a port out of range', { format: 1, settings: { ...DEFAULT_CONNECTION_SETTINGS, server: { host: 'h', port: 1e21 } } }],
    ['a fractional port', { format: 1, settings: { ...DEFAULT_CONNECTION_SETTINGS, server: { host: 'h', port: 18.5 } } }],
    ['an unknown transport', { format: 1, settings: { ...DEFAULT_CONNECTION_SETTINGS, transport: 'carrier-pigeon' } }],
    ['a 10 KB host', { format: 1, settings: { ...DEFAULT_CONNECTION_SETTINGS, server: { host: 'h'.repeat(10_000), port: 1 } } }],
    ['settings that fail the dialog rules', { format: 1, settings: { ...DEFAULT_CONNECTION_SETTINGS, transport: 'socks5' } }],
    ['proxy: null', { format: 1, settings: { ...DEFAULT_CONNECTION_SETTINGS, proxy: null } }],
    ['a sealed password that is not a string', { format: 1, settings: DEFAULT_CONNECTION_SETTINGS, proxyPassword: 5 }],
    ['an unknown message-arrival choice', { format: 1, settings: DEFAULT_CONNECTION_SETTINGS, windows: { messageArrival: 'pop-up' } }],
  ])('refuses %s', async (_name, content) => {
    const dataDir = dir();
    writeFileSync(join(dataDir, 'settings.json'), typeof content === 'string' ? content : JSON.stringify(content));
    const store = await openSettingsStore({ dataDir, secrets: sessionOnlySecretBox, defaults: DEFAULT_CONNECTION_SETTINGS });
    expect(store.current()).toEqual(DEFAULT_CONNECTION_SETTINGS);
    expect(store.view().unreadable?.keptAs).toMatch(/^settings\.json\.unreadable-\d+$/);
  });

  it('keeps the last three unreadable copies, and no stray .tmp when the save fails', async () => {
    const dataDir = dir();
    for (let i = 1; i <= 5; i++) {
      writeFileSync(join(dataDir, 'settings.json'), `broken ${i}`);
      await openSettingsStore({ dataDir, secrets: sessionOnlySecretBox, defaults: DEFAULT_CONNECTION_SETTINGS, now: () => i });
    }
    expect(readdirSync(dataDir).sort()).toEqual(['settings.json.unreadable-3', 'settings.json.unreadable-4', 'settings.json.unreadable-5']);
    // A directory where the file should go: the save fails, and leaves nothing behind.
    const store = await openSettingsStore({ dataDir, secrets: sessionOnlySecretBox, defaults: DEFAULT_CONNECTION_SETTINGS });
    mkdirSync(join(dataDir, 'settings.json', 'x'), { recursive: true });
    await expect(store.save({ settings: socks })).rejects.toThrow();
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the window settings in the same file: defaults first, saved on their own, kept by a connection save, read back', async () => {
    const dataDir = dir();
    const box = safeStorageSecretBox(keychain(), 'darwin');
    const store = await openSettingsStore({ dataDir, secrets: box, defaults: DEFAULT_CONNECTION_SETTINGS });
    expect(store.windows()).toEqual({ messageArrival: 'open-window' });
    await store.save({ settings: socks, proxyPassword: 'hunter2-secret' });
    expect(await store.saveWindows({ messageArrival: 'notify' })).toEqual({ messageArrival: 'notify' });
    const file = () => JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { windows?: unknown; settings: unknown };
    expect(file()).toMatchObject({ windows: { messageArrival: 'notify' }, settings: socks });
    await store.save({ settings: { ...socks, proxy: { host: '127.0.0.1', port: 1081, username: 'me' } } });
    expect(file().windows).toEqual({ messageArrival: 'notify' });
    const again = await openSettingsStore({ dataDir, secrets: box, defaults: DEFAULT_CONNECTION_SETTINGS });
    expect(again.windows()).toEqual({ messageArrival: 'notify' });
    // Saving the window settings kept the sealed password.
    expect(again.current().proxy).toMatchObject({ port: 1081, password: 'hunter2-secret' });
  });

  it('while the file could not be read, window settings apply for the run and are written with the next save', async () => {
    const dataDir = dir();
    writeFileSync(join(dataDir, 'settings.json'), 'broken');
    const store = await openSettingsStore({ dataDir, secrets: sessionOnlySecretBox, defaults: DEFAULT_CONNECTION_SETTINGS, now: () => 9 });
    await store.saveWindows({ messageArrival: 'notify' });
    expect(store.windows()).toEqual({ messageArrival: 'notify' });
    expect(readdirSync(dataDir)).toEqual(['settings.json.unreadable-9']);
    await store.save({ settings: socks });
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).windows).toEqual({ messageArrival: 'notify' });
  });

  it('no file at all is not a problem: nothing to report', async () => {
    const store = await openSettingsStore({ dataDir: dir(), secrets: sessionOnlySecretBox, defaults: DEFAULT_CONNECTION_SETTINGS });
    expect(store.view().unreadable).toBeUndefined();
  });
});
