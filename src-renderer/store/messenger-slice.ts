// What main says about the messenger: connection state, own profile, the contact list, pending "added you" prompts.
// Filled only from main's snapshot and events (names stay wire-encoded here; components decode them to show them).
import type { StateCreator } from 'zustand';
import type { ConnectionState, ContactListSnapshot, MessengerEvent, MessengerSnapshot, OwnProfile } from '../../src-shared/messenger-types';
import type { ErrorInfo } from '../../src-shared/errors';

export interface AddedYouPrompt {
  email: string;
  /** Wire-encoded. */
  nickname: string;
}

export interface MessengerSlice {
  connection: ConnectionState;
  profile: OwnProfile | null;
  list: ContactListSnapshot;
  addedYou: AddedYouPrompt[];
  /** The last refused list change, shown until dismissed. */
  listError: ErrorInfo | null;
  applySnapshot(snapshot: MessengerSnapshot): void;
  applyEvent(event: MessengerEvent): void;
  dismissAddedYou(email: string): void;
  dismissListError(): void;
}

export const emptyList: ContactListSnapshot = { version: 0, gtc: 'A', blp: 'AL', groups: [], contacts: [], ownPhones: {} };

export const createMessengerSlice: StateCreator<MessengerSlice, [], [], MessengerSlice> = (set) => ({
  connection: { kind: 'signed-out', reason: 'user' },
  profile: null,
  list: emptyList,
  addedYou: [],
  listError: null,
  applySnapshot: (snapshot) => set({ connection: snapshot.connection, profile: snapshot.profile ?? null, list: snapshot.list }),
  applyEvent: (event) => {
    switch (event.type) {
      case 'connection-state':
        // A new sign-in starts with a clean slate of prompts and errors.
        if (event.state.kind === 'signed-out') return set({ connection: event.state, addedYou: [], listError: null });
        return set({ connection: event.state });
      case 'own-profile':
        return set({ profile: event.profile });
      case 'contact-list':
        return set({ list: event.list });
      case 'presence':
        return set((s) => ({
          list: {
            ...s.list,
            contacts: s.list.contacts.map((c) =>
              c.email.toLowerCase() === event.email.toLowerCase() ? { ...c, status: event.status, nickname: event.nickname, clientId: event.clientId } : c,
            ),
          },
        }));
      case 'added-you':
        return set((s) => ({ addedYou: [...s.addedYou.filter((p) => p.email !== event.email), { email: event.email, nickname: event.nickname }] }));
      case 'list-change-failed':
        return set({ listError: event.error });
    }
  },
  dismissAddedYou: (email) => set((s) => ({ addedYou: s.addedYou.filter((p) => p.email !== email) })),
  dismissListError: () => set({ listError: null }),
});
