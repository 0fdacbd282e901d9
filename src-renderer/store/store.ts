// One store composed of slices per concern (zustand's slices pattern); components read it through narrow selectors.
import { create } from 'zustand';
import { createAppSlice, type AppSlice } from './app-slice';
import { createContactsSlice, type ContactsSlice } from './contacts-slice';
import { createConversationsSlice, type ConversationsSlice } from './conversations-slice';
import { createEventsSlice, type EventsSlice } from './events';
import { createHistorySlice, type HistorySlice } from './history-slice';
import { loadPreferences, type Preferences } from './preferences';
import { createSessionSlice, type SessionSlice } from './session-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type ButterflyState = AppSlice & SessionSlice & ContactsSlice & SettingsSlice & UiSlice & EventsSlice & ConversationsSlice & HistorySlice;

export const createButterflyStore = (preferences?: Preferences) =>
  create<ButterflyState>()((...a) => ({
    ...createAppSlice(...a),
    ...createSessionSlice(...a),
    ...createContactsSlice(...a),
    ...createSettingsSlice(preferences)(...a),
    ...createUiSlice(...a),
    ...createEventsSlice(...a),
    ...createConversationsSlice(...a),
    ...createHistorySlice(...a),
  }));

export type ButterflyStore = ReturnType<typeof createButterflyStore>;

/** The window's store, with the preferences this computer kept. */
export const useButterflyStore = createButterflyStore(loadPreferences(globalThis.localStorage));
