import { describe, expect, it } from 'vitest';
import type { AccountEvent, Contact, MessengerEvent } from '../../src-shared/messenger-types';
import { accountSnapshot } from '../testing/account-snapshot';
import { createButterflyStore } from './store';

const bob: Contact = { email: 'bob@example.com', nickname: 'Bob', lists: { FL: true, AL: true, BL: false, RL: true }, groupIds: [], status: 'NLN', clientId: 0, phones: {} };
const event = (e: AccountEvent): MessengerEvent => ({ ...e, accountId: 'acc1' });

describe('store: personal messages with presence', () => {
  function signedIn() {
    const store = createButterflyStore();
    const base = accountSnapshot({ protocol: 'MSNP12' });
    store.getState().applySnapshot({
      ...base,
      profile: { ...base.profile!, personalMessage: '' },
      list: { ...base.list, version: 0, contacts: [bob] },
      maxVersion: 11,
    });
    return store;
  }

  it('a presence event carries the message and media: set, replaced, and gone when it no longer says them', () => {
    const store = signedIn();
    expect(store.getState().maxVersion).toBe(11);
    const layoutBefore = store.getState().layoutContacts;
    store.getState().applyEvent(event({ type: 'presence', email: 'bob@example.com', status: 'NLN', nickname: 'Bob', clientId: 0, personalMessage: 'fish & chips' }));
    expect(store.getState().contacts['bob@example.com']?.personalMessage).toBe('fish & chips');
    // A line under the name appeared: the rows are laid out again (the row is taller).
    expect(store.getState().layoutContacts).not.toBe(layoutBefore);
    const media = { application: '', type: 'Music', enabled: true, format: '{0}', args: ['Song'] };
    store.getState().applyEvent(event({ type: 'presence', email: 'bob@example.com', status: 'NLN', nickname: 'Bob', clientId: 0, personalMessage: 'fish & chips', currentMedia: media }));
    expect(store.getState().contacts['bob@example.com']?.currentMedia).toEqual(media);
    const layoutWithLine = store.getState().layoutContacts;
    store.getState().applyEvent(event({ type: 'presence', email: 'bob@example.com', status: 'AWY', nickname: 'Bob', clientId: 0, personalMessage: 'fish & chips' }));
    expect(store.getState().layoutContacts).toBe(layoutWithLine);
    store.getState().applyEvent(event({ type: 'presence', email: 'bob@example.com', status: 'FLN', nickname: 'Bob', clientId: 0 }));
    expect(store.getState().contacts['bob@example.com']).not.toHaveProperty('personalMessage');
    expect(store.getState().contacts['bob@example.com']).not.toHaveProperty('currentMedia');
  });
});
