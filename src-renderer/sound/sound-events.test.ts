import { describe, expect, it } from 'vitest';
import type { ConversationMessage } from '../../src-shared/conversation-types';
import type { AccountEvent, Contact, MessengerEvent } from '../../src-shared/messenger-types';
import { accountSnapshot } from '../testing/account-snapshot';
import type { SoundEvent } from '../store/preferences';
import { createButterflyStore } from '../store/store';
import { startSounds } from './sound-events';

const contact = (email: string, status: Contact['status'] = 'FLN'): Contact => ({
  email,
  nickname: email,
  lists: { FL: true, AL: true, BL: false, RL: true },
  groupIds: [],
  status,
  clientId: 0,
  phones: {},
});
const connected = { kind: 'connected', email: 'alice@example.com', protocol: 'MSNP12', server: '127.0.0.1:1863' } as const;
const snapshot = (contacts: Contact[]) => accountSnapshot({ contacts }, { connection: { kind: 'connecting', step: 'syncing', attempt: 1, server: '127.0.0.1:1863' } });
const incoming = (kind: 'text' | 'nudge', conversationId = 'c1'): ConversationMessage => ({
  id: `m${Math.random()}`,
  conversationId,
  at: 1,
  from: 'bob@example.com',
  direction: 'in',
  kind,
  nickname: 'Bob',
  text: kind === 'text' ? 'hi' : '',
  emoticons: [],
});

function setup(conversationWindow = false) {
  const store = createButterflyStore();
  store.getState().setAppInfo({ name: 'Butterfly', version: '0', shell: 'electron', platform: 'linux' });
  const listeners: ((event: MessengerEvent) => void)[] = [];
  const focusListeners: ((focus: { accountId: string; conversationId: string | null }) => void)[] = [];
  const api = {
    on: ((channel: 'messenger:event' | 'windows:did-focus-conversation', listener: (payload: never) => void) => {
      const list = (channel === 'messenger:event' ? listeners : focusListeners) as ((payload: never) => void)[];
      list.push(listener);
      return () => list.splice(list.indexOf(listener), 1);
    }) as never,
  };
  const focusWindow = (conversationId: string | null) => focusListeners.forEach((l) => l({ accountId: 'acc1', conversationId }));
  const played: SoundEvent[] = [];
  const watched = new Set<string>();
  const stop = startSounds(api, store, { play: (s) => played.push(s), watching: (id) => watched.has(id), conversationWindow });
  // Main's event reaches this listener, then the store, as in the app (main.tsx starts the sounds first).
  const emit = (e: AccountEvent | { type: 'message'; message: ConversationMessage }) => {
    const event = { ...e, accountId: 'acc1' } as MessengerEvent;
    listeners.forEach((l) => l(event));
    store.getState().applyEvent(event);
  };
  const signIn = () => {
    store.getState().applySnapshot(snapshot([contact('bob@example.com'), contact('carol@example.com')]));
    emit({ type: 'connection-state', state: connected });
  };
  return { store, emit, played, watched, stop, signIn, listeners, focusListeners, focusWindow };
}

const online = (email: string, status: Contact['status'] = 'NLN', initial = false): AccountEvent => ({ type: 'presence', email, status, nickname: email, clientId: 0, ...(initial ? { initial } : {}) });

describe('sounds from what happens', () => {
  it('is quiet for the initial presence (sign-in, a reconnect), then plays a contact coming online, not a change between online states', () => {
    const t = setup();
    t.signIn();
    t.emit(online('bob@example.com', 'NLN', true));
    t.emit(online('bob@example.com', 'AWY'));
    expect(t.played).toEqual([]);
    t.emit(online('carol@example.com'));
    t.emit(online('carol@example.com', 'BSY'));
    t.emit(online('bob@example.com', 'NLN'));
    expect(t.played).toEqual(['online']);
    // Offline and back: news again. After a reconnect, its presence is initial once more.
    t.emit(online('carol@example.com', 'FLN'));
    t.emit(online('carol@example.com'));
    expect(t.played).toEqual(['online', 'online']);
    t.emit(online('carol@example.com', 'FLN'));
    t.emit({ type: 'connection-state', state: connected });
    t.emit(online('carol@example.com', 'NLN', true));
    // Someone not in the list has no status to compare with: nothing.
    t.emit(online('dave@example.com'));
    expect(t.played).toEqual(['online', 'online']);
  });

  it('plays incoming texts and nudges, not a text in the conversation in front of the person, and nothing once stopped', () => {
    const t = setup();
    t.signIn();
    t.emit({ type: 'message', message: incoming('text') });
    t.watched.add('c1');
    t.emit({ type: 'message', message: incoming('text') });
    t.emit({ type: 'message', message: incoming('nudge') });
    t.emit({ type: 'message', message: incoming('text', 'c2') });
    expect(t.played).toEqual(['message', 'nudge', 'message']);
    t.stop();
    expect(t.listeners).toHaveLength(0);
    expect(t.focusListeners).toHaveLength(0);
    t.emit({ type: 'message', message: incoming('text', 'c2') });
    t.emit(online('bob@example.com'));
    expect(t.played).toEqual(['message', 'nudge', 'message']);
  });

  it('is quiet for a text in the conversation whose own window has the focus (the desktop app: main says which)', () => {
    const t = setup();
    t.signIn();
    t.focusWindow('c1');
    t.emit({ type: 'message', message: incoming('text', 'c1') });
    t.emit({ type: 'message', message: incoming('text', 'c2') });
    t.emit({ type: 'message', message: incoming('nudge', 'c1') });
    t.focusWindow(null);
    t.emit({ type: 'message', message: incoming('text', 'c1') });
    expect(t.played).toEqual(['message', 'nudge', 'message']);
  });

  it('follows the settings and your status as they change, and a conversation window stays silent', () => {
    const t = setup();
    t.signIn();
    t.store.getState().setPreference('sounds', { message: false, nudge: true, online: true });
    t.emit({ type: 'message', message: incoming('text') });
    t.emit({ type: 'message', message: incoming('nudge') });
    t.emit({ type: 'own-profile', profile: { email: 'alice@example.com', nickname: 'Alice', status: 'BSY' } });
    t.emit({ type: 'message', message: incoming('nudge') });
    t.emit(online('bob@example.com'));
    expect(t.played).toEqual(['nudge']);

    const w = setup(true);
    w.signIn();
    w.emit({ type: 'message', message: incoming('nudge') });
    w.emit(online('bob@example.com'));
    expect(w.played).toEqual([]);
  });
});
