// The settings dialog's form model: text fields as typed, turned into ConnectionSettings (and back) here, so the
// component only draws. Ports stay text until they are checked, so "80a" is reported rather than silently dropped.
import {
  needsProxy,
  type ConnectionSettings,
  type SettingsField,
  type SettingsUpdate,
  type SettingsView,
  type TransportKind,
} from '../../../src-shared/connection-settings';

export interface SettingsForm {
  serverHost: string;
  serverPort: string;
  nexusUrl: string;
  transport: TransportKind;
  /** With the gateway, whether its requests go through an HTTP proxy (the other proxy kinds always have one). */
  gatewayViaProxy: boolean;
  proxyHost: string;
  proxyPort: string;
  proxyUsername: string;
  /** What was typed; '' keeps a saved password unless forgetPassword is set. */
  proxyPassword: string;
  forgetPassword: boolean;
  gatewayHost: string;
  gatewayPort: string;
}

export function formFromView(view: SettingsView): SettingsForm {
  const s = view.settings;
  return {
    serverHost: s.server.host,
    serverPort: String(s.server.port),
    nexusUrl: s.nexusUrl,
    transport: s.transport,
    gatewayViaProxy: s.transport === 'gateway' && s.proxy !== undefined,
    proxyHost: s.proxy?.host ?? '',
    proxyPort: s.proxy ? String(s.proxy.port) : '',
    proxyUsername: s.proxy?.username ?? '',
    proxyPassword: '',
    forgetPassword: false,
    gatewayHost: s.gateway.host,
    gatewayPort: String(s.gateway.port),
  };
}

export const usesProxy = (f: SettingsForm): boolean => needsProxy(f.transport) || (f.transport === 'gateway' && f.gatewayViaProxy);

// A port that is not a plain number becomes NaN, which the shared validation reports on the field.
const port = (text: string): number => (/^\s*\d{1,5}\s*$/.test(text) ? Number(text) : Number.NaN);

export function updateFromForm(f: SettingsForm): SettingsUpdate {
  const settings: ConnectionSettings = {
    server: { host: f.serverHost.trim(), port: port(f.serverPort) },
    nexusUrl: f.nexusUrl.trim(),
    transport: f.transport,
    gateway: { host: f.gatewayHost.trim(), port: port(f.gatewayPort) },
  };
  if (usesProxy(f)) {
    settings.proxy = { host: f.proxyHost.trim(), port: port(f.proxyPort) };
    if (f.proxyUsername !== '') settings.proxy.username = f.proxyUsername;
  }
  const update: SettingsUpdate = { settings };
  if (f.forgetPassword) update.proxyPassword = null;
  else if (f.proxyPassword !== '') update.proxyPassword = f.proxyPassword;
  return update;
}

/** Field errors by field, for showing each next to its input. */
export type FieldErrors = Partial<Record<SettingsField, string>>;

export function byField(errors: { field: SettingsField; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) out[e.field] ??= e.message;
  return out;
}
