// Exports: encodePersonalStatus (a personal message and now-playing → the UUX body, exactly the reference's XML),
// decodePersonalStatus (a UBX body → the personal message and CurrentMedia, or why it could not be read),
// formatCurrentMedia / parseCurrentMedia (the `\0`-separated CurrentMedia fields), PersonalStatus.
// MSNP11+ (msnp9-12.md). The body is UTF-8 XML without a declaration: `<Data><PSM>…</PSM><CurrentMedia>…</CurrentMedia>
// </Data>`, both elements always sent (Escargot stores a missing one as the text "None"). Received bodies are parsed
// strictly (strict-xml.ts); when that fails, the text between `<PSM>`/`</PSM>` and `<CurrentMedia>`/`</CurrentMedia>`
// is taken literally, because Escargot stores the text unescaped and puts it back without re-escaping
// (`<PSM>fish & chips</PSM>`). A body with a DOCTYPE is never read, not even literally.
import type { CurrentMedia } from '../../src-shared/personal-status';
import { parseStrictXml, xmlText } from './strict-xml';
import { escapeXmlText } from './xml-entities';

export interface PersonalStatus {
  /** Plain text; '' for none. */
  personalMessage: string;
  /** Absent when the CurrentMedia element is empty or unreadable. */
  currentMedia?: CurrentMedia;
}

export type DecodedPersonalStatus = (PersonalStatus & { ok: true; /** read by the literal fallback */ literal: boolean }) | { ok: false; reason: string };

/** The two characters backslash and zero (not a NUL byte) that separate CurrentMedia fields. */
const SEPARATOR = '\\0';
const MAX_ARGS = 64;

/** `Application\0Type\0Enabled\0Format\0Arg0\0Arg1…\0`. A `\0` typed inside a field is broken up (it would split it). */
export function formatCurrentMedia(media: CurrentMedia): string {
  const field = (s: string) => s.replaceAll(SEPARATOR, '\\\u200b0');
  return [media.application, media.type, media.enabled ? '1' : '0', media.format, ...media.args].map(field).join(SEPARATOR) + SEPARATOR;
}

/** The fields of a CurrentMedia text; undefined for an empty one or one with fewer than the four fixed fields. */
export function parseCurrentMedia(text: string): CurrentMedia | undefined {
  if (text === '') return undefined;
  const fields = text.split(SEPARATOR);
  if (fields.length < 4) return undefined;
  // The last separator ends the list: the empty field after it is not an argument.
  if (fields[fields.length - 1] === '' && fields.length > 4) fields.pop();
  const [application, type, enabled, format, ...args] = fields;
  return { application, type, enabled: enabled === '1', format, args: args.slice(0, MAX_ARGS) };
}

/** The UUX body: UTF-8 bytes of the reference's XML, both elements present, text escaped. */
export function encodePersonalStatus(status: PersonalStatus): Uint8Array {
  const media = status.currentMedia ? formatCurrentMedia(status.currentMedia) : '';
  return new TextEncoder().encode(`<Data><PSM>${escapeXmlText(status.personalMessage)}</PSM><CurrentMedia>${escapeXmlText(media)}</CurrentMedia></Data>`);
}

const decoder = new TextDecoder('utf-8');
const LITERAL_PSM = /<PSM>([\s\S]*?)<\/PSM>|<PSM\s*\/>/;
const LITERAL_MEDIA = /<CurrentMedia>([\s\S]*?)<\/CurrentMedia>|<CurrentMedia\s*\/>/;

/** A UBX body (possibly empty: no personal message) → what it says, strictly parsed or read literally. */
export function decodePersonalStatus(payload: Uint8Array): DecodedPersonalStatus {
  const text = decoder.decode(payload);
  if (text.trim() === '') return { ok: true, personalMessage: '', literal: false };
  const parsed = parseStrictXml(text);
  if (parsed.ok) {
    const data = parsed.document['Data'];
    if (typeof data === 'object' && data !== null && Object.keys(parsed.document).length === 1) {
      const d = data as Record<string, unknown>;
      const psm = d['PSM'] === undefined ? '' : xmlText(d['PSM']);
      const media = d['CurrentMedia'] === undefined ? '' : xmlText(d['CurrentMedia']);
      if (psm !== undefined && media !== undefined) return withMedia({ ok: true, personalMessage: psm, literal: false }, media);
    } else if (data === '' && Object.keys(parsed.document).length === 1) return { ok: true, personalMessage: '', literal: false };
  } else if (/^it declares/.test(parsed.reason)) {
    return { ok: false, reason: parsed.reason };
  }
  const psm = LITERAL_PSM.exec(text);
  const media = LITERAL_MEDIA.exec(text);
  if (!psm && !media) return { ok: false, reason: parsed.ok ? 'no <Data> with a <PSM> or <CurrentMedia> in it' : parsed.reason };
  return withMedia({ ok: true, personalMessage: psm?.[1] ?? '', literal: true }, media?.[1] ?? '');
}

function withMedia(status: PersonalStatus & { ok: true; literal: boolean }, media: string): DecodedPersonalStatus {
  const currentMedia = parseCurrentMedia(media);
  return currentMedia ? { ...status, currentMedia } : status;
}
