// Appearance: the theme (the system's, or light or dark), the language (the system's, or one of Butterfly's), and
// how the contact list is arranged. Each choice applies at once and is kept on this computer.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseRow } from '../dialog';
import { LANGUAGES, LANGUAGE_NAMES, pickLanguage, type LanguageSetting } from '../../i18n/languages';
import { THEMES, type ThemeSetting } from '../../store/preferences';
import { useButterflyStore } from '../../store/store';
import { MessageArrivalField } from './message-arrival-field';

export function AppearanceTab({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const preferences = useButterflyStore((s) => s.preferences);
  const setPreference = useButterflyStore((s) => s.setPreference);
  const languageId = useId();
  const systemLanguage = LANGUAGE_NAMES[pickLanguage('system', navigator.languages)];
  return (
    <div className="appearance">
      <fieldset>
        <legend>{t('settings.appearance.theme')}</legend>
        {THEMES.map((theme: ThemeSetting) => (
          <label key={theme} className="check">
            <input type="radio" name="theme" checked={preferences.theme === theme} onChange={() => setPreference('theme', theme)} /> <span>{t(`settings.appearance.themes.${theme}`)}</span>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('settings.appearance.listView')}</legend>
        {(['groups', 'status'] as const).map((view) => (
          <label key={view} className="check">
            <input type="radio" name="list-view" checked={preferences.listView === view} onChange={() => setPreference('listView', view)} /> <span>{t(`settings.appearance.listViews.${view}`)}</span>
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={languageId}>{t('settings.appearance.language')}</label>
        <select id={languageId} value={preferences.language} onChange={(e) => setPreference('language', e.target.value as LanguageSetting)}>
          <option value="system">{t('settings.appearance.systemLanguage', { language: systemLanguage })}</option>
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
      </div>
      <MessageArrivalField />
      <CloseRow onClose={onClose} />
    </div>
  );
}
