// Options → Sounds: which events play a sound (a new message, a nudge, a contact coming online), each with a button
// that plays it once. Each choice applies at once and is kept on this computer; while your status is Busy none plays.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { createAudioPlayer } from '../../sound/sound-files';
import { SOUND_EVENTS } from '../../store/preferences';
import { useButterflyStore } from '../../store/store';
import { CloseRow } from '../dialog';

export function SoundsTab({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const sounds = useButterflyStore((s) => s.preferences.sounds);
  const busy = useButterflyStore((s) => s.profile?.status === 'BSY');
  const setPreference = useButterflyStore((s) => s.setPreference);
  const play = useMemo(createAudioPlayer, []);
  return (
    <div className="sounds">
      <fieldset>
        <legend>{t('formatSounds.sounds.legend')}</legend>
        {SOUND_EVENTS.map((event) => (
          <div key={event} className="row sound-row">
            <label className="check">
              <input type="checkbox" checked={sounds[event]} onChange={(e) => setPreference('sounds', { ...sounds, [event]: e.target.checked })} />{' '}
              <span>{t(`formatSounds.sounds.${event}`)}</span>
            </label>
            <button type="button" className="secondary" aria-label={t('formatSounds.sounds.tryLabel', { event: t(`formatSounds.sounds.${event}`) })} onClick={() => play(event)}>
              {t('formatSounds.sounds.try')}
            </button>
          </div>
        ))}
      </fieldset>
      <p className={busy ? 'banner' : 'hint'}>{t('formatSounds.sounds.busy')}</p>
      <CloseRow onClose={onClose} />
    </div>
  );
}
