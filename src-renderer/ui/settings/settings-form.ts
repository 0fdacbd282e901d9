// The settings dialog's form model: text fields as typed, turned into ConnectionSettings (and back) here, so the
// component only draws. Ports stay text until they are checked, so "80a" is reported rather than silently dropped.
import type { TFunction } from 'i18next';
import {
  needsProxy,
  type ConnectionSettings,
  type FieldError,
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

/** Field errors by field, for showing each next to its input, in the words `say` gives them. */
export type FieldErrors = Partial<Record<SettingsField, string>>;

export function byField(errors: FieldError[], say: (error: FieldError) => string): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) out[e.field] ??= say(e);
  return out;
}

const SUBJECTS = { server: 'server', nexusUrl: 'nexus', transport: 'server', proxy: 'proxy', gateway: 'gateway' } as const;

/** The proxy kinds as the labels say them ("SOCKS5 proxy", "HTTP proxy"). */
export const PROXY_NAMES: Record<TransportKind, string> = { direct: '', socks4: 'SOCKS4', socks4a: 'SOCKS4a', socks5: 'SOCKS5', 'http-proxy': 'HTTP', gateway: 'HTTP' };

/**
 * A field problem in the person's language, from its code: about the thing the field belongs to (the server, the
 * proxy, the gateway, the nexus), with what was typed there.
 */
export const fieldWords =
  (t: TFunction, settings: ConnectionSettings) =>
  (error: FieldError): string => {
    const part = error.field.split('.')[0] as keyof typeof SUBJECTS;
    const typed = part === 'proxy' ? (settings.proxy?.host ?? '') : part === 'gateway' ? settings.gateway.host : settings.server.host;
    const scheme = typed.includes('://') ? typed.slice(0, typed.indexOf('://') + 3) : '';
    return t(`settings.problem.${error.problem}`, { what: t(`settings.subject.${SUBJECTS[part]}`), host: typed, scheme, kind: PROXY_NAMES[settings.transport] || 'HTTP' });
  };
