// What shows under a name: what they are playing (rendered from its template, as Messenger did, in place of the
// personal message while it plays), else their personal message; nothing when neither says anything. Plain text from
// main, shown as text.
import type { Contact } from '../../src-shared/messenger-types';
import { renderCurrentMedia } from '../../src-shared/personal-status';

export type PersonalLine = { kind: 'media' | 'message'; text: string };

export function personalLine(c: Pick<Contact, 'personalMessage' | 'currentMedia'>): PersonalLine | null {
  const media = c.currentMedia ? renderCurrentMedia(c.currentMedia).trim() : '';
  if (media) return { kind: 'media', text: media };
  const message = c.personalMessage?.trim() ?? '';
  return message ? { kind: 'message', text: message } : null;
}
