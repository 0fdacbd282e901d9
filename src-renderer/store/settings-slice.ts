// What the sign-in screen must know about the saved connection settings: whether main could not read them, in which
// case signing in waits until the person opens the settings (and saves) or chooses the defaults.
import type { StateCreator } from 'zustand';
import type { SettingsView } from '../../src-shared/connection-settings';

export interface SettingsSlice {
  /** Set while the saved settings could not be read and the person has not chosen yet. */
  unreadableSettings: NonNullable<SettingsView['unreadable']> | null;
  /** From any view main sent (settings:get, settings:save, settings:use-defaults). */
  applySettingsView(view: SettingsView): void;
}

export const createSettingsSlice: StateCreator<SettingsSlice, [], [], SettingsSlice> = (set) => ({
  unreadableSettings: null,
  applySettingsView: (view) => set({ unreadableSettings: view.unreadable ?? null }),
});
