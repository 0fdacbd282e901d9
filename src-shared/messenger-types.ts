// The messenger service's contract: commands in, events out, all plain JSON-safe data so the IPC layer forwards them
// unchanged. Names rule for the whole app: nicknames and group names in events are exactly what came off the wire
// (URL-encoded); whoever shows them to a person decodes them with src-shared/url-codec. Names a person types travel
// in commands as plain text and main encodes them.
import * as v from 'valibot';
import type { ConversationEvent } from './conversation-types';
import type { ErrorInfo } from './errors';
import type { HistoryEvent, HistoryStatus } from './history-types';
import type { CurrentMedia } from './personal-status';

/** Presence codes as the protocol spells them. FLN only ever describes contacts. */
export type PresenceStatus = 'NLN' | 'BSY' | 'IDL' | 'BRB' | 'AWY' | 'PHN' | 'LUN' | 'HDN' | 'FLN';
/** What you can set yourself: everything but FLN (HDN = appear offline). */
export type OwnStatus = Exclude<PresenceStatus, 'FLN'>;
export const ownStatuses: readonly OwnStatus[] = ['NLN', 'BSY', 'IDL', 'BRB', 'AWY', 'PHN', 'LUN', 'HDN'];

export type ListName = 'FL' | 'AL' | 'BL' | 'RL';
/** List membership as the protocol's bit mask: FL=1, AL=2, BL=4, RL=8. */
export const listBits: Readonly<Record<ListName, number>> = { FL: 1, AL: 2, BL: 4, RL: 8 };

// The contact list as data, with the schema it is checked against wherever it was not produced by this run (the
// list cache file today; the same approach extends to IPC payloads). The types are inferred from the schemas, so the
// two cannot drift. Bounds: names as long as one protocol line (32 KiB), numbers within the wire's unsigned 32 bits,
// up to MAX_CACHED_CONTACTS contacts and 1,000 groups.
const uint32 = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffff_ffff));
const wireText = v.pipe(v.string(), v.maxLength(32 * 1024));
const groupId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
/** BPR/PRP values by key (PHH, PHW, PHM, MOB, MBE, HSB), URL-encoded as on the wire. */
const phones = v.pipe(v.record(v.pipe(v.string(), v.minLength(1), v.maxLength(16)), wireText), v.maxEntries(32));
const presenceStatuses: readonly PresenceStatus[] = [...ownStatuses, 'FLN'];
const currentMediaSchema = v.strictObject({ application: wireText, type: wireText, enabled: v.boolean(), format: wireText, args: v.pipe(v.array(wireText), v.maxLength(64)) });
/** An ISO-8601 stamp as MSNP10 writes them (`2000-01-01T00:00:00.0-00:00`), or `0` for none. */
const syncStamp = v.pipe(v.string(), v.regex(/^(0|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2}))$/));

export const contactSchema = v.strictObject({
  email: v.pipe(v.string(), v.minLength(3), v.maxLength(320)),
  /** URL-encoded, exactly as last seen on the wire (list, or presence when newer). */
  nickname: wireText,
  lists: v.strictObject({ FL: v.boolean(), AL: v.boolean(), BL: v.boolean(), RL: v.boolean() }),
  /** Group ids (opaque strings: numbers in MSNP8, GUIDs later). Meaningful only on FL. */
  groupIds: v.pipe(v.array(groupId), v.maxLength(1_000)),
  status: v.picklist(presenceStatuses),
  /** Capability bits from CHG/ILN/NLN, unsigned. 0 when unknown. */
  clientId: uint32,
  phones,
  /** The server's id for the contact (MSNP10+ `C=`): opaque; list edits name the contact by it. */
  contactId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
  /** The network the contact is on (MSNP12 `LST`: 1 = MSN). */
  network: v.optional(uint32),
  // What the contact shows while online (never cached: it comes with their presence).
  /** Their personal message (MSNP11+), as plain text decoded from the XML it came in. */
  personalMessage: v.optional(v.pipe(v.string(), v.maxLength(64 * 1024))),
  /** What they are playing (MSNP11+). */
  currentMedia: v.optional(currentMediaSchema),
  /** Their display picture's msnobject (MSNP9+), when they have one. */
  msnObject: v.optional(v.strictObject({ creator: wireText, sha1d: wireText, type: uint32, size: uint32, xml: wireText })),
});
export type Contact = v.InferOutput<typeof contactSchema>;

/**
 * A display picture as its msnobject describes it (p2p.md); only one with a creator and a SHA1D is a picture.
 * `sha1d` (base64 SHA-1 of the picture) identifies it; `type` 3 is a display picture; `xml` is the msnobject as sent.
 */
export type MsnObjectInfo = NonNullable<Contact['msnObject']>;

export const groupSchema = v.strictObject({
  id: groupId,
  /** URL-encoded, as on the wire. */
  name: wireText,
});
export type Group = v.InferOutput<typeof groupSchema>;

/** The most contacts a saved list may hold; a longer one is not cached (and is downloaded at every sign-in). */
export const MAX_CACHED_CONTACTS = 200_000;

export const contactListSnapshotSchema = v.strictObject({
  /** The server's list version (MSNP2–9); the cache key for the next SYN. */
  version: uint32,
  /** MSNP10+: the SYN's two "last change" stamps (contacts, groups); the cache key for the next SYN there. */
  timestamps: v.optional(v.strictObject({ contacts: syncStamp, groups: syncStamp })),
  /** The MSNP version the list was downloaded with: a list from another version is downloaded again, never trusted. */
  protocol: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(99))),
  /** Your own nickname as the list reported it (MSNP10+ `PRP MFN`: the only place it comes from), URL-encoded. */
  ownNickname: v.optional(wireText),
  /** Your personal message and now playing as you last set them (MSNP11+): the server never says them back, so they
   *  are kept here and sent again at the next sign-in. */
  ownPersonalMessage: v.optional(wireText),
  ownCurrentMedia: v.optional(currentMediaSchema),
  /** GTC: A = ask me when someone adds me, N = don't. */
  gtc: v.picklist(['A', 'N']),
  /** BLP: what happens to people on neither AL nor BL. */
  blp: v.picklist(['AL', 'BL']),
  groups: v.pipe(v.array(groupSchema), v.maxLength(1_000)),
  contacts: v.pipe(v.array(contactSchema), v.maxLength(MAX_CACHED_CONTACTS)),
  /** Own PRP values (PHH, PHW, PHM, MOB, MBE), URL-encoded. */
  ownPhones: phones,
});
export type ContactListSnapshot = v.InferOutput<typeof contactListSnapshotSchema>;

export interface OwnProfile {
  email: string;
  /** URL-encoded, as on the wire. */
  nickname: string;
  status: OwnStatus;
  /** MSNP11+: your personal message as the server took it (plain text); absent below MSNP11. */
  personalMessage?: string;
  /** MSNP11+: what you say you are playing. */
  currentMedia?: CurrentMedia;
}

export type ConnectStep =
  | 'connecting' // opening the TCP/proxy/gateway connection
  | 'negotiating' // VER + CVR
  | 'authenticating' // USR I / USR S
  | 'passport' // the HTTPS nexus + login round trip
  | 'redirected' // following XFR NS
  | 'syncing'; // SYN and the list download

export type SignOutReason =
  | 'user' // you asked
  | 'elsewhere' // OUT OTH: signed in from another place; never reconnects by itself
  | 'error'; // a failure that will not get better by retrying (see error)

export type ConnectionState =
  | { kind: 'signed-out'; reason: SignOutReason; error?: ErrorInfo }
  | { kind: 'connecting'; step: ConnectStep; attempt: number; server: string }
  | { kind: 'connected'; email: string; protocol: string; server: string }
  | { kind: 'reconnecting'; attempt: number; inSeconds: number; error: ErrorInfo };

/**
 * Which account something belongs to: a stable id for (server, e-mail address), fixed when the account is first used
 * (so the same address on two servers is two accounts). Opaque to everyone but main's account registry.
 */
export type AccountId = string;
export const accountIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an account id'));

// The fields people type or pick, as the IPC contract checks them (src-shared/ipc-contract.ts). Names here are plain
// text (not encoded): main encodes them once.
export const emailAddressSchema = v.pipe(v.string(), v.maxLength(320, 'must be at most 320 characters'), v.regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address'));
export const ownStatusSchema = v.picklist(ownStatuses, 'must be a status you can set (NLN, BSY, IDL, BRB, AWY, PHN, LUN or HDN)');
export const nicknameSchema = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(387, 'must be at most 387 characters'));
export const groupNameSchema = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(61, 'must be at most 61 characters'));
/** An MSNP version Butterfly speaks, as the highest to offer (2–12). */
export const protocolVersionSchema = v.pipe(v.number(), v.integer(), v.minValue(2, 'must be 2 or more'), v.maxValue(12, 'must be 12 or less'));
export const groupIdSchema = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(64, 'must be at most 64 characters'));

/** What one account tells the UI: the same union the service, IPC and the renderer pass along unchanged. */

/** A contact's presence as it is now: status, nickname, and what comes with it (personal message, now playing,
 *  display picture: each absent when they have none). */
export interface PresenceUpdate {
  email: string;
  status: PresenceStatus;
  nickname: string;
  clientId: number;
  personalMessage?: string;
  currentMedia?: CurrentMedia;
  msnObject?: MsnObjectInfo;
  /**
   * The server's initial presence (ILN): who was online already — after the first status of a sign-in, or for a contact
   * just added — not a change it saw happen (NLN, FLN). Nothing to announce.
   */
  initial?: boolean;
}

export type AccountEvent =
  | { type: 'connection-state'; state: ConnectionState }
  | { type: 'own-profile'; profile: OwnProfile }
  /** The whole list: after every sync, and after every change (small enough to resend; keeps the UI trivially right). */
  | { type: 'contact-list'; list: ContactListSnapshot }
  /** A contact's presence as it is now: status, nickname, and what comes with it (personal message, now playing,
   *  display picture: each absent when they have none). */
  | ({ type: 'presence' } & PresenceUpdate)
  /** Someone put you on their list and you have not decided yet (on RL, on neither AL nor BL). */
  | { type: 'added-you'; email: string; nickname: string }
  /** A list change you made was refused; the optimistic change has been rolled back. `change` names the call. */
  | { type: 'list-change-failed'; change: ListChange; error: ErrorInfo }
  /**
   * A change the server said yes to but did not keep (Escargot: a group rename at MSNP10+): the next download showed
   * the old state, which the list shows now. `what` says what was lost, for the person.
   */
  | { type: 'list-change-not-kept'; change: ListChange; what: string };

/** The contract's list calls, as `list-change-failed` names them. */
export type ListChange =
  | 'contacts:add'
  | 'contacts:remove'
  | 'contacts:block'
  | 'contacts:unblock'
  | 'contacts:move'
  | 'contacts:answer-added-you'
  | 'contacts:add-group'
  | 'contacts:rename-group'
  | 'contacts:remove-group'
  | 'contacts:set-privacy';

/**
 * Main → renderer: an account's event — its connection's, list's and presence's (AccountEvent), its
 * conversations' (ConversationEvent) or its message history's (HistoryEvent) — stamped with the account it belongs to.
 */
export type MessengerEvent = (AccountEvent | ConversationEvent | HistoryEvent) & { accountId: AccountId };

/** Everything the UI needs to draw one account from scratch (a window opened late, a reload). */
export interface AccountSnapshot {
  accountId: AccountId;
  /** The account's server, `host:port`: part of what the account is. */
  server: string;
  email: string;
  connection: ConnectionState;
  profile?: OwnProfile;
  list: ContactListSnapshot;
  /** Its message history's setting, whether it is kept on disk now, and what went wrong with it in this run. */
  history?: HistoryStatus;
  /** The highest MSNP version offered to its server (absent: every version Butterfly speaks, up to 12). */
  maxVersion?: number;
}

/** One protocol line in or out, secrets already redacted: for the protocol inspector and `cli --verbose`. */
export interface TrafficEntry {
  /** 'note': not a protocol line but Butterfly's own remark between them (e.g. where an XFR NS redirect leads). */
  direction: 'in' | 'out' | 'note';
  /** 'NS' for the notification server, 'SB' for a switchboard (a conversation's server), 'HTTP' for Passport requests. */
  channel: 'NS' | 'SB' | 'HTTP';
  /** A switchboard's session id, once known (from the invitation, or the CAL answer): which conversation's server. */
  sessionId?: string;
  /** The command line (or HTTP summary), redacted. */
  line: string;
  /** Payload size in bytes, when the command carried one (payloads are not copied here). */
  payloadBytes?: number;
  /** Milliseconds since the epoch. */
  at: number;
}

/** A traffic entry as the service reports it: with the account whose connection it was. */
export type AccountTrafficEntry = TrafficEntry & { accountId: AccountId };
