// Fuzz: 400,000 random and capture-mutated inputs, each through every text codec of the protocol core (URL codec,
// charset decoding under many labels, MIME, IM messages, IM format, XML entities, Passport headers, command lifting):
// over 4,000,000 codec calls in all. None may throw, and the round trips must hold.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeName, encodeName } from '../../src-shared/url-codec';
import { decodeBody, parseContentType } from './charset';
import { parseCommand } from './command';
import { parseImFormat } from './im-format';
import { parseImMessage } from './im-message';
import { parseMime } from './mime';
import { parseAuthenticationInfo, parsePassportUrls, parseWwwAuthenticate } from './passport';
import { corpusFromTranscripts } from './testing/corpus';
import { createFuzzInputs } from './testing/fuzz-inputs';
import { decodeXmlEntities, escapeXmlText } from './xml-entities';

const dir = join(import.meta.dirname, 'testing', 'captures');
const corpus = corpusFromTranscripts(readdirSync(dir).filter((f) => f.endsWith('.txt') && !f.startsWith('00-')).map((f) => readFileSync(join(dir, f), 'utf8')));

const SEEDS = [101, 102, 103, 104, 105, 106, 107, 108];
const PER_SEED = 50_000;
const LABELS = ['UTF-8', 'utf8', '"utf-8"', 'ISO-8859-1', 'KOI8-R', 'windows-1251', 'Shift_JIS', 'GB2312', 'big5', 'euc-kr', 'UTF-16LE', 'utf-7', 'x-unknown', ''];
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const latin1 = new TextDecoder('latin1');

function fail(seed: number, n: number, what: string): never {
  throw new Error(`codec fuzz seed ${seed}, input #${n}: ${what}`);
}

function fuzzSeed(seed: number): number {
  const inputs = createFuzzInputs(seed, corpus);
  let calls = 0;
  for (let n = 0; n < PER_SEED; n++) {
    const bytes = inputs.next(120);
    const text = n % 2 === 0 ? utf8.decode(bytes) : latin1.decode(bytes);
    const label = LABELS[n % LABELS.length];

    const name = decodeName(text);
    // Anything decoded re-encodes to a form that decodes back to it (lone surrogates cannot occur here).
    if (decodeName(encodeName(name)) !== name) fail(seed, n, 'URL codec round trip');
    if (decodeXmlEntities(escapeXmlText(text)) !== text) fail(seed, n, 'XML round trip');
    decodeXmlEntities(text);
    const body = decodeBody(bytes, `text/plain; charset=${label}`);
    if (typeof body.text !== 'string' || (body.unknownCharset && body.text.length !== bytes.length)) fail(seed, n, 'charset fallback lost bytes');
    parseContentType(text);
    parseMime(bytes);
    parseImMessage(bytes);
    parseImFormat(text);
    parseAuthenticationInfo(text);
    parseWwwAuthenticate(text);
    parsePassportUrls(text);
    parseCommand({ line: text }, { listLinesCarryTrid: true });
    calls += 14;
  }
  return calls;
}

describe('codec fuzz', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${PER_SEED.toLocaleString('en-US')} inputs through every codec, none throws`, () => {
      const started = Date.now();
      const heapBefore = process.memoryUsage().heapUsed;
      expect(fuzzSeed(seed)).toBe(PER_SEED * 14);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    });
  }
});
