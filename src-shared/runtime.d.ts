// The only host APIs src-shared may use: both Node and browsers provide these.
// Main and renderer configs exclude this file because @types/node and lib.dom declare the real ones.
interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare const TextEncoder: { prototype: TextEncoder; new (): TextEncoder };

interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
interface TextDecoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare const TextDecoder: { prototype: TextDecoder; new (label?: string, options?: TextDecoderOptions): TextDecoder };

/** WHATWG URL, as far as src-shared reads one. */
interface URL {
  readonly href: string;
  readonly protocol: string;
}
declare const URL: { prototype: URL; new (url: string, base?: string): URL };
