// The renderer's emoticon set (src-renderer/ui/conversation/emoticon-set.ts) against the protocol's table
// (src-main/protocol/emoticons.ts) and the pictures (assets/emoticons): every emoticon the service can find has its
// picture and its place in the picker, typed as the table's first shortcut; every picture is one of them. The
// renderer cannot import the protocol code, so both files are read here with the TypeScript parser, as text.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const PROTOCOL_TABLE = 'src-main/protocol/emoticons.ts';
const RENDERER_SET = 'src-renderer/ui/conversation/emoticon-set.ts';
const PICTURES = 'assets/emoticons';

/** The initializer of the top-level `const name = …` in a file (through `Object.freeze(…)` and `as` casts). */
function constValue(path: string, name: string): ts.Expression {
  const file = ts.createSourceFile(path, readFileSync(join(root, path), 'utf8'), ts.ScriptTarget.Latest, true);
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== name || !d.initializer) continue;
      let value: ts.Expression = d.initializer;
      for (;;) {
        if (ts.isAsExpression(value) || ts.isParenthesizedExpression(value) || ts.isSatisfiesExpression(value)) value = value.expression;
        else if (ts.isCallExpression(value) && value.expression.getText(file) === 'Object.freeze' && value.arguments.length === 1) value = value.arguments[0];
        else return value;
      }
    }
  }
  throw new Error(`${path} has no top-level const ${name}`);
}

function literal(node: ts.Node, where: string): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  throw new Error(`${where}: expected a string literal, found ${ts.SyntaxKind[node.kind]}`);
}

function stringArray(node: ts.Node, where: string): string[] {
  if (!ts.isArrayLiteralExpression(node)) throw new Error(`${where}: expected an array literal`);
  return node.elements.map((e, i) => literal(e, `${where}[${i}]`));
}

/** EMOTICONS: name → its shortcuts. */
function protocolTable(): Map<string, string[]> {
  const value = constValue(PROTOCOL_TABLE, 'EMOTICONS');
  if (!ts.isObjectLiteralExpression(value)) throw new Error(`${PROTOCOL_TABLE}: EMOTICONS is not an object literal`);
  return new Map(
    value.properties.map((p) => {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) throw new Error(`${PROTOCOL_TABLE}: EMOTICONS holds something other than name: [shortcuts]`);
      return [p.name.text, stringArray(p.initializer, `EMOTICONS.${p.name.text}`)];
    }),
  );
}

/** PICKER_EMOTICONS: [name, shortcut] in the picker's order. */
function rendererSet(): [string, string][] {
  const value = constValue(RENDERER_SET, 'PICKER_EMOTICONS');
  if (!ts.isArrayLiteralExpression(value)) throw new Error(`${RENDERER_SET}: PICKER_EMOTICONS is not an array literal`);
  return value.elements.map((e, i) => {
    const pair = stringArray(e, `PICKER_EMOTICONS[${i}]`);
    if (pair.length !== 2) throw new Error(`PICKER_EMOTICONS[${i}] is not [name, shortcut]`);
    return [pair[0], pair[1]];
  });
}

/** Where the renderer's `import.meta.glob` looks for the pictures, relative to the repository. */
function rendererGlob(): string {
  const file = ts.createSourceFile(RENDERER_SET, readFileSync(join(root, RENDERER_SET), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && node.expression.getText(file) === 'import.meta.glob' && node.arguments[0]) found.push(literal(node.arguments[0], 'import.meta.glob'));
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (found.length !== 1) throw new Error(`${RENDERER_SET}: expected one import.meta.glob, found ${found.length}`);
  return relative(root, join(root, dirname(RENDERER_SET), found[0])).split(sep).join('/');
}

/** Everything on which the table, the picker and the pictures disagree (nothing, when they are in step). */
function drift(table: ReadonlyMap<string, readonly string[]>, picker: readonly (readonly [string, string])[], pictures: readonly string[]): string[] {
  const problems: string[] = [];
  const inPicker = new Map<string, string>();
  for (const [name, shortcut] of picker) {
    if (inPicker.has(name)) problems.push(`${name} is in the picker twice`);
    inPicker.set(name, shortcut);
  }
  const owner = new Map<string, string>();
  for (const [name, shortcuts] of table) {
    if (shortcuts.length === 0) problems.push(`${name} has no shortcut in the protocol's table`);
    for (const s of shortcuts) {
      const other = owner.get(s);
      if (other !== undefined) problems.push(`${s} is a shortcut of both ${other} and ${name}`);
      owner.set(s, name);
    }
    const typed = inPicker.get(name);
    if (typed === undefined) problems.push(`${name} (${shortcuts.join(' ')}) is missing from the picker`);
    else if (typed !== shortcuts[0]) problems.push(`the picker types ${typed} for ${name}, the table's first shortcut is ${shortcuts[0]}`);
    if (!pictures.includes(name)) problems.push(`${name} has no picture ${name}.svg`);
  }
  for (const name of inPicker.keys()) if (!table.has(name)) problems.push(`the picker offers ${name}, which the protocol's table does not have`);
  for (const name of pictures) if (!table.has(name)) problems.push(`${name}.svg is no emoticon of the protocol's table`);
  return problems;
}

describe('the emoticon set', () => {
  const pictures = readdirSync(join(root, PICTURES));

  it('has a picture and a picker entry for every emoticon of the protocol’s table, typed as its first shortcut, and no picture more', () => {
    expect(pictures.filter((f) => !f.endsWith('.svg'))).toEqual([]);
    const table = protocolTable();
    expect(table.size).toBeGreaterThan(60);
    expect(drift(table, rendererSet(), pictures.map((f) => f.slice(0, -'.svg'.length)))).toEqual([]);
  });

  it('loads its pictures from assets/emoticons', () => {
    expect(rendererGlob()).toBe(`${PICTURES}/*.svg`);
  });

  it('has pictures that are self-contained SVG: no script, nothing fetched', () => {
    for (const f of pictures) {
      const svg = readFileSync(join(root, PICTURES, f), 'utf8');
      expect(svg, f).toMatch(/<svg[^>]*\sviewBox="[^"]+"/);
      expect(svg, f).not.toMatch(/<script|<foreignObject|\son[a-z]+=|(?:href|src)="(?!#)/i);
    }
  });

  it('tells each kind of drift apart', () => {
    const table = new Map([
      ['smile', [':-)', ':)']],
      ['sad', [':-(']],
      ['wink', [';)']],
      ['frown', [':-(']],
    ]);
    const picker: [string, string][] = [
      ['smile', ':)'],
      ['sad', ':-('],
      ['sad', ':-('],
      ['ghost', '(gh)'],
      ['frown', ':-('],
    ];
    expect(drift(table, picker, ['smile', 'sad', 'frown', 'unicorn'])).toEqual([
      'sad is in the picker twice',
      'the picker types :) for smile, the table\'s first shortcut is :-)',
      'wink (;)) is missing from the picker',
      'wink has no picture wink.svg',
      ':-( is a shortcut of both sad and frown',
      'the picker offers ghost, which the protocol\'s table does not have',
      'unicorn.svg is no emoticon of the protocol\'s table',
    ]);
  });
});
