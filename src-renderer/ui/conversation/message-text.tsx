// A message's text as React text nodes: emoticon pictures where the service found shortcuts (the shortcut stays the
// picture's alt text, so copying and screen readers keep it), http(s) links made clickable once they parse as such
// URLs, and the font, colour and effects of its validated format checked once more before they reach a style.
// Nothing here is ever HTML: every piece is a string React escapes.
import type { CSSProperties, ReactNode } from 'react';
import { SAFE_FONT_NAME, type EmoticonToken, type MessageFormat } from '../../../src-shared/conversation-types';
import { emoticonPicture } from './emoticon-set';

const LINK = /\bhttps?:\/\/[^\s<>"'`]+/giu;
/** Punctuation that ends a sentence rather than a URL. */
const TRAILING = /[.,;:!?)\]}]+$/u;

/** The URL if it is an http(s) URL that parses; nothing else (javascript:, data:, file:, …) is ever a link. */
export function safeLink(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

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

export function formatStyle(format: MessageFormat | undefined): CSSProperties | undefined {
  if (!format) return undefined;
  const style: CSSProperties = {};
  if (format.font && format.font.length <= 31 && SAFE_FONT_NAME.test(format.font)) style.fontFamily = `"${format.font}", var(--message-font)`;
  if (format.color && /^#[0-9a-f]{6}$/iu.test(format.color)) style.color = format.color;
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
