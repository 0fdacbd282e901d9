import { describe, expect, it } from 'vitest';
import { create } from 'zustand';
import type { HistoryMessage, MessagePage, PageAnchor } from '../../../src-shared/history-types';
import type { Result, Shown } from '../../store/commands';
import type { FlowEntry } from '../../store/conversations-slice';
import { createHistorySlice, emptyWindow, MAX_LOADED, type HistorySlice, type HistoryWindow } from '../../store/history-slice';
import { flowRows, rowIndexOf } from './conversation-flow';
import { mergeFlow } from './history-merge';
import { firstAnchor, HISTORY_PAGE, jumpToMessage, loadPage, nextAnchor } from './history-paging';
import { snippetParts } from './search-panel';

const C = 'c1';
const stored = (n: number, extra: Partial<HistoryMessage> = {}): HistoryMessage => ({
  id: `m${n}`,
  conversationId: C,
  at: n * 1000,
  from: 'bob@x.test',
  direction: 'in',
  kind: 'text',
  nickname: 'Bob',
  text: `message ${n}`,
  emoticons: [],
  charset: 'UTF-8',
  participants: ['bob@x.test'],
  ...extra,
} as HistoryMessage);
const live = (n: number, extra: Partial<HistoryMessage> = {}): FlowEntry => ({ type: 'message', message: stored(n, extra) });
const ids = (entries: readonly FlowEntry[]) => entries.map((e) => (e.type === 'message' ? e.message.id : e.id));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => stored(from + i));
const window = (w: Partial<HistoryWindow>): HistoryWindow => ({ ...emptyWindow, started: true, ...w });

describe('merging the stored history with the live flow', () => {
  it('shows the live flow alone until a page is loaded', () => {
    const flow = [live(1), live(2)];
    expect(mergeFlow(undefined, flow)).toBe(flow);
    expect(mergeFlow(emptyWindow, flow)).toBe(flow);
  });

  it('puts stored messages before the live ones in time order, each message once, the live copy winning', () => {
    const flow: FlowEntry[] = [live(4, { text: 'live copy' }), { type: 'notice', id: 'n1', at: 4500, notice: { kind: 'left', email: 'bob@x.test', reason: 'left' } }, live(5)];
    const merged = mergeFlow(window({ messages: [...range(1, 4), stored(5)] }), flow);
    expect(ids(merged)).toEqual(['m1', 'm2', 'm3', 'm4', 'n1', 'm5']);
    expect(merged[3]).toBe(flow[0]);
  });

  it('shows a stretch that does not reach the newest message on its own, live copies in place', () => {
    const flow = [live(5, { text: 'live' }), live(90)];
    const merged = mergeFlow(window({ messages: range(4, 6), newer: 'c' }), flow);
    expect(ids(merged)).toEqual(['m4', 'm5', 'm6']);
    expect(merged[1]).toBe(flow[0]);
  });
});

describe('the history slice', () => {
  const store = () => create<HistorySlice>()((...a) => createHistorySlice(...a));
  const page = (messages: HistoryMessage[], older?: string, newer?: string): MessagePage => ({ messages, ...(older ? { older } : {}), ...(newer ? { newer } : {}) });

  it('prepends older pages and appends newer ones without a message twice, following the cursors', () => {
    const s = store();
    s.getState().addHistoryPage(C, 0, 'older', page(range(5, 8), 'o1'));
    s.getState().addHistoryPage(C, 0, 'older', page(range(2, 5), 'o2'));
    expect(s.getState().histories[C]).toMatchObject({ started: true, older: 'o2', newer: undefined });
    expect(s.getState().histories[C]?.messages.map((m) => m.id)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8']);
    s.getState().addHistoryPage(C, 0, 'older', page(range(1, 2)));
    expect(s.getState().histories[C]?.older).toBeUndefined();
    expect(s.getState().histories[C]?.messages).toHaveLength(8);
  });

  it('a jump replaces the stretch with the page around the message, and drops a page asked for before it', () => {
    const s = store();
    s.getState().addHistoryPage(C, 0, 'older', page(range(90, 99), 'o1'));
    s.getState().showHistoryAround(C, page(range(10, 20), 'o9', 'n9'), 'm15');
    const jumped = s.getState().histories[C] as HistoryWindow;
    expect(jumped).toMatchObject({ older: 'o9', newer: 'n9', generation: 1, focus: { messageId: 'm15' } });
    // The page asked for before the jump comes back: dropped.
    s.getState().addHistoryPage(C, 0, 'older', page(range(80, 89), 'o0'));
    expect(s.getState().histories[C]).toBe(jumped);
    s.getState().addHistoryPage(C, 1, 'newer', page(range(20, 30)));
    expect(s.getState().histories[C]?.newer).toBeUndefined();
    expect(s.getState().histories[C]?.messages.map((m) => m.id)).toEqual(range(10, 30).map((m) => m.id));
    // The same message jumped to again is a new jump.
    s.getState().showHistoryAround(C, page(range(10, 20)), 'm15');
    expect(s.getState().histories[C]?.focus?.seq).not.toBe(jumped.focus?.seq);
    s.getState().leaveHistory(C);
    expect(s.getState().histories[C]).toEqual({ ...emptyWindow, generation: 3 });
  });

  it('holds at most MAX_LOADED messages, letting go of whole pages at the far end, whose cursor becomes the way back', () => {
    const s = store();
    const PAGE = 500;
    const pages = Math.ceil(MAX_LOADED / PAGE) + 2;
    const top = pages * PAGE;
    s.getState().addHistoryPage(C, 0, 'older', page(range(top - PAGE + 1, top), `o${top - PAGE + 1}`));
    for (let end = top - PAGE; end > 0; end -= PAGE) s.getState().addHistoryPage(C, 0, 'older', page(range(end - PAGE + 1, end), end > PAGE ? `o${end - PAGE + 1}` : undefined, `n${end}`));
    let w = s.getState().histories[C] as HistoryWindow;
    expect(w.messages.length).toBeLessThanOrEqual(MAX_LOADED);
    expect(w.messages[0]?.id).toBe('m1');
    expect(w.older).toBeUndefined();
    // The newest pages were let go of: the stretch now ends where a kept page did, and pages on from there.
    const lastKept = Number(w.messages[w.messages.length - 1]?.id.slice(1));
    expect(w.newer).toBe(`n${lastKept}`);
    expect(ids(mergeFlow(w, [live(top + 1)]))).not.toContain(`m${top + 1}`);
    // Paging back down lets go of the oldest ones in turn.
    s.getState().addHistoryPage(C, 0, 'newer', page(range(lastKept + 1, lastKept + PAGE), `o${lastKept + 1}`));
    w = s.getState().histories[C] as HistoryWindow;
    expect(w.messages.length).toBeLessThanOrEqual(MAX_LOADED);
    expect(w.newer).toBeUndefined();
    expect(w.older).toBe(`o${Number(w.messages[0]?.id.slice(1))}`);
    expect(ids(mergeFlow(w, [live(top + 1)])).at(-1)).toBe(`m${top + 1}`);
  });

  it('a first older page joins the live flow even when the page around the oldest live message has newer ones', () => {
    const s = store();
    s.getState().addHistoryPage(C, 0, 'older', page(range(40, 60), 'o', 'n'));
    expect(s.getState().histories[C]?.newer).toBeUndefined();
  });
});

describe('which page comes next', () => {
  it('starts around the oldest live message, or from the newest when none is live', () => {
    expect(firstAnchor([{ type: 'notice', id: 'n', at: 0, notice: { kind: 'left', email: 'b@x.test', reason: 'left' } }, live(7), live(8)])).toEqual({ kind: 'around', messageId: 'm7' });
    expect(firstAnchor([])).toEqual({ kind: 'newest' });
  });

  it('pages on with the cursors, and stops where there are none', () => {
    expect(nextAnchor(emptyWindow, 'newer', [])).toBeNull();
    expect(nextAnchor(window({ older: 'a', newer: 'b' }), 'older', [])).toEqual({ kind: 'before', cursor: 'a' });
    expect(nextAnchor(window({ older: 'a', newer: 'b' }), 'newer', [])).toEqual({ kind: 'after', cursor: 'b' });
    expect(nextAnchor(window({}), 'older', [live(1)])).toBeNull();
  });
});

describe('loading pages and jumping', () => {
  type State = HistorySlice & { flows: Record<string, FlowEntry[]>; conversations: Record<string, unknown> };
  const setup = (flow: FlowEntry[], answer: (anchor: PageAnchor) => Result<MessagePage>) => {
    const asked: PageAnchor[] = [];
    const s = create<State>()((...a) => ({ ...createHistorySlice(...a), flows: { [C]: flow }, conversations: { [C]: {} } }));
    const shown: string[] = [];
    /** Where showing a conversation puts it: this page's tab (browser mode) or a window of its own. */
    let where: Shown['shown'] = 'in-page';
    const commands = {
      historyPage: async (_c: string, anchor: PageAnchor, limit?: number) => {
        expect(limit).toBe(HISTORY_PAGE);
        asked.push(anchor);
        return answer(anchor);
      },
      openConversation: async () => ({ ok: true as const, value: { conversationId: 'other', shown: where } }),
      showConversation: async (id: string, messageId?: string) => {
        shown.push(messageId === undefined ? id : `${id} at ${messageId}`);
        return { ok: true as const, value: { shown: where } };
      },
    };
    return { s, asked, commands, shown, store: s as unknown as Parameters<typeof loadPage>[1], inWindows: () => (where = 'window') };
  };

  it('falls back to the newest page when the oldest live message is not stored', async () => {
    const { s, asked, commands, store } = setup([live(50)], (anchor) =>
      anchor.kind === 'around' ? { ok: false, error: { code: 'history.unknown-message', message: 'no', retryable: false } } : { ok: true, value: { messages: range(40, 49), older: 'o' } },
    );
    expect(await loadPage(commands, store, C, 'older')).toBeNull();
    expect(asked).toEqual([{ kind: 'around', messageId: 'm50' }, { kind: 'newest' }]);
    expect(s.getState().histories[C]?.messages).toHaveLength(10);
    expect(ids(mergeFlow(s.getState().histories[C], [live(50)]))).toEqual([...range(40, 49).map((m) => m.id), 'm50']);
  });

  it('answers what went wrong and changes nothing', async () => {
    const { s, commands, store } = setup([], () => ({ ok: false, error: { code: 'history.closed', message: 'closed', retryable: false } }));
    expect(await loadPage(commands, store, C, 'older')).toMatchObject({ code: 'history.closed' });
    expect(s.getState().histories[C]).toBeUndefined();
  });

  it('jumps in an open conversation; refuses one that opens as another (a group of an earlier run)', async () => {
    const { s, asked, commands, shown, store } = setup([], () => ({ ok: true, value: { messages: range(1, 3), newer: 'n' } }));
    expect(await jumpToMessage(commands, store, { conversationId: C, messageId: 'm2' })).toBeNull();
    expect(asked).toEqual([{ kind: 'around', messageId: 'm2' }]);
    expect(shown).toEqual([`${C} at m2`]);
    expect(s.getState().histories[C]?.focus?.messageId).toBe('m2');
    expect(await jumpToMessage(commands, store, { conversationId: 'gone', messageId: 'm2' })).toBe('not-open');
    expect(await jumpToMessage(commands, store, { conversationId: 'gone', messageId: 'm2', contact: 'bob@x.test' })).toBe('not-open');
  });

  it('leaves the paging to a conversation’s own window (the desktop app), which is told the message', async () => {
    const { s, asked, commands, shown, store, inWindows } = setup([], () => ({ ok: true, value: { messages: range(1, 3) } }));
    inWindows();
    expect(await jumpToMessage(commands, store, { conversationId: C, messageId: 'm2' })).toBeNull();
    expect(shown).toEqual([`${C} at m2`]);
    expect(asked).toEqual([]);
    expect(s.getState().histories[C]).toBeUndefined();
  });
});

describe('the rows laid out', () => {
  it('is one row per message, the sender and time on each group’s first, and finds the jumped-to message', () => {
    const entries = [live(1), live(2), live(200, { from: 'carol@x.test' }), live(201, { from: 'carol@x.test', kind: 'nudge' }), live(202, { from: 'carol@x.test' })];
    const rows = flowRows(entries);
    expect(rows.map((r) => [r.key, r.type === 'message' && r.head])).toEqual([
      ['m1', true],
      ['m2', false],
      ['m200', true],
      ['m201', true],
      ['m202', true],
    ]);
    // Laid out again (a page came), the same message objects give the same rows: nothing drawn again needlessly.
    expect(flowRows(entries)).toEqual(rows);
    expect(flowRows(entries).every((r, i) => r === rows[i])).toBe(true);
    expect(rowIndexOf(rows, 'm2')).toBe(1);
    expect(rowIndexOf(rows, 'nope')).toBe(-1);
  });
});

describe('search excerpts', () => {
  it('cuts the excerpt at the matches, as text, clamping and merging bad ranges', () => {
    expect(snippetParts({ text: '<b>hi</b> there', highlights: [{ start: 3, end: 5 }, { start: 10, end: 15 }] })).toEqual([
      { text: '<b>', match: false },
      { text: 'hi', match: true },
      { text: '</b> ', match: false },
      { text: 'there', match: true },
    ]);
    expect(snippetParts({ text: 'abcdef', highlights: [{ start: 4, end: 99 }, { start: 1, end: 3 }, { start: 2, end: 5 }, { start: 3, end: 3 }] })).toEqual([
      { text: 'a', match: false },
      { text: 'bc', match: true },
      { text: 'de', match: true },
      { text: 'f', match: true },
    ]);
  });
});
