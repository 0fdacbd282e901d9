// The contact list's dialogs: add a contact, add or rename a group, move a contact, and the confirmations before a
// removal. Each checks what it can before anything is sent (an address that is not one, a contact already in the
// list, a group name already taken), shows the server's refusal in words inside the dialog, and closes on success.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Commands, Result } from '../../store/commands';
import { contactKey } from '../../store/contacts-slice';
import { useButterflyStore } from '../../store/store';
import type { ErrorContext } from '../../store/ui-slice';
import { Dialog } from '../dialog';
import { cleanTyped, contactName, showName } from '../display-name';
import { describeError, type ErrorWords } from '../errors';
import { FormError } from '../form-error';
import { useCommands } from '../main-api';

export type ListDialog =
  | { kind: 'add-contact' }
  | { kind: 'add-group' }
  | { kind: 'rename-group'; groupId: string; name: string }
  | { kind: 'move'; email: string; fromGroupId: string }
  | { kind: 'remove-contact'; email: string }
  | { kind: 'remove-group'; groupId: string; name: string; count: number };

/** Group names: what the contract accepts (the server counts 61 bytes encoded; main says so if it refuses). */
export const MAX_GROUP_NAME = 61;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export interface ListDialogsProps {
  dialog: ListDialog;
  onClose: () => void;
  returnFocus: () => void;
}

export function ListDialogs({ dialog, onClose, returnFocus }: ListDialogsProps) {
  switch (dialog.kind) {
    case 'add-contact':
      return <AddContactDialog onClose={onClose} returnFocus={returnFocus} />;
    case 'add-group':
    case 'rename-group':
      return <GroupNameDialog dialog={dialog} onClose={onClose} returnFocus={returnFocus} />;
    case 'move':
      return <MoveDialog dialog={dialog} onClose={onClose} returnFocus={returnFocus} />;
    case 'remove-contact':
    case 'remove-group':
      return <ConfirmRemoveDialog dialog={dialog} onClose={onClose} returnFocus={returnFocus} />;
  }
}

/** Runs a call from a dialog: its refusal in words for the dialog to show; a success clears the list's notice. */
export function useDialogAct() {
  const commands = useCommands();
  const { t } = useTranslation();
  const clearNotice = useButterflyStore((s) => s.clearNotice);
  return async (context: ErrorContext, call: (c: Commands) => Promise<Result<unknown>>): Promise<ErrorWords | null> => {
    const result = await call(commands);
    if (result.ok) {
      clearNotice();
      return null;
    }
    return describeError(t, result.error, context, nameOfEmail);
  };
}

export const nameOfEmail = (email: string): string => {
  const contact = useButterflyStore.getState().contacts[contactKey(email)];
  return contact ? contactName(contact) : email;
};

function Buttons({ submit, busy, onClose, danger }: { submit: string; busy: boolean; onClose: () => void; danger?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="buttons">
      <span className="spacer" />
      <button type="button" className="secondary" onClick={onClose}>
        {t('dialog.cancel')}
      </button>
      <button type="submit" className={danger ? 'danger' : undefined} disabled={busy}>
        {submit}
      </button>
    </div>
  );
}

function GroupSelect({ label, groups, value, onChange, autoFocus }: { label: string; groups: { id: string; name: string }[]; value: string; onChange: (id: string) => void; autoFocus?: boolean }) {
  return (
    <Field label={label}>
      {(id) => (
        <select id={id} data-autofocus={autoFocus || undefined} value={value} onChange={(e) => onChange(e.target.value)}>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A dialog's send: busy while it runs, its refusal kept to show; `done` on success. */
function useSend(done: () => void) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ErrorWords | null>(null);
  const send = async (run: () => Promise<ErrorWords | null>) => {
    setBusy(true);
    const refused = await run();
    setBusy(false);
    if (refused) setFailure(refused);
    else done();
  };
  return { busy, failure, send };
}

function useSortedGroups() {
  const groups = useButterflyStore((s) => s.groups);
  return [...groups].map((g) => ({ id: g.id, name: showName(g.name) })).sort((a, b) => Number(a.id === '0') - Number(b.id === '0') || a.name.localeCompare(b.name));
}

function Field({ label, error, children }: { label: string; error?: string | null; children: (id: string, describedBy?: string) => ReactNode }) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children(id, error ? errorId : undefined)}
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

function AddContactDialog({ onClose, returnFocus }: { onClose: () => void; returnFocus: () => void }) {
  const { t } = useTranslation();
  const run = useDialogAct();
  const groups = useSortedGroups();
  const own = useButterflyStore((s) => s.profile?.email ?? '');
  const [email, setEmail] = useState('');
  const [groupId, setGroupId] = useState(groups.some((g) => g.id === '0') ? '0' : (groups[0]?.id ?? ''));
  const [fieldError, setFieldError] = useState<string | null>(null);
  const { busy, failure, send } = useSend(onClose);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const address = email.trim();
    const existing = useButterflyStore.getState().contacts[contactKey(address)];
    if (!EMAIL.test(address) || address.length > 320) return setFieldError(t('dialog.addContact.invalid'));
    if (address.toLowerCase() === own.toLowerCase()) return setFieldError(t('dialog.addContact.yourself'));
    if (existing?.lists.FL) return setFieldError(t('dialog.addContact.already', { name: contactName(existing) }));
    setFieldError(null);
    await send(() => run({ action: 'add-contact', email: address }, (c) => c.addContact(address, groupId || undefined)));
  };

  return (
    <Dialog title={t('dialog.addContact.title')} onClose={onClose} returnFocus={returnFocus}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t('dialog.addContact.email')} error={fieldError}>
          {(id, describedBy) => (
            <input id={id} type="email" autoComplete="off" data-autofocus value={email} aria-invalid={fieldError !== null} aria-describedby={describedBy} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
        {groups.length > 0 && <GroupSelect label={t('dialog.addContact.group')} groups={groups} value={groupId} onChange={setGroupId} />}
        <FormError words={failure} />
        <Buttons submit={t('dialog.addContact.submit')} busy={busy} onClose={onClose} />
      </form>
    </Dialog>
  );
}

function GroupNameDialog({ dialog, onClose, returnFocus }: { dialog: Extract<ListDialog, { kind: 'add-group' | 'rename-group' }>; onClose: () => void; returnFocus: () => void }) {
  const { t } = useTranslation();
  const run = useDialogAct();
  const renaming = dialog.kind === 'rename-group' ? dialog : null;
  const [name, setName] = useState(renaming?.name ?? '');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const { busy, failure, send } = useSend(onClose);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = name.trim();
    if (text === '') return setFieldError(t('dialog.groupEmpty'));
    if ([...text].length > MAX_GROUP_NAME) return setFieldError(t('dialog.groupTooLong', { max: MAX_GROUP_NAME }));
    if (renaming && text === renaming.name) return onClose();
    // A name already taken is refused here, before anything is sent (the server would accept a second "Friends").
    const folded = cleanTyped(text).toLocaleLowerCase();
    const taken = useButterflyStore.getState().groups.find((g) => g.id !== renaming?.groupId && showName(g.name).toLocaleLowerCase() === folded);
    if (taken) return setFieldError(t('dialog.groupTaken', { name: showName(taken.name) }));
    setFieldError(null);
    await send(() =>
      renaming ? run({ action: 'rename-group', group: text }, (c) => c.renameGroup(renaming.groupId, text)) : run({ action: 'add-group', group: text }, (c) => c.addGroup(text)),
    );
  };

  return (
    <Dialog title={renaming ? t('dialog.renameGroup.title', { name: renaming.name }) : t('dialog.addGroup.title')} onClose={onClose} returnFocus={returnFocus}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t('dialog.groupName')} error={fieldError}>
          {(id, describedBy) => (
            <input id={id} data-autofocus autoComplete="off" value={name} aria-invalid={fieldError !== null} aria-describedby={describedBy} onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <FormError words={failure} />
        <Buttons submit={renaming ? t('dialog.renameGroup.submit') : t('dialog.addGroup.submit')} busy={busy} onClose={onClose} />
      </form>
    </Dialog>
  );
}

function MoveDialog({ dialog, onClose, returnFocus }: { dialog: Extract<ListDialog, { kind: 'move' }>; onClose: () => void; returnFocus: () => void }) {
  const { t } = useTranslation();
  const run = useDialogAct();
  const contact = useButterflyStore((s) => s.contacts[contactKey(dialog.email)]);
  const targets = useSortedGroups().filter((g) => !contact?.groupIds.includes(g.id));
  const [to, setTo] = useState(targets[0]?.id ?? '');
  const { busy, failure, send } = useSend(onClose);
  const name = contact ? contactName(contact) : dialog.email;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!to) return onClose();
    const group = targets.find((g) => g.id === to)?.name;
    await send(() => run({ action: 'move-contact', email: dialog.email, group }, (c) => c.moveContact(dialog.email, dialog.fromGroupId, to)));
  };

  return (
    <Dialog title={t('dialog.move.title', { name })} onClose={onClose} returnFocus={returnFocus}>
      <form onSubmit={(e) => void submit(e)}>
        <GroupSelect label={t('dialog.move.group')} groups={targets} value={to} onChange={setTo} autoFocus />
        <FormError words={failure} />
        <Buttons submit={t('dialog.move.submit')} busy={busy} onClose={onClose} />
      </form>
    </Dialog>
  );
}

function ConfirmRemoveDialog({ dialog, onClose, returnFocus }: { dialog: Extract<ListDialog, { kind: 'remove-contact' | 'remove-group' }>; onClose: () => void; returnFocus: () => void }) {
  const { t } = useTranslation();
  const run = useDialogAct();
  const bodyId = useId();
  const { busy, failure, send } = useSend(onClose);
  const name = dialog.kind === 'remove-contact' ? nameOfEmail(dialog.email) : dialog.name;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await send(() =>
      dialog.kind === 'remove-contact'
        ? run({ action: 'remove-contact', email: dialog.email }, (c) => c.removeContact(dialog.email))
        : run({ action: 'remove-group', group: dialog.name }, (c) => c.removeGroup(dialog.groupId)),
    );
  };

  return (
    <Dialog
      role="alertdialog"
      describedBy={bodyId}
      title={dialog.kind === 'remove-contact' ? t('dialog.removeContact.title', { name }) : t('dialog.removeGroup.title', { name })}
      onClose={onClose}
      returnFocus={returnFocus}
    >
      <form onSubmit={(e) => void submit(e)}>
        <p id={bodyId}>
          {dialog.kind === 'remove-contact' ? t('dialog.removeContact.body', { name, email: dialog.email }) : t('dialog.removeGroup.body', { count: dialog.count })}
        </p>
        <FormError words={failure} />
        <div className="buttons">
          <span className="spacer" />
          <button type="button" className="secondary" data-autofocus onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="submit" className="danger" disabled={busy}>
            {dialog.kind === 'remove-contact' ? t('dialog.removeContact.confirm') : t('dialog.removeGroup.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
