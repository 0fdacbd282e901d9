// Settings, in tabs: the connection (server, Passport nexus, route), privacy (signed in only: who can see you, being
// asked when someone adds you, the allow and block lists), appearance (theme, language, how the list is arranged) and
// sounds (sounds-tab.tsx).
// The tabs follow the WAI-ARIA pattern: one tab stop, arrow keys between tabs.
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useButterflyStore } from '../../store/store';
import { Dialog } from '../dialog';
import { AppearanceTab } from './appearance-tab';
import { ConnectionTab } from './connection-tab';
import { PrivacyTab } from './privacy-tab';
import { SoundsTab } from './sounds-tab';

export type SettingsTab = 'connection' | 'privacy' | 'appearance' | 'sounds';

export interface SettingsDialogProps {
  onClose: () => void;
  initialTab?: SettingsTab;
  returnFocus?: () => void;
}

export function SettingsDialog({ onClose, initialTab = 'connection', returnFocus }: SettingsDialogProps) {
  const { t } = useTranslation();
  const signedIn = useButterflyStore((s) => s.connection.kind === 'connected');
  const tabs: SettingsTab[] = signedIn ? ['connection', 'privacy', 'appearance', 'sounds'] : ['connection', 'appearance', 'sounds'];
  const [tab, setTab] = useState<SettingsTab>(tabs.includes(initialTab) ? initialTab : 'connection');
  const id = useId();
  const tabList = useRef<HTMLDivElement>(null);

  const onTabKey = (e: React.KeyboardEvent) => {
    const at = tabs.indexOf(tab);
    const to = e.key === 'ArrowRight' ? at + 1 : e.key === 'ArrowLeft' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length] as SettingsTab;
    setTab(next);
    tabList.current?.querySelector<HTMLElement>(`#${CSS.escape(`${id}-${next}`)}`)?.focus();
  };

  return (
    <Dialog title={t('settings.title')} onClose={onClose} returnFocus={returnFocus} className="settings">
      <div ref={tabList} role="tablist" className="tabs" aria-label={t('settings.title')} onKeyDown={onTabKey}>
        {tabs.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`${id}-${name}`}
            aria-selected={tab === name}
            aria-controls={`${id}-${name}-panel`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
          >
            {t(name === 'sounds' ? 'formatSounds.sounds.tab' : `settings.tabs.${name}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-${tab}-panel`} aria-labelledby={`${id}-${tab}`} className="tab-panel">
        {tab === 'connection' && <ConnectionTab onClose={onClose} />}
        {tab === 'privacy' && <PrivacyTab onClose={onClose} />}
        {tab === 'appearance' && <AppearanceTab onClose={onClose} />}
        {tab === 'sounds' && <SoundsTab onClose={onClose} />}
      </div>
    </Dialog>
  );
}
