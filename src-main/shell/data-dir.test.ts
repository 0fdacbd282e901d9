import { describe, expect, it } from 'vitest';
import { resolveDataDir } from './data-dir';

describe('resolveDataDir', () => {
  it('BUTTERFLY_DATA_DIR overrides everything, Electron included', () => {
    expect(resolveDataDir({ env: { BUTTERFLY_DATA_DIR: '/tmp/x' }, electronUserData: '/e', platform: 'linux', home: '/h' })).toBe('/tmp/x');
  });
  it('uses Electron userData on the desktop', () => {
    expect(resolveDataDir({ env: {}, electronUserData: '/e/Butterfly', platform: 'linux', home: '/h' })).toBe('/e/Butterfly');
  });
  it('follows XDG on Linux, ignoring a relative XDG_CONFIG_HOME', () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', home: '/h' })).toBe('/h/.config/Butterfly');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/x' }, platform: 'linux', home: '/h' })).toBe('/x/Butterfly');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: 'rel' }, platform: 'linux', home: '/h' })).toBe('/h/.config/Butterfly');
  });
  it('uses the usual places on macOS and Windows', () => {
    expect(resolveDataDir({ env: {}, platform: 'darwin', home: '/Users/a' })).toBe('/Users/a/Library/Application Support/Butterfly');
    expect(resolveDataDir({ env: { APPDATA: '/c/AppData/Roaming' }, platform: 'win32', home: '/c' })).toMatch(/AppData.Roaming.Butterfly$/);
  });
  it('ignores a blank override', () => {
    expect(resolveDataDir({ env: { BUTTERFLY_DATA_DIR: '  ' }, platform: 'linux', home: '/h' })).toBe('/h/.config/Butterfly');
  });
});
