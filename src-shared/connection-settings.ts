// How Butterfly reaches the MSN network: which server, which Passport nexus, and along which route (direct, a SOCKS
// or HTTP proxy, or the MSN HTTP gateway). Plain data so it can cross IPC and be stored; validation returns one
// message per field so the settings dialog can show it next to the field, and the CLI can print it.
// Pure ES2022: the renderer uses this file too.
import * as v from 'valibot';
import { ButterflyError } from './errors';

export const TRANSPORT_KINDS = ['direct', 'socks4', 'socks4a', 'socks5', 'http-proxy', 'gateway'] as const;

export type TransportKind = (typeof TRANSPORT_KINDS)[number];

// The settings as data, with the schema a stored copy (settings.json) is checked against before use; the types are
// inferred from it. It checks shape and bounds only; validateConnectionSettings below says, per field and in words,
// what would not work.
const port = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535));
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

export const hostPortSchema = v.strictObject({ host: text(255), port });
export type HostPort = v.InferOutput<typeof hostPortSchema>;

export const proxySettingsSchema = v.strictObject({
  host: text(255),
  port,
  /** SOCKS5 and HTTP proxies: the account name. SOCKS4/4a: sent as the user id (there is no password). */
  username: v.optional(text(1024)),
  password: v.optional(text(1024)),
});
export type ProxySettings = v.InferOutput<typeof proxySettingsSchema>;

export const connectionSettingsSchema = v.strictObject({
  /** The notification (dispatch) server. */
  server: hostPortSchema,
  /** Passport nexus for MSNP8 sign-in (the `/rdr/pprdr.asp` address). */
  nexusUrl: text(2048),
  transport: v.picklist(TRANSPORT_KINDS),
  /**
   * The proxy for socks4/socks4a/socks5/http-proxy (required there). With `gateway` it is optional and must be an
   * HTTP proxy: the gateway's requests (and the Passport requests) then go through it.
   */
  proxy: v.optional(proxySettingsSchema),
  /** The MSN HTTP gateway (`/gateway/gateway.dll` on this host), used when transport is `gateway`. */
  gateway: hostPortSchema,
});
export type ConnectionSettings = v.InferOutput<typeof connectionSettingsSchema>;

/**
 * The live Escargot network's published addresses: the NS `m1.escargot.chat:1863` and the nexus
 * `https://m1.escargot.chat/nexus-mock` are what Escargot's patched clients and third-party clients use; the
 * gateway is Escargot's HTTP front on the same host (it serves `/gateway/gateway.dll`, see protocol/http-gateway.md).
 */
export const DEFAULT_CONNECTION_SETTINGS: ConnectionSettings = Object.freeze({
  server: Object.freeze({ host: 'm1.escargot.chat', port: 1863 }),
  nexusUrl: 'https://m1.escargot.chat/nexus-mock',
  transport: 'direct',
  gateway: Object.freeze({ host: 'm1.escargot.chat', port: 80 }),
}) as ConnectionSettings;

export type SettingsField =
  | 'server.host'
  | 'server.port'
  | 'nexusUrl'
  | 'transport'
  | 'proxy'
  | 'proxy.host'
  | 'proxy.port'
  | 'proxy.username'
  | 'proxy.password'
  | 'gateway.host'
  | 'gateway.port';

/** Why a field cannot be used, as a code: the renderer words it in the person's language (`message` is English). */
export type SettingsProblem =
  | 'host-empty'
  | 'host-spaces'
  | 'host-scheme'
  | 'host-with-port'
  | 'host-invalid'
  | 'port-range'
  | 'nexus-empty'
  | 'nexus-not-url'
  | 'transport-unknown'
  | 'proxy-missing'
  | 'proxy-credentials-direct'
  | 'proxy-direct'
  | 'password-without-user'
  | 'socks4-password'
  | 'socks4-nul'
  | 'socks5-user-too-long'
  | 'socks5-password-too-long'
  | 'http-user-colon'
  | 'credentials-line-break';

export interface FieldError {
  field: SettingsField;
  problem: SettingsProblem;
  message: string;
}

const PROXY_KINDS: ReadonlySet<TransportKind> = new Set(['socks4', 'socks4a', 'socks5', 'http-proxy']);

/** True when the route needs `settings.proxy`. */
export const needsProxy = (kind: TransportKind): boolean => PROXY_KINDS.has(kind);

// A DNS name (labels of letters, digits, hyphens, underscores as some LANs use), an IPv4 address, or an IPv6
// address, optionally in brackets. Anything else (spaces, schemes, paths) is a typing mistake worth reporting.
const DNS_NAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
const IPV6 = /^\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]?$/;

type Issue = { problem: SettingsProblem; message: string };

function hostIssue(host: string, what: string): Issue | undefined {
  if (host.trim() === '') return { problem: 'host-empty', message: `Enter the ${what} host name or address.` };
  if (host !== host.trim()) return { problem: 'host-spaces', message: `The ${what} host has spaces around it.` };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return { problem: 'host-scheme', message: `Enter only the ${what} host name, without "${host.slice(0, host.indexOf('://') + 3)}".` };
  if (host.includes(':') && !host.startsWith('[') && /^[^:]+:\d+$/.test(host)) return { problem: 'host-with-port', message: `Enter the ${what} port in the port field, not after the host.` };
  if (!DNS_NAME.test(host) && !IPV6.test(host)) return { problem: 'host-invalid', message: `"${host}" is not a valid ${what} host name or address.` };
  return undefined;
}

export const hostProblem = (host: string, what: string): string | undefined => hostIssue(host, what)?.message;

/** A DNS name, an IPv4 address or an IPv6 address (without brackets): nothing a server could smuggle more into. */
export function isHostNameOrIp(host: string): boolean {
  return DNS_NAME.test(host) || isIpv6(host);
}

function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  let count = groups.length;
  // A trailing IPv4 address (::ffff:127.0.0.1) stands for two groups.
  if (groups[groups.length - 1]?.includes('.')) {
    if (!/^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/.test(groups.pop() ?? '')) return false;
    count++;
  }
  if (!groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

function portIssue(port: number, what: string): Issue | undefined {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { problem: 'port-range', message: `The ${what} port must be a whole number from 1 to 65535.` };
  return undefined;
}

export const portProblem = (port: number, what: string): string | undefined => portIssue(port, what)?.message;

const HTTP_URL = /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[^/\s:?#@]+)(?::(\d{1,5}))?(\/[^\s#]*)?$/i;

/** Validates the whole settings object; an empty list means it can be used. */
export function validateConnectionSettings(settings: ConnectionSettings): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: SettingsField, issue: Issue | undefined) => {
    if (issue !== undefined) errors.push({ field, ...issue });
  };
  const issue = (problem: SettingsProblem, message: string): Issue => ({ problem, message });
  add('server.host', hostIssue(settings.server.host, 'MSN server'));
  add('server.port', portIssue(settings.server.port, 'MSN server'));

  const nexus = HTTP_URL.exec(settings.nexusUrl.trim());
  if (settings.nexusUrl.trim() === '') add('nexusUrl', issue('nexus-empty', 'Enter the Passport nexus address (an https:// URL).'));
  else if (!nexus) add('nexusUrl', issue('nexus-not-url', 'The Passport nexus address must be a full http:// or https:// URL, e.g. https://m1.escargot.chat/nexus-mock.'));
  else if (nexus[3] !== undefined) add('nexusUrl', portIssue(Number(nexus[3]), 'Passport nexus'));

  if (!TRANSPORT_KINDS.includes(settings.transport)) {
    add('transport', issue('transport-unknown', `Unknown connection kind "${String(settings.transport)}".`));
    return errors;
  }

  const proxy = settings.proxy;
  if (needsProxy(settings.transport)) {
    if (!proxy) add('proxy', issue('proxy-missing', `A ${kindLabel(settings.transport)} connection needs a proxy address.`));
  } else if (settings.transport === 'direct' && proxy && (proxy.host || proxy.username || proxy.password)) {
    if (proxy.username || proxy.password) add('proxy.username', issue('proxy-credentials-direct', 'A proxy user name or password is set, but the connection kind is "direct": choose a proxy kind or clear them.'));
    else add('proxy', issue('proxy-direct', 'A proxy is set, but the connection kind is "direct": choose a proxy kind or clear the proxy.'));
  }

  if (proxy && settings.transport !== 'direct') {
    add('proxy.host', hostIssue(proxy.host, 'proxy'));
    add('proxy.port', portIssue(proxy.port, 'proxy'));
    const username = proxy.username ?? '';
    const password = proxy.password ?? '';
    if (password !== '' && username === '') add('proxy.username', issue('password-without-user', 'A proxy password is set without a user name.'));
    if (settings.transport === 'socks4' || settings.transport === 'socks4a') {
      if (password !== '') add('proxy.password', issue('socks4-password', 'SOCKS4 proxies have no passwords (only a user id): use SOCKS5 for a user name and password.'));
      if (username.includes('\0')) add('proxy.username', issue('socks4-nul', 'The SOCKS4 user id cannot contain a NUL character.'));
    }
    if (settings.transport === 'socks5') {
      // RFC 1929 carries each in one length byte.
      if (utf8Length(username) > 255) add('proxy.username', issue('socks5-user-too-long', 'SOCKS5 user names can be at most 255 bytes long.'));
      if (utf8Length(password) > 255) add('proxy.password', issue('socks5-password-too-long', 'SOCKS5 passwords can be at most 255 bytes long.'));
    }
    if (settings.transport === 'http-proxy' || settings.transport === 'gateway') {
      // Basic authentication joins them with a colon.
      if (username.includes(':')) add('proxy.username', issue('http-user-colon', 'HTTP proxy user names cannot contain ":".'));
    }
    if (/[\r\n]/.test(username) || /[\r\n]/.test(password)) add('proxy.password', issue('credentials-line-break', 'Proxy credentials cannot contain line breaks.'));
  }

  if (settings.transport === 'gateway') {
    add('gateway.host', hostIssue(settings.gateway.host, 'HTTP gateway'));
    add('gateway.port', portIssue(settings.gateway.port, 'HTTP gateway'));
  }
  return errors;
}

export function kindLabel(kind: TransportKind): string {
  switch (kind) {
    case 'direct':
      return 'direct';
    case 'socks4':
      return 'SOCKS4';
    case 'socks4a':
      return 'SOCKS4a';
    case 'socks5':
      return 'SOCKS5';
    case 'http-proxy':
      return 'HTTP proxy';
    case 'gateway':
      return 'HTTP gateway';
  }
}

/**
 * Reads `host`, `host:port` or `[IPv6]:port`; the port is absent when not written. Undefined when it is none of
 * them. The host itself is not judged here: hostProblem says what is wrong with it, in words.
 */
export function splitHostPort(text: string): { host: string; port?: number } | undefined {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(text.trim());
  if (!m) return undefined;
  return { host: m[1].startsWith('[') ? m[1].slice(1, -1) : m[1], port: m[2] === undefined ? undefined : Number(m[2]) };
}

/** `host:port`, with brackets around IPv6 addresses. */
export function formatHostPort(hp: HostPort): string {
  const host = hp.host.includes(':') && !hp.host.startsWith('[') ? `[${hp.host}]` : hp.host;
  return `${host}:${hp.port}`;
}

/** A one-line route for status bars and logs, e.g. "SOCKS5 proxy 127.0.0.1:1080 with a user name to host:1863".
 * Shows neither the user name nor the password. */
export function describeRoute(settings: ConnectionSettings): string {
  const proxy = settings.proxy;
  const who = proxy?.username ? ' with a user name' : '';
  switch (settings.transport) {
    case 'direct':
      return `direct to ${formatHostPort(settings.server)}`;
    case 'gateway':
      return `HTTP gateway ${formatHostPort(settings.gateway)}${proxy ? ` via HTTP proxy ${formatHostPort(proxy)}${who}` : ''}`;
    default:
      // kindLabel already says "HTTP proxy"; SOCKS labels need the word added.
      return `${settings.transport === 'http-proxy' ? 'HTTP' : kindLabel(settings.transport)} proxy ${proxy ? formatHostPort(proxy) : '(none)'}${who} to ${formatHostPort(settings.server)}`;
  }
}

export class SettingsError extends ButterflyError {
  constructor(message: string) {
    super('settings.invalid', message);
  }
}

export interface ParsedProxyUrl {
  kind: 'socks4' | 'socks4a' | 'socks5' | 'http-proxy';
  proxy: ProxySettings;
}

const SCHEMES: Record<string, ParsedProxyUrl['kind']> = {
  socks4: 'socks4',
  socks4a: 'socks4a',
  socks5: 'socks5',
  socks5h: 'socks5',
  socks: 'socks5',
  http: 'http-proxy',
};

/**
 * Parses `socks4://h:p`, `socks4a://[user@]h:p`, `socks5://[user[:pass]@]h:p`, `http://[user[:pass]@]h:p`.
 * User and password may be percent-encoded. Throws SettingsError (with no secret in the message) otherwise.
 */
export function parseProxyUrl(text: string): ParsedProxyUrl {
  const m = /^([A-Za-z0-9]+):\/\/(?:([^@/?#]*)@)?(\[[^\]]*\]|[^:/?#@]*)(?::([^/?#]*))?\/?$/.exec(text.trim());
  if (!m) throw new SettingsError('The proxy must be written as scheme://host:port, e.g. socks5://127.0.0.1:1080 or http://user@proxy.example:3128.');
  const scheme = m[1].toLowerCase();
  const kind = SCHEMES[scheme];
  if (!kind) throw new SettingsError(`Unknown proxy kind "${scheme}://": use socks4://, socks4a://, socks5:// or http://.`);
  const rawHost = m[3];
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  const hostMessage = hostProblem(host, 'proxy');
  if (hostMessage) throw new SettingsError(hostMessage);
  if (m[4] === undefined || m[4] === '') throw new SettingsError(`Add the proxy port, e.g. ${scheme}://${rawHost}:${kind === 'http-proxy' ? 3128 : 1080}.`);
  if (!/^\d{1,5}$/.test(m[4])) throw new SettingsError('The proxy port must be a whole number from 1 to 65535.');
  const port = Number(m[4]);
  const portMessage = portProblem(port, 'proxy');
  if (portMessage) throw new SettingsError(portMessage);
  const proxy: ProxySettings = { host, port };
  if (m[2] !== undefined) {
    const colon = m[2].indexOf(':');
    const user = colon >= 0 ? m[2].slice(0, colon) : m[2];
    const pass = colon >= 0 ? m[2].slice(colon + 1) : undefined;
    const username = percentDecode(user, 'user name');
    if (username !== '') proxy.username = username;
    if (pass !== undefined) {
      if (kind === 'socks4' || kind === 'socks4a') throw new SettingsError('SOCKS4 proxies have no passwords (only a user id): use socks5:// for a user name and password.');
      proxy.password = percentDecode(pass, 'password');
    }
  }
  return { kind, proxy };
}

/** The proxy as a URL for display: the user name is kept, a password never is. */
export function formatProxyUrl(kind: ParsedProxyUrl['kind'], proxy: ProxySettings): string {
  const scheme = kind === 'http-proxy' ? 'http' : kind;
  const user = proxy.username ? `${encodeURIComponent(proxy.username)}@` : '';
  return `${scheme}://${user}${formatHostPort(proxy)}`;
}

function percentDecode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new SettingsError(`The proxy ${what} has a broken %-escape.`);
  }
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** The steps of a connection check, in order; the ones a route does not have are reported as skipped. */
export type ConnectionCheckStepName = 'resolve' | 'reach-proxy' | 'proxy-handshake' | 'reach-server' | 'exchange-ver' | 'reach-nexus';

export interface ConnectionCheckStep {
  step: ConnectionCheckStepName;
  /** What was checked, in plain words: "Resolve m1.escargot.chat". */
  label: string;
  status: 'ok' | 'failed' | 'skipped';
  /** Time the step took; 0 when skipped. */
  ms: number;
  /** A detail for people: the address found, the server's VER reply, why a step was skipped. */
  detail?: string;
  error?: { code: string; message: string; retryable: boolean };
}

export interface ConnectionCheckResult {
  ok: boolean;
  route: string;
  steps: ConnectionCheckStep[];
  totalMs: number;
}

/** What the settings dialog is shown: the saved settings without any password, and whether one is stored. */
export interface SettingsView {
  /** `proxy.password` is never present: secrets do not travel back to the page. */
  settings: ConnectionSettings;
  proxyPasswordSaved: boolean;
  /** 'os': a saved password is encrypted by the system (Electron's safeStorage: Keychain, DPAPI, libsecret);
   *  'session': there is no system encryption here (browser mode), so it is kept in memory until Butterfly quits. */
  secretStorage: 'os' | 'session';
  /**
   * Present when the saved settings file could not be read at start-up (it was kept aside as `keptAs`, in the data
   * directory): the defaults are in use, and signing in waits until the person saves new settings or chooses the
   * defaults ('settings:use-defaults'), so a saved proxy is never bypassed without them knowing.
   */
  unreadable?: { keptAs?: string };
}

/** What the sign-in screen says while `SettingsView.unreadable` is set. */
export const SETTINGS_UNREADABLE_MESSAGE = 'Your connection settings could not be read; Butterfly will use the defaults until you save new ones.';

// A settings update from the untrusted page: its shape, checked once at the IPC boundary (strict: no unknown key, and
// no password inside the settings object). The values are judged by validateConnectionSettings, per field and in
// words, so a port of 0 or an empty host passes here and comes back as a field error the dialog can show.
const draftHostPortSchema = v.strictObject({ host: text(255), port: v.number() });

export const settingsUpdateSchema = v.strictObject({
  /** `proxy.password` is not accepted here; see proxyPassword. */
  settings: v.strictObject({
    server: draftHostPortSchema,
    nexusUrl: text(2048),
    transport: v.picklist(TRANSPORT_KINDS),
    proxy: v.optional(v.strictObject({ host: text(255), port: v.number(), username: v.optional(text(1024)) })),
    gateway: draftHostPortSchema,
  }),
  /** Omitted: keep the saved password; null: remove it; a string: the new one. */
  proxyPassword: v.optional(v.nullable(text(1024))),
});
export type SettingsUpdate = v.InferOutput<typeof settingsUpdateSchema>;

export type SaveSettingsResult = { ok: true; view: SettingsView } | { ok: false; errors: FieldError[] };
