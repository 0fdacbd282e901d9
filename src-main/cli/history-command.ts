// `history <contact> [--search TEXT] [--limit N]`: the messages stored with a contact, as JSON lines, read from the
// account's local history without signing in. The account is (--server, --email), the server defaulting like every
// other command's; the store is opened for reading only (nothing is created, set aside or settled, even while the app
// has it open). Without --search: the newest N messages, oldest first, as a conversation is read. With it: the
// matches, newest first, each with its `matches` offsets. Nicknames are decoded for reading; the text is as stored.
import { formatHostPort, type HostPort } from '../../src-shared/connection-settings';
import { ButterflyError, toErrorInfo } from '../../src-shared/errors';
import { decodeName } from '../../src-shared/url-codec';
import { openFileAccountRegistry } from '../service/account-registry';
import type { HistoryMessage, HistoryStore, TextRange } from '../storage/history/history-types';
import { MAX_PAGE_SIZE, MAX_SEARCH_LIMIT } from '../storage/history/history-types';
import { openHistoryStore } from '../storage/history/open-history';
import { ExitCode } from './exit-codes';
import { printableJson } from './terminal-text';

export const DEFAULT_HISTORY_LIMIT = 50;

export interface HistoryQuery {
  dataDir: string;
  server: HostPort;
  email: string;
  contact: string;
  search?: string;
  limit?: number;
}

interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Prints the lines; a missing account, history or conversation is said on stderr and is not an error. */
export async function printHistory(io: Output, query: HistoryQuery): Promise<number> {
  const who = `${query.email} on ${formatHostPort(query.server)}`;
  const account = await openFileAccountRegistry(query.dataDir).find(query.server, query.email);
  if (!account) return nothing(io, `no history: ${who} has not been used with Butterfly here`);
  let store: HistoryStore;
  try {
    store = await openHistoryStore({ dataDir: query.dataDir, accountId: account.id, readOnly: true });
  } catch (error) {
    if (error instanceof ButterflyError && error.code === 'history.not-found') return nothing(io, `no history is stored for ${who}`);
    throw error;
  }
  try {
    const conversation = await store.conversationWith(query.contact);
    if (!conversation) return nothing(io, `no messages with ${query.contact} in the history of ${who}`);
    const limit = query.limit ?? DEFAULT_HISTORY_LIMIT;
    const print = (message: HistoryMessage, matches?: TextRange[]) => io.stdout(`${printableJson(presentMessage(message, matches))}\n`);
    if (query.search !== undefined) {
      let cursor: string | undefined;
      for (let left = limit; left > 0; ) {
        const page = await store.search({ text: query.search, conversationId: conversation.id, limit: Math.min(left, MAX_SEARCH_LIMIT), ...(cursor ? { cursor } : {}) });
        for (const hit of page.hits) print(hit.message, hit.matches);
        left -= page.hits.length;
        if (!page.next) break;
        cursor = page.next;
      }
    } else {
      const pages: HistoryMessage[][] = [];
      let older: string | undefined;
      for (let left = limit; left > 0; ) {
        const size = Math.min(left, MAX_PAGE_SIZE);
        const page = await store.page(conversation.id, older ? { kind: 'before', cursor: older } : { kind: 'newest' }, size);
        pages.unshift(page.messages);
        left -= page.messages.length;
        if (!page.older) break;
        older = page.older;
      }
      for (const message of pages.flat()) print(message);
    }
    return ExitCode.ok;
  } catch (error) {
    throw error instanceof ButterflyError ? error : new ButterflyError('history.unreadable', toErrorInfo(error).message, { cause: error });
  } finally {
    await store.close();
  }
}

function nothing(io: Output, note: string): number {
  io.stderr(`${note}\n`);
  return ExitCode.ok;
}

/** The stored message with its time in ISO 8601 beside the milliseconds, and a nickname decoded for reading. */
function presentMessage(message: HistoryMessage, matches?: TextRange[]) {
  return {
    time: new Date(message.at).toISOString(),
    ...message,
    ...(message.direction === 'in' ? { nickname: decodeName(message.nickname) } : {}),
    ...(matches ? { matches } : {}),
  };
}
