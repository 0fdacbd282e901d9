// Connection settings: server, Passport nexus, and the route (direct, SOCKS4/4a/5, HTTP proxy, HTTP gateway) with the
// proxy's address and credentials. "Test connection" walks the route as typed, before saving; "Save" stores it for the
// next sign-in. A saved proxy password is never shown again, only whether there is one.
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DEFAULT_CONNECTION_SETTINGS,
  TRANSPORT_KINDS,
  formatHostPort,
  needsProxy,
  validateConnectionSettings,
  type ConnectionCheckResult,
  type ConnectionCheckStep,
  type SettingsField,
  type SettingsUpdate,
  type SettingsView,
  type TransportKind,
} from '../../../src-shared/connection-settings';
import type { ErrorInfo } from '../../../src-shared/errors';
import { ErrorDetail, FormError } from '../form-error';
import { describeError, type ErrorWords } from '../errors';
import { StepIcon } from '../icons';
import { useCommands } from '../main-api';
import { ProtocolCapField } from './protocol-cap';
import { byField, fieldWords, formFromView, PROXY_NAMES, updateFromForm, usesProxy, type FieldErrors, type SettingsForm } from './settings-form';

type T = ReturnType<typeof useTranslation>['t'];


export function ConnectionTab({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const commands = useCommands();
  const [view, setView] = useState<SettingsView | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [check, setCheck] = useState<{ result: ConnectionCheckResult; tested: SettingsUpdate } | 'running' | null>(null);
  const [failure, setFailure] = useState<ErrorWords | null>(null);
  const formId = useId();

  useEffect(() => {
    void commands.getSettings().then((r) => {
      if (!r.ok) return setFailure(describeError(t, r.error, { action: 'settings' }));
      setView(r.value);
      setForm(formFromView(r.value));
    });
  }, [commands, t]);

  const set = (patch: Partial<SettingsForm>) => setForm((f) => f && { ...f, ...patch });
  // Checked here first for instant feedback; main checks again with the same rules, the saved password included.
  const say = (settings: SettingsUpdate['settings']) => fieldWords(t, settings);
  const validated = () => {
    if (!form) return null;
    const update = updateFromForm(form);
    const found = byField(validateConnectionSettings(update.settings), say(update.settings));
    setErrors(found);
    return Object.keys(found).length === 0 ? update : null;
  };

  const test = async () => {
    const update = validated();
    if (!update) return;
    setCheck('running');
    const r = await commands.testSettings(update);
    setCheck(r.ok ? { result: r.value, tested: update } : null);
    if (!r.ok) setFailure(describeError(t, r.error, { action: 'settings' }));
  };

  const save = async () => {
    const update = validated();
    if (!update) return;
    const r = await commands.saveSettings(update);
    if (!r.ok) setFailure(describeError(t, r.error, { action: 'settings' }));
    else if (r.value.ok) onClose();
    else setErrors(byField(r.value.errors, say(update.settings)));
  };

  const field = (name: SettingsField, label: string, input: (id: string) => ReactNode) => {
    const id = `${formId}-${name}`;
    return (
      <div className={errors[name] ? 'field invalid' : 'field'}>
        <label htmlFor={id}>{label}</label>
        {input(id)}
        {errors[name] && <span className="field-error">{errors[name]}</span>}
      </div>
    );
  };

  if (!form || !view) {
    return failure ? <FormError words={failure} /> : <p>{t('settings.loading')}</p>;
  }
  return (
    <form onSubmit={(e) => (e.preventDefault(), void save())}>
      {failure && <FormError words={failure} />}
      <fieldset>
        <legend>{t('settings.server')}</legend>
        <div className="row">
          {field('server.host', t('settings.serverHost'), (id) => <input id={id} aria-label={t('settings.serverHostLabel')} value={form.serverHost} onChange={(e) => set({ serverHost: e.target.value })} />)}
          {field('server.port', t('settings.port'), (id) => <input id={id} inputMode="numeric" className="port" aria-label={t('settings.serverPort')} value={form.serverPort} onChange={(e) => set({ serverPort: e.target.value })} />)}
        </div>
        {field('nexusUrl', t('settings.nexus'), (id) => <input id={id} value={form.nexusUrl} onChange={(e) => set({ nexusUrl: e.target.value })} />)}
      </fieldset>
      <fieldset>
        <legend>{t('settings.route')}</legend>
        {field(
          'transport',
          t('settings.connect'),
          (id) => (
            <select id={id} value={form.transport} onChange={(e) => set({ transport: e.target.value as TransportKind })}>
            {TRANSPORT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`settings.kind.${k}`)}
              </option>
            ))}
            </select>
          ),
        )}
        {form.transport === 'gateway' && (
          <>
            <div className="row">
              {field('gateway.host', t('settings.gateway'), (id) => <input id={id} aria-label={t('settings.gatewayHost')} value={form.gatewayHost} onChange={(e) => set({ gatewayHost: e.target.value })} />)}
              {field('gateway.port', t('settings.port'), (id) => <input id={id} inputMode="numeric" className="port" aria-label={t('settings.gatewayPort')} value={form.gatewayPort} onChange={(e) => set({ gatewayPort: e.target.value })} />)}
            </div>
            <label className="check">
              <input type="checkbox" checked={form.gatewayViaProxy} onChange={(e) => set({ gatewayViaProxy: e.target.checked })} /> <span>{t('settings.gatewayViaProxy')}</span>
            </label>
          </>
        )}
        {usesProxy(form) && <ProxyFields form={form} view={view} set={set} field={field} />}
        {errors.proxy && <span className="field-error">{errors.proxy}</span>}
      </fieldset>
      <ProtocolCapField />
      {check && <CheckResult check={check} />}
      <div className="buttons">
        <button type="button" className="secondary" onClick={() => setForm(formFromView({ ...view, settings: DEFAULT_CONNECTION_SETTINGS }))}>
          {t('settings.defaults')}
        </button>
        <span className="spacer" />
        <button type="button" className="secondary" disabled={check === 'running'} onClick={() => void test()}>
          {t('settings.test')}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          {t('dialog.cancel')}
        </button>
        <button type="submit">{t('settings.save')}</button>
      </div>
    </form>
  );
}

interface ProxyFieldsProps {
  form: SettingsForm;
  view: SettingsView;
  set: (patch: Partial<SettingsForm>) => void;
  field: (name: SettingsField, label: string, input: (id: string) => ReactNode) => ReactNode;
}

function ProxyFields({ form, view, set, field }: ProxyFieldsProps) {
  const { t } = useTranslation();
  const socks4 = form.transport === 'socks4' || form.transport === 'socks4a';
  const kind = needsProxy(form.transport) ? PROXY_NAMES[form.transport] : 'HTTP';
  const saved = view.proxyPasswordSaved && !form.forgetPassword;
  return (
    <>
      <div className="row">
        {field('proxy.host', t('settings.proxy', { kind }), (id) => <input id={id} aria-label={t('settings.proxyHost')} value={form.proxyHost} onChange={(e) => set({ proxyHost: e.target.value })} />)}
        {field('proxy.port', t('settings.port'), (id) => <input id={id} inputMode="numeric" className="port" aria-label={t('settings.proxyPort')} value={form.proxyPort} onChange={(e) => set({ proxyPort: e.target.value })} />)}
      </div>
      {field('proxy.username', socks4 ? t('settings.userId') : t('settings.userName'), (id) => <input id={id} autoComplete="off" value={form.proxyUsername} onChange={(e) => set({ proxyUsername: e.target.value })} />)}
      {!socks4 &&
        field(
          'proxy.password',
          t('settings.proxyPassword'),
          (id) => (
          <input
            id={id}
            type="password"
            aria-label={t('settings.proxyPasswordLabel')}
            autoComplete="off"
            placeholder={saved ? t('settings.savedPassword') : ''}
            value={form.proxyPassword}
            onChange={(e) => set({ proxyPassword: e.target.value, forgetPassword: false })}
          />
          ),
        )}
      {!socks4 && view.proxyPasswordSaved && (
        <label className="check">
          <input type="checkbox" checked={form.forgetPassword} onChange={(e) => set({ forgetPassword: e.target.checked, proxyPassword: '' })} /> <span>{t('settings.forgetPassword')}</span>
        </label>
      )}
      {!socks4 && view.secretStorage === 'session' && <p className="hint">{t('settings.sessionOnly')}</p>}
    </>
  );
}

/** A step's label in the person's language, from the step and the settings that were tested. */
function stepLabel(t: T, step: ConnectionCheckStep, tested: SettingsUpdate): string {
  const s = tested.settings;
  const gateway = s.transport === 'gateway';
  const proxy = s.proxy;
  switch (step.step) {
    case 'resolve':
      return step.error?.code === 'settings.invalid' ? t('settings.step.settings') : t('settings.step.resolve', { host: (proxy && s.transport !== 'direct' ? proxy : gateway ? s.gateway : s.server).host });
    case 'reach-proxy':
      return t('settings.step.reach-proxy', { kind: PROXY_NAMES[s.transport] || 'HTTP', where: proxy ? formatHostPort(proxy) : '' });
    case 'proxy-handshake':
      return gateway ? t('settings.step.proxy-request') : t('settings.step.proxy-handshake');
    case 'reach-server':
      return gateway ? t('settings.step.reach-gateway', { where: formatHostPort(s.gateway) }) : t('settings.step.reach-server', { where: formatHostPort(s.server) });
    case 'exchange-ver':
      return t('settings.step.exchange-ver');
    case 'reach-nexus':
      return t('settings.step.reach-nexus', { url: s.nexusUrl });
  }
}

function StepError({ error }: { error: NonNullable<ConnectionCheckStep['error']> }) {
  const { t } = useTranslation();
  const words = describeError(t, { ...error, code: error.code as ErrorInfo['code'] });
  return (
    <div className="step-detail">
      {words.text}
      {words.detail && <ErrorDetail detail={words.detail} />}
    </div>
  );
}

function CheckResult({ check }: { check: { result: ConnectionCheckResult; tested: SettingsUpdate } | 'running' }) {
  const { t } = useTranslation();
  if (check === 'running') return <p role="status">{t('settings.testing')}</p>;
  const { result, tested } = check;
  return (
    <div className="check-result" role="status" aria-label={t('settings.testResult')}>
      <p className={result.ok ? 'ok' : 'form-error'}>{result.ok ? t('settings.testOk', { ms: result.totalMs }) : t('settings.testFailed')}</p>
      <ul>
        {result.steps.map((s) => (
          <li key={s.step} className={`step ${s.status}`}>
            <StepIcon status={s.status} />
            <span className="sr-only">{t(`settings.stepStatus.${s.status}`)}</span>{' '}
            {stepLabel(t, s, tested)}
            {s.status !== 'skipped' && <span className="ms"> {t('settings.ms', { ms: s.ms })}</span>}
            {s.error ? (
              <StepError error={s.error} />
            ) : (
              s.detail && s.status !== 'skipped' && <div className="step-detail">{s.detail}</div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
