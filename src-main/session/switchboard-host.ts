// What conversations need from the signed-in account, as an interface (so the conversation manager is tested on its
// own, and an Account can hand it whatever it owns): whether we are signed in, `XFR SB` on the notification server,
// the RNG invitations it relays, and the user's route for the switchboard connections. connectionManagerHost adapts
// the ConnectionManager.
import { Emitter, type Event } from '../../src-shared/disposable';
import type { ConnectionState, TrafficEntry } from '../../src-shared/messenger-types';
import { parseRing, parseSwitchboardGrant, type RingInvite, type SwitchboardGrant } from '../protocol/sb-commands';
import type { TransportFactory } from '../transport/transport';
import { switchboardErrors } from './conversation-errors';
import type { ConnectionManager } from './connection-manager';
import type { Dialect } from './dialects';
import { isServerError } from './server-error';
import { sessionErrors } from './session-errors';

/** `online`: signed in. `waiting`: signing in or reconnecting (messages wait). `offline`: signed out. */
export type HostState = 'online' | 'waiting' | 'offline';

export interface SwitchboardHost {
  readonly state: HostState;
  readonly onState: Event<HostState>;
  /** Our own address while signed in. */
  readonly selfEmail: string | undefined;
  /** `XFR SB`: where to connect and the cookie. Rejects with a typed error (appear offline: switchboard.appear-offline). */
  requestSwitchboard(): Promise<SwitchboardGrant>;
  /** Invitations (`RNG`) from the notification server. */
  readonly onRing: Event<RingInvite>;
  /** The user's route, for the switchboard connections (the same as the NS's). */
  readonly transportFactory: TransportFactory;
  /** The NS's dialect while signed in: a switchboard has no VER and speaks the NS's version. */
  readonly dialect?: Dialect;
  /** Where switchboard traffic lines go (the protocol inspector), if anywhere. */
  readonly onTraffic?: (entry: TrafficEntry) => void;
}

const hostState = (s: ConnectionState): HostState => (s.kind === 'connected' ? 'online' : s.kind === 'signed-out' ? 'offline' : 'waiting');

/** The ConnectionManager as a switchboard host. Dispose the returned object with the manager. */
export function connectionManagerHost(manager: ConnectionManager, onTraffic?: (entry: TrafficEntry) => void): SwitchboardHost & { dispose(): void } {
  const state = new Emitter<HostState>();
  const ring = new Emitter<RingInvite>();
  const subscriptions = [
    manager.onState((s) => state.fire(hostState(s))),
    manager.onNsCommand((frame) => {
      if (frame.command !== 'RNG') return;
      const invite = parseRing(frame.args);
      if (invite) ring.fire(invite);
    }),
  ];
  return {
    get state() {
      return hostState(manager.state);
    },
    onState: state.event,
    get selfEmail() {
      return manager.state.kind === 'connected' ? manager.state.email : manager.profile?.email;
    },
    async requestSwitchboard() {
      try {
        const reply = await manager.session().request('XFR', ['SB']);
        const grant = parseSwitchboardGrant(reply.args);
        if (!grant) throw sessionErrors.unexpected(`XFR SB answered "${reply.args.slice(0, 2).join(' ')}"`);
        return grant;
      } catch (error) {
        // 913: "not allowed while offline or invisible" — refused while appearing offline (and before the first CHG).
        if (isServerError(error, 913)) throw manager.profile?.status === 'HDN' ? switchboardErrors.appearOffline() : switchboardErrors.notReady();
        throw error;
      }
    },
    onRing: ring.event,
    get transportFactory() {
      return manager.transportFactory;
    },
    get dialect() {
      return manager.dialect;
    },
    onTraffic,
    dispose() {
      for (const s of subscriptions) s.dispose();
      state.dispose();
      ring.dispose();
    },
  };
}
