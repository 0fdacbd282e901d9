// One store composed of slices; components read it through narrow selectors.
import { create } from 'zustand';
import { createAppSlice, type AppSlice } from './app-slice';
import { createSessionSlice, type SessionSlice } from './session-slice';

export type ButterflyState = AppSlice & SessionSlice;

export const useButterflyStore = create<ButterflyState>()((...a) => ({
  ...createAppSlice(...a),
  ...createSessionSlice(...a),
}));
