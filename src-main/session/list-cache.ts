// The list-version cache, one file per account: SYN sends the cached version and the download is skipped when the
// server says it is unchanged — so the file is checked against the list's schema before any of it is used. A cache
// that cannot be read is set aside (never deleted; the last few kept) and the list is fetched anew. The `lists/`
// directory is private (0700): its file names are e-mail addresses.
import { join } from 'node:path';
import * as v from 'valibot';
import { contactListSnapshotSchema, type ContactListSnapshot } from '../../src-shared/messenger-types';
import { ensurePrivateDir, readJsonFile, removeFile, writeFileAtomically } from '../storage/json-file';

export interface ListCache {
  load(email: string): Promise<ContactListSnapshot | undefined>;
  save(email: string, snapshot: ContactListSnapshot): Promise<void>;
}

const cacheFileSchema = v.strictObject({ format: v.literal(1), list: contactListSnapshotSchema });
type CacheFile = v.InferOutput<typeof cacheFileSchema>;

/** A list of MAX_CACHED_CONTACTS contacts with long names stays well under this. */
const MAX_CACHE_BYTES = 256 * 1024 * 1024;

/** Keeps everything in memory: for tests and for callers that want no disk writes. */
export function createMemoryListCache(): ListCache & { entries: Map<string, ContactListSnapshot> } {
  const entries = new Map<string, ContactListSnapshot>();
  return {
    entries,
    async load(email) {
      const s = entries.get(email.toLowerCase());
      return s && structuredClone(s);
    },
    async save(email, snapshot) {
      entries.set(email.toLowerCase(), structuredClone(stripPresence(snapshot)));
    },
  };
}

export interface FileListCacheOptions {
  /** How many unreadable copies of one account's cache to keep. */
  keepUnreadable?: number;
  maxBytes?: number;
  /** Names the unreadable copies (`….unreadable-<now>`). */
  now?: () => number;
}

/** `<dir>/<encoded email>.json`, written atomically (temp file, then rename). */
export function createFileListCache(dir: string, options: FileListCacheOptions = {}): ListCache {
  const fileFor = (email: string) => join(dir, `${encodeURIComponent(email.toLowerCase())}.json`);
  return {
    async load(email) {
      // An older Butterfly made the directory readable by everyone: close it before reading from it.
      await ensurePrivateDir(dir).catch(() => undefined);
      const read = await readJsonFile(fileFor(email), cacheFileSchema, { ...options, maxBytes: options.maxBytes ?? MAX_CACHE_BYTES });
      return read.kind === 'ok' ? stripPresence(read.value.list) : undefined;
    },
    async save(email, snapshot) {
      await ensurePrivateDir(dir);
      const file = fileFor(email);
      const body: CacheFile = { format: 1, list: stripPresence(snapshot) };
      // Whatever would be refused on reading is not written: a version past the wire's 32 bits, a name longer than a
      // line. The old file goes too, so the next SYN asks for the whole list instead of trusting a stale version.
      if (!v.is(cacheFileSchema, body)) return removeFile(file).catch(() => undefined);
      await writeFileAtomically(file, JSON.stringify(body));
    },
  };
}

// Presence belongs to one connection; a cached list starts everyone offline.
function stripPresence(s: ContactListSnapshot): ContactListSnapshot {
  return { ...s, contacts: s.contacts.map((c) => ({ ...c, status: 'FLN' as const, clientId: 0 })) };
}
