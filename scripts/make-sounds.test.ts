// The committed sounds are what scripts/make-sounds.sh makes: small Ogg Vorbis files, mono at 22.05 kHz, and — where
// SoX is installed — byte for byte what the script writes today (so nobody commits a sound the script cannot remake).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const dir = join(root, 'assets', 'sounds');
const SOUNDS = ['contact-online.ogg', 'new-message.ogg', 'nudge.ogg'];
const haveSox = spawnSync('sox', ['--version']).status === 0;

/** The Vorbis identification header: channels and sample rate. */
function vorbisInfo(file: Buffer): { channels: number; rate: number } | undefined {
  const at = file.indexOf(Buffer.from('\x01vorbis', 'latin1'));
  if (file.subarray(0, 4).toString('latin1') !== 'OggS' || at < 0) return undefined;
  return { channels: file.readUInt8(at + 11), rate: file.readUInt32LE(at + 12) };
}

describe('the sounds', () => {
  it('are small Ogg Vorbis files, mono at 22.05 kHz', () => {
    expect(readdirSync(dir).sort()).toEqual(SOUNDS);
    for (const name of SOUNDS) {
      const file = readFileSync(join(dir, name));
      expect(file.length, name).toBeLessThanOrEqual(6 * 1024);
      expect(vorbisInfo(file), name).toEqual({ channels: 1, rate: 22050 });
    }
  });

  it.skipIf(!haveSox)('are what the script makes, byte for byte', () => {
    const out = mkdtempSync(join(tmpdir(), 'bf-sounds-'));
    execFileSync('bash', [join(root, 'scripts', 'make-sounds.sh')], { env: { ...process.env, BUTTERFLY_SOUNDS_OUT: out }, stdio: 'pipe' });
    for (const name of SOUNDS) expect(readFileSync(join(out, name)).equals(readFileSync(join(dir, name))), name).toBe(true);
  });
});
