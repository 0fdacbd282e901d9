// Which account is which. An account is (server, e-mail address) — the same address on two servers is two accounts —
// and its id, fixed when the account is first used, is what everything kept per account is keyed by (its list cache
// and its message history). Its own settings are kept with it (whether to keep a message history, the highest
// protocol version to offer). The file registry keeps them in `<data dir>/accounts.json`, checked
// against its schema (an unreadable file is set aside like every other, and ids start afresh: the caches they keyed
// are only downloaded again). Writes are one at a time; a write that fails costs only that the id is new next run.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as v from 'valibot';
import { formatHostPort, hostPortSchema, type HostPort } from '../../src-shared/connection-settings';
import { ButterflyError } from '../../src-shared/errors';
import { accountIdSchema, protocolVersionSchema, type AccountId } from '../../src-shared/messenger-types';
import { migrateLegacyListCaches } from '../session/list-cache';
import { createPrivateDir, readJsonFile, writeFileAtomically } from '../storage/json-file';

export interface AccountRecord {
  id: AccountId;
  server: HostPort;
  email: string;
  /** False: the person keeps no message history for this account (messages live in memory for the session). Absent: keep it. */
  keepHistory?: boolean;
  /** The highest MSNP version to offer this account's server (for servers that misbehave with a newer one). Absent: every version. */
  maxVersion?: number;
}

/** The account's own settings, as `update` changes them (`maxVersion: null` lifts the cap). */
export type AccountSettings = { keepHistory?: boolean; maxVersion?: number | null };

export interface AccountRegistry {
  /** The account of (server, email): found, or created — and saved — the first time. Case does not tell accounts apart. */
  resolve(server: HostPort, email: string): Promise<AccountRecord>;
  /** The account of (server, email) if it was ever used; nothing is created (the CLI's `history` reads only). */
  find(server: HostPort, email: string): Promise<AccountRecord | undefined>;
  /** Changes an account's own settings (saved); resolves with the record as it is now. */
  update(id: AccountId, settings: AccountSettings): Promise<AccountRecord>;
}

/** The most accounts the file may hold (a person has a few; a longer file is damaged). */
const MAX_ACCOUNTS = 10_000;

const registryFileSchema = v.strictObject({
  format: v.literal(1),
  accounts: v.pipe(
    v.array(
      v.strictObject({ id: accountIdSchema, server: hostPortSchema, email: v.pipe(v.string(), v.minLength(3), v.maxLength(320)), keepHistory: v.optional(v.boolean()), maxVersion: v.optional(protocolVersionSchema) }),
    ),
    v.maxLength(MAX_ACCOUNTS),
  ),
});

const keyOf = (server: HostPort, email: string) => `${formatHostPort({ host: server.host.toLowerCase(), port: server.port })} ${email.toLowerCase()}`;

/** Accounts in memory only (tests, and callers that keep nothing on disk). */
export function createMemoryAccountRegistry(): AccountRegistry & { records(): AccountRecord[] } {
  const byKey = new Map<string, AccountRecord>();
  return {
    async resolve(server, email) {
      return { ...lookUp(byKey, server, email).record };
    },
    find: async (server, email) => copyOf(byKey.get(keyOf(server, email))),
    update: async (id, settings) => copyOf(change(byKey, id, settings)) as AccountRecord,
    records: () => [...byKey.values()].map((r) => ({ ...r })),
  };
}

function change(byKey: Map<string, AccountRecord>, id: AccountId, settings: AccountSettings): AccountRecord {
  const record = [...byKey.values()].find((r) => r.id === id);
  if (!record) throw new ButterflyError('service.unknown-account', 'Butterfly does not know that account.');
  // Keeping history is the default: only "off" is written down.
  if (settings.keepHistory === false) record.keepHistory = false;
  else if (settings.keepHistory === true) delete record.keepHistory;
  if (settings.maxVersion === null) delete record.maxVersion;
  else if (settings.maxVersion !== undefined) record.maxVersion = settings.maxVersion;
  return record;
}

function lookUp(byKey: Map<string, AccountRecord>, server: HostPort, email: string): { record: AccountRecord; created: boolean } {
  const key = keyOf(server, email);
  const found = byKey.get(key);
  if (found) return { record: found, created: false };
  const record = { id: randomUUID(), server: { host: server.host, port: server.port }, email };
  byKey.set(key, record);
  return { record, created: true };
}

export interface FileAccountRegistryOptions {
  /**
   * Where the list caches are, and the server an older Butterfly's caches (named by e-mail address alone) belong to:
   * the one configured now. On first use, each of them moves to its account's id.
   */
  legacyListCaches?: { dir: string; server: HostPort };
  /** Names an unreadable accounts.json's copy. */
  now?: () => number;
}

export function openFileAccountRegistry(dataDir: string, options: FileAccountRegistryOptions = {}): AccountRegistry {
  const file = join(dataDir, 'accounts.json');
  const byKey = new Map<string, AccountRecord>();
  let writing: Promise<void> = Promise.resolve();

  const save = (): Promise<void> => {
    const body = { format: 1, accounts: [...byKey.values()] };
    writing = writing
      .then(() => createPrivateDir(dataDir))
      .then(() => writeFileAtomically(file, `${JSON.stringify(body, null, 2)}\n`))
      .catch(() => undefined);
    return writing;
  };
  const resolveLoaded = async (server: HostPort, email: string): Promise<AccountRecord> => {
    const { record, created } = lookUp(byKey, server, email);
    if (created) await save();
    return record;
  };

  // Read once, before the first answer; the migration runs then too, so no cache is looked for under its old name.
  const ready = (async () => {
    const read = await readJsonFile(file, registryFileSchema, { maxBytes: 4 * 1024 * 1024, now: options.now });
    if (read.kind === 'ok') for (const record of read.value.accounts) byKey.set(keyOf(record.server, record.email), record);
    const legacy = options.legacyListCaches;
    if (legacy) await migrateLegacyListCaches(legacy.dir, async (email) => (await resolveLoaded(legacy.server, email)).id);
  })().catch(() => undefined);

  return {
    async resolve(server, email) {
      await ready;
      return { ...(await resolveLoaded(server, email)) };
    },
    async find(server, email) {
      await ready;
      return copyOf(byKey.get(keyOf(server, email)));
    },
    async update(id, settings) {
      await ready;
      const record = change(byKey, id, settings);
      await save();
      return copyOf(record) as AccountRecord;
    },
  };
}

const copyOf = (record: AccountRecord | undefined): AccountRecord | undefined => record && { ...record, server: { ...record.server } };
