// Options → Appearance: what a message arriving with no view open does in the desktop app — open its conversation
// window (without taking the focus) or only flash the contact list. A main setting (settings.json), applied at once;
// shown in the browser too, saying that there a message always adds a tab.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MESSAGE_ARRIVAL, type MessageArrival } from '../../../src-shared/window-view';
import { useButterflyStore } from '../../store/store';
import { useCommands } from '../main-api';

export function MessageArrivalField() {
  const { t } = useTranslation();
  const commands = useCommands();
  const desktop = useButterflyStore((s) => s.appInfo?.shell === 'electron');
  const [value, setValue] = useState<MessageArrival | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    void commands.getWindowSettings().then((r) => live && (r.ok ? setValue(r.value.messageArrival) : setFailed(true)));
    return () => void (live = false);
  }, [commands]);
  // Shown chosen at once; put back if main could not save it.
  const choose = async (messageArrival: MessageArrival) => {
    const before = value;
    setValue(messageArrival);
    const r = await commands.saveWindowSettings({ messageArrival });
    setFailed(!r.ok);
    setValue(r.ok ? r.value.messageArrival : before);
  };
  return (
    <fieldset disabled={value === null} aria-describedby={desktop ? undefined : 'message-arrival-hint'}>
      <legend>{t('windows.arrival.legend')}</legend>
      {MESSAGE_ARRIVAL.map((choice) => (
        <label key={choice} className="check">
          <input type="radio" name="message-arrival" checked={value === choice} onChange={() => void choose(choice)} />{' '}
          <span>{t(choice === 'open-window' ? 'windows.arrival.openWindow' : 'windows.arrival.notify')}</span>
        </label>
      ))}
      {!desktop && (
        <p id="message-arrival-hint" className="hint">
          {t('windows.arrival.browserHint')}
        </p>
      )}
      {failed && (
        <p className="warning" role="alert">
          {t('windows.arrival.saveFailed')}
        </p>
      )}
    </fieldset>
  );
}
