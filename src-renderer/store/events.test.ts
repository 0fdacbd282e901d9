import { describe, expect, it } from 'vitest';
import type { AccountEvent, Contact, ContactListSnapshot, MessengerEvent } from '../../src-shared/messenger-types';
import { accountSnapshot } from '../testing/account-snapshot';
import { createButterflyStore } from './store';

const contact = (email: string, nickname: string, status: Contact['status'] = 'FLN'): Contact => ({
  email,
  nickname,
  lists: { FL: true, AL: true, BL: false, RL: true },
  groupIds: ['0'],
  status,
  clientId: 0,
  phones: {},
});
const list = (contacts: Contact[]): ContactListSnapshot => ({ version: 3, gtc: 'A', blp: 'AL', groups: [{ id: '0', name: 'Other%20Contacts' }], contacts, ownPhones: {} });
const event = (e: AccountEvent, accountId = 'acc1'): MessengerEvent => ({ ...e, accountId });
const snapshot = (contacts: Contact[]) => accountSnapshot({}, { list: list(contacts) });

describe('store: main’s snapshot and events', () => {
  it('applies presence to the matching contact only, keeping the nickname as it came off the wire', () => {
    const store = createButterflyStore();
    store.getState().applySnapshot(snapshot([contact('bob@example.com', 'Bob'), contact('carol@example.com', 'Carol')]));
    const carol = store.getState().contacts['carol@example.com'];
    store.getState().applyEvent(event({ type: 'presence', email: 'BOB@example.com', status: 'AWY', nickname: 'Bob%20%E2%9C%BF', clientId: 5 }));
    expect(store.getState().contacts['bob@example.com']).toMatchObject({ status: 'AWY', nickname: 'Bob%20%E2%9C%BF', clientId: 5 });
    // The other row's entry is the same object: its selector sees no change and it does not re-render.
    expect(store.getState().contacts['carol@example.com']).toBe(carol);
    store.getState().applyEvent(event({ type: 'presence', email: 'nobody@example.com', status: 'NLN', nickname: 'x', clientId: 0 }));
    expect(Object.keys(store.getState().contacts)).toHaveLength(2);
  });

  it('leaves the layout alone for a change within "online", and redoes it when someone goes online or changes name', () => {
    const store = createButterflyStore();
    store.getState().applySnapshot(snapshot([contact('bob@example.com', 'Bob', 'NLN')]));
    const layout = store.getState().layoutContacts;
    store.getState().applyEvent(event({ type: 'presence', email: 'bob@example.com', status: 'BSY', nickname: 'Bob', clientId: 0 }));
    expect(store.getState().layoutContacts).toBe(layout);
    store.getState().applyEvent(event({ type: 'presence', email: 'bob@example.com', status: 'FLN', nickname: 'Bob', clientId: 0 }));
    expect(store.getState().layoutContacts).not.toBe(layout);
    const offline = store.getState().layoutContacts;
    store.getState().applyEvent(event({ type: 'presence', email: 'bob@example.com', status: 'FLN', nickname: 'Robert', clientId: 0 }));
    expect(store.getState().layoutContacts).not.toBe(offline);
    expect(store.getState().layoutContacts[0]).toMatchObject({ nickname: 'Robert', status: 'FLN' });
  });

  it('keeps the entries of contacts that did not change when a whole new list arrives', () => {
    const store = createButterflyStore();
    store.getState().applySnapshot(snapshot([contact('bob@example.com', 'Bob'), contact('carol@example.com', 'Carol')]));
    const bob = store.getState().contacts['bob@example.com'];
    store.getState().applyEvent(event({ type: 'contact-list', list: list([contact('bob@example.com', 'Bob'), contact('carol@example.com', 'Carol', 'NLN')]) }));
    expect(store.getState().contacts['bob@example.com']).toBe(bob);
    expect(store.getState().contacts['carol@example.com']?.status).toBe('NLN');
  });

  it('keeps one prompt per person who added you, and on sign-out clears prompts, the notice and the filter but keeps the e-mail', () => {
    const store = createButterflyStore();
    store.getState().applySnapshot(snapshot([]));
    store.getState().applyEvent(event({ type: 'added-you', email: 'carol@example.com', nickname: 'Carol' }));
    store.getState().applyEvent(event({ type: 'added-you', email: 'carol@example.com', nickname: 'Carol%202' }));
    expect(store.getState().addedYou).toEqual([{ email: 'carol@example.com', nickname: 'Carol%202' }]);
    store.getState().showNotice({ code: 'server.228', message: 'exists', retryable: false }, { action: 'add-group', group: 'x' });
    store.getState().setFilter('bo');
    store.getState().applyEvent(event({ type: 'connection-state', state: { kind: 'signed-out', reason: 'user' } }));
    expect(store.getState()).toMatchObject({ addedYou: [], notice: null, filter: '', email: 'alice@example.com' });
  });

  it('ignores another account’s events, and starts from scratch when this window signs in to a new one', () => {
    const store = createButterflyStore();
    store.getState().applySnapshot(snapshot([contact('bob@example.com', 'Bob')]));
    store.getState().applyEvent(event({ type: 'presence', email: 'bob@example.com', status: 'NLN', nickname: 'Other', clientId: 0 }, 'acc2'));
    expect(store.getState().contacts['bob@example.com']?.nickname).toBe('Bob');
    store.getState().applyEvent(event({ type: 'connection-state', state: { kind: 'connecting', step: 'connecting', attempt: 1, server: 'x' } }, 'acc2'));
    expect(store.getState()).toMatchObject({ accountId: 'acc2', contacts: {}, profile: null });
  });
});

describe('store: notices', () => {
  it('clears only the notice a late timer was for', () => {
    const store = createButterflyStore();
    store.getState().showNotice({ code: 'server.205', message: 'x', retryable: false }, { action: 'add-contact', email: 'a@b' });
    const first = store.getState().notice?.id as number;
    store.getState().showNotice({ code: 'server.215', message: 'x', retryable: false }, { action: 'add-contact', email: 'a@b' });
    store.getState().clearNotice(first);
    expect(store.getState().notice?.error.code).toBe('server.215');
    store.getState().clearNotice();
    expect(store.getState().notice).toBeNull();
  });
});
