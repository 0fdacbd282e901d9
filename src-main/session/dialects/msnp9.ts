// MSNP9 (Messenger 6.0): MSNP8 plus the msnobject as the last field of CHG/ILN/NLN (a display picture's description,
// URL-encoded; Escargot sends `<msnobj/>` for a contact without one: no picture), and `QNG n` (seconds until the next
// PNG; the keep-alive already follows it). Lists, edits and the switchboard are MSNP8's (ack mode `D` is P2P's).
import { encodeMsnObject, parseMsnObject } from '../../protocol/msn-object';
import type { ContactList } from '../contact-list';
import { presenceHead, type Dialect, type PresenceLine } from './dialect';
import { ContactLineSync, msnp8Dialect } from './msnp8';

/** ILN/NLN `status email nick clientId msnobj`: the picture is what the line says (none when it has no msnobject). */
export function presenceWithPicture(args: readonly string[]): PresenceLine | undefined {
  const head = presenceHead(args);
  return head && { ...head, picture: { msnObject: parseMsnObject(args[4]) } };
}

export function msnp9Dialect(): Dialect {
  const base = msnp8Dialect();
  return {
    ...base,
    version: 9,
    name: 'MSNP9',
    ns: { ...base.ns, name: 'MSNP9' },
    sb: { ...base.sb, name: 'MSNP9' },
    setStatus: (status, clientId, msnObject) => [status, String(clientId >>> 0), ...(msnObject ? [encodeMsnObject(msnObject)] : [])],
    presence: (frame) => presenceWithPicture(frame.args),
    createListSync: (list: ContactList) => new ContactLineSync(list, 9),
  };
}
