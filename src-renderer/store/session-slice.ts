// The sign-in form's state. Slices hold state and pure actions; they never call IPC (the ipc modules do).
import type { StateCreator } from 'zustand';
import type { OwnStatus } from '../../src-shared/messenger-types';

export interface SessionSlice {
  email: string;
  signInStatus: OwnStatus;
  setEmail(email: string): void;
  setSignInStatus(status: OwnStatus): void;
}

export const createSessionSlice: StateCreator<SessionSlice, [], [], SessionSlice> = (set) => ({
  email: '',
  signInStatus: 'NLN',
  setEmail: (email) => set({ email }),
  setSignInStatus: (signInStatus) => set({ signInStatus }),
});
