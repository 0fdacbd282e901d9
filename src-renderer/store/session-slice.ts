// The sign-in form's state. Slices hold state and pure actions; they never call IPC (the bridge module does).
import type { StateCreator } from 'zustand';

export type PresenceChoice = 'online' | 'busy' | 'away' | 'be-right-back' | 'on-the-phone' | 'out-to-lunch' | 'appear-offline';

export interface SessionSlice {
  email: string;
  signInStatus: PresenceChoice;
  rememberMe: boolean;
  setEmail(email: string): void;
  setSignInStatus(status: PresenceChoice): void;
  setRememberMe(remember: boolean): void;
}

export const createSessionSlice: StateCreator<SessionSlice, [], [], SessionSlice> = (set) => ({
  email: '',
  signInStatus: 'online',
  rememberMe: false,
  setEmail: (email) => set({ email }),
  setSignInStatus: (signInStatus) => set({ signInStatus }),
  setRememberMe: (rememberMe) => set({ rememberMe }),
});
