// The Passport 1.4 side of TWN sign-in: tickets handed out by the login endpoint and consumed (once) by
// `USR TWN S`. Tickets look like Escargot's (20 hex characters) and are bound to the account they were issued to.
import { randomBytes } from 'node:crypto';

export interface TicketStoreOptions {
  ttlMs: number;
  now?: () => number;
}

export class TicketStore {
  private readonly tickets = new Map<string, { email: string; expires: number }>();
  private issuedCount = 0;

  constructor(private readonly options: TicketStoreOptions) {}

  issue(email: string): string {
    const now = (this.options.now ?? Date.now)();
    for (const [t, v] of this.tickets) if (v.expires <= now) this.tickets.delete(t);
    const ticket = randomBytes(10).toString('hex');
    this.tickets.set(ticket, { email: email.toLowerCase(), expires: now + this.options.ttlMs });
    this.issuedCount++;
    return ticket;
  }

  /** True once per ticket, for the account it was issued to, before it expires. */
  consume(ticket: string, email: string): boolean {
    const entry = this.tickets.get(ticket);
    if (!entry) return false;
    this.tickets.delete(ticket);
    return entry.email === email.toLowerCase() && entry.expires > (this.options.now ?? Date.now)();
  }

  get issued(): number {
    return this.issuedCount;
  }
}

/** The value of `sign-in=`/`pwd=` etc. from `Authorization: Passport1.4 a=b,c=d`, URL-decoded. */
export function parsePassportAuthorization(header: string | undefined): Map<string, string> | undefined {
  if (!header || !header.startsWith('Passport1.4 ')) return undefined;
  const out = new Map<string, string>();
  for (const part of header.slice('Passport1.4 '.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    let value = part.slice(eq + 1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // A malformed escape stays as sent; the credential check then simply fails.
    }
    out.set(part.slice(0, eq).trim(), value);
  }
  return out;
}
