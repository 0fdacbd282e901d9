// Connection settings: server, Passport nexus, and the route (direct, SOCKS4/4a/5, HTTP proxy, HTTP gateway) with
// the proxy's address and credentials. "Test connection" walks the route as typed, before saving; "Save" stores it
// for the next sign-in. A saved proxy password is never shown again, only whether there is one.
import { useEffect, useState, type ReactNode } from 'react';
import {
  DEFAULT_CONNECTION_SETTINGS,
  TRANSPORT_KINDS,
  kindLabel,
  needsProxy,
  validateConnectionSettings,
  type ConnectionCheckResult,
  type SettingsField,
  type SettingsView,
  type TransportKind,
} from '../../src-shared/connection-settings';
import { useCommands } from './main-api';
import { byField, formFromView, updateFromForm, usesProxy, type FieldErrors, type SettingsForm } from './settings-form';

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const commands = useCommands();
  const [view, setView] = useState<SettingsView | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [check, setCheck] = useState<ConnectionCheckResult | 'running' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    void commands.getSettings().then((r) => {
      if (!r.ok) return setFailure(r.error.message);
      setView(r.value);
      setForm(formFromView(r.value));
    });
  }, [commands]);

  const set = (patch: Partial<SettingsForm>) => setForm((f) => f && { ...f, ...patch });
  // Checked here first for instant feedback; main checks again with the same rules, the saved password included.
  const validated = () => {
    if (!form) return null;
    const update = updateFromForm(form);
    const found = byField(validateConnectionSettings(update.settings));
    setErrors(found);
    return Object.keys(found).length === 0 ? update : null;
  };

  const test = async () => {
    const update = validated();
    if (!update) return;
    setCheck('running');
    const r = await commands.testSettings(update);
    setCheck(r.ok ? r.value : null);
    if (!r.ok) setFailure(r.error.message);
  };

  const save = async () => {
    const update = validated();
    if (!update) return;
    const r = await commands.saveSettings(update);
    if (!r.ok) setFailure(r.error.message);
    else if (r.value.ok) onClose();
    else setErrors(byField(r.value.errors));
  };

  const field = (name: SettingsField, label: string, input: ReactNode) => (
    <label className={errors[name] ? 'invalid' : undefined}>
      {label}
      {input}
      {errors[name] && <span className="field-error">{errors[name]}</span>}
    </label>
  );

  return (
    <div className="dialog-backdrop">
      <section className="dialog settings" role="dialog" aria-modal="true" aria-labelledby="settings-title">
        <h2 id="settings-title">Connection settings</h2>
        {failure && (
          <p className="form-error" role="alert">
            {failure}
          </p>
        )}
        {!form || !view ? (
          <p>Loading…</p>
        ) : (
          <form onSubmit={(e) => (e.preventDefault(), void save())}>
            <fieldset>
              <legend>MSN server</legend>
              <div className="row">
                {field('server.host', 'Server', <input aria-label="Server host" value={form.serverHost} onChange={(e) => set({ serverHost: e.target.value })} />)}
                {field('server.port', 'Port', <input inputMode="numeric" className="port" aria-label="Server port" value={form.serverPort} onChange={(e) => set({ serverPort: e.target.value })} />)}
              </div>
              {field('nexusUrl', 'Passport nexus', <input value={form.nexusUrl} onChange={(e) => set({ nexusUrl: e.target.value })} />)}
            </fieldset>
            <fieldset>
              <legend>Route</legend>
              {field(
                'transport',
                'Connect',
                <select value={form.transport} onChange={(e) => set({ transport: e.target.value as TransportKind })}>
                  {TRANSPORT_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {k === 'direct' ? 'Directly' : k === 'gateway' ? 'Through the MSN HTTP gateway' : `Through a ${kindLabel(k)} proxy`}
                    </option>
                  ))}
                </select>,
              )}
              {form.transport === 'gateway' && (
                <>
                  <div className="row">
                    {field('gateway.host', 'Gateway', <input aria-label="Gateway host" value={form.gatewayHost} onChange={(e) => set({ gatewayHost: e.target.value })} />)}
                    {field('gateway.port', 'Port', <input inputMode="numeric" className="port" aria-label="Gateway port" value={form.gatewayPort} onChange={(e) => set({ gatewayPort: e.target.value })} />)}
                  </div>
                  <label className="check">
                    <input type="checkbox" checked={form.gatewayViaProxy} onChange={(e) => set({ gatewayViaProxy: e.target.checked })} /> Through an HTTP proxy
                  </label>
                </>
              )}
              {usesProxy(form) && <ProxyFields form={form} view={view} set={set} field={field} />}
              {errors.proxy && <span className="field-error">{errors.proxy}</span>}
            </fieldset>
            {check && <CheckResult check={check} />}
            <div className="buttons">
              <button type="button" className="secondary" onClick={() => setForm(formFromView({ ...view, settings: DEFAULT_CONNECTION_SETTINGS }))}>
                Defaults
              </button>
              <span className="spacer" />
              <button type="button" className="secondary" disabled={check === 'running'} onClick={() => void test()}>
                Test connection
              </button>
              <button type="button" className="secondary" onClick={onClose}>
                Cancel
              </button>
              <button type="submit">Save</button>
            </div>
          </form>
        )}
      </section>
    </div>
  );
}

interface ProxyFieldsProps {
  form: SettingsForm;
  view: SettingsView;
  set: (patch: Partial<SettingsForm>) => void;
  field: (name: SettingsField, label: string, input: ReactNode) => ReactNode;
}

function ProxyFields({ form, view, set, field }: ProxyFieldsProps) {
  const socks4 = form.transport === 'socks4' || form.transport === 'socks4a';
  const kind = needsProxy(form.transport) ? kindLabel(form.transport) : 'HTTP';
  const saved = view.proxyPasswordSaved && !form.forgetPassword;
  return (
    <>
      <div className="row">
        {field('proxy.host', `${kind} proxy`, <input aria-label="Proxy host" value={form.proxyHost} onChange={(e) => set({ proxyHost: e.target.value })} />)}
        {field('proxy.port', 'Port', <input inputMode="numeric" className="port" aria-label="Proxy port" value={form.proxyPort} onChange={(e) => set({ proxyPort: e.target.value })} />)}
      </div>
      {field('proxy.username', socks4 ? 'User id (optional)' : 'User name (optional)', <input autoComplete="off" value={form.proxyUsername} onChange={(e) => set({ proxyUsername: e.target.value })} />)}
      {!socks4 &&
        field(
          'proxy.password',
          'Password',
          <input
            type="password"
            aria-label="Proxy password"
            autoComplete="off"
            placeholder={saved ? 'saved; type to replace' : ''}
            value={form.proxyPassword}
            onChange={(e) => set({ proxyPassword: e.target.value, forgetPassword: false })}
          />,
        )}
      {!socks4 && view.proxyPasswordSaved && (
        <label className="check">
          <input type="checkbox" checked={form.forgetPassword} onChange={(e) => set({ forgetPassword: e.target.checked, proxyPassword: '' })} /> Forget the saved password
        </label>
      )}
      {!socks4 && view.secretStorage === 'session' && <p className="hint">No system keychain here: a proxy password is kept only until Butterfly quits.</p>}
    </>
  );
}

function CheckResult({ check }: { check: ConnectionCheckResult | 'running' }) {
  if (check === 'running') return <p role="status">Testing the connection…</p>;
  return (
    <div className="check-result" role="status" aria-label="Connection test">
      <p className={check.ok ? 'ok' : 'form-error'}>{check.ok ? `Everything answered (${check.totalMs} ms).` : 'The connection test failed:'}</p>
      <ul>
        {check.steps.map((s) => (
          <li key={s.step} className={`step ${s.status}`}>
            <span className="step-status">{s.status === 'ok' ? '✓' : s.status === 'failed' ? '✗' : '–'}</span> {s.label}
            {s.status !== 'skipped' && <span className="ms"> {s.ms} ms</span>}
            {s.error ? <div className="step-detail">{s.error.message}</div> : s.detail && s.status !== 'skipped' ? <div className="step-detail">{s.detail}</div> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
