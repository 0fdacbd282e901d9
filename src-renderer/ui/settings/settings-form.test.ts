import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_SETTINGS, validateConnectionSettings } from '../../../src-shared/connection-settings';
import { byField, formFromView, updateFromForm } from './settings-form';

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
    expect(byField(validateConnectionSettings(update.settings))).toEqual({ 'server.port': 'The MSN server port must be a whole number from 1 to 65535.' });
  });
});
