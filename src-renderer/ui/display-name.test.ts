import { describe, expect, it } from 'vitest';
import { cleanTyped, contactName, showName } from './display-name';

describe('names as shown', () => {
  it('decodes once with the shared codec and keeps markup as text', () => {
    expect(showName('Alice%20%E2%9C%BF%20100%')).toBe('Alice ✿ 100%');
    expect(showName('%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E')).toBe('<img src=x onerror=alert(1)>');
  });

  it('drops the controls that override or embed direction, so a name cannot reorder itself or what surrounds it', () => {
    expect(showName('photo%E2%80%AEgnp.exe')).toBe('photognp.exe');
    expect(showName('a\u2066b\u2069c\u202Bd\u202C')).toBe('abcd');
    // Marks that only nudge neutral characters stay, as do right-to-left letters.
    expect(showName('\u05E9\u05DC\u05D5\u05DD\u200F!')).toBe('\u05E9\u05DC\u05D5\u05DD\u200F!');
  });

  it('turns line breaks into spaces and falls back to the e-mail address when nothing is left', () => {
    expect(showName('two%0D%0Alines')).toBe('two  lines');
    expect(contactName({ nickname: '%E2%80%AE', email: 'x@y.z' })).toBe('x@y.z');
    expect(cleanTyped('  Friends\u202E ')).toBe('Friends');
  });
});
