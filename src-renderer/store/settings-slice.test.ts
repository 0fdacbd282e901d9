import { describe, expect, it } from 'vitest';
import { create } from 'zustand';
import { DEFAULT_CONNECTION_SETTINGS, type SettingsView } from '../../src-shared/connection-settings';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';

const view = (over: Partial<SettingsView> = {}): SettingsView => ({ settings: DEFAULT_CONNECTION_SETTINGS, proxyPasswordSaved: false, secretStorage: 'session', ...over });

describe('settings slice', () => {
  it('holds the unreadable-settings notice from a view until a view without it arrives', () => {
    const store = create<SettingsSlice>()(createSettingsSlice);
    expect(store.getState().unreadableSettings).toBeNull();
    store.getState().applySettingsView(view({ unreadable: { keptAs: 'settings.json.unreadable-1' } }));
    expect(store.getState().unreadableSettings).toEqual({ keptAs: 'settings.json.unreadable-1' });
    store.getState().applySettingsView(view());
    expect(store.getState().unreadableSettings).toBeNull();
  });
});
