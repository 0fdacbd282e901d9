import { describe, expect, it } from 'vitest';
import type { ConversationMessage } from '../../src-shared/conversation-types';
import { playsSoundsHere, soundFor, type SoundContext, type SoundCue } from './sound-rules';

const message = (direction: 'in' | 'out', kind: 'text' | 'nudge' = 'text'): ConversationMessage =>
  direction === 'in'
    ? { id: 'm1', conversationId: 'c1', at: 1, from: 'bob@example.com', direction, kind, nickname: 'Bob', text: kind === 'text' ? 'hi' : '', emoticons: [] }
    : { id: 'm1', conversationId: 'c1', at: 1, from: 'alice@example.com', direction, kind, text: 'hi', emoticons: [], state: 'sent', attempt: 1 };
const here: SoundContext = { playsHere: true, settings: { message: true, nudge: true, online: true }, ownStatus: 'NLN' };
const presence = (before: 'FLN' | 'NLN' | 'HDN' | 'AWY', after: 'FLN' | 'NLN' | 'BSY' | 'HDN', flags: { blocked?: boolean; initial?: boolean } = {}): SoundCue => ({
  kind: 'presence',
  before,
  after,
  blocked: flags.blocked ?? false,
  initial: flags.initial ?? false,
});

describe('which window plays', () => {
  it('is the contact list in the desktop app, the one page in browser mode, and none before main said which', () => {
    expect(playsSoundsHere('electron', false)).toBe(true);
    expect(playsSoundsHere('electron', true)).toBe(false);
    expect(playsSoundsHere('browser', false)).toBe(true);
    expect(playsSoundsHere(undefined, false)).toBe(false);
  });
});

describe('what makes a sound', () => {
  it('an incoming text, unless its conversation is in front of the person; never your own', () => {
    expect(soundFor({ kind: 'message', message: message('in'), watched: false }, here)).toBe('message');
    expect(soundFor({ kind: 'message', message: message('in'), watched: true }, here)).toBeNull();
    expect(soundFor({ kind: 'message', message: message('out'), watched: false }, here)).toBeNull();
    expect(soundFor({ kind: 'message', message: message('out', 'nudge'), watched: false }, here)).toBeNull();
  });

  it('an incoming nudge, even in the conversation shown', () => {
    expect(soundFor({ kind: 'message', message: message('in', 'nudge'), watched: true }, here)).toBe('nudge');
  });

  it('a contact coming online, but not the server’s initial presence, not a change between online states, not a blocked contact', () => {
    expect(soundFor(presence('FLN', 'NLN'), here)).toBe('online');
    expect(soundFor(presence('FLN', 'BSY'), here)).toBe('online');
    expect(soundFor(presence('HDN', 'NLN'), here)).toBe('online');
    expect(soundFor(presence('NLN', 'BSY'), here)).toBeNull();
    expect(soundFor(presence('AWY', 'NLN'), here)).toBeNull();
    expect(soundFor(presence('NLN', 'FLN'), here)).toBeNull();
    expect(soundFor(presence('FLN', 'HDN'), here)).toBeNull();
    expect(soundFor(presence('FLN', 'NLN', { blocked: true }), here)).toBeNull();
    // The server's initial presence (sign-in, a reconnect, leaving Invisible) says who was online already.
    expect(soundFor(presence('FLN', 'NLN', { initial: true }), here)).toBeNull();
  });

  it('each only while its setting is on, none while you are Busy, none in a window that does not play', () => {
    const cues: [SoundCue, string][] = [
      [{ kind: 'message', message: message('in'), watched: false }, 'message'],
      [{ kind: 'message', message: message('in', 'nudge'), watched: false }, 'nudge'],
      [presence('FLN', 'NLN'), 'online'],
    ];
    for (const [cue, sound] of cues) {
      expect(soundFor(cue, here)).toBe(sound);
      expect(soundFor(cue, { ...here, settings: { ...here.settings, [sound]: false } })).toBeNull();
      // The other settings off do not silence this one.
      expect(soundFor(cue, { ...here, settings: { message: false, nudge: false, online: false, [sound]: true } })).toBe(sound);
      expect(soundFor(cue, { ...here, ownStatus: 'BSY' })).toBeNull();
      expect(soundFor(cue, { ...here, ownStatus: 'AWY' })).toBe(sound);
      expect(soundFor(cue, { ...here, playsHere: false })).toBeNull();
    }
  });
});
