// Personal messages on the server (MSNP11+), as Escargot handles them (msg_ns.py:_m_uux, misc.py), written for this
// server alone: the UUX body must be well-formed XML without an encoding declaration, or the connection is dropped;
// the PSM and CurrentMedia texts are stored unescaped (a missing element as the text `None`); when both are "falsy"
// (empty, `0`, `false`) nothing is updated, so a personal message cannot be cleared; numeric- and boolean-looking text
// is normalised (`007` → `7`, `1.50` → `1.5`, `true` → `True`). UBX puts the stored text back without re-escaping
// (`<PSM>fish & chips</PSM>`), unless `escaped` (what the official servers did).

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(text: string): string | undefined {
  let bad = false;
  const out = text.replace(/&([^;]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) return ((bad = true), whole);
    if (ENTITIES[ref] !== undefined) return ENTITIES[ref];
    const m = /^#(x[0-9a-fA-F]{1,6}|[0-9]{1,7})$/.exec(ref);
    const cp = m ? (m[1][0] === 'x' ? parseInt(m[1].slice(1), 16) : Number(m[1])) : -1;
    if (cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return ((bad = true), whole);
    return String.fromCodePoint(cp);
  });
  return bad ? undefined : out;
}

/** The children of `<Data>` (flat: element name → text), or undefined when the body is not what Escargot parses. */
function readData(body: string): Map<string, string> | undefined {
  let text = body;
  const decl = /^\s*<\?xml([^?]*)\?>/.exec(text);
  if (decl) {
    if (/encoding\s*=/.test(decl[1])) return undefined;
    text = text.slice(decl[0].length);
  }
  if (/<!/.test(text)) return undefined;
  if (/^\s*<Data\s*\/>\s*$/.test(text)) return new Map();
  const whole = /^\s*<Data>([\s\S]*)<\/Data>\s*$/.exec(text);
  if (!whole) return undefined;
  const children = new Map<string, string>();
  const element = /\s*(?:<([A-Za-z][\w.-]*)\s*\/>|<([A-Za-z][\w.-]*)>([^<]*)<\/([A-Za-z][\w.-]*)>)\s*/y;
  let at = 0;
  const inner = whole[1];
  while (at < inner.length) {
    element.lastIndex = at;
    const m = element.exec(inner);
    if (!m) return /^\s*$/.test(inner.slice(at)) ? children : undefined;
    if (m[1]) children.set(m[1], '');
    else {
      if (m[2] !== m[4]) return undefined;
      const value = unescape(m[3]);
      if (value === undefined) return undefined;
      children.set(m[2], value);
    }
    at = element.lastIndex;
  }
  return children;
}

function normalise(text: string): string {
  if (/^-?\d+$/.test(text)) return String(parseInt(text, 10));
  if (/^-?\d*\.\d+$/.test(text)) return String(Number(text));
  if (text === 'true' || text === 'false') return text === 'true' ? 'True' : 'False';
  return text;
}

const falsy = (text: string) => text === '' || text === '0' || text === 'False' || text === '0.0' || text === 'None';

export type UuxOutcome = { kind: 'drop' } | { kind: 'unchanged' } | { kind: 'update'; personalMessage: string; currentMedia: string };

/** What a UUX body does: drop the connection (malformed), nothing (both falsy), or set both texts. */
export function readUux(body: Buffer): UuxOutcome {
  const data = readData(body.toString('utf8'));
  if (!data) return { kind: 'drop' };
  const psm = normalise(data.get('PSM') ?? 'None');
  const media = normalise(data.get('CurrentMedia') ?? 'None');
  if (falsy(data.get('PSM') ?? '') && falsy(data.get('CurrentMedia') ?? '')) return { kind: 'unchanged' };
  return { kind: 'update', personalMessage: psm, currentMedia: media };
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The UBX body for stored texts: raw, as Escargot sends them, or escaped. */
export function ubxBody(personalMessage: string, currentMedia: string, escaped: boolean): Buffer {
  const t = escaped ? escapeText : (s: string) => s;
  return Buffer.from(`<Data><PSM>${t(personalMessage)}</PSM><CurrentMedia>${t(currentMedia)}</CurrentMedia></Data>`, 'utf8');
}
