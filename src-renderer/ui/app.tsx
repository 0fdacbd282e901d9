// The window: the sign-in screen or the contact list (with the conversations beside it), or — a conversation's own
// window in the desktop app — that conversation; in the person's language and theme (the system's unless they
// chose), both followed live as the system's change.
import { useLayoutEffect, useSyncExternalStore } from 'react';
import type { ConnectionState } from '../../src-shared/messenger-types';
import type { ConversationWindowView } from '../../src-shared/window-view';
import { applyLanguage } from '../i18n';
import { pickLanguage } from '../i18n/languages';
import { useButterflyStore } from '../store/store';
import { ContactListScreen } from './contact-list/contact-list-screen';
import { ConversationProvider, ConversationTabs } from './conversation/conversation-tabs';
import { ConversationWindow } from './conversation/conversation-window';
import { SignInScreen } from './sign-in-screen';

/** Once signed in, the contact list stays up through reconnects (attempt > 1 means a reconnect is under way). */
export function showsContactList(state: ConnectionState): boolean {
  return state.kind === 'connected' || state.kind === 'reconnecting' || (state.kind === 'connecting' && state.attempt > 1);
}

const subscribeLanguages = (onChange: () => void) => {
  window.addEventListener('languagechange', onChange);
  return () => window.removeEventListener('languagechange', onChange);
};
export const systemLanguages = (): string => navigator.languages.join(',');

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');
const subscribeScheme = (onChange: () => void) => {
  const query = darkQuery();
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
};
const systemDark = () => darkQuery().matches;

/** `conversation`: this window shows only that conversation (its address named it). */
export function App({ conversation }: { conversation?: ConversationWindowView }) {
  const signedIn = useButterflyStore((s) => showsContactList(s.connection));
  const theme = useButterflyStore((s) => s.preferences.theme);
  const languageSetting = useButterflyStore((s) => s.preferences.language);
  const languages = useSyncExternalStore(subscribeLanguages, systemLanguages);
  const language = pickLanguage(languageSetting, languages.split(','));
  // main.tsx applied the first one before rendering; later changes (a choice, the system's) before the next paint.
  useLayoutEffect(() => applyLanguage(language), [language]);
  const dark = useSyncExternalStore(subscribeScheme, systemDark);
  const shown = theme === 'system' ? (dark ? 'dark' : 'light') : theme;
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = shown;
  }, [shown]);
  if (conversation) return <ConversationWindow view={conversation} />;
  if (!signedIn) return <SignInScreen />;
  // The list, with the conversations beside it (browser mode's tabs).
  return (
    <ConversationProvider>
      <div className="signed-in">
        <ContactListScreen />
        <ConversationTabs />
      </div>
    </ConversationProvider>
  );
}
