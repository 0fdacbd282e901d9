// What the font and colour chooser offers for your own messages: a few fonts most computers have (the receiving
// client falls back to its own when it lacks one), a palette that reads on a light background (the official client's
// default), and colour codes typed as #rrggbb — each checked before it becomes a style or a send request.
import { MAX_FONT_NAME_LENGTH, SAFE_FONT_NAME, type MessageFormat } from '../../../src-shared/conversation-types';

export const FONTS = ['Arial', 'Calibri', 'Comic Sans MS', 'Courier New', 'Georgia', 'Segoe UI', 'Tahoma', 'Times New Roman', 'Trebuchet MS', 'Verdana'] as const;

/** Palette colours by name (the name is a string key, `formatSounds.format.colours.<name>`). */
export const PALETTE = {
  black: '#000000',
  gray: '#595959',
  red: '#b3261e',
  orange: '#a64200',
  brown: '#7a4a12',
  green: '#1e6b2a',
  teal: '#00676b',
  blue: '#1f4e9c',
  purple: '#6a1b9a',
  pink: '#a3195b',
} as const;
export type PaletteName = keyof typeof PALETTE;

export const EFFECTS = ['bold', 'italic', 'underline', 'strikethrough'] as const;
export type Effect = (typeof EFFECTS)[number];

/** `#1F4E9C`, `1f4e9c` or `#abc` (spaces around allowed) → `#1f4e9c` / `#aabbcc`; null for anything else. */
export function parseColourCode(text: string): string | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text.trim());
  if (!m) return null;
  const hex = (m[1] as string).toLowerCase();
  return `#${hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex}`;
}

export const isSafeFont = (font: string): boolean => font.length <= MAX_FONT_NAME_LENGTH && SAFE_FONT_NAME.test(font);

/** The format as a send request carries it: only what was chosen, or undefined when nothing was (main then sends the defaults). */
export function formatToSend(format: MessageFormat): MessageFormat | undefined {
  const out: MessageFormat = {};
  if (format.font && isSafeFont(format.font)) out.font = format.font;
  if (format.color && parseColourCode(format.color) === format.color) out.color = format.color;
  for (const effect of EFFECTS) if (format[effect]) out[effect] = true;
  return Object.keys(out).length > 0 ? out : undefined;
}
