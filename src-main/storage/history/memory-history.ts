// History that lives for the session only: the person keeps no history, or no database could be used (then with a
// notice saying why). The same interface and the same answers as the SQLite store, call for call — the store tests
// run against both — searching with the same folding and tokens (search-text.ts) by reading every message.
import type { ConversationKind, ConversationMessage, ConversationParticipant } from '../../../src-shared/conversation-types';
import { Emitter } from '../../../src-shared/disposable';
import {
  activityCursor,
  aroundSplit,
  checkAnchor,
  checkConversationRecord,
  checkLimit,
  checkStateChange,
  closedError,
  contactKey,
  parseActivityCursor,
  parseQuery,
  parseSeqCursor,
  seqCursor,
  storedForm,
  toHit,
  unknownConversation,
  unknownMessage,
} from './history-common';
import {
  DEFAULT_CONVERSATION_PAGE,
  DEFAULT_PAGE_SIZE,
  DEFAULT_SEARCH_LIMIT,
  MAX_CONVERSATION_PAGE,
  MAX_PAGE_SIZE,
  MAX_SEARCH_LIMIT,
  type ConversationListPage,
  type ConversationRecord,
  type HistoryConversation,
  type HistoryMessage,
  type HistoryNotice,
  type HistoryStore,
  type MessagePage,
  type PageAnchor,
  type RecordedStateChange,
  type SearchPage,
  type SearchRequest,
  type SingleConversation,
  type StateChange,
} from './history-types';
import { matchRanges } from './search-text';

interface Stored {
  seq: number;
  message: HistoryMessage;
  states: RecordedStateChange[];
  conversation: MemoryConversation;
}

interface MemoryConversation {
  cid: number;
  id: string;
  kind: ConversationKind;
  contact?: string;
  participants: ConversationParticipant[];
  lastActivity: number;
  /** Oldest first. */
  messages: Stored[];
  readSeq: number;
}

export interface MemoryHistoryOptions {
  now?: () => number;
  notices?: HistoryNotice[];
}

export function createMemoryHistoryStore(accountId: string, options: MemoryHistoryOptions = {}): HistoryStore {
  return new MemoryHistoryStore(accountId, options.now ?? Date.now, options.notices ?? []);
}

// What the checks above return is already a fresh object (storedForm, checkConversationRecord, checkStateChange): it is
// kept as it is; what goes out is copied, so no caller can change what is stored.
const copy = <T>(value: T): T => structuredClone(value);

class MemoryHistoryStore implements HistoryStore {
  readonly persistent = false;
  private readonly noticeEmitter = new Emitter<HistoryNotice>();
  readonly onNotice = this.noticeEmitter.event;
  private readonly byId = new Map<string, MemoryConversation>();
  private readonly byContact = new Map<string, MemoryConversation>();
  private readonly messages = new Map<string, Stored>();
  private nextSeq = 1;
  private nextCid = 1;
  private closed = false;

  constructor(
    readonly accountId: string,
    private readonly now: () => number,
    private readonly noticeLog: HistoryNotice[],
  ) {}

  notices(): HistoryNotice[] {
    return [...this.noticeLog];
  }

  async recordConversation(conversation: ConversationRecord): Promise<void> {
    this.open();
    const record = checkConversationRecord(conversation);
    let c = this.byId.get(record.id);
    if (!c && record.kind === 'single') {
      c = this.byContact.get(contactKey(record.contact as string));
      if (c) {
        this.byId.delete(c.id);
        c.id = record.id;
        this.byId.set(c.id, c);
      }
    }
    if (c) {
      c.participants = record.participants;
      return;
    }
    c = { cid: this.nextCid++, id: record.id, kind: record.kind, ...(record.contact ? { contact: record.contact } : {}), participants: record.participants, lastActivity: this.now(), messages: [], readSeq: 0 };
    this.byId.set(c.id, c);
    if (c.kind === 'single' && c.contact) this.byContact.set(contactKey(c.contact), c);
  }

  async append(message: ConversationMessage): Promise<void> {
    this.open();
    const m = storedForm(message);
    const c = this.conversationEntry(m.conversationId);
    if (this.messages.has(m.id)) return;
    const stored: Stored = {
      seq: this.nextSeq++,
      message: { ...m, participants: c.participants.map((p) => p.email) },
      states: m.direction === 'out' ? [{ at: m.at, state: m.state, attempt: m.attempt, ...(m.reason ? { reason: m.reason } : {}) }] : [],
      conversation: c,
    };
    c.lastActivity = c.messages.length === 0 ? m.at : Math.max(c.lastActivity, m.at);
    c.messages.push(stored);
    this.messages.set(m.id, stored);
  }

  async recordState(change: StateChange): Promise<void> {
    this.open();
    const ch = checkStateChange(change);
    const c = this.conversationEntry(ch.conversationId);
    const stored = this.messages.get(ch.messageId);
    if (!stored || stored.conversation !== c || stored.message.direction !== 'out') throw unknownMessage(ch.messageId);
    const m = stored.message;
    m.state = ch.state;
    m.attempt = ch.attempt;
    if (ch.reason) m.reason = ch.reason;
    else delete m.reason;
    stored.states.push({ at: this.now(), state: ch.state, attempt: ch.attempt, ...(ch.reason ? { reason: ch.reason } : {}) });
  }

  async markRead(conversationId: string, upToMessageId?: string): Promise<number> {
    this.open();
    const c = this.conversationEntry(conversationId);
    let upTo = c.messages[c.messages.length - 1]?.seq ?? 0;
    if (upToMessageId !== undefined) {
      const stored = this.messages.get(upToMessageId);
      if (!stored || stored.conversation !== c) throw unknownMessage(upToMessageId);
      upTo = stored.seq;
    }
    c.readSeq = Math.max(c.readSeq, upTo);
    return unreadOf(c);
  }

  async deleteConversation(conversationId: string): Promise<void> {
    this.open();
    const c = this.byId.get(conversationId);
    if (!c) return;
    for (const s of c.messages) this.messages.delete(s.message.id);
    c.messages = [];
    c.readSeq = 0;
    c.cid = this.nextCid++;
    c.lastActivity = this.now();
  }

  async flush(): Promise<void> {
    this.open();
  }

  async listConversations(options: { limit?: number; cursor?: string } = {}): Promise<ConversationListPage> {
    this.open();
    const limit = checkLimit(options.limit, DEFAULT_CONVERSATION_PAGE, MAX_CONVERSATION_PAGE);
    const after = options.cursor === undefined ? undefined : parseActivityCursor(options.cursor);
    const listed = [...this.byId.values()]
      .filter((c) => c.messages.length > 0)
      .filter((c) => !after || c.lastActivity < after[0] || (c.lastActivity === after[0] && c.cid < after[1]))
      .sort((a, b) => b.lastActivity - a.lastActivity || b.cid - a.cid);
    const page = listed.slice(0, limit);
    const last = page[page.length - 1];
    return { conversations: page.map(summaryOf), ...(listed.length > limit ? { next: activityCursor(last.lastActivity, last.cid) } : {}) };
  }

  async conversation(conversationId: string): Promise<HistoryConversation | undefined> {
    this.open();
    const c = this.byId.get(conversationId);
    return c && summaryOf(c);
  }

  async conversationWith(contact: string): Promise<HistoryConversation | undefined> {
    this.open();
    const c = typeof contact === 'string' ? this.byContact.get(contactKey(contact)) : undefined;
    return c && summaryOf(c);
  }

  async singles(): Promise<SingleConversation[]> {
    this.open();
    return [...this.byContact.values()].map((c) => ({ contact: c.contact as string, id: c.id, unread: unreadOf(c) }));
  }

  async page(conversationId: string, anchor: PageAnchor, limit?: number): Promise<MessagePage> {
    this.open();
    const size = checkLimit(limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    checkAnchor(anchor);
    const c = this.conversationEntry(conversationId);
    const all = c.messages;
    // The index of the first message with seq >= `seq` (messages are in seq order).
    const from = (seq: number) => {
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (all[mid].seq < seq) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    let start: number;
    let end: number;
    switch (anchor.kind) {
      case 'newest':
        end = all.length;
        start = Math.max(0, end - size);
        break;
      case 'oldest':
        start = 0;
        end = Math.min(all.length, size);
        break;
      case 'before':
        end = from(parseSeqCursor(anchor.cursor));
        start = Math.max(0, end - size);
        break;
      case 'after':
        start = from(parseSeqCursor(anchor.cursor) + 1);
        end = Math.min(all.length, start + size);
        break;
      case 'around': {
        const stored = this.messages.get(anchor.messageId);
        if (!stored || stored.conversation !== c) throw unknownMessage(anchor.messageId);
        const at = from(stored.seq);
        const split = aroundSplit(size);
        start = Math.max(0, at - split.before);
        end = Math.min(all.length, at + split.from);
        break;
      }
    }
    const rows = all.slice(start, end);
    return {
      messages: rows.map(given),
      ...(rows.length > 0 && start > 0 ? { older: seqCursor(rows[0].seq) } : {}),
      ...(rows.length > 0 && end < all.length ? { newer: seqCursor(rows[rows.length - 1].seq) } : {}),
    };
  }

  async search(request: SearchRequest): Promise<SearchPage> {
    this.open();
    const limit = checkLimit(request.limit, DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT);
    const terms = parseQuery(request.text);
    const before = request.cursor === undefined ? Number.POSITIVE_INFINITY : parseSeqCursor(request.cursor);
    const only = request.conversationId === undefined ? undefined : this.conversationEntry(request.conversationId);
    if (terms.length === 0) return { hits: [] };
    const candidates = only ? only.messages : [...this.messages.values()].sort((a, b) => a.seq - b.seq);
    const found: Stored[] = [];
    for (let i = candidates.length - 1; i >= 0 && found.length <= limit; i--) {
      const s = candidates[i];
      if (s.seq < before && matchRanges(s.message.text, terms)) found.push(s);
    }
    const page = found.slice(0, limit);
    return { hits: page.map((s) => toHit(given(s), terms)), ...(found.length > limit ? { next: seqCursor(page[page.length - 1].seq) } : {}) };
  }

  async stateChanges(messageId: string): Promise<RecordedStateChange[]> {
    this.open();
    const stored = this.messages.get(messageId);
    if (!stored) throw unknownMessage(messageId);
    return copy(stored.states);
  }

  async close(): Promise<void> {
    this.dispose();
  }

  dispose(): void {
    this.closed = true;
    this.noticeEmitter.dispose();
  }

  private open(): void {
    if (this.closed) throw closedError();
  }

  private conversationEntry(id: string): MemoryConversation {
    const c = this.byId.get(id);
    if (!c) throw unknownConversation(id);
    return c;
  }
}

/** A copy of the message as the store gives it: under the conversation's id of today. */
const given = (s: Stored): HistoryMessage => ({ ...copy(s.message), conversationId: s.conversation.id });

const unreadOf = (c: MemoryConversation): number => c.messages.filter((s) => s.seq > c.readSeq && s.message.direction === 'in').length;

function summaryOf(c: MemoryConversation): HistoryConversation {
  const last = c.messages[c.messages.length - 1];
  const lastRead = c.readSeq > 0 ? c.messages.find((s) => s.seq === c.readSeq) : undefined;
  return {
    id: c.id,
    kind: c.kind,
    ...(c.contact ? { contact: c.contact } : {}),
    participants: copy(c.participants),
    unread: unreadOf(c),
    lastActivity: c.lastActivity,
    ...(last ? { lastMessage: given(last) } : {}),
    ...(lastRead ? { lastReadMessageId: lastRead.message.id } : {}),
  };
}
