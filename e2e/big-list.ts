// A big contact list for the test server, shared by the e2e specs, `npm run screenshots` and the renderer benchmark.
import { defaultTestAccounts, type AccountSpec } from './msn-server';

/**
 * alice with `count` contacts in `groups` groups (group 0 "Other Contacts", then "Group 01"…): bob, then
 * contact0…, nicknamed from a list of first names; every third is an account of its own (password "pass") that
 * can sign in and has alice on its list.
 */
export function bigList(count: number, groups: number): AccountSpec[] {
  const base = defaultTestAccounts();
  const alice = base[0] as AccountSpec;
  const names = ['Ana', 'Bruno', 'Camila', 'Diego', 'Elena', 'Felipe', 'Gabi', 'Hugo', 'Inês', 'João', 'Karla', 'Luis', 'Mariana', 'Nico', 'Olga', 'Pedro'];
  const friends: AccountSpec[] = [];
  alice.groups = [{ id: 0, name: 'Other Contacts' }, ...Array.from({ length: groups - 1 }, (_, i) => ({ id: i + 1, name: `Group ${String(i + 1).padStart(2, '0')}` }))];
  alice.contacts = [
    ...(alice.contacts ?? []),
    ...Array.from({ length: count - 1 }, (_, i) => {
      const email = `contact${i}@example.com`;
      const nickname = `${names[i % names.length]} ${i}`;
      if (i % 3 === 0) friends.push({ email, password: 'pass', nickname, contacts: [{ email: 'alice@example.com', lists: ['FL', 'AL'] }] });
      return { email, nickname, lists: ['FL', 'AL'] as ('FL' | 'AL')[], groups: [i % groups] };
    }),
  ];
  return [...base, ...friends];
}

