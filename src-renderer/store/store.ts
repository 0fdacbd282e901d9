// One store composed of slices; components read it through narrow selectors.
import { create } from 'zustand';
import { createSessionSlice, type SessionSlice } from './session-slice';

export type ButterflyState = SessionSlice;

export const useButterflyStore = create<ButterflyState>()((...a) => ({
  ...createSessionSlice(...a),
}));
