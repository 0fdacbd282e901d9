// The theme on screen (html[data-theme], which the app sets from the person's choice or the system's), followed as it
// changes: for what must be computed for a theme rather than styled by CSS (a message's colour against its background).
import { useSyncExternalStore } from 'react';

export type ShownTheme = 'light' | 'dark';

const subscribeTheme = (onChange: () => void) => {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
};
const shownTheme = (): ShownTheme => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');

export const useShownTheme = (): ShownTheme => useSyncExternalStore(subscribeTheme, shownTheme);
