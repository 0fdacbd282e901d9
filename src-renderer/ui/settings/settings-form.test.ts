import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_SETTINGS, validateConnectionSettings, type ConnectionSettings } from '../../../src-shared/connection-settings';
import { i18n } from '../../i18n';
import { byField, fieldWords, formFromView, updateFromForm } from './settings-form';

const view = { settings: DEFAULT_CONNECTION_SETTINGS, proxyPasswordSaved: false, secretStorage: 'os' as const };

describe('settings form', () => {
  it('round-trips the saved settings unchanged', () => {
    expect(updateFromForm(formFromView(view))).toEqual({ settings: DEFAULT_CONNECTION_SETTINGS });
  });

  it('adds the proxy only for kinds that use one, and the password only when typed or forgotten', () => {
    const form = { ...formFromView(view), transport: 'socks5' as const, proxyHost: ' 127.0.0.1 ', proxyPort: '1080', proxyUsername: 'me' };
    expect(updateFromForm(form)).toEqual({ settings: { ...DEFAULT_CONNECTION_SETTINGS, transport: 'socks5', proxy: { host: '127.0.0.1', port: 1080, username: 'me' } } });
    expect(updateFromForm({ ...form, proxyPassword: 'pw' }).proxyPassword).toBe('pw');
    expect(updateFromForm({ ...form, proxyPassword: 'pw', forgetPassword: true }).proxyPassword).toBeNull();
    expect(updateFromForm({ ...form, transport: 'direct' }).settings.proxy).toBeUndefined();
    expect(updateFromForm({ ...form, transport: 'gateway' }).settings.proxy).toBeUndefined();
    expect(updateFromForm({ ...form, transport: 'gateway', gatewayViaProxy: true }).settings.proxy).toEqual({ host: '127.0.0.1', port: 1080, username: 'me' });
  });

  it('a port that is not a number is reported on its field', () => {
    const update = updateFromForm({ ...formFromView(view), serverPort: '18a63' });
    expect(byField(validateConnectionSettings(update.settings), (e) => e.message)).toEqual({ 'server.port': 'The MSN server port must be a whole number from 1 to 65535.' });
  });

  it('words each field problem in the person’s language, about the thing the field belongs to, with what was typed', () => {
    const say = (language: string) => (settings: ConnectionSettings) => fieldWords(i18n.getFixedT(language), settings);
    const settings: ConnectionSettings = { ...DEFAULT_CONNECTION_SETTINGS, server: { host: 'tcp://ms.example', port: 0 }, transport: 'socks5', proxy: { host: '', port: 1080 } };
    expect(byField(validateConnectionSettings(settings), say('en')(settings))).toEqual({
      'server.host': 'Enter only the MSN server host name, without “tcp://”.',
      'server.port': 'The MSN server port must be a whole number from 1 to 65535.',
      'proxy.host': 'Enter the proxy host name or address.',
    });
    expect(byField(validateConnectionSettings(settings), say('pt-BR')(settings))['proxy.host']).toBe('Digite o nome ou endereço do proxy.');
    expect(byField(validateConnectionSettings(settings), say('es')(settings))['server.port']).toBe('El puerto del servidor MSN debe ser un número entero del 1 al 65535.');
  });
});
