import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { messageFormatSchema } from '../../../src-shared/conversation-types';
import { FONTS, formatToSend, isSafeFont, PALETTE, parseColourCode } from './format-choices';
import { contrast, formatStyle, MESSAGE_BACKGROUND } from './message-text';

describe('the font and colour choices', () => {
  it('offers fonts a send request accepts and a palette that reads on the light background (at least 4.5:1)', () => {
    for (const font of FONTS) expect(v.is(messageFormatSchema, { font }), font).toBe(true);
    for (const [name, colour] of Object.entries(PALETTE)) {
      expect(contrast(colour, MESSAGE_BACKGROUND.light), name).toBeGreaterThanOrEqual(4.5);
      expect(formatStyle({ color: colour })?.color, name).toBe(colour);
    }
  });

  it('reads a colour code written with or without #, short or long, any case; nothing else', () => {
    expect(parseColourCode('#1F4E9C')).toBe('#1f4e9c');
    expect(parseColourCode(' 1f4e9c ')).toBe('#1f4e9c');
    expect(parseColourCode('#abc')).toBe('#aabbcc');
    for (const bad of ['', '#', 'red', '#12345', '#1234567', '#ggghhh', 'url(x)', '#1f4e9c;background:url(http://127.0.0.2/)', 'rgb(1,2,3)'])
      expect(parseColourCode(bad), bad).toBeNull();
  });

  it('sends only what was chosen, checked again, and nothing when nothing was chosen', () => {
    expect(formatToSend({})).toBeUndefined();
    expect(formatToSend({ bold: false, italic: false })).toBeUndefined();
    expect(formatToSend({ font: 'Georgia', color: '#a3195b', bold: true, underline: false, strikethrough: true })).toEqual({ font: 'Georgia', color: '#a3195b', bold: true, strikethrough: true });
    // A preference that somehow holds something else sends none of it.
    expect(formatToSend({ font: 'x"; }', color: 'red', rightToLeft: true })).toBeUndefined();
    expect(formatToSend({ color: '#A3195B' })).toBeUndefined();
    expect(isSafeFont('Segoe UI')).toBe(true);
    expect(isSafeFont('A'.repeat(32))).toBe(false);
    for (const sent of [formatToSend({ font: 'Comic Sans MS', color: '#000000', italic: true })]) expect(v.is(messageFormatSchema, sent)).toBe(true);
  });
});
