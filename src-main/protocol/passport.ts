// Exports: the pure parts of MSNP8's TWN / Passport 1.4 sign-in —
//   parseTwnChallenge (the `USR n TWN S <challenge>` arguments → the challenge string, passed on verbatim),
//   buildPassportLoginHeader / passportLoginHeaders (the login request's Authorization header),
//   nexusRequestHeaders (the nexus request's headers: none beyond what any GET has),
//   parsePassportUrls (nexus `PassportURLs` → the DALogin URL, scheme added when missing),
//   parseAuthenticationInfo (login `Authentication-Info` → the ticket from from-PP='…'),
//   parseWwwAuthenticate (a failed login's `WWW-Authenticate` → its da-status and message),
//   parsePassportFields (the shared `Passport1.4 k=v,k='v'` parser), passportUrlEncode, DEFAULT_NEXUS_URL.
// No I/O: the session does the HTTP round trips. Never put a password or ticket in an error message.

export const DEFAULT_NEXUS_URL = 'https://nexus.passport.com/rdr/pprdr.asp';
/** The OrgURL every Messenger client sent, already URL-encoded. */
export const MESSENGER_ORG_URL = 'http%3A%2F%2Fmessenger%2Emsn%2Ecom';

const encoder = new TextEncoder();
const HEX = '0123456789ABCDEF';

/**
 * URL-encodes every byte except ASCII letters, digits and `-._~`: the server splits the header on ',' and '=', so
 * the sign-in name and password must not carry either raw (nor '%', spaces or non-ASCII).
 */
export function passportUrlEncode(text: string): string {
  let out = '';
  for (const b of encoder.encode(text)) {
    const keep = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e;
    out += keep ? String.fromCharCode(b) : `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/** `USR 6 TWN S lc=1033,id=507,…` → its arguments after the TrID (['TWN', 'S', …]) → the challenge, or undefined. */
export function parseTwnChallenge(args: readonly string[]): string | undefined {
  if (args.length < 3 || args[0] !== 'TWN' || args[1] !== 'S') return undefined;
  const challenge = args.slice(2).join(' ');
  return challenge === '' ? undefined : challenge;
}

/** The nexus request is a plain GET; nothing in it depends on the account. */
export function nexusRequestHeaders(): Record<string, string> {
  return {};
}

/** `Passport1.4 OrgVerb=GET,OrgURL=…,sign-in=<email>,pwd=<password>,<challenge>` (email and password URL-encoded). */
export function buildPassportLoginHeader(email: string, password: string, challenge: string, orgUrl = MESSENGER_ORG_URL): string {
  return `Passport1.4 OrgVerb=GET,OrgURL=${orgUrl},sign-in=${passportUrlEncode(email)},pwd=${passportUrlEncode(password)},${challenge}`;
}

/** The login request's headers. The value holds the password: never log it. */
export function passportLoginHeaders(email: string, password: string, challenge: string, orgUrl = MESSENGER_ORG_URL): Record<string, string> {
  return { Authorization: buildPassportLoginHeader(email, password, challenge, orgUrl) };
}

/**
 * Parses `Passport1.4 k=v,k2='v, with commas',…` (the scheme word is optional) into a map with lower-cased keys.
 * Quoted values ('…') may contain commas; an unterminated quote runs to the end. Never throws.
 */
export function parsePassportFields(header: string): Map<string, string> {
  const fields = new Map<string, string>();
  let text = header.trim();
  const scheme = /^Passport1\.4\s+/i.exec(text);
  if (scheme) text = text.slice(scheme[0].length);
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ',' || text[i] === ' ')) i++;
    const eq = text.indexOf('=', i);
    const comma = text.indexOf(',', i);
    if (eq === -1 || (comma !== -1 && comma < eq)) {
      // A bare word without '=': skip it.
      i = comma === -1 ? text.length : comma + 1;
      continue;
    }
    const key = text.slice(i, eq).trim().toLowerCase();
    let value: string;
    if (text[eq + 1] === "'") {
      const close = text.indexOf("'", eq + 2);
      value = text.slice(eq + 2, close === -1 ? text.length : close);
      const next = close === -1 ? -1 : text.indexOf(',', close);
      i = next === -1 ? text.length : next + 1;
    } else {
      const next = text.indexOf(',', eq);
      value = text.slice(eq + 1, next === -1 ? text.length : next);
      i = next === -1 ? text.length : next + 1;
    }
    if (key !== '' && !fields.has(key)) fields.set(key, value.trim());
  }
  return fields;
}

/** Nexus `PassportURLs: DARealm=…,DALogin=login.example/login2.srf,…` → `https://login.example/login2.srf`. */
export function parsePassportUrls(header: string): string | undefined {
  const login = parsePassportFields(header).get('dalogin');
  if (!login) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(login) ? login : `https://${login}`;
}

/** `Authentication-Info: Passport1.4 da-status=success,…,from-PP='t=…&p=…'` → the ticket exactly as sent. */
export function parseAuthenticationInfo(header: string): string | undefined {
  const fields = parsePassportFields(header);
  const status = fields.get('da-status');
  if (status !== undefined && status.toLowerCase() !== 'success') return undefined;
  const ticket = fields.get('from-pp');
  return ticket ? ticket : undefined;
}

export interface PassportFailure {
  /** `failed` for a wrong password; whatever else the server said otherwise (undefined when absent). */
  daStatus: string | undefined;
  /** The server's explanation (`cbtxt`), URL-decoded, when it sent one. */
  message: string | undefined;
}

/** A failed login's `WWW-Authenticate: Passport1.4 da-status=failed,…`. */
export function parseWwwAuthenticate(header: string): PassportFailure {
  const fields = parsePassportFields(header);
  const text = fields.get('cbtxt');
  let message: string | undefined;
  if (text !== undefined) {
    try {
      message = decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      message = text;
    }
  }
  return { daStatus: fields.get('da-status'), message };
}
