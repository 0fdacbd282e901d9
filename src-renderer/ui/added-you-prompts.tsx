// "Someone added you to their list": let them see you (or block them), and optionally add them back. One at a time,
// as a dialog; the others wait their turn.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useButterflyStore } from '../store/store';
import type { AddedYouPrompt } from '../store/contacts-slice';
import { useDialogAct } from './contact-list/list-dialogs';
import { Dialog } from './dialog';
import { showName } from './display-name';
import type { ErrorWords } from './errors';
import { FormError } from './form-error';
import { withElement } from './rich-text';

export function AddedYouPrompts() {
  const first = useButterflyStore((s) => s.addedYou[0]);
  return first ? <Prompt key={first.email} prompt={first} /> : null;
}

function Prompt({ prompt }: { prompt: AddedYouPrompt }) {
  const { t } = useTranslation();
  const dismiss = useButterflyStore((s) => s.dismissAddedYou);
  const run = useDialogAct();
  const bodyId = useId();
  const [addBack, setAddBack] = useState(true);
  const [error, setError] = useState<ErrorWords | null>(null);
  const answer = async (allow: boolean) => {
    const refused = await run({ action: 'answer-added-you', email: prompt.email }, (c) => c.answerAddedYou(prompt.email, allow, allow && addBack));
    if (refused) setError(refused);
    else dismiss(prompt.email);
  };
  const name = showName(prompt.nickname) || prompt.email;
  return (
    // Closing without an answer leaves the question for the next sign-in (the server keeps them on RL only).
    <Dialog title={t('dialog.addedYou.title', { email: prompt.email })} describedBy={bodyId} onClose={() => dismiss(prompt.email)} className="added-you">
      <p id={bodyId}>
        {withElement(
          (marker) => t('dialog.addedYou.body', { name: marker, email: prompt.email }),
          <bdi>
            <strong>{name}</strong>
          </bdi>,
        )}
      </p>
      <label className="check">
        <input type="checkbox" checked={addBack} onChange={(e) => setAddBack(e.target.checked)} /> <span>{t('dialog.addedYou.addBack')}</span>
      </label>
      <FormError words={error} />
      <div className="buttons">
        <span className="spacer" />
        <button type="button" className="secondary" onClick={() => void answer(false)}>
          {t('dialog.addedYou.block')}
        </button>
        <button type="button" data-autofocus onClick={() => void answer(true)}>
          {t('dialog.addedYou.allow')}
        </button>
      </div>
    </Dialog>
  );
}
