// A second, read-only connection to a history database that answers at once (no queue, no promise): whether a
// message is in the file at this very moment, for tests that check when a write reached the disk.
import Database from 'better-sqlite3';

export interface HistoryProbe {
  /** Whether an outgoing message with this text is committed to the file now. */
  hasOutgoing(text: string): boolean;
  close(): void;
}

export function openHistoryProbe(file: string): HistoryProbe {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const count = db.prepare("SELECT count(*) AS n FROM messages WHERE direction = 'out' AND text = ?");
  return {
    hasOutgoing: (text) => (count.get(text) as { n: number }).n > 0,
    close: () => db.close(),
  };
}
