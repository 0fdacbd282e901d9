// Secrets never reach the traffic stream: tickets, MD5 answers and switchboard cookies are replaced before a line is
// shown to the protocol inspector or printed by `cli --verbose`.
const HIDDEN = '[redacted]';

export function redactLine(direction: 'in' | 'out', line: string): string {
  const f = line.split(' ');
  const cmd = f[0];
  // C: USR trid TWN|MD5|SSO S <secret>  — the Passport ticket or the password hash.
  if (direction === 'out' && cmd === 'USR' && f[3] === 'S' && f.length > 4) return [...f.slice(0, 4), HIDDEN].join(' ');
  // S: XFR trid SB host CKI <cookie> / RNG session host CKI <cookie> ...  — a switchboard ticket.
  const cki = f.indexOf('CKI');
  if ((cmd === 'XFR' || cmd === 'RNG') && cki > 0 && cki + 1 < f.length) {
    f[cki + 1] = HIDDEN;
    return f.join(' ');
  }
  // SB: USR trid email cookie / ANS trid email cookie session.
  if (direction === 'out' && (cmd === 'ANS' || (cmd === 'USR' && f.length === 4 && f[2].includes('@')))) {
    f[3] = HIDDEN;
    return f.join(' ');
  }
  return line;
}

/** For HTTP requests to Passport: only the method and URL without its query, never headers. */
export function describeHttp(method: string, url: string): string {
  try {
    const u = new URL(url);
    return `${method} ${u.origin}${u.pathname}`;
  } catch {
    return `${method} (invalid URL)`;
  }
}
