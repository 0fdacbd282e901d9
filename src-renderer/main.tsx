import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyLanguage } from './i18n';
import { pickLanguage } from './i18n/languages';
import { App } from './ui/app';
import { CommandsContext } from './ui/main-api';
import { connectToMain } from './ipc/butterfly-api';
import { bindMainToStore } from './ipc/main-events';
import { createCommands } from './store/commands';
import { startPageSounds } from './sound/sound-files';
import { followSavedPreferences, savePreferences } from './store/preferences';
import { saveActiveTab, type TabStorage } from './store/active-tab';
import { parseConversationViewHash } from '../src-shared/window-view';
import { useButterflyStore } from './store/store';
import './styles.css';

// Browser mode: the bridge closing means the service stopped; the window shows that rather than a stale list.
const api = connectToMain(window, () => useButterflyStore.getState().setMainLink('unavailable'));
// A conversation's own window (the desktop app) has its view in the address; any other page is the contact list.
const conversation = parseConversationViewHash(window.location.hash);
const tabStorage = ((): TabStorage | undefined => {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // refused (a locked-down profile)
  }
})();
// Sounds for new messages, nudges and contacts coming online (only the contact-list window plays, in the desktop app):
// listening before the store does, so that a contact's status from before each presence event is still there.
startPageSounds(api, useButterflyStore, conversation !== undefined);
bindMainToStore(api, useButterflyStore, { conversation, tabStorage });
// The shown tab is kept for this browser tab, so that a reload shows it again.
useButterflyStore.subscribe((state, previous) => {
  if (!conversation && state.accountId !== null && state.activeTab !== previous.activeTab) saveActiveTab(tabStorage, state.accountId, state.activeTab);
});
// The person's choices are kept on this computer whenever they change.
useButterflyStore.subscribe((state, previous) => state.preferences !== previous.preferences && savePreferences(globalThis.localStorage, state.preferences));
// …and the ones another window of this app saves are followed here (a conversation's window, a second tab).
followSavedPreferences(window, (preferences) => useButterflyStore.setState({ preferences }));
applyLanguage(pickLanguage(useButterflyStore.getState().preferences.language, navigator.languages));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CommandsContext.Provider value={createCommands(api, useButterflyStore)}>
      <App conversation={conversation} />
    </CommandsContext.Provider>
  </StrictMode>,
);
