// The font and colour chooser of the composer: a font (or the default), a colour from the palette or typed as a code
// (checked as it is typed; only a valid code is kept), and the effects. Each change applies at once (previewed in the
// box to write in, remembered for the next message and the next start). Escape or Done goes back to writing.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageFormat } from '../../../src-shared/conversation-types';
import { EFFECTS, FONTS, PALETTE, parseColourCode, type PaletteName } from './format-choices';
import { contrast, MESSAGE_BACKGROUND } from './message-text';
import './format-chooser.css';

export interface FormatChooserProps {
  format: MessageFormat;
  onChange(format: MessageFormat): void;
  onDone(): void;
  theme: 'light' | 'dark';
}

const without = (format: MessageFormat, key: keyof MessageFormat): MessageFormat => {
  const next = { ...format };
  delete next[key];
  return next;
};

export function FormatChooser({ format, onChange, onDone, theme }: FormatChooserProps) {
  const { t } = useTranslation();
  const id = useId();
  const font = useRef<HTMLSelectElement>(null);
  const [code, setCode] = useState(format.color ?? '');
  const codeValid = code.trim() === '' || parseColourCode(code) !== null;

  useEffect(() => font.current?.focus(), []);
  // A palette choice shows its code in the field; a code typed is kept as typed.
  useEffect(() => setCode((typed) => (parseColourCode(typed) === (format.color ?? null) ? typed : (format.color ?? ''))), [format.color]);

  const paletteName = (Object.keys(PALETTE) as PaletteName[]).find((name) => PALETTE[name] === format.color);
  const colourName = paletteName ? t(`formatSounds.format.colours.${paletteName}`) : format.color;
  const hardToRead = format.color !== undefined && contrast(format.color, MESSAGE_BACKGROUND[theme]) < 4.5;

  return (
    <div className="format-chooser" role="group" aria-label={t('formatSounds.format.title')}>
      <div className="format-field">
        <label htmlFor={`${id}-font`}>{t('formatSounds.format.font')}</label>
        <select ref={font} id={`${id}-font`} value={format.font ?? ''} onChange={(e) => onChange(e.target.value ? { ...format, font: e.target.value } : without(format, 'font'))}>
          <option value="">{t('formatSounds.format.defaultFont')}</option>
          {/* A font kept from before that is not on the list stays choosable. */}
          {[...FONTS, ...(format.font && !(FONTS as readonly string[]).includes(format.font) ? [format.font] : [])].map((name) => (
            <option key={name} value={name} style={{ fontFamily: `"${name}"` }}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="format-colours">
        <legend>{t('formatSounds.format.colour')}</legend>
        <div className="swatches">
          <label className="swatch default-colour" title={t('formatSounds.format.defaultColour')}>
            <input type="radio" name={`${id}-colour`} checked={format.color === undefined} onChange={() => onChange(without(format, 'color'))} />
            <span className="sr-only">{t('formatSounds.format.defaultColour')}</span>
          </label>
          {(Object.keys(PALETTE) as PaletteName[]).map((name) => (
            <label key={name} className="swatch" title={t(`formatSounds.format.colours.${name}`)} style={{ backgroundColor: PALETTE[name] }}>
              <input type="radio" name={`${id}-colour`} checked={format.color === PALETTE[name]} onChange={() => onChange({ ...format, color: PALETTE[name] })} />
              <span className="sr-only">{t(`formatSounds.format.colours.${name}`)}</span>
            </label>
          ))}
        </div>
        <div className="format-field">
          <label htmlFor={`${id}-code`}>{t('formatSounds.format.code')}</label>
          <input
            id={`${id}-code`}
            type="text"
            className="colour-code"
            value={code}
            maxLength={7}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={!codeValid}
            aria-describedby={`${id}-code-help`}
            onChange={(e) => {
              setCode(e.target.value);
              const colour = parseColourCode(e.target.value);
              if (colour) onChange({ ...format, color: colour });
              else if (e.target.value.trim() === '') onChange(without(format, 'color'));
            }}
          />
        </div>
        <p id={`${id}-code-help`} className={codeValid ? 'format-hint' : 'format-hint invalid'} aria-live="polite">
          {codeValid ? t('formatSounds.format.codeHint') : t('formatSounds.format.codeInvalid', { code: code.trim() })}
        </p>
        {hardToRead && <p className="format-hint">{t('formatSounds.format.lowContrast', { colour: colourName })}</p>}
      </fieldset>
      <fieldset className="format-effects">
        <legend>{t('formatSounds.format.effects')}</legend>
        {EFFECTS.map((effect) => (
          <label key={effect} className={`effect ${effect}`}>
            <input type="checkbox" checked={format[effect] === true} onChange={(e) => onChange(e.target.checked ? { ...format, [effect]: true } : without(format, effect))} />{' '}
            {t(`formatSounds.format.${effect}`)}
          </label>
        ))}
      </fieldset>
      <button type="button" className="secondary" onClick={onDone}>
        {t('formatSounds.format.done')}
      </button>
    </div>
  );
}
