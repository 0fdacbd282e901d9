// The flow a conversation shows: its live messages (this run's, kept by the conversations slice) and the stored
// stretch the history slice loaded, as one list in time order with no message twice — where both have a message
// (same id) the live one is shown, as it carries the latest delivery state. A stretch that does not reach the newest
// stored message (a jump far back) is shown on its own: the live messages come back as paging down reaches them.
import type { FlowEntry } from '../../store/conversations-slice';
import type { HistoryMessage } from '../../../src-shared/history-types';
import type { HistoryWindow } from '../../store/history-slice';

const at = (e: FlowEntry) => (e.type === 'message' ? e.message.at : e.at);

/** Each stored message's entry made once: a long stretch merged again after a page makes no new objects for it. */
const entries = new WeakMap<HistoryMessage, FlowEntry>();
function entryOf(message: HistoryMessage): FlowEntry {
  let entry = entries.get(message);
  if (!entry) {
    entry = { type: 'message', message };
    entries.set(message, entry);
  }
  return entry;
}

export function mergeFlow(stored: HistoryWindow | undefined, live: readonly FlowEntry[]): readonly FlowEntry[] {
  if (!stored || stored.messages.length === 0) return live;
  const liveById = new Map<string, FlowEntry>();
  for (const e of live) if (e.type === 'message') liveById.set(e.message.id, e);
  if (stored.newer !== undefined) return stored.messages.map((message) => liveById.get(message.id) ?? entryOf(message));
  // Both are in time order: merged, a stored message before a live entry of the same instant.
  const out: FlowEntry[] = [];
  let j = 0;
  for (const message of stored.messages) {
    if (liveById.has(message.id)) continue;
    while (j < live.length && at(live[j] as FlowEntry) < message.at) out.push(live[j++] as FlowEntry);
    out.push(entryOf(message));
  }
  while (j < live.length) out.push(live[j++] as FlowEntry);
  return out;
}
