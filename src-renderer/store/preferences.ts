// The person's choices about this window, kept on this computer (the page's localStorage): theme, language, how the
// list is arranged, which sections are closed, per account, the font, colour and effects of their own messages, and
// which sounds play. Read with a schema: anything unreadable or from another version becomes the defaults instead of
// an error at start-up.
import * as v from 'valibot';
import { messageFormatSchema } from '../../src-shared/conversation-types';
import { LANGUAGE_SETTINGS } from '../i18n/languages';

export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemeSetting = (typeof THEMES)[number];

/** The events that can make a sound, each a setting of its own (all on until the person turns one off). */
export const SOUND_EVENTS = ['message', 'nudge', 'online'] as const;
export type SoundEvent = (typeof SOUND_EVENTS)[number];
export type SoundSettings = Record<SoundEvent, boolean>;
const ALL_SOUNDS: SoundSettings = { message: true, nudge: true, online: true };
const on = v.fallback(v.boolean(), true);

const preferencesSchema = v.object({
  theme: v.fallback(v.picklist(THEMES), 'system'),
  language: v.fallback(v.picklist(LANGUAGE_SETTINGS), 'system'),
  listView: v.fallback(v.picklist(['groups', 'status']), 'groups'),
  /** What the person last set (and the server acknowledged) per account, to compare with what the server reports. */
  privacyRequested: v.fallback(
    v.pipe(v.record(v.string(), v.object({ blp: v.optional(v.picklist(['AL', 'BL'])), gtc: v.optional(v.picklist(['A', 'N'])) })), v.maxEntries(50)),
    {},
  ),
  /** Closed section ids by account id; bounded so that a long-lived profile cannot grow without end. */
  collapsed: v.fallback(v.pipe(v.record(v.string(), v.pipe(v.array(v.pipe(v.string(), v.maxLength(80))), v.maxLength(1_100))), v.maxEntries(50)), {}),
  /** How the person's own messages look (font, colour, effects), checked as a send request is: a bad one is none. */
  messageFormat: v.fallback(messageFormatSchema, {}),
  sounds: v.fallback(v.object({ message: on, nudge: on, online: on }), () => ({ ...ALL_SOUNDS })),
});

export type Preferences = v.InferOutput<typeof preferencesSchema>;

export const STORAGE_KEY = 'butterfly.preferences.v1';

export const defaultPreferences = (): Preferences => ({
  theme: 'system',
  language: 'system',
  listView: 'groups',
  privacyRequested: {},
  collapsed: {},
  messageFormat: {},
  sounds: { ...ALL_SOUNDS },
});

export function parsePreferences(text: string | null): Preferences {
  if (text === null) return defaultPreferences();
  try {
    const result = v.safeParse(preferencesSchema, JSON.parse(text));
    return result.success ? result.output : defaultPreferences();
  } catch {
    return defaultPreferences();
  }
}

export type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem'>;

export const loadPreferences = (storage: PreferenceStorage | undefined): Preferences => {
  try {
    return parsePreferences(storage?.getItem(STORAGE_KEY) ?? null);
  } catch {
    return defaultPreferences(); // storage refused (a locked-down profile)
  }
};

export function savePreferences(storage: PreferenceStorage | undefined, preferences: Preferences): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(preferences));
  } catch {
    // Full or refused: the choice still holds for this window.
  }
}

/**
 * Another window of this app (a conversation's own window, a second browser tab) saved its preferences: `apply`
 * gets them, read as at start-up, so every window follows one set — and none later saves an old one over them.
 */
export function followSavedPreferences(target: Pick<Window, 'addEventListener' | 'removeEventListener'>, apply: (preferences: Preferences) => void): () => void {
  const listener = (e: StorageEvent) => {
    if (e.key === STORAGE_KEY && e.newValue !== null) apply(parsePreferences(e.newValue));
  };
  target.addEventListener('storage', listener);
  return () => target.removeEventListener('storage', listener);
}
