import type { ConnectionState } from '../../src-shared/messenger-types';
import { useButterflyStore } from '../store/store';
import { ContactListScreen } from './contact-list-screen';
import { SignInScreen } from './sign-in-screen';

/** Once signed in, the contact list stays up through reconnects (attempt > 1 means a reconnect is under way). */
export function showsContactList(state: ConnectionState): boolean {
  return state.kind === 'connected' || state.kind === 'reconnecting' || (state.kind === 'connecting' && state.attempt > 1);
}

export function App() {
  const signedIn = useButterflyStore((s) => showsContactList(s.connection));
  return signedIn ? <ContactListScreen /> : <SignInScreen />;
}
