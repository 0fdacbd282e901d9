// The box to write in: Enter sends, Shift+Enter adds a line; the emoticon picker, the font and colour chooser (either
// open at a time; Escape closes it and goes back to writing) and the nudge. The box previews the chosen format, which
// every message carries (the preference is checked again before it is sent). While the person types, the other side
// hears "typing" every few seconds.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useButterflyStore } from '../../store/store';
import { useCommands } from '../main-api';
import type { Refused } from './conversation-view';
import { PICKER_EMOTICONS, emoticonPicture } from './emoticon-set';
import { FormatChooser } from './format-chooser';
import { useShownTheme } from '../shown-theme';
import { formatToSend } from './format-choices';
import { formatStyle, MESSAGE_BACKGROUND } from './message-text';

/** How often the other side hears "typing" while the person keeps typing. */
const TYPING_EVERY_MS = 4_000;

export function Composer({ conversationId, refused }: { conversationId: string; refused: Refused }) {
  const { t } = useTranslation();
  const commands = useCommands();
  const [draft, setDraft] = useState('');
  const [open, setOpen] = useState<'emoticons' | 'format' | null>(null);
  const format = useButterflyStore((s) => s.preferences.messageFormat);
  const setPreference = useButterflyStore((s) => s.setPreference);
  const theme = useShownTheme();
  const input = useRef<HTMLTextAreaElement>(null);
  const lastTyping = useRef(0);

  // Focus in the box on opening — unless the conversation opened at a search result, which has it (its flow focuses
  // the message before this runs, or after: then it takes it from here).
  useEffect(() => {
    if (!document.activeElement?.closest('[data-highlight]')) input.current?.focus();
  }, [conversationId]);

  const send = () => {
    const text = draft;
    if (!text.trim()) return;
    setDraft('');
    void refused(commands.sendText(conversationId, text, formatToSend(format))).then((ok) => ok || setDraft((d) => d || text));
  };
  const insert = (code: string) => {
    const el = input.current;
    const at = el ? el.selectionStart : draft.length;
    const end = el ? el.selectionEnd : draft.length;
    setDraft(draft.slice(0, at) + code + draft.slice(end));
    setOpen(null);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + code.length, at + code.length);
    });
  };

  const backToWriting = () => {
    setOpen(null);
    input.current?.focus();
  };
  const toggle = (what: 'emoticons' | 'format') => setOpen((now) => (now === what ? null : what));

  return (
    <div
      className="composer"
      onKeyDown={(e) => {
        // Escape closes the picker or the chooser (from it or its button) and goes back to writing.
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          backToWriting();
        }
      }}
    >
      <div className="composer-tools">
        <button type="button" className="tool" aria-label={t('chat.emoticons')} title={t('chat.emoticons')} aria-expanded={open === 'emoticons'} onClick={() => toggle('emoticons')}>
          <img src={emoticonPicture('smile')} alt="" className="emoticon" />
        </button>
        <button type="button" className="secondary" aria-expanded={open === 'format'} onClick={() => toggle('format')}>
          {t('formatSounds.format.button')}
        </button>
        <button type="button" className="secondary" onClick={() => void refused(commands.sendNudge(conversationId))}>
          {t('chat.nudge')}
        </button>
      </div>
      {open === 'format' && <FormatChooser format={format} onChange={(f) => setPreference('messageFormat', f)} onDone={backToWriting} theme={theme} />}
      {open === 'emoticons' && (
        <div className="emoticon-picker" role="group" aria-label={t('chat.emoticons')}>
          {PICKER_EMOTICONS.map(([name, code]) => (
            <button key={name} type="button" className="emoticon-choice" title={code} aria-label={t('chat.insertEmoticon', { code })} onClick={() => insert(code)}>
              <img src={emoticonPicture(name)} alt="" className="emoticon" />
            </button>
          ))}
        </div>
      )}
      <textarea
        ref={input}
        className="message-input"
        aria-label={t('chat.write')}
        rows={3}
        style={formatStyle(format, MESSAGE_BACKGROUND[theme])}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          const now = Date.now();
          if (e.target.value && now - lastTyping.current > TYPING_EVERY_MS) {
            lastTyping.current = now;
            void commands.typing(conversationId);
          }
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <button type="button" onClick={send} disabled={!draft.trim()}>
        {t('chat.send')}
      </button>
    </div>
  );
}
