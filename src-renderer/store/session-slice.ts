// The account this window shows and the sign-in form: which account, its connection state and own profile, and what
// the person typed on the sign-in screen. Slices hold state and pure actions; they never call IPC (store/commands.ts
// does, and ipc/main-events.ts turns main's events into the actions in store/events.ts).
import type { StateCreator } from 'zustand';
import type { AccountId, ConnectionState, OwnProfile, OwnStatus } from '../../src-shared/messenger-types';

export interface SessionSlice {
  /** The account this window shows; null before anyone signed in during this run. */
  accountId: AccountId | null;
  connection: ConnectionState;
  profile: OwnProfile | null;
  /** The highest MSNP version offered to this account's server; null: every version. */
  maxVersion: number | null;
  /** The sign-in form. */
  email: string;
  signInStatus: OwnStatus;
  setEmail(email: string): void;
  setSignInStatus(status: OwnStatus): void;
  /** Main kept a new highest version for this account. */
  noteMaxVersion(maxVersion: number | null): void;
}

export const createSessionSlice: StateCreator<SessionSlice, [], [], SessionSlice> = (set) => ({
  accountId: null,
  connection: { kind: 'signed-out', reason: 'user' },
  profile: null,
  maxVersion: null,
  email: '',
  signInStatus: 'NLN',
  setEmail: (email) => set({ email }),
  setSignInStatus: (signInStatus) => set({ signInStatus }),
  noteMaxVersion: (maxVersion) => set({ maxVersion }),
});
