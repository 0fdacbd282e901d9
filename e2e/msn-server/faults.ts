// Fault injection, switchable per test (in options or at runtime through `server.faults`). Each switch models
// something a real network or server does to a client; defaults are all off, which is the well-behaved server.

export type FaultScope = 'all' | 'ns' | 'sb';
export type MalformedKind = 'garbage-line' | 'oversized-length' | 'bad-length' | 'long-line';

export interface CommandTrigger {
  /** Which server's connections the trigger watches. Default 'ns'. */
  server?: 'ns' | 'sb';
  /** The client command (e.g. `SYN`, `USR`, `CHG`, `MSG`) that fires it. */
  command: string;
  /** Fire on the Nth matching command of a connection (1-based). Default 1. */
  occurrence?: number;
}

export interface DropTrigger extends CommandTrigger {
  /** `before-reply` (default): drop instead of answering; `mid-reply`: send half the reply bytes, then drop;
   *  `after-reply`: answer, then drop. */
  phase?: 'before-reply' | 'mid-reply' | 'after-reply';
}

export interface MalformedTrigger extends CommandTrigger {
  kind: MalformedKind;
}

/** Switchboard connections that receive `command` are dropped, `count` times in all (then the switch is spent). */
export interface SbDrop {
  /** A client command on the switchboard: `USR`, `ANS`, `CAL`, `MSG`. */
  command: string;
  /** `before`: dropped instead of handling it (a MSG is not relayed); `after`: handled and answered, then dropped. */
  phase: 'before' | 'after';
  count: number;
}

export interface FaultOptions {
  /** Write every server write in 1-byte pieces or random-size pieces (1..16 bytes). */
  chunking: 'none' | 'byte' | 'random';
  /** Pause between two pieces when chunking (0: next event-loop turn). */
  chunkDelayMs: number;
  /** Delay every reply (and unsolicited write) by this many ms. */
  replyDelayMs: number;
  /** Which connections the write faults above apply to. */
  scope: FaultScope;
  /** Answer the commands that arrived together in reverse order (SYN + CHG in one write → CHG reply first). */
  reorderReplies: boolean;
  /** During a SYN, send unsolicited commands (a `MSG Hotmail Hotmail` e-mail notice, a `CHL` when challenges are
   *  on) between the list lines. */
  unsolicitedDuringSyn: boolean;
  dropAt: DropTrigger | null;
  /** After answering the trigger command, send malformed bytes. */
  malformed: MalformedTrigger | null;
  /** After answering the trigger command, send `OUT SSD` and close. */
  outSsdAt: CommandTrigger | null;
  /** Never answer `PNG`. */
  stallPng: boolean;
  /** Accept switchboard TCP connections and close them at once. */
  refuseSb: boolean;
  /** Relay `MSG A`/`D` but send no `ACK`. */
  dropAck: boolean;
  /** Answer the next N switchboard `MSG`s in modes A/N/D with `NAK` (they are not relayed). */
  nakMessages: number;
  /** One-shot switchboard drops at a command. */
  sbDrop: SbDrop | null;
  /** The `RNG` for a CAL of this account goes out `ms` late (a slow or far-away client answering last). */
  ringDelay: { email: string; ms: number } | null;
  /** `XFR SB` before the first CHG or while HDN: `913` (the official servers and current Escargot) or an SB handed
   *  out anyway (`sb`: the 2017 Escargot). */
  xfrSbWhenHidden: '913' | 'sb';
  /** `GTC`/`BLP` acknowledged (the value echoed) but not kept: `SYN` goes on reporting the old value, as today's
   *  Escargot does (protocol/msnp9-12.md). */
  privacyNotKept: boolean;
  /** ILN/NLN (and UBX) for every entry of the watcher's list, people only on its RL or BL too, as the 2017 Escargot
   *  sends them (msnp9-12.md: "filter on FL yourself"); off: only for FL contacts, as the official servers
   *  (presence.md). */
  presenceToEveryEntry: boolean;
  /** The first version whose switchboard `IRO`/`JOI` carry the member's capabilities: 12, as the official servers
   *  (MSN 7.5), or 13, as Escargot (an MSNP12 client gets the MSNP8 forms; msnp9-12.md). */
  sbCapabilitiesFrom: 12 | 13;
  /** MSNP10+: the SYN answer carries this in place of each of its two stamps (a server sending garbage). */
  synStamps: string | null;
  /** Delay every HTTP answer (nexus, login, gateway) by this many ms. */
  httpDelayMs: number;
  /** Answer the Passport nexus and login with this HTTP status (e.g. 500, 503) instead of working. */
  passportStatus: number | null;
  /** Seed for the random chunk sizes (deterministic runs). */
  seed: number;
}

export function defaultFaults(): FaultOptions {
  return {
    chunking: 'none',
    chunkDelayMs: 0,
    replyDelayMs: 0,
    scope: 'all',
    reorderReplies: false,
    unsolicitedDuringSyn: false,
    dropAt: null,
    malformed: null,
    outSsdAt: null,
    stallPng: false,
    refuseSb: false,
    dropAck: false,
    nakMessages: 0,
    sbDrop: null,
    ringDelay: null,
    xfrSbWhenHidden: '913',
    privacyNotKept: false,
    presenceToEveryEntry: false,
    sbCapabilitiesFrom: 12,
    synStamps: null,
    httpDelayMs: 0,
    passportStatus: null,
    seed: 1,
  };
}

export interface FaultControls {
  /** The switches now in force (a copy). */
  readonly current: FaultOptions;
  /** Turn switches on or off; the rest stay as they are. */
  set(patch: Partial<FaultOptions>): void;
  /** Back to the well-behaved server. */
  reset(): void;
  /** Send `OUT SSD` to every signed-in NS connection (or only that account's) and close them. Returns how many. */
  sendOutSsd(email?: string): number;
  /** Write raw bytes to an account's NS connection(s) outside the framing. Returns how many connections got them. */
  sendRaw(email: string, bytes: Buffer | string): number;
  /** Raw bytes to an account's switchboard connection(s) outside the framing. Returns how many got them. */
  sendRawSb(email: string, bytes: Buffer | string): number;
  /** Drop switchboard connections (an account's, or every one) at once; the others in them get `BYE email`. */
  kickSwitchboards(email?: string): number;
  /** Drop an account's NS connection(s) at once, with no `OUT` (a network cut); its switchboards stay. */
  kickNs(email: string): number;
  /** The server drops an account from its switchboards as if it had timed out: the others get `BYE email 1`. */
  timeOutOfSwitchboards(email: string): number;
}

/** The bytes each malformed kind writes. */
export function malformedBytes(kind: MalformedKind): Buffer {
  switch (kind) {
    case 'garbage-line':
      return Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x20, 0x7e, 0x0d, 0x0a]);
    case 'oversized-length':
      return Buffer.from('MSG Hotmail Hotmail 2147483647\r\n');
    case 'bad-length':
      return Buffer.from('MSG Hotmail Hotmail -12x\r\n');
    case 'long-line':
      return Buffer.alloc(70_000, 0x41);
  }
}

/** A small deterministic generator for chunk sizes (xorshift32). */
export function makeRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

export function triggerMatches(t: CommandTrigger | null, server: 'ns' | 'sb', command: string, countSoFar: number): boolean {
  if (!t) return false;
  return (t.server ?? 'ns') === server && t.command === command && (t.occurrence ?? 1) === countSoFar;
}
