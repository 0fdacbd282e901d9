// Exports: findEmoticons (text → the classic MSN emoticon shortcuts in it, as tokens beside the unchanged text),
// EMOTICONS (name → the shortcuts that show it).
// The set is Messenger 6/7's standard one, as its help listed it ("Smile :-) or :)", "Thumbs up (Y) or (y)", …);
// a letter shortcut is recognised exactly in the cases that list gives. Like the official client, a shortcut is found
// anywhere, even inside a word: "401(k)" shows red lips. At each position the longest shortcut wins (`<:o)` before
// `:o`), and shortcuts never overlap. The text itself is never changed: what to draw is the caller's business.
import type { EmoticonToken } from '../../src-shared/conversation-types';

export const EMOTICONS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  smile: [':-)', ':)'],
  'open-mouthed': [':-D', ':-d', ':D', ':d'],
  surprised: [':-O', ':-o', ':O', ':o'],
  'tongue-out': [':-P', ':-p', ':P', ':p'],
  wink: [';-)', ';)'],
  sad: [':-(', ':('],
  confused: [':-S', ':-s', ':S', ':s'],
  disappointed: [':-|', ':|'],
  crying: [":'("],
  embarrassed: [':-$', ':$'],
  hot: ['(H)', '(h)'],
  angry: [':-@', ':@'],
  angel: ['(A)', '(a)'],
  devil: ['(6)'],
  'dont-tell-anyone': [':-#'],
  'baring-teeth': ['8o|'],
  nerd: ['8-|'],
  sarcastic: ['^o)'],
  'secret-telling': [':-*'],
  sick: ['+o('],
  'dont-know': [':^)'],
  thinking: ['*-)'],
  party: ['<:o)'],
  'eye-rolling': ['8-)'],
  sleepy: ['|-)'],
  coffee: ['(C)', '(c)'],
  'thumbs-up': ['(Y)', '(y)'],
  'thumbs-down': ['(N)', '(n)'],
  beer: ['(B)', '(b)'],
  martini: ['(D)', '(d)'],
  girl: ['(X)', '(x)'],
  boy: ['(Z)', '(z)'],
  'left-hug': ['({)'],
  'right-hug': ['(})'],
  'vampire-bat': [':-[', ':['],
  'birthday-cake': ['(^)'],
  'red-heart': ['(L)', '(l)'],
  'broken-heart': ['(U)', '(u)'],
  'red-lips': ['(K)', '(k)'],
  gift: ['(G)', '(g)'],
  'red-rose': ['(F)', '(f)'],
  'wilted-rose': ['(W)', '(w)'],
  camera: ['(P)', '(p)'],
  filmstrip: ['(~)'],
  cat: ['(@)'],
  dog: ['(&)'],
  telephone: ['(T)', '(t)'],
  'light-bulb': ['(I)', '(i)'],
  note: ['(8)'],
  'sleeping-moon': ['(S)'],
  star: ['(*)'],
  email: ['(E)', '(e)'],
  clock: ['(O)', '(o)'],
  'messenger-icon': ['(M)', '(m)'],
  snail: ['(sn)'],
  'black-sheep': ['(bah)'],
  plate: ['(pl)'],
  bowl: ['(||)'],
  pizza: ['(pi)'],
  'soccer-ball': ['(so)'],
  auto: ['(au)'],
  airplane: ['(ap)'],
  umbrella: ['(um)'],
  island: ['(ip)'],
  computer: ['(co)'],
  'mobile-phone': ['(mp)'],
  'stormy-cloud': ['(st)'],
  lightning: ['(li)'],
  money: ['(mo)'],
});

/** First character → the shortcuts starting with it, longest first, with their names. */
const BY_FIRST_CHAR: ReadonlyMap<string, readonly { code: string; name: string }[]> = (() => {
  const map = new Map<string, { code: string; name: string }[]>();
  for (const [name, codes] of Object.entries(EMOTICONS)) {
    for (const code of codes) {
      const list = map.get(code[0]) ?? [];
      list.push({ code, name });
      map.set(code[0], list);
    }
  }
  for (const list of map.values()) list.sort((a, b) => b.code.length - a.code.length);
  return map;
})();

/** The emoticon shortcuts in `text`, left to right, never overlapping. */
export function findEmoticons(text: string): EmoticonToken[] {
  const tokens: EmoticonToken[] = [];
  for (let i = 0; i < text.length; ) {
    const match = BY_FIRST_CHAR.get(text[i])?.find((c) => text.startsWith(c.code, i));
    if (!match) {
      i++;
      continue;
    }
    tokens.push({ start: i, end: i + match.code.length, code: match.code, name: match.name });
    i += match.code.length;
  }
  return tokens;
}
