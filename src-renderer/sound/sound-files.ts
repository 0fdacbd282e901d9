// Butterfly's own sounds (assets/sounds, made by scripts/make-sounds.sh) played through HTMLAudioElement. Vite would
// inline files under 4 KB as data: URLs, which the CSP's media sources (only 'self') refuse: `?no-inline` keeps each
// a file of its own, loaded from the page's origin in browser mode and next to index.html in the desktop app.
import type { ButterflyApi } from '../../src-shared/ipc-contract';
import type { SoundEvent } from '../store/preferences';
import { startSounds } from './sound-events';
import { createSoundLock } from './sound-lock';

declare global {
  interface ImportMeta {
    glob<T>(pattern: string, options: { eager: true; query: '?no-inline'; import: 'default' }): Record<string, T>;
  }
}

const files: Record<string, string> = import.meta.glob<string>('../../assets/sounds/*.ogg', { eager: true, query: '?no-inline', import: 'default' });

/** The file each event plays. */
const FILE_OF: Record<SoundEvent, string> = { message: 'new-message', nudge: 'nudge', online: 'contact-online' };

const urlOf = (sound: SoundEvent): string | undefined => Object.entries(files).find(([path]) => path.endsWith(`/${FILE_OF[sound]}.ogg`))?.[1];

/** One audio element per sound, made when first played; a sound played again starts over. */
export function createAudioPlayer(): (sound: SoundEvent) => void {
  const elements = new Map<SoundEvent, HTMLAudioElement>();
  return (sound) => {
    let audio = elements.get(sound);
    if (!audio) {
      const url = urlOf(sound);
      if (!url) return;
      audio = new Audio(url);
      audio.dataset.sound = sound;
      elements.set(sound, audio);
    }
    audio.currentTime = 0;
    // Refused (a browser's autoplay rule before the person has clicked anything): a sound is never worth an error.
    void audio.play().catch(() => undefined);
  };
}

/**
 * Sounds for this page: plays through audio elements; a conversation is watched when its tab is shown and the page has
 * focus. Of several pages showing the list, the one last in front plays (sound-lock.ts); a conversation's own window
 * never plays, so it takes no part.
 */
export function startPageSounds(api: Pick<ButterflyApi, 'on'> | null, store: Parameters<typeof startSounds>[1], conversationWindow: boolean): () => void {
  const lock = conversationWindow ? null : createSoundLock(navigator.locks);
  const takeOver = () => lock?.takeOver();
  window.addEventListener('focus', takeOver);
  if (document.hasFocus()) takeOver();
  const stop = startSounds(api, store, {
    conversationWindow,
    play: createAudioPlayer(),
    watching: (conversationId) => store.getState().activeTab === conversationId && document.visibilityState === 'visible' && document.hasFocus(),
    leads: () => lock?.holds() ?? true,
  });
  return () => {
    window.removeEventListener('focus', takeOver);
    lock?.dispose();
    stop();
  };
}
