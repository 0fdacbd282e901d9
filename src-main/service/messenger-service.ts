// The messenger service: the one facade the UI (through IPC), the browser bridge and the CLI talk to. Commands in,
// events out, all plain data, so the IPC layer forwards them unchanged; plus a traffic stream of protocol lines with
// secrets redacted. Names typed by people arrive here as plain text and are URL-encoded here, exactly once.
import { DisposableStore, Emitter, type Disposable, type Event } from '../../src-shared/disposable';
import { ButterflyError, toErrorInfo } from '../../src-shared/errors';
import {
  validateCommand,
  type MessengerCommand,
  type MessengerEvent,
  type MessengerSnapshot,
  type TrafficEntry,
} from '../../src-shared/messenger-types';
import { encodeName } from '../../src-shared/url-codec';
import { ConnectionManager, type ConnectionManagerOptions, type ConnectionRoute } from '../session/connection-manager';

export interface MessengerService extends Disposable {
  /** Runs one command. Rejects with a ButterflyError (plain `ErrorInfo` once it crosses IPC). */
  execute(command: MessengerCommand): Promise<void>;
  /** Everything the UI needs to draw itself from scratch (a window opened late, a reload). */
  snapshot(): MessengerSnapshot;
  readonly onEvent: Event<MessengerEvent>;
  readonly onTraffic: Event<TrafficEntry>;
  /** Resolves when pending cache writes are done. */
  flush(): Promise<void>;
  /** New connection settings, used from the next sign-in or reconnect on. */
  reconfigure(route: ConnectionRoute): void;
}

export type MessengerServiceOptions = ConnectionManagerOptions;

const LIST_COMMANDS = new Set<MessengerCommand['type']>([
  'add-contact',
  'remove-contact',
  'block-contact',
  'unblock-contact',
  'add-group',
  'rename-group',
  'remove-group',
  'move-contact',
  'answer-added-you',
]);

export function createMessengerService(options: MessengerServiceOptions): MessengerService {
  const manager = new ConnectionManager(options);
  const events = new Emitter<MessengerEvent>();
  const store = new DisposableStore();
  const emit = (event: MessengerEvent) => events.fire(event);

  store.add(manager.onState((state) => emit({ type: 'connection-state', state })));
  store.add(manager.onListChanged((list) => emit({ type: 'contact-list', list })));
  store.add(manager.onPresence((p) => emit({ type: 'presence', ...p })));
  store.add(manager.onAddedYou((p) => emit({ type: 'added-you', email: p.email, nickname: p.nickname })));
  store.add(manager.onProfile((profile) => emit({ type: 'own-profile', profile })));

  const run = async (command: MessengerCommand): Promise<void> => {
    switch (command.type) {
      case 'sign-in':
        return manager.signIn(command.email.trim(), command.password, command.status);
      case 'sign-out':
        return manager.signOut();
      case 'set-status':
        return manager.setStatus(command.status);
      case 'set-nickname':
        return manager.session().setNickname(encodeName(command.nickname));
      case 'add-contact':
        return manager.session().addContact(command.email.trim(), command.groupId);
      case 'remove-contact':
        return manager.session().removeContact(command.email);
      case 'block-contact':
        return manager.session().blockContact(command.email);
      case 'unblock-contact':
        return manager.session().unblockContact(command.email);
      case 'add-group':
        await manager.session().addGroup(encodeName(command.name));
        return;
      case 'rename-group':
        return manager.session().renameGroup(command.groupId, encodeName(command.name));
      case 'remove-group':
        return manager.session().removeGroup(command.groupId);
      case 'move-contact':
        return manager.session().moveContact(command.email, command.fromGroupId, command.toGroupId);
      case 'answer-added-you':
        return manager.session().answerAddedYou(command.email, command.allow, command.addBack);
    }
  };

  return {
    async execute(command) {
      const invalid = validateCommand(command);
      if (invalid) throw new ButterflyError('service.invalid-command', invalid);
      try {
        await run(command);
      } catch (error) {
        if (LIST_COMMANDS.has(command.type)) emit({ type: 'list-change-failed', command: redactCommand(command), error: toErrorInfo(error) });
        throw error;
      }
    },
    snapshot() {
      return { connection: manager.state, profile: manager.profile && { ...manager.profile }, list: manager.list.snapshot() };
    },
    onEvent: events.event,
    onTraffic: manager.onTraffic,
    flush: () => manager.flush(),
    reconfigure: (route) => manager.reconfigure(route),
    dispose() {
      store.dispose();
      manager.dispose();
      events.dispose();
    },
  };
}

// Commands are echoed in failure events; a password must never travel back out.
function redactCommand(command: MessengerCommand): MessengerCommand {
  return command.type === 'sign-in' ? { ...command, password: '' } : command;
}
