// What every session handler of one running server shares: the account database, who is online, Passport
// tickets, the switchboard, the timers' settings and the fault switches.
import type { Directory } from './directory';
import type { FaultOptions } from './faults';
import type { TicketStore } from './passport';
import type { PresenceRegistry } from './presence';
import type { SwitchboardHub } from './switchboard-hub';

export interface Timings {
  /** A switchboard with no MSG for this long is closed. */
  sbIdleTimeoutMs: number;
  /** An SB cookie (XFR or RNG) must be used within this time. */
  sbCookieTtlMs: number;
  /** A Passport ticket must be used within this time. */
  ticketTtlMs: number;
  /** With challenges on: a CHL unanswered for this long drops the connection. */
  challengeTimeoutMs: number;
  /** With challenges on: send another CHL this often (0: only after the first CHG). */
  challengeIntervalMs: number;
  /** An NS connection that sends nothing for this long is dropped (0: never). */
  nsIdleTimeoutMs: number;
  /** A gateway session with no request for this long is closed. */
  gatewayIdleTimeoutMs: number;
  /** After `OUT SSD` the server closes the connection this much later. */
  outSsdCloseMs: number;
}

export interface ServerContext {
  directory: Directory;
  presence: PresenceRegistry;
  tickets: TicketStore;
  switchboard: SwitchboardHub;
  timings: Timings;
  faults(): FaultOptions;
  /** MSNP versions this server speaks, highest first. */
  versions: number[];
  challenges: boolean;
  /** SYN with the current list version answers only `SYN trid ver` (Escargot always sends the full list). */
  synSkipWhenCurrent: boolean;
  /** After USR OK, what current Escargot sends (`SBS 0 null` on MSNP11+, the profile MSG); the 2017 code: nothing. */
  loginBurst: boolean;
  /** UBX with the personal message escaped (the official servers); Escargot puts it back raw. */
  ubxEscaped: boolean;
  /** NAK `MSG` in modes A/N/D when nobody else is in the conversation (Escargot never sends NAK). */
  nakWhenAlone: boolean;
  /** Spends one of the `nakMessages` fault's NAKs: true when this MSG is to be NAKed. */
  takeNak(): boolean;
  /** Spends one of the `sbDrop` fault's drops if it is set for `command`: the phase, or undefined. */
  takeSbDrop(command: string): 'before' | 'after' | undefined;
  /** How many `USR … I` are still to be answered with `XFR NS` to `redirectTarget`. */
  redirect: { remaining: number; target: () => string };
  nsAddress(): string;
  sbAddress(): string;
  httpBase(): string;
}
