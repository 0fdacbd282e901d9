// The list-version cache, one file per account (`lists/<account id>.json`, the id of (server, e-mail address) that the
// service's account registry gives out): SYN sends the cached version and the download is skipped when the server
// says it is unchanged — so the file is checked against the list's schema before any of it is used. A cache that
// cannot be read is set aside (never deleted; the last few kept) and the list is fetched anew. The `lists/` directory
// is private (0700). Files an older Butterfly wrote, named by e-mail address alone, are moved to their account's id
// once (migrateLegacyListCaches).
import { join } from 'node:path';
import * as v from 'valibot';
import { contactListSnapshotSchema, type ContactListSnapshot } from '../../src-shared/messenger-types';
import { ensurePrivateDir, listFiles, moveFileIfAbsent, readJsonFile, removeFile, writeFileAtomically } from '../storage/json-file';

/** Keyed by account id. */
export interface ListCache {
  load(account: string): Promise<ContactListSnapshot | undefined>;
  save(account: string, snapshot: ContactListSnapshot): Promise<void>;
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
    async load(account) {
      const s = entries.get(account.toLowerCase());
      return s && structuredClone(s);
    },
    async save(account, snapshot) {
      entries.set(account.toLowerCase(), structuredClone(stripPresence(snapshot)));
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

/** The file of one key: ids are file-name-safe already; the encoding keeps any other key (and old e-mail names) so. */
const fileFor = (dir: string, key: string) => join(dir, `${encodeURIComponent(key.toLowerCase())}.json`);

/** `<dir>/<account id>.json`, written atomically (temp file, then rename). */
export function createFileListCache(dir: string, options: FileListCacheOptions = {}): ListCache {
  return {
    async load(account) {
      // An older Butterfly made the directory readable by everyone: close it before reading from it.
      await ensurePrivateDir(dir).catch(() => undefined);
      const read = await readJsonFile(fileFor(dir, account), cacheFileSchema, { ...options, maxBytes: options.maxBytes ?? MAX_CACHE_BYTES });
      return read.kind === 'ok' ? stripPresence(read.value.list) : undefined;
    },
    async save(account, snapshot) {
      await ensurePrivateDir(dir);
      const file = fileFor(dir, account);
      const body: CacheFile = { format: 1, list: stripPresence(snapshot) };
      // Whatever would be refused on reading is not written: a version past the wire's 32 bits, a name longer than a
      // line. The old file goes too, so the next SYN asks for the whole list instead of trusting a stale version.
      if (!v.is(cacheFileSchema, body)) return removeFile(file).catch(() => undefined);
      await writeFileAtomically(file, JSON.stringify(body));
    },
  };
}

// Presence belongs to one connection, and what comes with it too: a cached list starts everyone offline, without
// personal messages or pictures.
function stripPresence(s: ContactListSnapshot): ContactListSnapshot {
  return { ...s, contacts: s.contacts.map(({ personalMessage: _m, currentMedia: _c, msnObject: _o, ...c }) => ({ ...c, status: 'FLN' as const, clientId: 0 })) };
}

/**
 * Moves the caches of an older Butterfly (`<dir>/<encoded e-mail>.json`: keyed by address alone) to their accounts'
 * files, so each is moved once. `accountFor` names the account an address's cache belongs to (the caller decides: the
 * configured server's); an account that has a cache of its own already keeps it, and the old one (only a cache, and
 * older) is removed. Returns the addresses whose cache moved.
 */
export async function migrateLegacyListCaches(dir: string, accountFor: (email: string) => Promise<string>): Promise<string[]> {
  const moved: string[] = [];
  for (const name of await listFiles(dir)) {
    const email = legacyAddress(name);
    if (email === undefined) continue;
    if (await moveFileIfAbsent(join(dir, name), fileFor(dir, await accountFor(email)))) moved.push(email);
    else await removeFile(join(dir, name));
  }
  return moved;
}

/** The address an old cache file is named by (`alice%40example.com.json`), or undefined for any other file. */
function legacyAddress(name: string): string | undefined {
  if (!name.endsWith('.json')) return undefined;
  try {
    const decoded = decodeURIComponent(name.slice(0, -'.json'.length));
    return /^[^\s@/]+@[^\s@/]+$/.test(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}
