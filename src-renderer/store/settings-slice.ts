// Settings: what the sign-in screen must know about the saved connection settings (whether main could not read them,
// in which case signing in waits until the person opens the settings and saves, or chooses the defaults), and the
// person's preferences for this window (store/preferences.ts keeps them).
import type { StateCreator } from 'zustand';
import type { SettingsView } from '../../src-shared/connection-settings';
import type { AccountId } from '../../src-shared/messenger-types';
import { defaultPreferences, type Preferences } from './preferences';

export interface SettingsSlice {
  /** Set while the saved settings could not be read and the person has not chosen yet. */
  unreadableSettings: NonNullable<SettingsView['unreadable']> | null;
  preferences: Preferences;
  /** From any view main sent (settings:get, settings:save, settings:use-defaults). */
  applySettingsView(view: SettingsView): void;
  setPreference<K extends 'theme' | 'language' | 'listView' | 'messageFormat' | 'sounds'>(key: K, value: Preferences[K]): void;
  toggleSection(accountId: AccountId, sectionId: string): void;
  /** A privacy change the server acknowledged. */
  notePrivacyRequest(accountId: AccountId, change: Preferences['privacyRequested'][string]): void;
}

export const createSettingsSlice = (initial: Preferences = defaultPreferences()): StateCreator<SettingsSlice, [], [], SettingsSlice> => (set) => ({
  unreadableSettings: null,
  preferences: initial,
  applySettingsView: (view) => set({ unreadableSettings: view.unreadable ?? null }),
  setPreference: (key, value) => set((s) => ({ preferences: { ...s.preferences, [key]: value } })),
  toggleSection: (accountId, sectionId) =>
    set((s) => {
      const closed = s.preferences.collapsed[accountId] ?? [];
      const next = closed.includes(sectionId) ? closed.filter((id) => id !== sectionId) : [...closed, sectionId];
      return { preferences: { ...s.preferences, collapsed: { ...s.preferences.collapsed, [accountId]: next } } };
    }),
  notePrivacyRequest: (accountId, change) =>
    set((s) => ({
      preferences: { ...s.preferences, privacyRequested: { ...s.preferences.privacyRequested, [accountId]: { ...s.preferences.privacyRequested[accountId], ...change } } },
    })),
});
