// Exports: parseStrictXml (text → the document as plain objects, or why it is not well-formed XML Butterfly reads),
// XmlDocument, xmlText.
// For XML that other people's clients wrote (personal messages in UBX, msnobjects): fast-xml-parser checks that it is
// well-formed and builds the tree; on top of it, nothing is ever expanded but the five predefined entities and
// numeric character references — a DOCTYPE (where entity declarations, and so XML bombs, live) is refused outright,
// and a reference to any other entity makes the document not well-formed. The parser is told to expand nothing
// itself, so each reference is decoded exactly once (decodeXmlEntities), never twice.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeXmlEntities } from './xml-entities';

/** Elements become objects (attributes as `@name`), text-only elements strings. */
export type XmlDocument = Record<string, unknown>;

export type StrictXmlResult = { ok: true; document: XmlDocument } | { ok: false; reason: string };

/** Well past any personal message or msnobject; a document longer than this is not read at all. */
const MAX_XML_CHARS = 256 * 1024;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const DECLARATIONS = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;
const REFERENCE = /&([^;&\s]{0,16});/g;
const ALLOWED_REFERENCE = /^(amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6})$/;

export function parseStrictXml(text: string): StrictXmlResult {
  if (text.length > MAX_XML_CHARS) return { ok: false, reason: `longer than ${MAX_XML_CHARS} characters` };
  if (DECLARATIONS.test(text)) return { ok: false, reason: 'it declares a document type or entities, which are never expanded' };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, reason: `not well-formed XML (${valid.err.msg} at line ${valid.err.line})` };
  for (const m of text.matchAll(REFERENCE)) {
    if (!ALLOWED_REFERENCE.test(m[1])) return { ok: false, reason: `a reference to the undeclared entity &${m[1].slice(0, 16)};` };
  }
  try {
    return { ok: true, document: parser.parse(text) as XmlDocument };
  } catch (error) {
    return { ok: false, reason: `not well-formed XML (${String((error as Error).message).slice(0, 80)})` };
  }
}

/** The decoded text of a text-only element or attribute value; undefined when it is absent or has child elements. */
export function xmlText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return decodeXmlEntities(value);
  return undefined;
}
