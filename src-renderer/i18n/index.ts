// The renderer's strings, through i18next: one instance, the three complete languages bundled (no loading), React
// escaping instead of i18next's. Keys are typed from the English messages (i18next's CustomTypeOptions), so a key
// that does not exist is a type error in the component that uses it.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, type Messages } from './en';
import { es } from './es';
import { ptBR } from './pt-br';
import { LANGUAGES, type Language } from './languages';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

export const messages: Record<Language, Messages> = { en, 'pt-BR': ptBR, es };

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: messages[l] }])),
  lng: 'en',
  fallbackLng: false,
  supportedLngs: [...LANGUAGES],
  initAsync: false,
  returnNull: false,
  interpolation: { escapeValue: false },
  // A key no language has (only a computed one can be): said on the console, where the e2e specs look for errors.
  saveMissing: true,
  missingKeyHandler: (languages, _namespace, key) => console.error(`Missing translation: ${key} (${languages.join(', ')})`),
});

// Numbers and durations as the language writes them (Intl): `{{total, number}}` (i18next's own), `{{seconds, seconds}}`
// and `{{ms, ms}}` ("5 sec", "5 seg.", "27 ms").
const unit = (name: 'second' | 'millisecond') => (value: unknown, language: string | undefined) =>
  new Intl.NumberFormat(language, { style: 'unit', unit: name, unitDisplay: 'short' }).format(Number(value));
i18n.services.formatter?.add('seconds', unit('second'));
i18n.services.formatter?.add('ms', unit('millisecond'));

/** Switches the UI's language (and the page's lang attribute, which screen readers and hyphenation follow). */
export function applyLanguage(language: Language, doc: Document | undefined = globalThis.document): void {
  if (i18n.language !== language) void i18n.changeLanguage(language);
  if (doc && doc.documentElement.lang !== language) doc.documentElement.lang = language;
}

/** A collator and number format for the current language: names sort as the person reads them. */
const collators = new Map<string, Intl.Collator>();
export function collatorFor(language: string): Intl.Collator {
  let c = collators.get(language);
  if (!c) collators.set(language, (c = new Intl.Collator(language, { sensitivity: 'base', numeric: true })));
  return c;
}
