// Turns what happens into sounds: main's message events (a text or a nudge arriving) and the store's presence changes
// (a contact's status before and after, which only the store knows once an event is applied), each put to the rules
// of sound-rules.ts with this window's settings and your own status. Playing, the clock and "is this conversation
// in front of the person" are given, so tests can drive it without a page.
import type { ButterflyApi } from '../../src-shared/ipc-contract';
import type { SoundEvent } from '../store/preferences';
import type { ButterflyState } from '../store/store';
import { playsSoundsHere, SIGN_IN_PRESENCE_MS, soundFor, type SoundContext } from './sound-rules';

export interface SoundOptions {
  play(sound: SoundEvent): void;
  /** Whether the conversation is shown in a window that has focus. */
  watching(conversationId: string): boolean;
  /** This is a conversation's own window (the desktop app), not the contact list. */
  conversationWindow: boolean;
  now?: () => number;
  /** How long after connecting presence is still the server's sign-in list (sound-rules' SIGN_IN_PRESENCE_MS). */
  settleMs?: number;
}

interface Store {
  getState(): ButterflyState;
  subscribe(listener: (state: ButterflyState, previous: ButterflyState) => void): () => void;
}

export function startSounds(api: Pick<ButterflyApi, 'on'> | null, store: Store, options: SoundOptions): () => void {
  const now = options.now ?? Date.now;
  const settleMs = options.settleMs ?? SIGN_IN_PRESENCE_MS;
  const context = (s: ButterflyState): SoundContext => ({
    playsHere: playsSoundsHere(s.appInfo?.shell, options.conversationWindow),
    settings: s.preferences.sounds,
    ownStatus: s.profile?.status,
  });
  const play = (sound: SoundEvent | null) => sound && options.play(sound);

  let connectedAt: number | null = store.getState().connection.kind === 'connected' ? now() : null;
  const stopStore = store.subscribe((s, previous) => {
    if (s.connection !== previous.connection) {
      if (s.connection.kind !== 'connected') connectedAt = null;
      else if (previous.connection.kind !== 'connected') connectedAt = now();
    }
    if (s.contacts === previous.contacts || s.accountId !== previous.accountId) return;
    const connectedFor = connectedAt === null ? null : now() - connectedAt;
    // Nothing to hear while the sign-in presence arrives: skip comparing the whole list for each of its lines.
    if (connectedFor === null || connectedFor < settleMs) return;
    for (const [key, contact] of Object.entries(s.contacts)) {
      const before = previous.contacts[key];
      if (!before || before === contact || before.status === contact.status) continue;
      play(soundFor({ kind: 'presence', before: before.status, after: contact.status, blocked: contact.lists.BL, connectedFor, settleMs }, context(s)));
    }
  });
  const stopEvents = api?.on('messenger:event', (event) => {
    const s = store.getState();
    if (event.type !== 'message' || event.accountId !== s.accountId) return;
    play(soundFor({ kind: 'message', message: event.message, watched: options.watching(event.message.conversationId) }, context(s)));
  });
  return () => {
    stopStore();
    stopEvents?.();
  };
}
