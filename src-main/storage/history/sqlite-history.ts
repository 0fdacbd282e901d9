// The history of one account in an SQLite database (schema.ts), through better-sqlite3. Opening, recovery and the
// file's place are open-history.ts; the interface and its promises are history-types.ts.
//
// Writes are closures queued in call order. The queue is committed by one transaction after the current I/O phase
// (setImmediate), or at once when `maxBatch` wait (back-pressure: a burst pays for its own writes, memory stays
// bounded), or before any read (reads see every earlier write). Inside the transaction each write runs in its own
// savepoint: one refused by the store (an unknown conversation…) fails alone; an SQLite error (disk full, I/O,
// damage) rolls the whole batch back and fails every write in it, with a notice. In WAL mode with
// synchronous=NORMAL a commit is an append to the WAL without fsync: it survives the process being killed, not
// necessarily a power cut (which loses the last commits, never consistency).
//
// Deleting a conversation's history detaches its row at once (so nothing of it is read again) and a fresh row takes
// its id; a sweeper then removes the detached messages a slice per turn of the event loop, resuming after a restart.
import type { Database, Statement } from 'better-sqlite3';
import type { ConversationKind, ConversationMessage, ConversationParticipant, DeliveryReasonCode, DeliveryState } from '../../../src-shared/conversation-types';
import { ButterflyError } from '../../../src-shared/errors';
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
  pickEmails,
  pickEmoticons,
  pickFormat,
  pickParticipants,
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
import { conversationMarker } from './schema';
import { ftsString, type SearchTerm } from './search-text';

export interface SqliteHistoryOptions {
  now: () => number;
  /** Writes waiting before the next one commits them at once. */
  maxBatch: number;
  /** Messages of a deleted conversation removed per turn of the event loop. */
  sweepSlice: number;
  /** The CLI: reads only. */
  readOnly: boolean;
  notices: HistoryNotice[];
  /** The database turned out damaged while in use: the next start checks it and sets it aside. */
  onDamaged(): void;
  /** After each commit (the checkpointer counts them). */
  onCommitted(): void;
  /** Closes the database and whatever else the opener holds. */
  release(): void;
}

interface ConversationEntry {
  cid: number;
  id: string;
  kind: ConversationKind;
  contact?: string;
  participants: ConversationParticipant[];
}

interface ConversationRow {
  cid: number;
  id: string;
  kind: ConversationKind;
  contact: string | null;
  participants: string;
  last_activity: number;
  last_seq: number | null;
  read_seq: number;
  unread: number;
}

interface MessageRow {
  seq: number;
  id: string;
  cid: number;
  at: number;
  direction: 'in' | 'out';
  kind: 'text' | 'nudge';
  sender: string;
  nickname: string | null;
  participants: string;
  text: string;
  format: string | null;
  emoticons: string | null;
  charset: string | null;
  unknown_charset: number;
  malformed: number;
  state: DeliveryState | null;
  reason_code: string | null;
  reason_message: string | null;
  attempt: number | null;
  part_index: number | null;
  part_count: number | null;
}

interface QueuedWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const MESSAGE_COLUMNS = 'm.seq, m.id, m.cid, m.at, m.direction, m.kind, m.sender, m.nickname, m.participants, m.text, m.format, m.emoticons, m.charset, m.unknown_charset, m.malformed, m.state, m.reason_code, m.reason_message, m.attempt, m.part_index, m.part_count';
const CONVERSATION_COLUMNS = 'cid, id, kind, contact, participants, last_activity, last_seq, read_seq, unread';
const STATEMENT_CACHE_LIMIT = 64;
const AFTER_DAMAGE = ' (it is checked, and set aside if need be, when Butterfly next starts)';

export class SqliteHistoryStore implements HistoryStore {
  readonly persistent = true;
  private readonly noticeEmitter = new Emitter<HistoryNotice>();
  readonly onNotice = this.noticeEmitter.event;
  private readonly noticeLog: HistoryNotice[];
  private readonly byId = new Map<string, ConversationEntry>();
  private readonly byContact = new Map<string, ConversationEntry>();
  private readonly statements = new Map<string, Statement>();
  private queue: QueuedWrite[] = [];
  private scheduled = false;
  private sweepScheduled: NodeJS.Immediate | undefined;
  private failing = false;
  private damageNoticed = false;
  private closed = false;
  private readonly batch: (writes: QueuedWrite[], outcomes: unknown[]) => void;
  private readonly savepoint: (run: () => unknown) => unknown;

  constructor(
    readonly accountId: string,
    private readonly db: Database,
    private readonly options: SqliteHistoryOptions,
  ) {
    this.noticeLog = [...options.notices];
    this.savepoint = db.transaction((run: () => unknown) => run());
    this.batch = db.transaction((writes: QueuedWrite[], outcomes: unknown[]) => {
      for (const write of writes) {
        try {
          outcomes.push({ ok: true, value: this.savepoint(write.run) });
        } catch (error) {
          // Refused by the store: that write alone. Anything else (SQLite) fails the whole batch.
          if (!(error instanceof ButterflyError)) throw error;
          outcomes.push({ ok: false, error });
        }
      }
    });
    this.loadConversations();
    if (!options.readOnly) this.scheduleSweep();
  }

  notices(): HistoryNotice[] {
    return [...this.noticeLog];
  }

  // ─── writes ────────────────────────────────────────────────────────────────────────────────────────────────

  recordConversation(conversation: ConversationRecord): Promise<void> {
    return this.write(() => {
      const record = checkConversationRecord(conversation);
      const participants = JSON.stringify(record.participants);
      const key = record.kind === 'single' ? contactKey(record.contact as string) : undefined;
      let entry = this.byId.get(record.id);
      if (!entry && key !== undefined) {
        // The same contact under a new id (the conversation layer starts afresh after a restart): same history.
        entry = this.byContact.get(key);
        if (entry) {
          this.run('UPDATE conversations SET id = ? WHERE cid = ?', record.id, entry.cid);
          this.byId.delete(entry.id);
          entry.id = record.id;
          this.byId.set(entry.id, entry);
        }
      }
      if (entry) {
        if (JSON.stringify(entry.participants) !== participants) {
          this.run('UPDATE conversations SET participants = ? WHERE cid = ?', participants, entry.cid);
          entry.participants = record.participants;
        }
        return;
      }
      const fresh = { id: record.id, kind: record.kind, ...(record.contact ? { contact: record.contact } : {}), participants: record.participants };
      this.remember({ ...fresh, cid: this.insertConversation(fresh) });
    });
  }

  append(message: ConversationMessage): Promise<void> {
    return this.write(() => {
      const m = storedForm(message);
      const entry = this.entry(m.conversationId);
      const out = m.direction === 'out' ? m : undefined;
      const inc = m.direction === 'in' ? m : undefined;
      const inserted = this.get<{ seq: number }>(
        `INSERT INTO messages (id, cid, at, direction, kind, sender, nickname, participants, text, format, emoticons, charset,
           unknown_charset, malformed, state, reason_code, reason_message, attempt, part_index, part_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING seq`,
        m.id, entry.cid, m.at, m.direction, m.kind, m.from, inc ? inc.nickname : null,
        JSON.stringify(entry.participants.map((p) => p.email)), m.text, m.format ? JSON.stringify(m.format) : null,
        m.emoticons.length > 0 ? JSON.stringify(m.emoticons) : null, inc?.charset ?? null, inc?.unknownCharset ? 1 : 0,
        inc?.malformed ? 1 : 0, out?.state ?? null, out?.reason?.code ?? null, out?.reason?.message ?? null,
        out?.attempt ?? null, out?.part?.index ?? null, out?.part?.count ?? null,
      );
      // The same id again (a replay) changes nothing.
      if (inserted && out) this.insertState(inserted.seq, m.at, out.state, out.attempt, out.reason);
    });
  }

  recordState(change: StateChange): Promise<void> {
    return this.write(() => {
      const c = checkStateChange(change);
      const entry = this.entry(c.conversationId);
      const row = this.get<{ seq: number }>(
        `UPDATE messages SET state = ?, attempt = ?, reason_code = ?, reason_message = ?
         WHERE id = ? AND cid = ? AND direction = 'out' RETURNING seq`,
        c.state, c.attempt, c.reason?.code ?? null, c.reason?.message ?? null, c.messageId, entry.cid,
      );
      if (!row) throw unknownMessage(c.messageId);
      this.insertState(row.seq, this.options.now(), c.state, c.attempt, c.reason);
    });
  }

  markRead(conversationId: string, upToMessageId?: string): Promise<number> {
    return this.write(() => {
      const entry = this.entry(conversationId);
      let upTo: number | null = null;
      if (upToMessageId !== undefined) {
        upTo = this.get<{ seq: number }>('SELECT seq FROM messages WHERE id = ? AND cid = ?', upToMessageId, entry.cid)?.seq ?? null;
        if (upTo === null) throw unknownMessage(upToMessageId);
      }
      this.run('UPDATE conversations SET read_seq = max(read_seq, coalesce(?, last_seq, 0)) WHERE cid = ?', upTo, entry.cid);
      const row = this.get<{ unread: number }>(
        `UPDATE conversations SET unread = (SELECT count(*) FROM messages m WHERE m.cid = conversations.cid AND m.direction = 'in' AND m.seq > conversations.read_seq)
         WHERE cid = ? RETURNING unread`,
        entry.cid,
      ) as { unread: number };
      return row.unread;
    });
  }

  deleteConversation(conversationId: string): Promise<void> {
    return this.write(() => {
      const entry = this.byId.get(conversationId);
      if (!entry) return;
      this.run('UPDATE conversations SET id = NULL, contact_key = NULL WHERE cid = ?', entry.cid);
      entry.cid = this.insertConversation(entry);
      // After this commit (a rollback leaves the sweeper nothing to do).
      this.scheduleSweep();
    });
  }

  async flush(): Promise<void> {
    if (this.closed) throw closedError();
    this.commit();
  }

  // ─── reads ─────────────────────────────────────────────────────────────────────────────────────────────────

  async listConversations(options: { limit?: number; cursor?: string } = {}): Promise<ConversationListPage> {
    const limit = checkLimit(options.limit, DEFAULT_CONVERSATION_PAGE, MAX_CONVERSATION_PAGE);
    const after = options.cursor === undefined ? undefined : parseActivityCursor(options.cursor);
    return this.read(() => {
      const rows = this.all<ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id IS NOT NULL AND last_seq IS NOT NULL
         ${after ? 'AND (last_activity, cid) < (?, ?)' : ''} ORDER BY last_activity DESC, cid DESC LIMIT ?`,
        ...(after ?? []), limit + 1,
      );
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { conversations: page.map((r) => this.toConversation(r)), ...(more ? { next: activityCursor(last.last_activity, last.cid) } : {}) };
    });
  }

  async conversation(conversationId: string): Promise<HistoryConversation | undefined> {
    return this.read(() => {
      const entry = this.byId.get(conversationId);
      return entry && this.conversationRow(entry.cid);
    });
  }

  async conversationWith(contact: string): Promise<HistoryConversation | undefined> {
    return this.read(() => {
      const entry = typeof contact === 'string' ? this.byContact.get(contactKey(contact)) : undefined;
      return entry && this.conversationRow(entry.cid);
    });
  }

  async singles(): Promise<SingleConversation[]> {
    return this.read(() => this.all<SingleConversation>("SELECT contact, id, unread FROM conversations WHERE id IS NOT NULL AND kind = 'single' AND contact IS NOT NULL"));
  }

  async page(conversationId: string, anchor: PageAnchor, limit?: number): Promise<MessagePage> {
    const size = checkLimit(limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    checkAnchor(anchor);
    return this.read(() => {
      const entry = this.entry(conversationId);
      const select = (where: string, order: 'ASC' | 'DESC', n: number, ...args: unknown[]) =>
        this.all<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.cid = ? ${where} ORDER BY m.seq ${order} LIMIT ?`, entry.cid, ...args, n);
      let rows: MessageRow[];
      switch (anchor.kind) {
        case 'newest':
          rows = select('', 'DESC', size).reverse();
          break;
        case 'oldest':
          rows = select('', 'ASC', size);
          break;
        case 'before':
          rows = select('AND m.seq < ?', 'DESC', size, parseSeqCursor(anchor.cursor)).reverse();
          break;
        case 'after':
          rows = select('AND m.seq > ?', 'ASC', size, parseSeqCursor(anchor.cursor));
          break;
        case 'around': {
          const target = this.get<{ seq: number }>('SELECT seq FROM messages WHERE id = ? AND cid = ?', anchor.messageId, entry.cid);
          if (!target) throw unknownMessage(anchor.messageId);
          const split = aroundSplit(size);
          rows = [...select('AND m.seq < ?', 'DESC', split.before, target.seq).reverse(), ...select('AND m.seq >= ?', 'ASC', split.from, target.seq)];
          break;
        }
      }
      const exists = (where: string, seq: number) => this.get(`SELECT 1 FROM messages WHERE cid = ? AND ${where} LIMIT 1`, entry.cid, seq) !== undefined;
      const first = rows[0];
      const last = rows[rows.length - 1];
      return {
        messages: rows.map((r) => toMessage(r, entry.id)),
        ...(first && exists('seq < ?', first.seq) ? { older: seqCursor(first.seq) } : {}),
        ...(last && exists('seq > ?', last.seq) ? { newer: seqCursor(last.seq) } : {}),
      };
    });
  }

  async search(request: SearchRequest): Promise<SearchPage> {
    const limit = checkLimit(request.limit, DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT);
    const terms = parseQuery(request.text);
    const before = request.cursor === undefined ? undefined : parseSeqCursor(request.cursor);
    return this.read(() => {
      const cid = request.conversationId === undefined ? undefined : this.entry(request.conversationId).cid;
      if (terms.length === 0) return { hits: [] };
      const { sql, args } = searchSql(terms, cid, before, limit + 1);
      const rows = this.all<MessageRow & { conversation_id: string }>(sql, ...args);
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      return {
        hits: page.map((r) => toHit(toMessage(r, r.conversation_id), terms)),
        ...(more ? { next: seqCursor(page[page.length - 1].seq) } : {}),
      };
    });
  }

  async stateChanges(messageId: string): Promise<RecordedStateChange[]> {
    return this.read(() => {
      const message = this.get<{ seq: number }>('SELECT seq FROM messages m JOIN conversations c ON c.cid = m.cid AND c.id IS NOT NULL WHERE m.id = ?', messageId);
      if (!message) throw unknownMessage(messageId);
      return this.all<{ at: number; state: DeliveryState; attempt: number; reason_code: string | null; reason_message: string | null }>(
        'SELECT at, state, attempt, reason_code, reason_message FROM message_states WHERE seq = ? ORDER BY rowid',
        message.seq,
      ).map((r) => ({ at: r.at, state: r.state, attempt: r.attempt, ...reasonOf(r) }));
    });
  }

  async close(): Promise<void> {
    this.dispose();
  }

  dispose(): void {
    if (this.closed) return;
    try {
      this.commit();
    } finally {
      this.closed = true;
      if (this.sweepScheduled) clearImmediate(this.sweepScheduled);
      this.noticeEmitter.dispose();
      this.options.release();
    }
  }

  // ─── the write queue ───────────────────────────────────────────────────────────────────────────────────────

  private write<T>(run: () => T): Promise<T> {
    if (this.closed) return Promise.reject(closedError());
    if (this.options.readOnly) return Promise.reject(new ButterflyError('history.read-only', 'This history was opened for reading only.'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (this.queue.length >= this.options.maxBatch) this.commit();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.commit();
        });
      }
    });
  }

  /** Commits every queued write in one transaction and settles their promises. */
  private commit(): void {
    if (this.queue.length === 0 || this.closed) return;
    const writes = this.queue;
    this.queue = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.batch(writes, outcomes);
    } catch (error) {
      // Rolled back: what the batch changed in memory goes too.
      this.loadConversations();
      const failure = this.writeFailed(error);
      for (const w of writes) w.reject(failure);
      return;
    }
    this.options.onCommitted();
    if (this.failing) {
      this.failing = false;
      this.notice({ kind: 'write-recovered' });
    }
    writes.forEach((w, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) w.resolve(outcome.value);
      else w.reject(outcome.error);
    });
  }

  private writeFailed(error: unknown): ButterflyError {
    const reason = describeSqliteError(error, 'could not be saved');
    if (isDamage(error)) this.damaged(reason);
    else if (!this.failing) {
      this.failing = true;
      this.notice({ kind: 'write-failed', reason });
    }
    return new ButterflyError('history.write-failed', `The history ${reason}.`, { retryable: !isDamage(error), cause: error });
  }

  /** Said once: the next start checks the file. */
  private damaged(reason: string): void {
    if (this.damageNoticed) return;
    this.damageNoticed = true;
    this.options.onDamaged();
    this.notice({ kind: 'damaged', reason: `The history ${reason}${AFTER_DAMAGE}.` });
  }

  /** Runs a read after every queued write has committed; an SQLite failure becomes `history.unreadable`. */
  private read<T>(run: () => T): T {
    if (this.closed) throw closedError();
    this.commit();
    try {
      return run();
    } catch (error) {
      if (error instanceof ButterflyError) throw error;
      if (isDamage(error)) this.damaged(describeSqliteError(error, 'could not be read'));
      throw new ButterflyError('history.unreadable', `The history ${describeSqliteError(error, 'could not be read')}.`, { cause: error });
    }
  }

  private scheduleSweep(): void {
    if (this.sweepScheduled || this.closed) return;
    this.sweepScheduled = setImmediate(() => {
      this.sweepScheduled = undefined;
      if (this.closed) return;
      try {
        if (this.sweepSlice()) this.scheduleSweep();
      } catch (error) {
        this.writeFailed(error);
      }
    });
  }

  /** Removes one slice of a detached conversation's messages; false when nothing is left to remove. */
  private sweepSlice(): boolean {
    const detached = this.get<{ cid: number }>('SELECT cid FROM conversations WHERE id IS NULL LIMIT 1');
    if (!detached) return false;
    this.db.transaction(() => {
      const removed = this.run('DELETE FROM messages WHERE seq IN (SELECT seq FROM messages WHERE cid = ? LIMIT ?)', detached.cid, this.options.sweepSlice).changes;
      if (removed < this.options.sweepSlice) this.run('DELETE FROM conversations WHERE cid = ?', detached.cid);
    })();
    this.options.onCommitted();
    return true;
  }

  // ─── helpers ───────────────────────────────────────────────────────────────────────────────────────────────

  private notice(notice: HistoryNotice): void {
    this.noticeLog.push(notice);
    this.noticeEmitter.fire(notice);
  }

  private loadConversations(): void {
    this.byId.clear();
    this.byContact.clear();
    for (const r of this.all<ConversationRow>(`SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE id IS NOT NULL`)) {
      this.remember({ cid: r.cid, id: r.id, kind: r.kind, ...(r.contact !== null ? { contact: r.contact } : {}), participants: pickParticipants(parseJson(r.participants)) });
    }
  }

  private remember(entry: ConversationEntry): void {
    this.byId.set(entry.id, entry);
    if (entry.kind === 'single' && entry.contact) this.byContact.set(contactKey(entry.contact), entry);
  }

  private entry(conversationId: string): ConversationEntry {
    const entry = this.byId.get(conversationId);
    if (!entry) throw unknownConversation(conversationId);
    return entry;
  }

  private conversationRow(cid: number): HistoryConversation | undefined {
    const row = this.get<ConversationRow>(`SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE cid = ?`, cid);
    return row && this.toConversation(row);
  }

  private toConversation(r: ConversationRow): HistoryConversation {
    const lastMessage = r.last_seq === null ? undefined : this.get<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.seq = ?`, r.last_seq);
    const lastRead = r.read_seq > 0 ? this.get<{ id: string }>('SELECT id FROM messages WHERE seq = ?', r.read_seq) : undefined;
    return {
      id: r.id,
      kind: r.kind,
      ...(r.contact !== null ? { contact: r.contact } : {}),
      participants: pickParticipants(parseJson(r.participants)),
      unread: r.unread,
      lastActivity: r.last_activity,
      ...(lastMessage ? { lastMessage: toMessage(lastMessage, r.id) } : {}),
      ...(lastRead ? { lastReadMessageId: lastRead.id } : {}),
    };
  }

  /** A new row for the conversation; its number. */
  private insertConversation(c: Omit<ConversationEntry, 'cid'>): number {
    const now = this.options.now();
    const key = c.kind === 'single' && c.contact ? contactKey(c.contact) : null;
    const row = this.get<{ cid: number }>(
      'INSERT INTO conversations (id, kind, contact, contact_key, participants, created_at, last_activity) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING cid',
      c.id, c.kind, c.contact ?? null, key, JSON.stringify(c.participants), now, now,
    );
    return (row as { cid: number }).cid;
  }

  private insertState(seq: number, at: number, state: DeliveryState, attempt: number, reason?: { code: string; message: string }): void {
    this.run('INSERT INTO message_states (seq, at, state, attempt, reason_code, reason_message) VALUES (?, ?, ?, ?, ?, ?)', seq, at, state, attempt, reason?.code ?? null, reason?.message ?? null);
  }

  private statement(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private run(sql: string, ...args: unknown[]) {
    return this.statement(sql).run(...args);
  }

  private get<T>(sql: string, ...args: unknown[]): T | undefined {
    return this.statement(sql).get(...args) as T | undefined;
  }

  private all<T>(sql: string, ...args: unknown[]): T[] {
    return this.statement(sql).all(...args) as T[];
  }
}

/**
 * The newest matches first. The index that can answer (trigram for long substrings, else words) drives, in rowid
 * order, newest first, and stops at the limit; the other index, if the query needs both, filters through a subquery;
 * one conversation is one more term (its marker in the `conv` column); short substrings no index holds are checked
 * on the folded text, over that conversation's rows or, for the whole history, over every row newest first.
 */
function searchSql(terms: readonly SearchTerm[], cid: number | undefined, before: number | undefined, limit: number): { sql: string; args: unknown[] } {
  const only = cid === undefined ? [] : [`conv : ${ftsString(conversationMarker(cid))}`];
  const match = (phrases: string[]) => [...only, ...phrases.map((p) => `body : ${ftsString(p)}`)].join(' AND ');
  const long = terms.flatMap((t) => (t.kind === 'substring' && t.indexed ? [t.folded] : []));
  const words = terms.flatMap((t) => (t.kind === 'words' ? [t.keys.join(' ')] : []));
  const scanned = terms.flatMap((t) => (t.kind === 'substring' && !t.indexed ? [t.folded] : []));
  const where: string[] = [];
  const args: unknown[] = [];
  let from = 'messages m';
  let order = 'm.seq DESC';
  const driver = long.length > 0 ? 'message_trigrams' : words.length > 0 || cid !== undefined ? 'message_words' : undefined;
  if (driver) {
    from = `${driver} d JOIN messages m ON m.seq = d.rowid`;
    order = 'd.rowid DESC';
    where.push(`${driver} MATCH ?`);
    args.push(match(driver === 'message_trigrams' ? long : words));
    if (driver === 'message_trigrams' && words.length > 0) {
      where.push('m.seq IN (SELECT rowid FROM message_words WHERE message_words MATCH ?)');
      args.push(match(words));
    }
  }
  if (before !== undefined) {
    where.push(`${driver ? 'd.rowid' : 'm.seq'} < ?`);
    args.push(before);
  }
  for (const folded of scanned) {
    where.push('instr(bf_fold(m.text), ?) > 0');
    args.push(folded);
  }
  args.push(limit);
  return {
    sql: `SELECT ${MESSAGE_COLUMNS}, c.id AS conversation_id FROM ${from} JOIN conversations c ON c.cid = m.cid AND c.id IS NOT NULL
          ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`,
    args,
  };
}

function toMessage(r: MessageRow, conversationId: string): HistoryMessage {
  const format = r.format === null ? undefined : pickFormat(parseJson(r.format));
  const base = {
    id: r.id,
    conversationId,
    at: r.at,
    from: r.sender,
    kind: r.kind,
    text: r.text,
    ...(format ? { format } : {}),
    emoticons: r.emoticons === null ? [] : pickEmoticons(parseJson(r.emoticons), r.text),
    participants: pickEmails(parseJson(r.participants)),
  };
  if (r.direction === 'out') {
    return {
      ...base,
      direction: 'out',
      state: r.state ?? 'failed',
      ...reasonOf(r),
      attempt: r.attempt ?? 1,
      ...(r.part_index !== null && r.part_count !== null ? { part: { index: r.part_index, count: r.part_count } } : {}),
    };
  }
  return {
    ...base,
    direction: 'in',
    nickname: r.nickname ?? '',
    ...(r.charset !== null ? { charset: r.charset } : {}),
    ...(r.unknown_charset ? { unknownCharset: true } : {}),
    ...(r.malformed ? { malformed: true } : {}),
  };
}

const reasonOf = (r: { reason_code: string | null; reason_message: string | null }) =>
  r.reason_code === null ? {} : { reason: { code: r.reason_code as DeliveryReasonCode, message: r.reason_message ?? '' } };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const sqliteCode = (error: unknown): string => (typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '');

/** The file's content is damaged (as opposed to the disk or the system refusing). */
export const isDamage = (error: unknown): boolean => /^SQLITE_(CORRUPT|NOTADB)/.test(sqliteCode(error));

/** Plain words for what went wrong, after "The history …". */
export function describeSqliteError(error: unknown, verb: string): string {
  const code = sqliteCode(error);
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') return `${verb}: the disk is full`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `${verb}: no permission to use the file`;
  if (isDamage(error)) return `${verb}: the database is damaged`;
  if (code.startsWith('SQLITE_IOERR')) return `${verb}: the disk could not be read or written`;
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_CANTOPEN')) return `${verb}: no permission to use the file`;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return `${verb}: another program holds the database`;
  return `${verb} (${code || (error instanceof Error ? error.message : 'error')})`;
}
