// Exports: answerChallenge (a `CHL 0 <challenge>` → the product id and 32-hex-digit answer for `QRY`, by the algorithm
// and product a ChallengeSpec names — which one a version uses is its dialect's business), md5ChallengeAnswer
// (MSNP6–10: md5(challenge + product key)), msnp11ChallengeAnswer (MSNP11+ algorithm), CHALLENGE_PRODUCTS (the id/key
// pairs), ChallengeSpec and ChallengeAnswer.
// MSNP11's products reach ~2^62, so that arithmetic is done in BigInt.
import { createHash } from 'node:crypto';
import { md5Hex } from './md5';
import { ProtocolError } from './protocol-error';

export interface ChallengeProduct {
  id: string;
  key: string;
}

export const CHALLENGE_PRODUCTS = Object.freeze({
  /** Messenger 5.0/6.x, MSNP8–10: the safe default. */
  msmsgs: Object.freeze({ id: 'msmsgs@msnmsgr.com', key: 'Q1P7W2E4J9R8U3S5' }),
  /** Messenger 6.x builds, MSNP9–10. */
  prod0038: Object.freeze({ id: 'PROD0038W!61ZTF9', key: 'VT6PX?UQTM4WM%YR' }),
  /** Messenger 7.0, MSNP11. */
  prod0090: Object.freeze({ id: 'PROD0090YUAUV{2B', key: 'YMM8C_H7KCQ2S_KL' }),
  /** Messenger 7.5, MSNP11–12. */
  prod0101: Object.freeze({ id: 'PROD0101{0RM?UBW', key: 'CFHUR$52U_{VIX5T' }),
  /** Windows Live Messenger 8.1, MSNP15+ (the reference's published vectors use it). */
  prod0113: Object.freeze({ id: 'PROD0113H11T8$X_', key: 'RG@XY*28Q5QHS%Q5' }),
  /** Windows Live Messenger 2009, MSNP18. */
  prod0120: Object.freeze({ id: 'PROD0120PW!CCV9@', key: 'C1BX{V4W}Q3*10SM' }),
});

/** How a version answers `CHL`: the algorithm and the product whose id and key it uses. */
export interface ChallengeSpec {
  readonly challengeAlgorithm: 'md5' | 'msnp11';
  readonly challengeProduct: ChallengeProduct;
}

export interface ChallengeAnswer {
  /** Sent literally as the QRY argument (never URL-encoded). */
  productId: string;
  /** 32 lower-case hex characters: the QRY payload, with no line end. */
  answer: string;
}

/** MSNP6–10: lower-case hex MD5 of the challenge followed by the product key. */
export function md5ChallengeAnswer(challenge: string, productKey: string): string {
  if (!PRINTABLE_ASCII.test(challenge)) throw new ProtocolError('protocol.bad-argument', 'The challenge holds characters other than printable ASCII.', { command: 'CHL' });
  return md5Hex(challenge + productKey);
}

const M = 0x7fffffffn;
const PRINTABLE_ASCII = /^[\x21-\x7e]{1,256}$/;

/** MSNP11–12: the keyed hash of challenge, product id and key (keepalive-and-challenges.md). */
export function msnp11ChallengeAnswer(challenge: string, product: ChallengeProduct): string {
  // The padding counts characters and the words are read from bytes: they agree only for ASCII.
  if (!PRINTABLE_ASCII.test(challenge)) throw new ProtocolError('protocol.bad-argument', 'The challenge holds characters other than printable ASCII.', { command: 'CHL' });
  const digest = createHash('md5').update(challenge + product.key).digest();
  const h = [0, 1, 2, 3].map((i) => digest.readUInt32LE(i * 4));
  const m = h.map((x) => BigInt(x & 0x7fffffff));
  let text = challenge + product.id;
  // 1–8 zeros: a full 8 when the length is already a multiple of 8, as libpurple's port, MSNPiki and later Escargot
  // do (msnp9-12.md; real challenges never hit that case).
  text += '0'.repeat(8 - (text.length % 8));
  const bytes = new TextEncoder().encode(text);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength - (bytes.byteLength % 8));
  let high = 0n;
  let low = 0n;
  for (let off = 0; off + 8 <= view.byteLength; off += 8) {
    let t = (BigInt(view.getUint32(off, true)) * 0x0e79a9c1n) % M;
    t = (m[0] * (t + high) + m[1]) % M;
    high = (BigInt(view.getUint32(off + 4, true)) + t) % M;
    high = (m[2] * high + m[3]) % M;
    low = low + high + t;
  }
  high = (high + m[1]) % M;
  low = (low + m[3]) % M;
  const out = new DataView(new ArrayBuffer(16));
  const hi = Number(high);
  const lo = Number(low);
  out.setUint32(0, (h[0] ^ hi) >>> 0, true);
  out.setUint32(4, (h[1] ^ lo) >>> 0, true);
  out.setUint32(8, (h[2] ^ hi) >>> 0, true);
  out.setUint32(12, (h[3] ^ lo) >>> 0, true);
  let hex = '';
  for (let i = 0; i < 16; i++) hex += out.getUint8(i).toString(16).padStart(2, '0');
  return hex;
}

/** The QRY answer for a challenge, by the spec's algorithm and product (the negotiated version's dialect is one). */
export function answerChallenge(challenge: string, spec: ChallengeSpec): ChallengeAnswer {
  const product = spec.challengeProduct;
  const answer = spec.challengeAlgorithm === 'msnp11' ? msnp11ChallengeAnswer(challenge, product) : md5ChallengeAnswer(challenge, product.key);
  return { productId: product.id, answer };
}
