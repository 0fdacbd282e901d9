// When Butterfly makes a sound — pure rules, so each can be tested without a page or a speaker:
//  - in the desktop app only the contact-list window plays (every window hears the account's events; a conversation
//    window playing too would double each sound); browser mode's one page holds the list and its tabs, so it plays;
//  - a text message that arrives, unless its conversation is the one shown in a focused window;
//  - a nudge that arrives (always: it is meant to get attention);
//  - a contact going from offline to online — not the server's initial presence (ILN: at sign-in, after a reconnect,
//    for someone just added), which only says who was online already;
//  - each sound only while its setting is on, and none while your own status is Busy.
import type { ConversationMessage } from '../../src-shared/conversation-types';
import type { OwnStatus, PresenceStatus } from '../../src-shared/messenger-types';
import type { SoundEvent, SoundSettings } from '../store/preferences';

export type WindowShell = 'electron' | 'browser';

/**
 * Whether this window is the one that plays sounds: `conversationWindow` when it is a conversation's own window (its
 * address names one: src-shared/window-view.ts); unknown shell (main has not answered yet): no.
 */
export function playsSoundsHere(shell: WindowShell | undefined, conversationWindow: boolean): boolean {
  if (shell === 'browser') return true;
  return shell === 'electron' && !conversationWindow;
}

export interface SoundContext {
  playsHere: boolean;
  settings: SoundSettings;
  /** Your own status; undefined before the profile arrived. */
  ownStatus: OwnStatus | undefined;
}

export type SoundCue =
  /** A message added to a conversation; `watched`: its conversation is shown in a window that has focus. */
  | { kind: 'message'; message: ConversationMessage; watched: boolean }
  /**
   * A contact's presence changed from `before` to `after`; `initial`: it is the server's initial presence (the
   * presence event says so); `blocked`: the contact is on your block list.
   */
  | { kind: 'presence'; before: PresenceStatus; after: PresenceStatus; blocked: boolean; initial: boolean };

const online = (status: PresenceStatus) => status !== 'FLN' && status !== 'HDN';

/** The sound this should make here, or null for none. */
export function soundFor(cue: SoundCue, context: SoundContext): SoundEvent | null {
  if (!context.playsHere || context.ownStatus === 'BSY') return null;
  const sound = eventOf(cue);
  return sound && context.settings[sound] ? sound : null;
}

function eventOf(cue: SoundCue): SoundEvent | null {
  if (cue.kind === 'message') {
    const m = cue.message;
    if (m.direction !== 'in') return null;
    if (m.kind === 'nudge') return 'nudge';
    return cue.watched ? null : 'message';
  }
  return !cue.initial && !cue.blocked && !online(cue.before) && online(cue.after) ? 'online' : null;
}
