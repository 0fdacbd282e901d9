import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_SETTINGS } from '../../src-shared/connection-settings';
import { settingsFromEnvironment } from './app-service';

describe('settingsFromEnvironment', () => {
  it('is the live network by default', () => {
    expect(settingsFromEnvironment({})).toEqual(DEFAULT_CONNECTION_SETTINGS);
  });

  it('takes BUTTERFLY_SERVER and BUTTERFLY_NEXUS (what npm run demo sets)', () => {
    const s = settingsFromEnvironment({ BUTTERFLY_SERVER: '127.0.0.1:40001', BUTTERFLY_NEXUS: 'http://127.0.0.1:40003/rdr/pprdr.asp' });
    expect(s.server).toEqual({ host: '127.0.0.1', port: 40001 });
    expect(s.nexusUrl).toBe('http://127.0.0.1:40003/rdr/pprdr.asp');
    expect(s.transport).toBe('direct');
  });

  it('ignores a server without a port rather than guessing', () => {
    expect(settingsFromEnvironment({ BUTTERFLY_SERVER: 'example.org' }).server).toEqual(DEFAULT_CONNECTION_SETTINGS.server);
  });
});
