// The child process of the kill -9 test: writes `count` messages to the history in `dataDir` the way the app does
// (outgoing messages appended before they are sent, then their state changes, incoming messages between), a burst
// per turn of the event loop, and prints `ack <id>` on stdout as each append's promise resolves. The parent kills it
// with SIGKILL somewhere in the middle and checks the database.
import { openHistoryStore } from '../open-history';
import { incoming, outgoing, single } from './history-fixtures';

const [dataDir, countText] = process.argv.slice(2);
const count = Number(countText);
const BURST = 25;

const store = await openHistoryStore({ dataDir, accountId: 'crash', maxBatch: 200 });
await store.recordConversation(single('c-bob', 'bob@example.com'));
process.stdout.write('ready\n');

let next = 0;
function burst(): void {
  for (let k = 0; k < BURST && next < count; k++, next++) {
    const i = next;
    const id = `m${i}`;
    const text = `message ${i}: Grüße, 北京, 😀 ${'lorem ipsum '.repeat(i % 7)}`;
    const message = i % 3 === 0 ? incoming(id, 'c-bob', 'bob@example.com', text, Date.now()) : outgoing(id, 'c-bob', text, Date.now());
    void store.append(message).then(() => process.stdout.write(`ack ${id}\n`));
    if (i % 3 === 1) void store.recordState({ conversationId: 'c-bob', messageId: id, state: 'sent', attempt: 1 });
  }
  if (next < count) setImmediate(burst);
  else void store.flush().then(() => process.stdout.write('done\n'));
}
burst();
