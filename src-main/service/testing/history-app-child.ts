// The child process of the service's restart test: the app's messenger service (its accounts in the data
// directory's registry, their histories there) signs alice in to the test server given on the command line and
// sends, through the service calls, what the parent tells it on stdin (`send <email> <text>`), printing
// `returned <message id>` once each send call has returned and `state <message id> <state>` for each delivery
// state. The parent kills it with SIGKILL and starts a service of its own on the same data directory.
import { createInterface } from 'node:readline';
import { answerChallenge } from '../../protocol/challenge';
import { systemClock } from '../../session/clock';
import { createMemoryListCache } from '../../session/list-cache';
import { createHttpClient, createTransportFactory } from '../../transport';
import { openFileAccountRegistry } from '../account-registry';
import { createMessengerService } from '../messenger-service';

const [dataDir, settingsJson] = process.argv.slice(2);
const service = createMessengerService({
  registry: openFileAccountRegistry(dataDir),
  settings: JSON.parse(settingsJson),
  routeFor: (s) => ({ transportFactory: createTransportFactory(s, { closeTimeoutMs: 500 }), httpClient: createHttpClient(s), nexusUrl: s.nexusUrl }),
  clock: systemClock,
  listCache: createMemoryListCache(),
  answerChallenge,
  // Nothing settles by itself while the parent watches: no ACK timeout, no second attempt at a switchboard.
  conversationTimings: { ackTimeoutMs: 10 * 60_000, reopenDelayMs: 10 * 60_000 },
  history: { dataDir },
});
const print = (line: string) => process.stdout.write(`${line}\n`);
service.onEvent((e) => {
  if (e.type === 'message-state') print(`state ${e.messageId} ${e.state}`);
});

const { accountId } = await service.signIn({ email: 'alice@example.com', password: 'alicepass' });
print(`ready ${accountId}`);
for await (const line of createInterface({ input: process.stdin })) {
  const [command, email, ...text] = line.split(' ');
  if (command !== 'send') continue;
  const { conversationId } = await service.calls['conversations:open']({ accountId, email });
  const { messageIds } = await service.calls['conversations:send-text']({ accountId, conversationId, text: text.join(' ') });
  for (const id of messageIds) print(`returned ${id}`);
}
