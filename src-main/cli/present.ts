// What the CLI prints: the service's events and lists with every name decoded (once) by the shared URL codec, so
// a person or a script reads "Alice ✿ 100%" where the wire said "Alice%20✿%20100%".
import type { Contact, ContactListSnapshot, MessengerEvent } from '../../src-shared/messenger-types';
import { decodeName } from '../../src-shared/url-codec';

export interface PrintedContact extends Omit<Contact, 'nickname' | 'phones'> {
  nickname: string;
  phones: Record<string, string>;
}

export function presentList(list: ContactListSnapshot) {
  return {
    version: list.version,
    gtc: list.gtc,
    blp: list.blp,
    groups: list.groups.map((g) => ({ id: g.id, name: decodeName(g.name) })),
    contacts: list.contacts.map(presentContact),
  };
}

export function presentContact(c: Contact): PrintedContact {
  return { ...c, nickname: decodeName(c.nickname), phones: Object.fromEntries(Object.entries(c.phones).map(([k, v]) => [k, decodeName(v)])) };
}

export function presentEvent(event: MessengerEvent): unknown {
  switch (event.type) {
    case 'contact-list':
      return { type: event.type, list: presentList(event.list) };
    case 'presence':
    case 'added-you':
      return { ...event, nickname: decodeName(event.nickname) };
    case 'own-profile':
      return { type: event.type, profile: { ...event.profile, nickname: decodeName(event.profile.nickname) } };
    default:
      return event;
  }
}
