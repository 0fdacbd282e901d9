import { describe, expect, it } from 'vitest';
import { defaultPreferences, followSavedPreferences, loadPreferences, parsePreferences, savePreferences, STORAGE_KEY, type Preferences } from './preferences';
import { createButterflyStore } from './store';

describe('preferences', () => {
  it('round-trips through storage, and toggling a section twice opens it again', () => {
    const saved = new Map<string, string>();
    const storage = { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v) };
    const store = createButterflyStore(loadPreferences(storage));
    store.getState().setPreference('theme', 'dark');
    store.getState().setPreference('language', 'pt-BR');
    store.getState().toggleSection('acc1', 'g:1');
    store.getState().toggleSection('acc1', 'offline');
    store.getState().toggleSection('acc1', 'g:1');
    store.getState().notePrivacyRequest('acc1', { blp: 'BL' });
    savePreferences(storage, store.getState().preferences);
    expect(loadPreferences(storage)).toEqual({ ...defaultPreferences(), theme: 'dark', language: 'pt-BR', collapsed: { acc1: ['offline'] }, privacyRequested: { acc1: { blp: 'BL' } } });
  });

  it('falls back field by field on anything unreadable, and never throws', () => {
    expect(parsePreferences('{not json')).toEqual(defaultPreferences());
    expect(parsePreferences(JSON.stringify({ theme: 'neon', language: 'es', listView: 42 }))).toEqual({ ...defaultPreferences(), language: 'es' });
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(loadPreferences(refusing)).toEqual(defaultPreferences());
    expect(() => savePreferences(refusing, defaultPreferences())).not.toThrow();
    expect(STORAGE_KEY).toMatch(/^butterfly\./);
  });

  it('keeps the format of own messages and the sounds, and drops a format that could reach a style unchecked', () => {
    const format = { font: 'Comic Sans MS', color: '#1f4e9c', bold: true, strikethrough: true };
    const kept = parsePreferences(JSON.stringify({ messageFormat: format, sounds: { message: false, nudge: true, online: false } }));
    expect(kept.messageFormat).toEqual(format);
    expect(kept.sounds).toEqual({ message: false, nudge: true, online: false });
    for (const bad of [{ color: 'red' }, { color: '#fff' }, { font: 'x"; background: url(http://127.0.0.2/)' }, { font: 'A'.repeat(32) }, { bold: 'yes' }, { script: '<b>' }]) {
      expect(parsePreferences(JSON.stringify({ messageFormat: bad })).messageFormat, JSON.stringify(bad)).toEqual({});
    }
    // One unreadable sound setting is that sound on; the others stay as they were.
    expect(parsePreferences(JSON.stringify({ sounds: { message: 'off', nudge: false } })).sounds).toEqual({ message: true, nudge: false, online: true });
    expect(parsePreferences(JSON.stringify({ sounds: 'none' })).sounds).toEqual(defaultPreferences().sounds);
  });

  it('follows what another window saved, read with the same schema, until stopped', () => {
    const listeners = new Set<(e: StorageEvent) => void>();
    const target = {
      addEventListener: (_type: string, l: (e: StorageEvent) => void) => void listeners.add(l),
      removeEventListener: (_type: string, l: (e: StorageEvent) => void) => void listeners.delete(l),
    } as unknown as Window;
    const got: Preferences[] = [];
    const stop = followSavedPreferences(target, (p) => got.push(p));
    const fire = (key: string | null, newValue: string | null) => listeners.forEach((l) => l({ key, newValue } as StorageEvent));
    fire(STORAGE_KEY, JSON.stringify({ ...defaultPreferences(), theme: 'dark', messageFormat: { color: '#a3195b' } }));
    fire(STORAGE_KEY, JSON.stringify({ messageFormat: { color: 'url(x)' } }));
    fire('something.else', JSON.stringify({ theme: 'light' }));
    fire(STORAGE_KEY, null); // cleared: this window keeps what it has
    fire(null, null);
    expect(got).toEqual([{ ...defaultPreferences(), theme: 'dark', messageFormat: { color: '#a3195b' } }, defaultPreferences()]);
    stop();
    expect(listeners.size).toBe(0);
  });
});
