// Exports: chatLine — a generated chat message in one of a dozen languages (Latin scripts with diacritics, Cyrillic,
// Greek, Chinese, Japanese, Korean), with emoji and emoticons sprinkled in and now and then a rare token, so the
// history benchmark searches text shaped like a real multilingual history. Seeded: the same seed, the same history.
import type { Random } from './random';

const LANGUAGES: readonly (readonly string[])[] = [
  ['the', 'and', 'meeting', 'tomorrow', 'see', 'you', 'later', 'ok', 'thanks', 'what', 'time', 'is', 'it', 'lunch', 'today', 'weekend', 'great', 'idea', 'sorry', 'late', 'call', 'me', 'when', 'home', 'unbelievable', 'nation', 'station'],
  ['viele', 'Grüße', 'aus', 'Köln', 'Straße', 'Müller', 'schön', 'morgen', 'früh', 'Tschüß', 'über', 'Mädchen', 'Bäckerei', 'gemütlich', 'und', 'ich', 'bin', 'müde'],
  ['café', 'déjà', 'vu', 'résumé', 'naïve', 'garçon', 'très', 'bien', 'à', 'demain', 'où', 'es', 'tu', 'fenêtre', 'hôtel', 'élève', 'noël'],
  ['señor', 'mañana', 'niño', 'año', 'qué', 'tal', 'cómo', 'estás', 'adiós', 'corazón', 'acción', 'pingüino'],
  ['zażółć', 'gęślą', 'jaźń', 'dzień', 'dobry', 'cześć', 'proszę', 'İstanbul', 'çok', 'güzel', 'teşekkürler', 'ação', 'coração'],
  ['привет', 'как', 'дела', 'хорошо', 'спасибо', 'завтра', 'встреча', 'ёлка', 'пока', 'да', 'нет'],
  ['καλημέρα', 'Ελλάδα', 'ευχαριστώ', 'αύριο', 'ναι', 'όχι', 'φίλος', 'θάλασσα'],
  ['我爱北京天安门', '你好吗', '今天天气很好', '我们明天见', '谢谢你', '没问题', '北京', '上海', '晚上吃什么', '好的'],
  ['こんにちは', 'ありがとう', '東京に行きます', 'また明日', 'おはよう', 'ラーメン', '大丈夫です', 'すごい'],
  ['안녕하세요', '감사합니다', '내일', '만나요', '좋아요', '서울', '사랑해'],
];
const SPRINKLES = ['😀', '👍🏽', '❤️', '🎉', '😂', '🇩🇪', ':)', ':D', ';)', '(Y)', '!', '?', '...', '2024', '42'];

/** A message of 3–20 words, mostly in `language` (an index), sometimes mixing in another. */
export function chatLine(random: Random, language: number): string {
  const words: string[] = [];
  const n = random.int(3, 20);
  for (let i = 0; i < n; i++) {
    const r = random.next();
    if (r < 0.08) words.push(random.pick(SPRINKLES));
    else if (r < 0.1) words.push(`zq${random.int(0, 99_999).toString(36)}`);
    else words.push(random.pick(LANGUAGES[r < 0.85 ? language : random.int(0, LANGUAGES.length - 1)]));
  }
  return words.join(' ');
}

export const LANGUAGE_COUNT = LANGUAGES.length;

/** What people would type into the search box of such a history: common and rare words, folded spellings, CJK pairs, emoji, no-hit words, several words. */
export const SEARCHES: readonly string[] = [
  'the', 'meeting', 'meeting tomorrow', 'ok', 'gruße', 'GRÜSSE', 'koln', 'strasse', 'straße', 'cafe', 'deja vu', 'resume', 'senor', 'manana',
  'zazolc', 'istanbul', 'cok guzel', 'acao', 'привет', 'как дела', 'ёлка', 'καλημερα', 'ελλαδα', '北京', '天气', '明天见', '我爱北京天安门',
  'こんにちは', '東京', 'ラーメン', '안녕', '서울', '😀', '👍', '🎉', ':)', '(Y)', 'zq1a2', 'zq9z', 'xylophone', 'unbeliev', 'ation', 'see you later',
  '"quoted"', 'AND', 'NOT tomorrow', 'NEAR(a b)',
];
