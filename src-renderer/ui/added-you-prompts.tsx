// "Someone added you to their list": let them see you (or block them), and optionally add them back.
import { useState } from 'react';
import { decodeName } from '../../src-shared/url-codec';
import { useButterflyStore } from '../store/store';
import type { AddedYouPrompt } from '../store/messenger-slice';
import { useCommands } from './main-api';

export function AddedYouPrompts() {
  const prompts = useButterflyStore((s) => s.addedYou);
  return (
    <>
      {prompts.map((p) => (
        <Prompt key={p.email} prompt={p} />
      ))}
    </>
  );
}

function Prompt({ prompt }: { prompt: AddedYouPrompt }) {
  const dismiss = useButterflyStore((s) => s.dismissAddedYou);
  const commands = useCommands();
  const [addBack, setAddBack] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const answer = async (allow: boolean) => {
    const result = await commands.answerAddedYou(prompt.email, allow, allow && addBack);
    if (!result.ok) setError(result.error.message);
    else dismiss(prompt.email);
  };
  return (
    <section className="added-you" role="dialog" aria-label={`${prompt.email} added you`}>
      <p>
        <strong>{decodeName(prompt.nickname)}</strong> ({prompt.email}) added you to their contact list.
      </p>
      <label>
        <input type="checkbox" checked={addBack} onChange={(e) => setAddBack(e.target.checked)} /> Add them to my contacts too
      </label>
      <div className="buttons">
        <button type="button" onClick={() => void answer(true)}>
          Allow
        </button>
        <button type="button" className="secondary" onClick={() => void answer(false)}>
          Block
        </button>
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
    </section>
  );
}
