// Exports: corpusFromTranscripts — the byte streams of capture transcripts (both directions, every connection), as
// seed material for fuzzing. Test support only; pure (the tests read the files).
import { captureConnections } from './capture-stream';

export function corpusFromTranscripts(texts: Iterable<string>): Uint8Array[] {
  const corpus: Uint8Array[] = [];
  for (const text of texts) for (const dir of ['S', 'C'] as const) corpus.push(...captureConnections(text, dir));
  return corpus;
}
