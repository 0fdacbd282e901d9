// Exports: parseImFormat (an `X-MMS-IM-Format` value → validated TextFormat), formatImFormat (TextFormat → the
// header value), bgrToRgb / rgbToBgr (the colour field is hex BGR with leading zeros dropped), isSafeFontName,
// DEFAULT_TEXT_FORMAT, TextFormat.
// `FN=Segoe%20UI; EF=BI; CO=ff0000; CS=0; PF=22; RL=1`: every field optional, the font name URL-encoded.
// What comes in is someone else's text on its way to a style: every field is checked against what it may be (a font
// name of letters, digits, spaces and `-_.`, at most 31 characters — Windows' LF_FACESIZE; a colour of hex digits;
// hex numbers for CS and PF), and a field that is not is left out, never passed on.
import { MAX_FONT_NAME_LENGTH, SAFE_FONT_NAME, type MessageFormat } from '../../src-shared/conversation-types';
import { decodeName, encodeName } from '../../src-shared/url-codec';

export interface TextFormat extends MessageFormat {
  /** The GDI charset number (1–2 hex digits, e.g. '0', '80', 'CC'): a font hint, not the body's byte encoding. */
  charset?: string;
  /** The LOGFONT pitch-and-family value (1–2 hex digits, e.g. '22'). */
  pitchFamily?: string;
}

// Every character of a 31-character name percent-encoded as 4 UTF-8 bytes is 12 characters on the wire; anything
// longer is not a font name and is not decoded at all.
const MAX_ENCODED_FONT_LENGTH = MAX_FONT_NAME_LENGTH * 12;
const HEX_BYTE = /^[0-9a-fA-F]{1,2}$/;

/** A font family name that is safe to hand to a style: letters, marks, digits, spaces, `.`, `_`, `-`; 1–31 UTF-16 units. */
export function isSafeFontName(name: string): boolean {
  return name.length <= MAX_FONT_NAME_LENGTH && SAFE_FONT_NAME.test(name);
}

/** What we send when the user chose nothing: the values the official client used. */
export const DEFAULT_TEXT_FORMAT: Readonly<TextFormat> = Object.freeze({ font: 'Arial', color: '#000000', charset: '0', pitchFamily: '22' });

/** `ff0000` (BGR: blue) → `#0000ff`; `ff` → `#ff0000`. Undefined for anything that is not 1–6 hex digits. */
export function bgrToRgb(value: string): string | undefined {
  if (!/^[0-9a-fA-F]{1,6}$/.test(value)) return undefined;
  const n = parseInt(value, 16);
  const hex2 = (x: number) => x.toString(16).padStart(2, '0');
  return `#${hex2(n & 0xff)}${hex2((n >> 8) & 0xff)}${hex2((n >> 16) & 0xff)}`;
}

/** `#0000ff` → `ff0000`; `#000000` → `0`. Undefined for anything that is not `#rrggbb`. */
export function rgbToBgr(color: string): string | undefined {
  const m = /^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$/.exec(color);
  if (!m) return undefined;
  return ((parseInt(m[3], 16) << 16) | (parseInt(m[2], 16) << 8) | parseInt(m[1], 16)).toString(16);
}

/** Never throws: fields it does not understand, or whose value is not what it may be, are left out. */
export function parseImFormat(value: string): TextFormat {
  const format: TextFormat = {};
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim().toUpperCase();
    const v = part.slice(eq + 1).trim();
    switch (key) {
      case 'FN': {
        const font = v !== '' && v.length <= MAX_ENCODED_FONT_LENGTH ? decodeName(v).trim() : '';
        if (isSafeFontName(font)) format.font = font;
        break;
      }
      case 'EF': {
        const ef = v.toUpperCase();
        format.bold = ef.includes('B');
        format.italic = ef.includes('I');
        format.underline = ef.includes('U');
        format.strikethrough = ef.includes('S');
        break;
      }
      case 'CO': {
        const color = bgrToRgb(v);
        if (color) format.color = color;
        break;
      }
      case 'CS':
        if (HEX_BYTE.test(v)) format.charset = v;
        break;
      case 'PF':
        if (HEX_BYTE.test(v)) format.pitchFamily = v;
        break;
      case 'RL':
        format.rightToLeft = v === '1';
        break;
    }
  }
  return format;
}

const token = (s: string | undefined, fallback: string): string => (s !== undefined && /^[0-9A-Za-z]{1,8}$/.test(s) ? s : fallback);

/** `FN=…; EF=…; CO=…; CS=…; PF=…` (and `; RL=1` when right-to-left), missing fields from DEFAULT_TEXT_FORMAT. */
export function formatImFormat(format: TextFormat = {}): string {
  const font = encodeName(format.font ?? (DEFAULT_TEXT_FORMAT.font as string)).replace(/;/g, '%3B');
  const effects = `${format.bold ? 'B' : ''}${format.italic ? 'I' : ''}${format.underline ? 'U' : ''}${format.strikethrough ? 'S' : ''}`;
  const color = (format.color !== undefined ? rgbToBgr(format.color) : undefined) ?? '0';
  const out = `FN=${font}; EF=${effects}; CO=${color}; CS=${token(format.charset, '0')}; PF=${token(format.pitchFamily, '22')}`;
  return format.rightToLeft ? `${out}; RL=1` : out;
}
