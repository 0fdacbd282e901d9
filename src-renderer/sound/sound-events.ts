// Turns what happens into sounds: main's message events (a text or a nudge arriving) and presence events (a contact's
// status before, as the store has it, and after), each put to the rules of sound-rules.ts with this window's settings
// and your own status. Playing and "is this conversation in front of the person" are given, so tests can drive it
// without a page.
import type { ButterflyApi } from '../../src-shared/ipc-contract';
import type { SoundEvent } from '../store/preferences';
import type { ButterflyState } from '../store/store';
import { contactKey } from '../store/contacts-slice';
import { playsSoundsHere, soundFor, type SoundContext } from './sound-rules';

export interface SoundOptions {
  play(sound: SoundEvent): void;
  /** Whether the conversation is shown in this page with the focus (its tab); its own window's focus main tells. */
  watching(conversationId: string): boolean;
  /** This is a conversation's own window (the desktop app), not the contact list. */
  conversationWindow: boolean;
  /** Whether this page plays rather than another page of the same session (browser mode: sound-lock.ts); default yes. */
  leads?(): boolean;
}

interface Store {
  getState(): ButterflyState;
}

/**
 * Listens to main's events. Start it before the store's own binding (main.tsx does): a presence event is compared with
 * the contact's status the store still has from before it. Started after, the store already shows the new status and
 * nothing is heard — quiet, never noisy.
 */
export function startSounds(api: Pick<ButterflyApi, 'on'> | null, store: Store, options: SoundOptions): () => void {
  const context = (s: ButterflyState): SoundContext => ({
    playsHere: playsSoundsHere(s.appInfo?.shell, options.conversationWindow) && (options.leads?.() ?? true),
    settings: s.preferences.sounds,
    ownStatus: s.profile?.status,
  });
  const play = (sound: SoundEvent | null) => sound && options.play(sound);
  // The desktop app: the conversation whose own window has the focus (main says), read there as a shown tab is here.
  let focusedWindow: { accountId: string; conversationId: string | null } | null = null;
  const stopFocus = api?.on('windows:did-focus-conversation', (focus) => (focusedWindow = focus));
  const watched = (s: ButterflyState, conversationId: string) =>
    options.watching(conversationId) || (focusedWindow?.accountId === s.accountId && focusedWindow.conversationId === conversationId);
  const stop = api?.on('messenger:event', (event) => {
    const s = store.getState();
    if (event.accountId !== s.accountId) return;
    if (event.type === 'message') {
      play(soundFor({ kind: 'message', message: event.message, watched: watched(s, event.message.conversationId) }, context(s)));
    } else if (event.type === 'presence') {
      const before = s.contacts[contactKey(event.email)];
      if (before) play(soundFor({ kind: 'presence', before: before.status, after: event.status, blocked: before.lists.BL, initial: event.initial === true }, context(s)));
    }
  });
  return () => {
    stop?.();
    stopFocus?.();
  };
}
