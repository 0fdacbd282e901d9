// The server's side of CHL/QRY, written for this server alone (it shares no code with the client): which product ids
// it accepts up to which version (later Escargot's table, versions.md), and the two ways an answer is computed — MD5
// of challenge + key (MSNP6–10), and the MSNP11 keyed hash (MSNP11+, msnp9-12.md: XOR with the unmasked MD5 words,
// 1–8 zeros of padding). Products of the MSNP11 algorithm reach 2^62, so it is done in BigInt.
import { createHash } from 'node:crypto';

interface Product {
  key: string;
  algorithm: 'md5' | 'msnp11';
  /** The highest MSNP version a client may answer with this product (later Escargot: MD5 ids ≤ 10, 7.x ≤ 12 …). */
  maxVersion: number;
}

export const PRODUCTS: Readonly<Record<string, Product>> = {
  'msmsgs@msnmsgr.com': { key: 'Q1P7W2E4J9R8U3S5', algorithm: 'md5', maxVersion: 10 },
  'PROD0038W!61ZTF9': { key: 'VT6PX?UQTM4WM%YR', algorithm: 'md5', maxVersion: 10 },
  'PROD0058#7IL2{QD': { key: 'QHDCY@7R1TB6W?5B', algorithm: 'md5', maxVersion: 10 },
  'PROD0061VRRZH@4F': { key: 'JXQ6J@TUOGYV@N0M', algorithm: 'md5', maxVersion: 10 },
  'PROD0090YUAUV{2B': { key: 'YMM8C_H7KCQ2S_KL', algorithm: 'msnp11', maxVersion: 12 },
  'PROD0101{0RM?UBW': { key: 'CFHUR$52U_{VIX5T', algorithm: 'msnp11', maxVersion: 12 },
  'PROD01065C%ZFN6F': { key: 'O4BG@C7BWLYQX?5G', algorithm: 'msnp11', maxVersion: 14 },
  'PROD0113H11T8$X_': { key: 'RG@XY*28Q5QHS%Q5', algorithm: 'msnp11', maxVersion: 21 },
  'PROD0114ES4Z%Q5W': { key: 'PK}_A_0N_K%O?A9S', algorithm: 'msnp11', maxVersion: 21 },
  'PROD0118R6%2WYOS': { key: 'YIXPX@5I2P0UT*LK', algorithm: 'msnp11', maxVersion: 21 },
  'PROD0119GSJUC$18': { key: 'ILTXC!4IXB5FB*PX', algorithm: 'msnp11', maxVersion: 21 },
  'PROD0120PW!CCV9@': { key: 'C1BX{V4W}Q3*10SM', algorithm: 'msnp11', maxVersion: 21 },
};

const MASK = 0x7fffffffn;
const MULTIPLIER = 0x0e79a9c1n;

/** MSNP11's answer to `chl` for product `id` with `key`: 32 lower-case hex characters. */
export function msnp11Answer(chl: string, id: string, key: string): string {
  const digest = createHash('md5').update(chl + key, 'latin1').digest();
  const words = [0, 4, 8, 12].map((o) => digest.readUInt32LE(o));
  const [m0, m1, m2, m3] = words.map((w) => BigInt(w) & MASK);
  let text = chl + id;
  text += '0'.repeat(8 - (text.length % 8));
  const bytes = Buffer.from(text, 'latin1');
  let hi = 0n;
  let lo = 0n;
  for (let i = 0; i < bytes.length; i += 8) {
    let t = (BigInt(bytes.readUInt32LE(i)) * MULTIPLIER) % MASK;
    t = (m0 * (t + hi) + m1) % MASK;
    hi = (BigInt(bytes.readUInt32LE(i + 4)) + t) % MASK;
    hi = (m2 * hi + m3) % MASK;
    lo += hi + t;
  }
  hi = (hi + m1) % MASK;
  lo = (lo + m3) % MASK;
  const out = Buffer.alloc(16);
  out.writeUInt32LE((words[0] ^ Number(hi)) >>> 0, 0);
  out.writeUInt32LE((words[1] ^ Number(lo)) >>> 0, 4);
  out.writeUInt32LE((words[2] ^ Number(hi)) >>> 0, 8);
  out.writeUInt32LE((words[3] ^ Number(lo)) >>> 0, 12);
  return out.toString('hex');
}

/** Whether `answer` (the QRY body) is right for `chl` from `productId` at `version`. */
export function checkAnswer(chl: string, productId: string, answer: string, version: number): boolean {
  const product = PRODUCTS[productId];
  if (!product || version > product.maxVersion || answer.length !== 32) return false;
  // MSNP11+ answer with the MSNP11 algorithm; an MD5 id is only good up to MSNP10.
  const expected = product.algorithm === 'msnp11' ? msnp11Answer(chl, productId, product.key) : createHash('md5').update(chl + product.key, 'latin1').digest('hex');
  return expected === answer;
}
