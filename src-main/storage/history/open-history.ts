// Where each account's history lives and how it is opened: `<data dir>/history/<account id>.sqlite` (with its
// `-wal` and `-shm`), the directory 0700 and the file 0600. Opening never throws for a bad file and never leaves the
// person with a silently empty history:
//   - damaged (not a database, corrupt pages, or found damaged while in use last time): renamed aside as
//     `<name>.unreadable-<time>` (its `-wal` with it; the newest three kept), a new database started, a notice given;
//   - unusable for now (disk full, no permission, written by a newer Butterfly, in use in a way we cannot share):
//     left as it is for the next start; this session keeps history in memory, with a notice.
// The process that holds `<name>.owner` (an SQLite lock, released by the system when the process dies, however it
// dies) settles what the previous run left in flight: `queued` becomes `failed` ("not sent: Butterfly closed"),
// `sent` becomes `unconfirmed` (nudges, which are never confirmed, stay `sent`). A second process (the CLI beside
// the app) shares the database but leaves the settling to the owner. `readOnly` (the CLI's `history`) opens an
// existing database only, sets nothing aside and settles nothing: it reports what it cannot read.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ButterflyError } from '../../../src-shared/errors';
import { DEFAULT_KEEP_UNREADABLE } from '../json-file';
import { checkAccountId } from './history-common';
import { CLOSED_BEFORE_CONFIRMATION, CLOSED_BEFORE_SENDING, type HistoryNotice, type HistoryStore } from './history-types';
import { createMemoryHistoryStore } from './memory-history';
import { migrate, NewerSchemaError } from './schema';
import { foldText, wordsIndexText } from './search-text';
import { describeSqliteError, isDamage, SqliteHistoryStore } from './sqlite-history';
import { startCheckpointer, type Checkpointer } from './checkpointer';

/** SQLite's default, used when the checkpoint worker is not available. */
const AUTOMATIC_CHECKPOINT_PAGES = 1000;

export interface OpenHistoryOptions {
  /** Butterfly's data directory (src-main/shell/data-dir.ts). */
  dataDir: string;
  accountId: string;
  /** The person's setting; false: nothing is written, messages live in memory for the session. Default true. */
  keepHistory?: boolean;
  /** Only read an existing database (the CLI): throws `history.not-found` / `history.unreadable` instead of recovering. */
  readOnly?: boolean;
  now?: () => number;
  /** Writes waiting before the next one commits them at once (default 1000). */
  maxBatch?: number;
  /** Messages of a deleted conversation removed per turn of the event loop (default 200). */
  sweepSlice?: number;
  /** How often, at most, the worker thread checkpoints the WAL after writes (default 1000 ms). */
  checkpointIntervalMs?: number;
  /** How long to wait for another process's write lock (default 2000 ms). */
  busyTimeoutMs?: number;
  /** Set-aside copies kept per account (default 3). */
  keepUnreadable?: number;
  /** Runs on each new connection after it is set up (tests limit its size to play a full disk). */
  onConnection?: (db: Database.Database) => void;
}

export const historyDir = (dataDir: string): string => join(dataDir, 'history');
export const historyFile = (dataDir: string, accountId: string): string => join(historyDir(dataDir), `${accountId}.sqlite`);

export async function openHistoryStore(options: OpenHistoryOptions): Promise<HistoryStore> {
  checkAccountId(options.accountId);
  if (options.keepHistory === false) return createMemoryHistoryStore(options.accountId, { now: options.now });
  const file = historyFile(options.dataDir, options.accountId);
  return options.readOnly ? openForReading(file, options) : openForWriting(file, options);
}

function openForReading(file: string, options: OpenHistoryOptions): HistoryStore {
  if (!existsSync(file)) throw new ButterflyError('history.not-found', `No history is stored for this account (${file}).`);
  let db: Database.Database | undefined;
  try {
    db = connect(file, options);
    return store(db, options, { readOnly: true, notices: [], release: () => db?.close() });
  } catch (error) {
    db?.close();
    if (error instanceof ButterflyError) throw error;
    throw new ButterflyError('history.unreadable', `The history at ${file} ${describeOpenError(error)}.`, { cause: error });
  }
}

function openForWriting(file: string, options: OpenHistoryOptions): HistoryStore {
  const notices: HistoryNotice[] = [];
  const memory = (reason: string) => {
    notices.push({ kind: 'memory-only', reason });
    return createMemoryHistoryStore(options.accountId, { now: options.now, notices });
  };
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') chmodSync(dirname(file), 0o700);
  } catch (error) {
    return memory(`The history folder could not be made (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const owner = takeOwnership(`${file}.owner`);
  const damagedMarker = `${file}.damaged`;
  let db: Database.Database | undefined;
  try {
    db = connect(file, options);
    if (existsSync(damagedMarker)) {
      const check = db.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw Object.assign(new Error(`integrity check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
      rmSync(damagedMarker, { force: true });
    }
  } catch (error) {
    db?.close();
    if (!isDamage(error) || !owner) {
      owner?.close();
      return memory(`The history ${describeOpenError(error)}; this session keeps it in memory only.`);
    }
    const keptAs = setAside(file, options);
    rmSync(damagedMarker, { force: true });
    notices.push({ kind: 'started-anew', reason: `The history ${describeOpenError(error)}: a new one was started.`, ...(keptAs ? { keptAs } : {}) });
    try {
      db = connect(file, options);
    } catch (again) {
      owner.close();
      return memory(`A new history ${describeOpenError(again)}; this session keeps it in memory only.`);
    }
  }
  const now = options.now ?? Date.now;
  try {
    if (owner) settleInterrupted(db, now());
  } catch (error) {
    db.close();
    owner?.close();
    return memory(`The history ${describeOpenError(error)}; this session keeps it in memory only.`);
  }
  const opened = db;
  const checkpointer = checkpointOffThread(file, opened, options);
  const release = () => {
    checkpointer?.close();
    opened.close();
    owner?.close();
  };
  try {
    return store(opened, options, { readOnly: false, notices, onDamaged: () => writeMarker(damagedMarker), onCommitted: () => checkpointer?.written(), release });
  } catch (error) {
    release();
    return memory(`The history ${describeOpenError(error)}; this session keeps it in memory only.`);
  }
}

/** Automatic checkpoints off, a worker's instead; on any trouble with the worker, automatic ones again. */
function checkpointOffThread(file: string, db: Database.Database, options: OpenHistoryOptions): Checkpointer | undefined {
  const automatic = () => {
    try {
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOMATIC_CHECKPOINT_PAGES}`);
    } catch {
      // The connection is going away.
    }
  };
  try {
    db.pragma('wal_autocheckpoint = 0');
    return startCheckpointer(file, { intervalMs: options.checkpointIntervalMs ?? 1000, onFailure: automatic });
  } catch {
    automatic();
    return undefined;
  }
}

interface StoreParts {
  readOnly: boolean;
  notices: HistoryNotice[];
  onDamaged?: () => void;
  onCommitted?: () => void;
  release: () => void;
}

function store(db: Database.Database, options: OpenHistoryOptions, o: StoreParts): HistoryStore {
  return new SqliteHistoryStore(options.accountId, db, {
    now: options.now ?? Date.now,
    maxBatch: options.maxBatch ?? 1000,
    sweepSlice: options.sweepSlice ?? 200,
    readOnly: o.readOnly,
    notices: o.notices,
    onDamaged: o.onDamaged ?? (() => undefined),
    onCommitted: o.onCommitted ?? (() => undefined),
    release: o.release,
  });
}

/** A connection set up for the history: WAL, synchronous=NORMAL, foreign keys, the index functions, the newest schema. */
function connect(file: string, options: OpenHistoryOptions): Database.Database {
  // Made here with 0600 (SQLite gives its -wal and -shm the same mode); an empty file is an empty database.
  if (!existsSync(file)) closeSync(openSync(file, 'wx', 0o600));
  if (!statSync(file).isFile()) throw Object.assign(new Error('it is not a file'), { code: 'SQLITE_CANTOPEN' });
  const db = new Database(file, { timeout: options.busyTimeoutMs ?? 2000, fileMustExist: true });
  try {
    db.function('bf_words', { deterministic: true }, (text) => wordsIndexText(String(text)));
    db.function('bf_fold', { deterministic: true }, (text) => foldText(String(text)));
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw Object.assign(new Error(`journal mode is ${String(mode)}`), { code: 'SQLITE_CANTOPEN' });
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    // Reads every table's root page, so a damaged schema or table shows now rather than in the middle of a chat.
    db.prepare('SELECT (SELECT count(*) FROM conversations), (SELECT max(seq) FROM messages), (SELECT max(rowid) FROM message_states)').get();
    options.onConnection?.(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** What the previous run left in flight ends as the issue says: it cannot be sent or confirmed any more. */
export function settleInterrupted(db: Database.Database, now: number): number {
  const rows = db.prepare("SELECT seq, state, kind, attempt FROM messages WHERE state IN ('queued', 'sent')").all() as { seq: number; state: string; kind: string; attempt: number | null }[];
  const update = db.prepare('UPDATE messages SET state = ?, reason_code = ?, reason_message = ? WHERE seq = ?');
  const record = db.prepare('INSERT INTO message_states (seq, at, state, attempt, reason_code, reason_message) VALUES (?, ?, ?, ?, ?, ?)');
  let settled = 0;
  db.transaction(() => {
    for (const r of rows) {
      if (r.state === 'sent' && r.kind === 'nudge') continue;
      const [state, reason] = r.state === 'queued' ? (['failed', CLOSED_BEFORE_SENDING] as const) : (['unconfirmed', CLOSED_BEFORE_CONFIRMATION] as const);
      update.run(state, reason.code, reason.message, r.seq);
      record.run(r.seq, now, state, r.attempt ?? 1, reason.code, reason.message);
      settled++;
    }
  }).immediate();
  return settled;
}

/** An exclusive SQLite lock on a small file beside the history; undefined when another live process holds it. */
function takeOwnership(lockFile: string): Database.Database | undefined {
  let lock: Database.Database | undefined;
  try {
    lock = new Database(lockFile, { timeout: 0 });
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('CREATE TABLE IF NOT EXISTS owner (only INTEGER PRIMARY KEY CHECK (only = 1), pid INTEGER NOT NULL)');
    lock.prepare('INSERT OR REPLACE INTO owner (only, pid) VALUES (1, ?)').run(process.pid);
    return lock;
  } catch {
    lock?.close();
    return undefined;
  }
}

/** Renames the database (and its -wal) to `<name>.unreadable-<time>`, drops its -shm, keeps the newest few copies. */
function setAside(file: string, options: OpenHistoryOptions): string | undefined {
  let time = (options.now ?? Date.now)();
  let target = `${file}.unreadable-${time}`;
  try {
    while (existsSync(target)) target = `${file}.unreadable-${++time}`;
    renameSync(file, target);
    if (existsSync(`${file}-wal`)) renameSync(`${file}-wal`, `${target}-wal`);
    rmSync(`${file}-shm`, { force: true });
  } catch {
    return undefined;
  }
  try {
    pruneSetAside(file, options.keepUnreadable ?? DEFAULT_KEEP_UNREADABLE);
  } catch {
    // Pruning is tidying: a failure leaves one copy too many.
  }
  return basename(target);
}

function pruneSetAside(file: string, keep: number): void {
  const prefix = `${basename(file)}.unreadable-`;
  const copies = readdirSync(dirname(file))
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .sort((a, b) => Number(b.slice(prefix.length)) - Number(a.slice(prefix.length)));
  for (const name of copies.slice(keep)) {
    const path = join(dirname(file), name);
    if (statSync(path).isFile()) rmSync(path);
    rmSync(`${path}-wal`, { force: true });
  }
}

function writeMarker(file: string): void {
  try {
    writeFileSync(file, '', { mode: 0o600 });
  } catch {
    // Without the marker the damage is found again when it is next read.
  }
}

function describeOpenError(error: unknown): string {
  if (error instanceof NewerSchemaError) return `cannot be read: ${error.message}`;
  const code = (error as { code?: unknown })?.code;
  if (code === 'SQLITE_CANTOPEN' && error instanceof Error && !error.message.startsWith('unable')) return `could not be opened: ${error.message}`;
  return describeSqliteError(error, 'could not be opened');
}
