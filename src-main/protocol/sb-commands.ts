// Exports: the switchboard's command lines as typed data — parseSwitchboardGrant (the NS's `XFR trid SB host:port CKI
// cookie`), parseRing (`RNG session host:port CKI cookie email nick`), parseJoin (`JOI email nick [clientId]`),
// parseRoster (`IRO trid index total email nick [clientId]`), parseBye (`BYE email [1]`), parseMessageSender
// (`MSG email nick length`); SwitchboardGrant, RingInvite, SwitchboardMember, isEmailAddress.
// Each takes the fields after the command (and after the TrID where the line has one: IncomingCommand.args) and
// returns undefined for a line that does not have the shape, so the session can treat it as the nonsense it is.
// MSNP12+ may append a capability field to JOI/IRO (read when asked: the dialect knows); MSNP13+ append more fields
// to XFR/RNG/JOI/IRO (`U host`, a 1/0 flag); extra fields are ignored.
// Nicknames stay URL-encoded, as on the wire.
import { splitHostPort } from '../../src-shared/connection-settings';

export interface SwitchboardAddress {
  host: string;
  port: number;
}

/** What the NS hands out with `XFR … SB`: where to connect and the single-use cookie for `USR`. */
export interface SwitchboardGrant extends SwitchboardAddress {
  cookie: string;
}

/** An invitation (`RNG`): where to connect, the cookie and session id for `ANS`, and who calls. */
export interface RingInvite extends SwitchboardGrant {
  sessionId: string;
  callerEmail: string;
  /** URL-encoded. */
  callerNickname: string;
}

export interface SwitchboardMember {
  email: string;
  /** URL-encoded. */
  nickname: string;
  /** The capability field (MSNP12+ `IRO`/`JOI`), when the line has one and it is asked for. */
  clientId?: number;
}

/** A capability field: an unsigned 32-bit number, else nothing. */
function capabilities(field: string | undefined): { clientId?: number } {
  return field !== undefined && /^\d{1,10}$/.test(field) && Number(field) <= 0xffff_ffff ? { clientId: Number(field) } : {};
}

/** The SB port when an address carries none (the protocol's standard port). */
const DEFAULT_PORT = 1863;

export const isEmailAddress = (s: string | undefined): s is string => s !== undefined && s.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(s);

function address(text: string | undefined): SwitchboardAddress | undefined {
  if (!text) return undefined;
  const hp = splitHostPort(text);
  const port = hp?.port ?? DEFAULT_PORT;
  if (!hp || hp.host === '' || port < 1 || port > 65535) return undefined;
  return { host: hp.host, port };
}

/** `XFR trid SB host:port CKI cookie` → args `['SB', 'host:port', 'CKI', cookie, …]`. */
export function parseSwitchboardGrant(args: readonly string[]): SwitchboardGrant | undefined {
  if (args[0] !== 'SB' || args[2] !== 'CKI' || !args[3]) return undefined;
  const where = address(args[1]);
  return where && { ...where, cookie: args[3] };
}

/** `RNG sessionId host:port CKI cookie callerEmail callerNick` (RNG has no TrID). */
export function parseRing(args: readonly string[]): RingInvite | undefined {
  const [sessionId, at, cki, cookie, callerEmail, callerNickname] = args;
  if (!sessionId || cki !== 'CKI' || !cookie || !isEmailAddress(callerEmail)) return undefined;
  const where = address(at);
  return where && { ...where, cookie, sessionId, callerEmail, callerNickname: callerNickname ?? callerEmail };
}

/** `JOI email nick [clientId]` (no TrID); the capability field is read when `withCapabilities` (MSNP12+). */
export function parseJoin(args: readonly string[], withCapabilities = false): SwitchboardMember | undefined {
  const [email, nickname, caps] = args;
  return isEmailAddress(email) ? { email, nickname: nickname ?? email, ...(withCapabilities ? capabilities(caps) : {}) } : undefined;
}

/** `IRO trid index total email nick [clientId]`: args after the TrID; the capability field as for parseJoin. */
export function parseRoster(args: readonly string[], withCapabilities = false): { index: number; total: number; member: SwitchboardMember } | undefined {
  const [index, total, email, nickname, caps] = args;
  if (!/^\d{1,6}$/.test(index ?? '') || !/^\d{1,6}$/.test(total ?? '') || !isEmailAddress(email)) return undefined;
  return { index: Number(index), total: Number(total), member: { email, nickname: nickname ?? email, ...(withCapabilities ? capabilities(caps) : {}) } };
}

/** `BYE email` (they closed the conversation) or `BYE email 1` (the server dropped them). */
export function parseBye(args: readonly string[]): { email: string; dropped: boolean } | undefined {
  return isEmailAddress(args[0]) ? { email: args[0], dropped: args[1] === '1' } : undefined;
}

/** A received `MSG email nick length`: the sender. */
export function parseMessageSender(args: readonly string[]): SwitchboardMember | undefined {
  const [email, nickname, length] = args;
  if (!isEmailAddress(email) || nickname === undefined || !/^\d+$/.test(length ?? '')) return undefined;
  return { email, nickname };
}
