// The history database's schema, as a list of forward migrations. `PRAGMA user_version` is the schema version; a new
// database runs every migration from 0, so the path an old database takes is the path every database took. Each
// migration runs in its own transaction with the version bump, so a crash leaves the database at one version or the
// next. A released migration is never edited: a change is a new migration (tests open a database built at each
// earlier version, with messages in it, and check it reads and searches correctly after the upgrade).
//
// Order: `messages.seq` is the order messages were recorded in (display order, the paging cursor, "newest first" in
// search), so a clock that jumps does not reorder a conversation. Conversations are rows with a number (`cid`) and
// our id; a single conversation is also keyed by its contact (`contact_key`), so a new id for the same contact (after
// a restart) renames the row and its messages follow. Deleting a conversation's history detaches its row (id and
// contact cleared) and a sweeper removes its messages a slice at a time.
//
// The indexes are FTS5 tables without content of their own (`contentless_delete`), kept in step by triggers that
// call two SQL functions registered by the store on every connection (search-text.ts): `bf_words(text)` for the
// words index (`ascii` tokenizer over tokens computed in JavaScript) and `bf_fold(text)` for the trigram index. Each
// has a second column, `conv`, holding the conversation's marker (below).
// Both set `deletemerge` to 0: by default FTS5 rewrites a segment once enough of its rows are deleted, which made
// single slices of a conversation's deletion take 90–180 ms; the space comes back with the ordinary merges instead.
import type { Database } from 'better-sqlite3';

/**
 * The conversation's marker in both indexes' `conv` column: its number as three private-use characters (base 6400,
 * U+E000–U+F8FF), one token for the `ascii` tokenizer and exactly one trigram, so "only this conversation" is one
 * more term of the FTS query (efficient for a conversation of ten messages or of fifty thousand).
 */
const marker = (cid: string) => `char(57344 + (${cid} / 40960000) % 6400, 57344 + (${cid} / 6400) % 6400, 57344 + ${cid} % 6400)`;

export const conversationMarker = (cid: number): string =>
  String.fromCharCode(0xe000 + (Math.floor(cid / 40_960_000) % 6400), 0xe000 + (Math.floor(cid / 6400) % 6400), 0xe000 + (cid % 6400));

export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'conversations, messages, delivery-state changes, words index',
    up(db) {
      db.exec(`
        CREATE TABLE conversations (
          cid INTEGER PRIMARY KEY,
          id TEXT UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('single', 'group')),
          contact TEXT,
          contact_key TEXT,
          participants TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          last_activity INTEGER NOT NULL,
          last_seq INTEGER,
          read_seq INTEGER NOT NULL DEFAULT 0,
          unread INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE UNIQUE INDEX conversations_by_contact ON conversations (contact_key) WHERE contact_key IS NOT NULL;
        CREATE INDEX conversations_by_activity ON conversations (last_activity, cid) WHERE id IS NOT NULL AND last_seq IS NOT NULL;
        CREATE INDEX conversations_detached ON conversations (cid) WHERE id IS NULL;

        CREATE TABLE messages (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          cid INTEGER NOT NULL REFERENCES conversations (cid),
          at INTEGER NOT NULL,
          direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
          kind TEXT NOT NULL CHECK (kind IN ('text', 'nudge')),
          sender TEXT NOT NULL,
          nickname TEXT,
          participants TEXT NOT NULL,
          text TEXT NOT NULL,
          format TEXT,
          emoticons TEXT,
          charset TEXT,
          unknown_charset INTEGER NOT NULL DEFAULT 0,
          malformed INTEGER NOT NULL DEFAULT 0,
          state TEXT CHECK (state IN ('queued', 'sent', 'delivered', 'failed', 'unconfirmed')),
          reason_code TEXT,
          reason_message TEXT,
          attempt INTEGER,
          part_index INTEGER,
          part_count INTEGER
        ) STRICT;
        CREATE INDEX messages_by_conversation ON messages (cid, seq);
        CREATE INDEX messages_unsettled ON messages (state) WHERE state IN ('queued', 'sent');

        CREATE TABLE message_states (
          seq INTEGER NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
          at INTEGER NOT NULL,
          state TEXT NOT NULL,
          attempt INTEGER NOT NULL,
          reason_code TEXT,
          reason_message TEXT
        ) STRICT;
        CREATE INDEX message_states_by_message ON message_states (seq);

        CREATE TRIGGER messages_counted AFTER INSERT ON messages BEGIN
          UPDATE conversations SET last_seq = new.seq,
            last_activity = CASE WHEN last_seq IS NULL THEN new.at ELSE max(last_activity, new.at) END,
            unread = unread + (new.direction = 'in') WHERE cid = new.cid;
        END;

        CREATE VIRTUAL TABLE message_words USING fts5 (body, conv, content = '', contentless_delete = 1, tokenize = 'ascii');
        INSERT INTO message_words (message_words, rank) VALUES ('deletemerge', 0);
        CREATE TRIGGER message_words_added AFTER INSERT ON messages BEGIN
          INSERT INTO message_words (rowid, body, conv) VALUES (new.seq, bf_words(new.text), ${marker('new.cid')});
        END;
        CREATE TRIGGER message_words_removed AFTER DELETE ON messages BEGIN
          DELETE FROM message_words WHERE rowid = old.seq;
        END;
        CREATE TRIGGER message_words_changed AFTER UPDATE OF text ON messages BEGIN
          DELETE FROM message_words WHERE rowid = old.seq;
          INSERT INTO message_words (rowid, body, conv) VALUES (new.seq, bf_words(new.text), ${marker('new.cid')});
        END;
      `);
    },
  },
  {
    version: 2,
    description: 'trigram index: substrings of three or more characters, case and diacritics folded',
    up(db) {
      db.exec(`
        CREATE VIRTUAL TABLE message_trigrams USING fts5 (body, conv, content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1');
        INSERT INTO message_trigrams (message_trigrams, rank) VALUES ('deletemerge', 0);
        INSERT INTO message_trigrams (rowid, body, conv) SELECT seq, bf_fold(text), ${marker('cid')} FROM messages;
        CREATE TRIGGER message_trigrams_added AFTER INSERT ON messages BEGIN
          INSERT INTO message_trigrams (rowid, body, conv) VALUES (new.seq, bf_fold(new.text), ${marker('new.cid')});
        END;
        CREATE TRIGGER message_trigrams_removed AFTER DELETE ON messages BEGIN
          DELETE FROM message_trigrams WHERE rowid = old.seq;
        END;
        CREATE TRIGGER message_trigrams_changed AFTER UPDATE OF text ON messages BEGIN
          DELETE FROM message_trigrams WHERE rowid = old.seq;
          INSERT INTO message_trigrams (rowid, body, conv) VALUES (new.seq, bf_fold(new.text), ${marker('new.cid')});
        END;
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export const schemaVersion = (db: Database): number => db.pragma('user_version', { simple: true }) as number;

/** A database written by a newer Butterfly: left untouched. */
export class NewerSchemaError extends Error {
  constructor(readonly found: number) {
    super(`it was written by a newer Butterfly (schema version ${found}; this one reads up to ${SCHEMA_VERSION})`);
  }
}

/** Brings the database from its version up to `target` (default: the newest), one transaction per step. */
export function migrate(db: Database, target = SCHEMA_VERSION, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const found = schemaVersion(db);
  if (found > migrations[migrations.length - 1].version) throw new NewerSchemaError(found);
  const ran: number[] = [];
  for (const m of migrations) {
    if (m.version <= found || m.version > target) continue;
    db.transaction(() => {
      // Another process may have run it between our read and our write lock.
      if (schemaVersion(db) >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      ran.push(m.version);
    }).immediate();
  }
  return ran;
}
