// A message's text as React text nodes: emoticon pictures where the service found shortcuts (the shortcut stays the
// picture's alt text, so copying and screen readers keep it), http(s) links made clickable once they parse as such
// URLs, and the font, colour and effects of its validated format checked once more before they reach a style.
// Nothing here is ever HTML: every piece is a string React escapes.
import type { CSSProperties, ReactNode } from 'react';
import { SAFE_FONT_NAME, type EmoticonToken, type MessageFormat } from '../../../src-shared/conversation-types';
import { safeLink } from '../../../src-shared/links';
import { emoticonPicture } from './emoticon-set';

const LINK = /\bhttps?:\/\/[^\s<>"'`]+/giu;
/** Punctuation that ends a sentence rather than a URL. */
const TRAILING = /[.,;:!?)\]}]+$/u;

interface Link {
  start: number;
  end: number;
  href: string;
}

export function findLinks(text: string): Link[] {
  const links: Link[] = [];
  for (const match of text.matchAll(LINK)) {
    const raw = match[0].replace(TRAILING, '');
    const href = safeLink(raw);
    if (href) links.push({ start: match.index, end: match.index + raw.length, href });
  }
  return links;
}

/** WCAG's relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The surfaces messages are drawn on (styles.css's --surface in each theme). */
export const MESSAGE_BACKGROUND = { light: '#ffffff', dark: '#181d24' } as const;

/**
 * The style of a message's validated format, checked once more. A sender's colour that could not be read on this
 * theme's background (less than WCAG's 4.5:1 — black text in dark mode, say) is left out: the theme's text colour is
 * used instead.
 */
export function formatStyle(format: MessageFormat | undefined, background: string = MESSAGE_BACKGROUND.light): CSSProperties | undefined {
  if (!format) return undefined;
  const style: CSSProperties = {};
  if (format.font && format.font.length <= 31 && SAFE_FONT_NAME.test(format.font)) style.fontFamily = `"${format.font}", var(--message-font)`;
  if (format.color && /^#[0-9a-f]{6}$/iu.test(format.color) && contrast(format.color, background) >= 4.5) style.color = format.color;
  if (format.bold) style.fontWeight = 'bold';
  if (format.italic) style.fontStyle = 'italic';
  const lines = [format.underline && 'underline', format.strikethrough && 'line-through'].filter(Boolean).join(' ');
  if (lines) style.textDecoration = lines;
  return style;
}

function withEmoticons(text: string, offset: number, tokens: readonly EmoticonToken[], key: string): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  for (const token of tokens) {
    const start = token.start - offset;
    const end = token.end - offset;
    const picture = emoticonPicture(token.name);
    if (start < at || end > text.length || !picture || text.slice(start, end) !== token.code) continue;
    if (start > at) out.push(text.slice(at, start));
    out.push(<img key={`${key}-${start}`} className="emoticon" src={picture} alt={token.code} title={token.code} draggable={false} />);
    at = end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

export function MessageText({ text, emoticons }: { text: string; emoticons: readonly EmoticonToken[] }) {
  const links = findLinks(text);
  const outside = emoticons.filter((e) => !links.some((l) => e.start < l.end && e.end > l.start));
  const out: ReactNode[] = [];
  let at = 0;
  for (const link of links) {
    if (link.start > at) out.push(...withEmoticons(text.slice(at, link.start), at, outside, `t${at}`));
    out.push(
      <a key={`l${link.start}`} href={link.href} target="_blank" rel="noopener noreferrer">
        {text.slice(link.start, link.end)}
      </a>,
    );
    at = link.end;
  }
  if (at < text.length) out.push(...withEmoticons(text.slice(at), at, outside, `t${at}`));
  return <>{out}</>;
}
