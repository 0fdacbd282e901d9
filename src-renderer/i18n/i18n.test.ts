// The languages are complete: every key in every language, with the same placeholders, formatted the language's way.
// That components hold no text of their own is checked by scripts/renderer-strings.test.ts, which reads their files.
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { es } from './es';
import { i18n, messages } from './index';
import { LANGUAGES, matchLanguage, pickLanguage } from './languages';
import { ptBR } from './pt-br';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
/** Each `{{name}}` or `{{name, format}}`, format included: a translation must format a value the same way. */
const placeholders = (text: string) => [...text.matchAll(/\{\{([^}]*)\}\}/g)].map((m) => (m[1] as string).replace(/\s+/g, '')).sort();

describe('translations', () => {
  const reference = flatten(en as Tree);

  it.each([
    ['pt-BR', ptBR],
    ['es', es],
  ])('%s has every English key, no other, none empty, with the same placeholders', (_name, table) => {
    const other = flatten(table as Tree);
    expect([...other.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [key, text] of other) {
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(text), key).toEqual(placeholders(reference.get(key) as string));
    }
  });

  it('writes numbers and durations the way each language does', () => {
    expect(i18n.getFixedT('en')('list.sectionCount', { total: 2000 })).toBe('(2,000)');
    expect(i18n.getFixedT('pt-BR')('list.sectionCount', { total: 2000 })).toBe('(2.000)');
    expect(i18n.getFixedT('en')('settings.ms', { ms: 27 })).toBe('27 ms');
    expect(i18n.getFixedT('es')('list.reconnecting', { reason: 'x.', seconds: 5 })).toMatch(/en 5\s?s\.$/);
  });

  it('registers every language with i18next', () => {
    expect(Object.keys(messages).sort()).toEqual([...LANGUAGES].sort());
  });

  it('follows the system language unless one is chosen, mapping any Portuguese or Spanish, else English', () => {
    expect(pickLanguage('system', ['pt-PT', 'en'])).toBe('pt-BR');
    expect(pickLanguage('system', ['de-DE', 'es-419'])).toBe('es');
    expect(pickLanguage('system', ['fr', 'de'])).toBe('en');
    expect(pickLanguage('system', [])).toBe('en');
    expect(pickLanguage('es', ['pt-BR'])).toBe('es');
    expect(matchLanguage('PT_br')).toBe('pt-BR');
  });
});
