// The list-version cache, one file per account: SYN sends the cached version and the download is skipped when the
// server says it is unchanged. A cache that cannot be read is set aside (never deleted) and the list is fetched anew.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContactListSnapshot } from '../../src-shared/messenger-types';

export interface ListCache {
  load(email: string): Promise<ContactListSnapshot | undefined>;
  save(email: string, snapshot: ContactListSnapshot): Promise<void>;
}

const FORMAT = 1;

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

/** `<dir>/<encoded email>.json`, written atomically (temp file, then rename). */
export function createFileListCache(dir: string): ListCache {
  const fileFor = (email: string) => join(dir, `${encodeURIComponent(email.toLowerCase())}.json`);
  return {
    async load(email) {
      const file = fileFor(email);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        return undefined;
      }
      const snapshot = parseCache(text);
      if (!snapshot) await rename(file, `${file}.unreadable-${Date.now()}`).catch(() => undefined);
      return snapshot;
    },
    async save(email, snapshot) {
      await mkdir(dir, { recursive: true });
      const file = fileFor(email);
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify({ format: FORMAT, list: stripPresence(snapshot) }), { mode: 0o600 });
      await rename(tmp, file);
    },
  };
}

// Presence belongs to one connection; a cached list starts everyone offline.
function stripPresence(s: ContactListSnapshot): ContactListSnapshot {
  return { ...s, contacts: s.contacts.map((c) => ({ ...c, status: 'FLN' as const, clientId: 0 })) };
}

function parseCache(text: string): ContactListSnapshot | undefined {
  try {
    const data = JSON.parse(text) as { format?: unknown; list?: Partial<ContactListSnapshot> };
    const l = data.list;
    if (data.format !== FORMAT || !l || typeof l.version !== 'number' || !Array.isArray(l.contacts) || !Array.isArray(l.groups)) return undefined;
    if ((l.gtc !== 'A' && l.gtc !== 'N') || (l.blp !== 'AL' && l.blp !== 'BL')) return undefined;
    const okContact = (c: unknown) => {
      const x = c as Record<string, unknown>;
      return typeof x?.email === 'string' && typeof x.nickname === 'string' && typeof x.lists === 'object' && Array.isArray(x.groupIds);
    };
    if (!l.contacts.every(okContact)) return undefined;
    if (!l.groups.every((g) => typeof g?.id === 'string' && typeof g.name === 'string')) return undefined;
    return {
      version: l.version,
      gtc: l.gtc,
      blp: l.blp,
      groups: l.groups,
      contacts: l.contacts.map((c) => ({ ...c, status: 'FLN', clientId: 0, phones: c.phones ?? {} })),
      ownPhones: l.ownPhones ?? {},
    };
  } catch {
    return undefined;
  }
}
