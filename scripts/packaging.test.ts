// Reads electron-builder.yml as electron-builder would and checks targets and referenced files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
const targetNames = (platform: { target: { target: string }[] }) => platform.target.map((t) => t.target);

describe('electron-builder.yml', () => {
  it('names the app', () => {
    expect(config.productName).toBe('Butterfly');
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
  });
  it('targets Windows nsis, macOS dmg + zip, Linux AppImage + deb', () => {
    expect(targetNames(config.win)).toEqual(['nsis']);
    expect(targetNames(config.mac)).toEqual(['dmg', 'zip']);
    expect(targetNames(config.linux)).toEqual(['AppImage', 'deb']);
  });
  it('references only files that exist', () => {
    for (const icon of [config.win.icon, config.mac.icon, config.linux.icon]) expect(existsSync(join(root, icon)), icon).toBe(true);
    expect(existsSync(join(root, config.directories.buildResources))).toBe(true);
    expect(existsSync(join(root, 'assets', 'icons', '256x256.png'))).toBe(true);
  });
  it('packs only the build output and package.json (production deps are added by electron-builder)', () => {
    expect(config.files.filter((f: string) => !f.startsWith('!'))).toEqual(['out/**/*', 'package.json']);
  });
  it('points package.json main at the built main process', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('out/main/index.js');
    expect(pkg.devDependencies.electron).toMatch(/^\^?45\./);
    expect(pkg.allowScripts.electron).toBe(true);
  });
});
