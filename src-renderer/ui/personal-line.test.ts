import { describe, expect, it } from 'vitest';
import { personalLine } from './personal-line';

describe('personalLine', () => {
  it('now playing (by its template) before the personal message; nothing for blanks or media turned off', () => {
    const media = { application: '', type: 'Music', enabled: true, format: '{1} by {0}', args: ['Artist', 'Song'] };
    expect(personalLine({ personalMessage: 'fish & chips', currentMedia: media })).toEqual({ kind: 'media', text: 'Song by Artist' });
    expect(personalLine({ personalMessage: 'fish & <chips> ✿' })).toEqual({ kind: 'message', text: 'fish & <chips> ✿' });
    expect(personalLine({ personalMessage: '  ', currentMedia: { ...media, enabled: false } })).toBeNull();
    expect(personalLine({})).toBeNull();
  });
});
