// Butterfly's own files in the data directory (settings.json, accounts.json, lists/<account id>.json). Read with a size
// cap, parsed as JSON and checked against a valibot schema; a file that fails any of that — a directory in its place
// included — is renamed aside as `<name>.unreadable-<time>`, never deleted or overwritten, and only the newest few of
// those are kept. Written atomically: a new temp file (0600, never an existing one) renamed over the old, and removed
// again if anything fails, so no `.tmp` is left behind.
import { chmod, lstat, mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as v from 'valibot';

export type JsonFileRead<T> =
  | { kind: 'missing' }
  | { kind: 'ok'; value: T }
  /** `keptAs`: the name it was renamed to (in the same directory), unless even that failed. */
  | { kind: 'unreadable'; reason: string; keptAs?: string };

export interface ReadJsonOptions {
  /** Larger files are not read into memory at all. */
  maxBytes: number;
  /** How many `….unreadable-*` copies of this file to keep; older ones are removed. Default 3. */
  keepUnreadable?: number;
  /** False: an unreadable file is left where it is (a reader that does not own the file, like the CLI). Default true. */
  setAside?: boolean;
  now?: () => number;
}

export const DEFAULT_KEEP_UNREADABLE = 3;

export async function readJsonFile<T>(file: string, schema: v.GenericSchema<unknown, T>, options: ReadJsonOptions): Promise<JsonFileRead<T>> {
  const read = await readAndCheck(file, schema, options.maxBytes);
  return read.kind === 'unreadable' && options.setAside !== false ? { ...read, keptAs: await setAside(file, options) } : read;
}

async function readAndCheck<T>(file: string, schema: v.GenericSchema<unknown, T>, maxBytes: number): Promise<JsonFileRead<T>> {
  const unreadable = (reason: string) => ({ kind: 'unreadable', reason }) as const;
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) return unreadable('it is not a file');
    if (info.size > maxBytes) return unreadable(`it is larger than ${maxBytes} bytes`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { kind: 'missing' } : unreadable(`it could not be read (${code ?? 'error'})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return unreadable('it is not valid JSON');
  }
  const result = v.safeParse(schema, data);
  if (result.success) return { kind: 'ok', value: result.output };
  const where = v.getDotPath(result.issues[0]);
  return unreadable(`${where ? `${where}: ` : ''}${result.issues[0].message}`);
}

/** Renames the file to `<name>.unreadable-<time>` (a later time if that name is taken), then prunes old copies. */
async function setAside(file: string, options: ReadJsonOptions): Promise<string | undefined> {
  let time = (options.now ?? Date.now)();
  let target = `${file}.unreadable-${time}`;
  try {
    while (await exists(target)) target = `${file}.unreadable-${++time}`;
    await rename(file, target);
  } catch {
    return undefined;
  }
  await pruneUnreadable(file, options.keepUnreadable ?? DEFAULT_KEEP_UNREADABLE).catch(() => undefined);
  return basename(target);
}

/** Keeps the newest `keep` set-aside files of `file`; only plain files are removed, never a directory. */
async function pruneUnreadable(file: string, keep: number): Promise<void> {
  const prefix = `${basename(file)}.unreadable-`;
  const copies = (await readdir(dirname(file)))
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .sort((a, b) => Number(b.slice(prefix.length)) - Number(a.slice(prefix.length)));
  for (const name of copies.slice(keep)) {
    const path = join(dirname(file), name);
    if ((await lstat(path)).isFile()) await unlink(path);
  }
}

const exists = (path: string) => lstat(path).then(
  () => true,
  () => false,
);

let tempSequence = 0;

/** Writes `text` to `file` atomically with mode 0600; the directory must exist. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}-${++tempSequence}.tmp`;
  try {
    // 'wx': a fresh file, never one planted under the temp name (or a symlink there).
    await writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Creates `dir` (and missing parents) as 0700; an existing directory keeps its permissions. */
export async function createPrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Creates `dir` as 0700, and takes group and other permissions off it if it already had them. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await createPrivateDir(dir);
  if (process.platform === 'win32') return;
  const { mode } = await stat(dir);
  if ((mode & 0o077) !== 0) await chmod(dir, mode & 0o700);
}

/** Removes `file`; nothing happens if it is not there. */
export async function removeFile(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** The names in `dir` (none when it does not exist). */
export async function listFiles(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Renames `from` to `to` unless something is already at `to`; says whether it moved. */
export async function moveFileIfAbsent(from: string, to: string): Promise<boolean> {
  if (await exists(to)) return false;
  await rename(from, to);
  return true;
}
