import { describe, expect, it } from 'vitest';
import type { Contact, ContactListSnapshot } from '../../src-shared/messenger-types';
import { createButterflyStore } from './store';

const contact = (email: string, nickname: string): Contact => ({
  email,
  nickname,
  lists: { FL: true, AL: true, BL: false, RL: true },
  groupIds: ['0'],
  status: 'FLN',
  clientId: 0,
  phones: {},
});
const list: ContactListSnapshot = { version: 3, gtc: 'A', blp: 'AL', groups: [{ id: '0', name: 'Other%20Contacts' }], contacts: [contact('bob@example.com', 'Bob')], ownPhones: {} };

describe('messenger slice', () => {
  it('applies presence to the matching contact only, keeping the nickname as it came off the wire', () => {
    const store = createButterflyStore();
    store.getState().applyEvent({ type: 'contact-list', list });
    store.getState().applyEvent({ type: 'presence', email: 'BOB@example.com', status: 'AWY', nickname: 'Bob%20%E2%9C%BF', clientId: 5 });
    expect(store.getState().list.contacts[0]).toMatchObject({ status: 'AWY', nickname: 'Bob%20%E2%9C%BF', clientId: 5 });
    store.getState().applyEvent({ type: 'presence', email: 'nobody@example.com', status: 'NLN', nickname: 'x', clientId: 0 });
    expect(store.getState().list.contacts).toHaveLength(1);
  });

  it('keeps one prompt per person who added you, and clears prompts and errors on sign-out', () => {
    const store = createButterflyStore();
    store.getState().applyEvent({ type: 'added-you', email: 'carol@example.com', nickname: 'Carol' });
    store.getState().applyEvent({ type: 'added-you', email: 'carol@example.com', nickname: 'Carol%202' });
    expect(store.getState().addedYou).toEqual([{ email: 'carol@example.com', nickname: 'Carol%202' }]);
    store.getState().applyEvent({ type: 'list-change-failed', command: { type: 'add-group', name: 'x' }, error: { code: 'server.228', message: 'exists', retryable: false } });
    expect(store.getState().listError?.code).toBe('server.228');
    store.getState().applyEvent({ type: 'connection-state', state: { kind: 'signed-out', reason: 'user' } });
    expect(store.getState()).toMatchObject({ addedYou: [], listError: null });
  });
});
