// How a name from the network is shown: decoded once with the shared codec, its explicit bidi controls removed, and
// (where it is drawn) isolated in a <bdi>, so "photo\u202Egnp.exe" reads "photognp.exe" and a right-to-left name can
// neither reorder the text around it nor be reordered by it. An empty nickname falls back to the e-mail address.
// Decoding is cached: the same wire names come back with every list and presence event.
import { decodeName } from '../../src-shared/url-codec';

// LRE, RLE, PDF, LRO, RLO (U+202A–U+202E) and LRI, RLI, FSI, PDI (U+2066–U+2069): the controls that override or
// embed direction. The plain marks (LRM, RLM, ALM) only nudge neutral characters and stay.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
// Line breaks and other control characters inside a name would break a one-line row.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;

const cache = new Map<string, string>();
const CACHE_LIMIT = 20_000;

/** A name as people should see it: decoded, bidi controls and control characters removed. */
export function showName(wire: string): string {
  let shown = cache.get(wire);
  if (shown === undefined) {
    shown = decodeName(wire).replace(BIDI_CONTROLS, '').replace(CONTROL, ' ').trim();
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(wire, shown);
  }
  return shown;
}

/** A contact's name: the nickname, or the e-mail address when the nickname is empty. */
export const contactName = (contact: { nickname: string; email: string }): string => showName(contact.nickname) || contact.email;

/** Plain text a person typed, with the same controls removed (for comparing with names shown). */
export const cleanTyped = (text: string): string => text.replace(BIDI_CONTROLS, '').replace(CONTROL, ' ').trim();
