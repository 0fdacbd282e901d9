import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../../src-shared/conversation-types';
import type { FlowEntry } from '../../store/conversations-slice';
import { flowRows, shownMessages } from './conversation-flow';
import { safeLink } from '../../../src-shared/links';
import { findLinks, formatStyle, MESSAGE_BACKGROUND } from './message-text';

const out = (id: string, text: string, extra: Partial<OutgoingMessage> = {}): FlowEntry => ({
  type: 'message',
  message: { id, conversationId: 'c1', at: 60_000, from: 'me@x.test', direction: 'out', kind: 'text', text, emoticons: [], state: 'delivered', attempt: 1, ...extra },
});

describe('links', () => {
  it('makes only http and https URLs links, without the sentence punctuation after them', () => {
    expect(findLinks('see https://example.test/a?b=1, or http://x.test.')).toEqual([
      { start: 4, end: 30, href: 'https://example.test/a?b=1' },
      { start: 35, end: 48, href: 'http://x.test/' },
    ]);
    expect(findLinks('javascript:alert(1) data:text/html,<b>x</b> file:///etc/passwd')).toEqual([]);
    expect(safeLink('javascript:alert(1)')).toBeNull();
    expect(safeLink('https://')).toBeNull();
  });
});

describe('formatting', () => {
  it('passes only a safe font name and a #rrggbb colour to the style', () => {
    expect(formatStyle({ font: 'Comic Sans MS', color: '#b00000', bold: true, underline: true, strikethrough: true })).toEqual({
      fontFamily: '"Comic Sans MS", var(--message-font)',
      color: '#b00000',
      fontWeight: 'bold',
      textDecoration: 'underline line-through',
    });
    expect(formatStyle({ font: 'x"; background:url(http://e.test)', color: 'url(http://e.test/x)' })).toEqual({});
    // A colour that cannot be read on the theme's background is left to the theme.
    expect(formatStyle({ color: '#000000' }, MESSAGE_BACKGROUND.dark)).toEqual({});
    expect(formatStyle({ color: '#ffff00' }, MESSAGE_BACKGROUND.light)).toEqual({});
    expect(formatStyle({ color: '#000000' }, MESSAGE_BACKGROUND.light)).toEqual({ color: '#000000' });
  });
});

describe('the flow', () => {
  it('shows a split message as one, in its least advanced part’s state, emoticons placed in the whole', () => {
    const entries = [
      out('a', 'hello ', { part: { index: 0, count: 2 } }),
      out('b', 'world :)', { part: { index: 1, count: 2 }, state: 'failed', reason: { code: 'not-delivered', message: 'x' }, emoticons: [{ start: 6, end: 8, code: ':)', name: 'smile' }] }),
    ];
    const [shown] = shownMessages(entries);
    expect(shown).toMatchObject({ text: 'hello world :)', ids: ['a', 'b'], state: 'failed', reason: { code: 'not-delivered' }, emoticons: [{ start: 12, end: 14 }] });
  });

  it('groups by sender and minute: the sender and time over each group’s first message', () => {
    const rows = flowRows([out('a', '1'), out('b', '2'), out('c', '3', { at: 130_000 })]);
    expect(rows.map((r) => r.type === 'message' && r.head)).toEqual([true, false, true]);
  });
});
