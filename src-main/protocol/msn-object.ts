// Exports: parseMsnObject (the msnobject field of CHG/ILN/NLN, MSNP9+ → a display picture's description, or undefined
// for "no picture"), encodeMsnObject (an msnobject's XML → the field to send).
// The field is the URL-encoded XML of one `<msnobj …/>` element (p2p.md). Escargot sends `%3Cmsnobj%2F%3E` (`<msnobj/>`)
// for a contact without one: an msnobject without Creator or SHA1D is no picture, like an unreadable one.
import type { MsnObjectInfo } from '../../src-shared/messenger-types';
import { decodeName } from '../../src-shared/url-codec';
import { parseStrictXml, xmlText } from './strict-xml';

/** Longer than any real msnobject (a few hundred bytes) by far; a longer field is not read. */
const MAX_FIELD = 8 * 1024;

export function parseMsnObject(field: string | undefined): MsnObjectInfo | undefined {
  if (!field || field.length > MAX_FIELD || field === '0') return undefined;
  const xml = decodeName(field);
  const parsed = parseStrictXml(xml);
  if (!parsed.ok) return undefined;
  const element = parsed.document['msnobj'];
  if (typeof element !== 'object' || element === null) return undefined;
  const attr = (name: string) => xmlText((element as Record<string, unknown>)[`@${name}`]);
  const creator = attr('Creator');
  const sha1d = attr('SHA1D');
  if (!creator || !sha1d) return undefined;
  const number = (s: string | undefined) => (s !== undefined && /^\d{1,10}$/.test(s) && Number(s) <= 0xffff_ffff ? Number(s) : 0);
  return { creator, sha1d, type: number(attr('Type')), size: number(attr('Size')), xml };
}

/** The field for CHG: every character a server or peer could split on or misread percent-encoded. */
export function encodeMsnObject(xml: string): string {
  return encodeURIComponent(xml);
}
