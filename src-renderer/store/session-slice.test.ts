import { describe, expect, it } from 'vitest';
import { create } from 'zustand';
import { createSessionSlice, type SessionSlice } from './session-slice';

describe('session slice', () => {
  it('starts online with an empty email and keeps what the user types', () => {
    const store = create<SessionSlice>()(createSessionSlice);
    expect(store.getState()).toMatchObject({ email: '', signInStatus: 'online', rememberMe: false });
    store.getState().setEmail('alice@example.com');
    store.getState().setSignInStatus('away');
    expect(store.getState()).toMatchObject({ email: 'alice@example.com', signInStatus: 'away' });
  });
});
