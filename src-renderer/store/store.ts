// One store composed of slices; components read it through narrow selectors.
import { create } from 'zustand';
import { createAppSlice, type AppSlice } from './app-slice';
import { createMessengerSlice, type MessengerSlice } from './messenger-slice';
import { createSessionSlice, type SessionSlice } from './session-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';

export type ButterflyState = AppSlice & SessionSlice & MessengerSlice & SettingsSlice;

export const createButterflyStore = () =>
  create<ButterflyState>()((...a) => ({
    ...createAppSlice(...a),
    ...createSessionSlice(...a),
    ...createMessengerSlice(...a),
    ...createSettingsSlice(...a),
  }));

export const useButterflyStore = createButterflyStore();
