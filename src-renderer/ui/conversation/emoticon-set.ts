// Butterfly's own emoticon set (assets/emoticons, drawn for Butterfly in one style): the picture for each name the
// service puts in a message's emoticon tokens, and what the picker offers — each emoticon with the shortcut it types
// (the first of that emoticon's shortcuts in src-main/protocol/emoticons.ts, which finds them again in the text).
// Vite inlines these small files into the bundle (as data: URLs the page's CSP allows): showing one makes no request.

declare global {
  // The one Vite feature the renderer's code uses, typed narrowly instead of pulling in all of vite/client.
  interface ImportMeta {
    glob<T>(pattern: string, options: { eager: true; query: '?url'; import: 'default' }): Record<string, T>;
  }
}

/** Emoticon name → the picture's URL. */
const pictures: Record<string, string> = Object.fromEntries(
  Object.entries(import.meta.glob<string>('../../../assets/emoticons/*.svg', { eager: true, query: '?url', import: 'default' })).map(([path, url]) => [
    path.slice(path.lastIndexOf('/') + 1, -'.svg'.length),
    url,
  ]),
);

export const emoticonPicture = (name: string): string | undefined => pictures[name];

/** [name, shortcut] in the picker's order. */
export const PICKER_EMOTICONS: readonly (readonly [string, string])[] = [
  ['smile', ':-)'],
  ['open-mouthed', ':-D'],
  ['surprised', ':-O'],
  ['tongue-out', ':-P'],
  ['wink', ';-)'],
  ['sad', ':-('],
  ['confused', ':-S'],
  ['disappointed', ':-|'],
  ['crying', ":'("],
  ['embarrassed', ':-$'],
  ['hot', '(H)'],
  ['angry', ':-@'],
  ['angel', '(A)'],
  ['devil', '(6)'],
  ['dont-tell-anyone', ':-#'],
  ['baring-teeth', '8o|'],
  ['nerd', '8-|'],
  ['sarcastic', '^o)'],
  ['secret-telling', ':-*'],
  ['sick', '+o('],
  ['dont-know', ':^)'],
  ['thinking', '*-)'],
  ['party', '<:o)'],
  ['eye-rolling', '8-)'],
  ['sleepy', '|-)'],
  ['coffee', '(C)'],
  ['thumbs-up', '(Y)'],
  ['thumbs-down', '(N)'],
  ['beer', '(B)'],
  ['martini', '(D)'],
  ['girl', '(X)'],
  ['boy', '(Z)'],
  ['left-hug', '({)'],
  ['right-hug', '(})'],
  ['vampire-bat', ':-['],
  ['birthday-cake', '(^)'],
  ['red-heart', '(L)'],
  ['broken-heart', '(U)'],
  ['red-lips', '(K)'],
  ['gift', '(G)'],
  ['red-rose', '(F)'],
  ['wilted-rose', '(W)'],
  ['camera', '(P)'],
  ['filmstrip', '(~)'],
  ['cat', '(@)'],
  ['dog', '(&)'],
  ['telephone', '(T)'],
  ['light-bulb', '(I)'],
  ['note', '(8)'],
  ['sleeping-moon', '(S)'],
  ['star', '(*)'],
  ['email', '(E)'],
  ['clock', '(O)'],
  ['messenger-icon', '(M)'],
  ['snail', '(sn)'],
  ['black-sheep', '(bah)'],
  ['plate', '(pl)'],
  ['bowl', '(||)'],
  ['pizza', '(pi)'],
  ['soccer-ball', '(so)'],
  ['auto', '(au)'],
  ['airplane', '(ap)'],
  ['umbrella', '(um)'],
  ['island', '(ip)'],
  ['computer', '(co)'],
  ['mobile-phone', '(mp)'],
  ['stormy-cloud', '(st)'],
  ['lightning', '(li)'],
  ['money', '(mo)'],];
