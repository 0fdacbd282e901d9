import { describe, expect, it } from 'vitest';
import { create } from 'zustand';
import { createSessionSlice, type SessionSlice } from './session-slice';

describe('session slice', () => {
  it('starts online with an empty email and keeps what the user types', () => {
    const store = create<SessionSlice>()(createSessionSlice);
    expect(store.getState()).toMatchObject({ email: '', signInStatus: 'NLN' });
    store.getState().setEmail('alice@example.com');
    store.getState().setSignInStatus('AWY');
    expect(store.getState()).toMatchObject({ email: 'alice@example.com', signInStatus: 'AWY' });
  });
});
