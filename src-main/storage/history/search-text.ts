// How history text is searched: one folding and one tokenizer, in JavaScript, used for the index (registered as SQL
// functions that the index triggers call), for the query and for the highlights, and by the in-memory store, so what
// is highlighted is exactly what matched and both stores find the same messages.
//
// Folding, per code point: compatibility decomposition (fullwidth `Ａ` → `A`, `ﬁ` → `fi`), lower case (`ς` as `σ`),
// combining diacritics removed (`Grüße` → `gruße`; Arabic harakat too), emoji variation selectors and skin tones
// removed (`👍🏽` → `👍`), then recomposed (Hangul stays syllables). `ß`, dakuten and other letters stay as they are.
//
// Tokens (the words index): a run of letters and digits is one token; every character of a script written without
// spaces (Han, kana, Hangul, Thai, Lao, Khmer, Myanmar, Bopomofo) is a token by itself, and so is every emoji or other
// symbol. Punctuation separates. Keys are folded and then split exactly where SQLite's `ascii` tokenizer splits
// (ASCII characters other than letters and digits), so the FTS5 table sees the tokens computed here and no others.
//
// A query is split at white space into terms; a message matches when it matches every term:
//   - a term of three or more (folded) characters matches as a substring, anywhere (the trigram index);
//   - a shorter term made only of token characters matches whole tokens in a row (the words index): `ok` finds the
//     word "ok" and not every "book", `北京` finds 我爱北京天安门 (one token per character), `😀` finds a single emoji;
//   - any other short term (`:)`, `<3`) matches as a substring by reading the messages (no index holds it).
// Nothing the user types is FTS syntax: every term reaches SQLite as a quoted string, quotes doubled.
// Changing anything here changes what the index holds: it needs a schema migration that rebuilds the indexes.
import { MAX_QUERY_LENGTH, type Snippet, type TextRange } from '../../../src-shared/history-types';

const NO_SPACE_SCRIPTS = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Bopomofo}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}`;
const SYMBOL = String.raw`[\p{Extended_Pictographic}\p{So}][\ufe0e\ufe0f\u{1f3fb}-\u{1f3ff}\u20e3\u{e0020}-\u{e007f}]*`;
const TOKEN_PATTERN = new RegExp(
  // eslint-disable-next-line no-misleading-character-class -- modifiers and selectors are listed on their own on purpose
  [
    // A flag (two regional indicators); an emoji or other symbol with its variation selector, skin tone or tag
    // characters, and whatever it is joined to by ZWJ. (Written out: V8's \p{RGI_Emoji} costs ~40 µs a message.)
    String.raw`\p{RI}\p{RI}|${SYMBOL}(?:\u200d${SYMBOL})*`,
    // One character of a script without spaces, with its combining marks.
    String.raw`[${NO_SPACE_SCRIPTS}]\p{M}*`,
    // A word: letters, digits and their marks.
    String.raw`[[\p{L}\p{N}]--[${NO_SPACE_SCRIPTS}]][[\p{L}\p{N}\p{M}]--[${NO_SPACE_SCRIPTS}]]*`,
  ].join('|'),
  'gv',
);

/** Combining diacritical marks (and their supplements, and those for symbols), Arabic harakat, variation selectors, skin tones. */
// eslint-disable-next-line no-misleading-character-class -- lone combining marks and modifiers are what it finds
const DROPPED = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u064b-\u065f\u0670\ufe00-\ufe0f\u{1f3fb}-\u{1f3ff}]/gu;
/** Where SQLite's `ascii` tokenizer splits: ASCII characters other than letters and digits. */
// eslint-disable-next-line no-control-regex -- control characters separate tokens too
const ASCII_SEPARATORS = /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ASCII_WORD = /[A-Za-z0-9]+/g;

const foldCache = new Map<number, string>();
const FOLD_CACHE_LIMIT = 20_000;

function foldCodePoint(cp: number): string {
  if (cp >= 0x41 && cp <= 0x5a) return String.fromCharCode(cp + 32);
  if (cp < 0x80) return String.fromCharCode(cp);
  let folded = foldCache.get(cp);
  if (folded === undefined) {
    folded = String.fromCodePoint(cp).normalize('NFKD').toLowerCase().replace(DROPPED, '').replaceAll('ς', 'σ').normalize('NFC');
    if (foldCache.size >= FOLD_CACHE_LIMIT) foldCache.clear();
    foldCache.set(cp, folded);
  }
  return folded;
}

/** The text folded for substring search (what the trigram index holds). */
export function foldText(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) out += foldCodePoint(ch.codePointAt(0) as number);
  return out;
}

/** The folded text, and for each of its UTF-16 units the span of the original code point it came from. */
interface FoldedText {
  folded: string;
  from: number[];
  to: number[];
}

function foldWithOrigins(text: string): FoldedText {
  const from: number[] = [];
  const to: number[] = [];
  let folded = '';
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    const next = i + (cp > 0xffff ? 2 : 1);
    const piece = foldCodePoint(cp);
    for (let k = 0; k < piece.length; k++) {
      from.push(i);
      to.push(next);
    }
    folded += piece;
    i = next;
  }
  return { folded, from, to };
}

export interface SearchToken {
  /** Offsets in the original text (UTF-16 units). */
  start: number;
  end: number;
  key: string;
}

/** The text's tokens, folded; one original span can give several keys (`l'été` → `l`, `ete`). */
export function searchTokens(text: string): SearchToken[] {
  const tokens: SearchToken[] = [];
  if (PRINTABLE_ASCII.test(text)) {
    // The same tokens, faster: in printable ASCII only letters and digits make tokens.
    for (const m of text.matchAll(ASCII_WORD)) tokens.push({ start: m.index, end: m.index + m[0].length, key: m[0].toLowerCase() });
    return tokens;
  }
  for (const m of text.matchAll(TOKEN_PATTERN)) {
    const start = m.index;
    const end = start + m[0].length;
    for (const key of foldText(m[0]).split(ASCII_SEPARATORS)) if (key !== '') tokens.push({ start, end, key });
  }
  return tokens;
}

/** What the words index holds for a message: its keys, separated by spaces. */
export const wordsIndexText = (text: string): string =>
  searchTokens(text)
    .map((t) => t.key)
    .join(' ');

export type SearchTerm =
  /** Matched anywhere, folded; `indexed` when long enough for the trigram index. */
  | { kind: 'substring'; folded: string; indexed: boolean }
  /** Whole tokens, in a row. */
  | { kind: 'words'; keys: string[] };

export const MAX_QUERY_TERMS = 16;
/** Below this many characters a substring cannot use the trigram index. */
const TRIGRAM = 3;

export type ParsedQuery = { ok: true; terms: SearchTerm[] } | { ok: false; problem: string };

/** The terms of what a person typed; no terms for an empty query. */
export function parseSearchQuery(query: string): ParsedQuery {
  if (query.length > MAX_QUERY_LENGTH) return { ok: false, problem: `a search is at most ${MAX_QUERY_LENGTH} characters` };
  const raw = query.split(/[\s\u3000]+/u).filter((t) => t !== '');
  if (raw.length > MAX_QUERY_TERMS) return { ok: false, problem: `a search has at most ${MAX_QUERY_TERMS} words` };
  const terms: SearchTerm[] = [];
  for (const text of raw) {
    const folded = foldText(text);
    if (folded === '') continue;
    const long = [...folded].length >= TRIGRAM;
    const keys = long ? [] : searchTokens(text).map((t) => t.key);
    if (!long && keys.length > 0 && keys.join('') === folded) terms.push({ kind: 'words', keys });
    else terms.push({ kind: 'substring', folded, indexed: long });
  }
  return { ok: true, terms };
}

/** A string as an FTS5 string literal: nothing in it is query syntax. */
export const ftsString = (text: string): string => `"${text.replaceAll('"', '""')}"`;

/** Where each term matches in `text`, or undefined when some term does not (the message does not match). */
export function matchRanges(text: string, terms: readonly SearchTerm[]): TextRange[] | undefined {
  const ranges: TextRange[] = [];
  let tokens: SearchToken[] | undefined;
  let folded: FoldedText | undefined;
  for (const term of terms) {
    const before = ranges.length;
    if (term.kind === 'words') {
      tokens ??= searchTokens(text);
      const n = term.keys.length;
      for (let i = 0; i + n <= tokens.length; i++) {
        let k = 0;
        while (k < n && tokens[i + k].key === term.keys[k]) k++;
        if (k === n) ranges.push({ start: tokens[i].start, end: tokens[i + n - 1].end });
      }
    } else {
      folded ??= foldWithOrigins(text);
      for (let at = folded.folded.indexOf(term.folded); at >= 0; at = folded.folded.indexOf(term.folded, at + term.folded.length)) {
        ranges.push({ start: folded.from[at], end: folded.to[at + term.folded.length - 1] });
      }
    }
    if (ranges.length === before) return undefined;
  }
  return mergeRanges(ranges);
}

function mergeRanges(ranges: TextRange[]): TextRange[] {
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: TextRange[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

export const SNIPPET_LENGTH = 120;
/** How much of the excerpt comes before the first match, at most. */
const SNIPPET_LEAD = 40;
/** How far an edge moves to land on white space instead of inside a word. */
const SNIPPET_SLACK = 12;

/** An excerpt of at most about `length` UTF-16 units around the first range, never splitting a surrogate pair. */
export function makeSnippet(text: string, ranges: readonly TextRange[], length = SNIPPET_LENGTH): Snippet {
  let start = 0;
  let end = text.length;
  if (text.length > length) {
    const first = ranges[0]?.start ?? 0;
    start = Math.max(0, Math.min(first - SNIPPET_LEAD, text.length - length));
    start = toBoundary(text, start, -1);
    end = toBoundary(text, Math.min(text.length, start + length), 1);
    start = avoidSurrogateSplit(text, start, 1);
    end = avoidSurrogateSplit(text, end, -1);
  }
  const highlights = ranges
    .filter((r) => r.end > start && r.start < end)
    .map((r) => ({ start: Math.max(r.start, start) - start, end: Math.min(r.end, end) - start }));
  return { text: text.slice(start, end), start, highlights, cutStart: start > 0, cutEnd: end < text.length };
}

/** `at` moved (backwards for a start, forwards for an end, within the slack) to just after/before white space. */
function toBoundary(text: string, at: number, direction: -1 | 1): number {
  if (at <= 0 || at >= text.length) return at;
  for (let d = 0; d <= SNIPPET_SLACK; d++) {
    const i = direction < 0 ? at - d : at + d;
    if (i <= 0 || i >= text.length) return direction < 0 ? Math.max(0, i) : Math.min(text.length, i);
    if (/\s/u.test(text[direction < 0 ? i - 1 : i])) return i;
  }
  return at;
}

function avoidSurrogateSplit(text: string, at: number, direction: -1 | 1): number {
  const code = text.charCodeAt(at);
  return at > 0 && at < text.length && code >= 0xdc00 && code <= 0xdfff ? at + direction : at;
}
