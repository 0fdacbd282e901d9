// The signed-in window: you (nickname, status), then your contacts by group with their presence, online first.
// Every name shown here is decoded once, from the wire form the store keeps, with the shared codec.
import { useState, type FormEvent } from 'react';
import type { Contact, ContactListSnapshot, Group, OwnStatus } from '../../src-shared/messenger-types';
import { decodeName } from '../../src-shared/url-codec';
import { useButterflyStore } from '../store/store';
import { AddedYouPrompts } from './added-you-prompts';
import { useCommands } from './main-api';
import type { Commands, Result } from '../store/commands';
import { GroupSection } from './group-section';
import { choosableStatuses, ownStatusLabels } from './presence';

/** Runs one command and shows its refusal in the list's error line. */
export type Act = (call: (commands: Commands) => Promise<Result>) => Promise<Result>;

interface GroupView {
  group: Group;
  contacts: Contact[];
}

/** FL contacts by group (a contact in two groups shows in both); online before offline, then by name. */
export function groupContacts(list: ContactListSnapshot): GroupView[] {
  const forward = list.contacts.filter((c) => c.lists.FL);
  // Each name decoded once for the sort, not once per comparison.
  const names = new Map(forward.map((c) => [c, decodeName(c.nickname)]));
  const byName = (a: Contact, b: Contact) =>
    Number(a.status === 'FLN') - Number(b.status === 'FLN') || (names.get(a) as string).localeCompare(names.get(b) as string);
  const views = list.groups.map((group) => ({ group, contacts: forward.filter((c) => c.groupIds.includes(group.id)).sort(byName) }));
  const known = new Set(list.groups.map((g) => g.id));
  const ungrouped = forward.filter((c) => !c.groupIds.some((id) => known.has(id))).sort(byName);
  // MSNP2–6 have no groups: everyone lands here.
  if (ungrouped.length > 0) views.push({ group: { id: '', name: 'Contacts' }, contacts: ungrouped });
  return views;
}

export function ContactListScreen() {
  const profile = useButterflyStore((s) => s.profile);
  const connection = useButterflyStore((s) => s.connection);
  const list = useButterflyStore((s) => s.list);
  const listError = useButterflyStore((s) => s.listError);
  const dismissListError = useButterflyStore((s) => s.dismissListError);
  const commands = useCommands();
  const [actionError, setActionError] = useState<string | null>(null);
  const act: Act = async (call) => {
    const result = await call(commands);
    setActionError(result.ok ? null : result.error.message);
    return result;
  };
  const connected = connection.kind === 'connected';

  return (
    <main className="contact-list" aria-label="Contacts">
      <header className="me">
        <NicknameEditor wireName={profile?.nickname ?? ''} disabled={!connected} onSave={(nickname) => act((c) => c.setNickname(nickname))} />
        <div className="me-row">
          <span className="me-email">{profile?.email}</span>
          <select
            aria-label="My status"
            value={profile?.status ?? 'NLN'}
            disabled={!connected}
            onChange={(e) => void act((c) => c.setStatus(e.target.value as OwnStatus))}
          >
            {choosableStatuses.map((s) => (
              <option key={s} value={s}>
                {ownStatusLabels[s]}
              </option>
            ))}
          </select>
          <button type="button" className="secondary" onClick={() => void commands.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      {connection.kind !== 'connected' && (
        <p className="banner" role="status">
          {connection.kind === 'reconnecting' ? `Connection lost: ${connection.error.message} Trying again in ${connection.inSeconds} s.` : 'Reconnecting…'}
        </p>
      )}
      {(actionError ?? listError) && (
        <p className="form-error" role="alert">
          {actionError ?? listError?.message}{' '}
          <button type="button" className="link" onClick={() => (setActionError(null), dismissListError())}>
            Dismiss
          </button>
        </p>
      )}
      <AddedYouPrompts />
      {groupContacts(list).map(({ group, contacts }) => (
        <GroupSection key={group.id} group={group} contacts={contacts} groups={list.groups} disabled={!connected} act={act} />
      ))}
      <AddForm label="Add a contact by e-mail address" button="Add contact" placeholder="Add a contact: name@example.com" type="email" disabled={!connected} onAdd={(email) => act((c) => c.addContact(email))} />
      <AddForm label="New group name" button="Add group" placeholder="New group" type="text" maxLength={61} disabled={!connected} onAdd={(name) => act((c) => c.addGroup(name))} />
    </main>
  );
}

function NicknameEditor({ wireName, disabled, onSave }: { wireName: string; disabled: boolean; onSave: (nickname: string) => Promise<unknown> }) {
  const [draft, setDraft] = useState<string | null>(null);
  if (draft === null) {
    return (
      <h1 className="me-nickname">
        <button type="button" className="link" disabled={disabled} onClick={() => setDraft(decodeName(wireName))} title="Change your nickname">
          {decodeName(wireName)}
        </button>
      </h1>
    );
  }
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const text = draft.trim();
    setDraft(null);
    // Plain text goes to main, which encodes it once.
    if (text && text !== decodeName(wireName)) await onSave(text);
  };
  return (
    <form className="inline-form" onSubmit={(e) => void save(e)}>
      <input aria-label="Nickname" value={draft} maxLength={129} autoFocus onChange={(e) => setDraft(e.target.value)} />
      <button type="submit">Save</button>
    </form>
  );
}

interface AddFormProps {
  label: string;
  button: string;
  placeholder: string;
  type: 'email' | 'text';
  maxLength?: number;
  disabled: boolean;
  onAdd: (text: string) => Promise<unknown>;
}

function AddForm({ label, button, placeholder, type, maxLength, disabled, onAdd }: AddFormProps) {
  const [text, setText] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    await onAdd(text.trim());
    setText('');
  };
  return (
    <form className="inline-form add-form" onSubmit={(e) => void submit(e)}>
      <input type={type} aria-label={label} placeholder={placeholder} maxLength={maxLength} value={text} disabled={disabled} onChange={(e) => setText(e.target.value)} />
      <button type="submit" disabled={disabled}>
        {button}
      </button>
    </form>
  );
}
