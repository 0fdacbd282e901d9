import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_SETTINGS, type SettingsView } from '../../src-shared/connection-settings';
import { createButterflyStore } from './store';

const view = (over: Partial<SettingsView> = {}): SettingsView => ({ settings: DEFAULT_CONNECTION_SETTINGS, proxyPasswordSaved: false, secretStorage: 'session', ...over });

describe('settings slice', () => {
  it('holds the unreadable-settings notice from a view until a view without it arrives', () => {
    const store = createButterflyStore();
    expect(store.getState().unreadableSettings).toBeNull();
    store.getState().applySettingsView(view({ unreadable: { keptAs: 'settings.json.unreadable-1' } }));
    expect(store.getState().unreadableSettings).toEqual({ keptAs: 'settings.json.unreadable-1' });
    store.getState().applySettingsView(view());
    expect(store.getState().unreadableSettings).toBeNull();
  });

  it('starts the sign-in form online with an empty e-mail and keeps what the person types', () => {
    const store = createButterflyStore();
    expect(store.getState()).toMatchObject({ email: '', signInStatus: 'NLN' });
    store.getState().setEmail('alice@example.com');
    store.getState().setSignInStatus('AWY');
    expect(store.getState()).toMatchObject({ email: 'alice@example.com', signInStatus: 'AWY' });
  });
});
