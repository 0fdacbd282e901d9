// The renderer's components hold no user-visible text of their own: every string goes through i18next (the languages'
// completeness is src-renderer/i18n/i18n.test.ts). The scanner reads each component with the TypeScript parser and
// reports text in JSX, and string literals in the attributes people read (aria-label, title, placeholder, alt, ...);
// it is itself tested on a sample. It lives here because it reads the project's files, which the renderer cannot.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const READ_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'title', 'placeholder', 'alt', 'label']);
const hasWords = (text: string) => /\p{L}/u.test(text);

export function findHardCodedText(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => found.push(`${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${text.trim()}`);
  const literalText = (node: ts.Node | undefined): string | undefined => {
    if (!node) return undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => s.literal.text).join(' ');
    if (ts.isJsxExpression(node)) return literalText(node.expression);
    if (ts.isConditionalExpression(node)) return [literalText(node.whenTrue), literalText(node.whenFalse)].filter(Boolean).join(' ') || undefined;
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken || node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken))
      return literalText(node.right);
    return undefined;
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && hasWords(node.text)) report(node, node.text);
    if (ts.isJsxExpression(node) && node.parent && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      const text = literalText(node.expression);
      if (text && hasWords(text)) report(node, text);
    }
    if (ts.isJsxAttribute(node) && READ_ATTRIBUTES.has(node.name.getText(file))) {
      const text = literalText(node.initializer);
      if (text && hasWords(text)) report(node, `${node.name.getText(file)}=${text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function componentFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? componentFiles(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : []));
}

describe('components', () => {
  const root = join(import.meta.dirname, '..', 'src-renderer');

  it('hold no user-visible text of their own', () => {
    const files = componentFiles(root);
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((f) => findHardCodedText(relative(root, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('(the scanner) finds text in JSX, in read attributes, in literals and in either branch of a condition', () => {
    const sample = `
      export const A = ({ on }: { on: boolean }) => (
        <div title="Hover text" aria-label={\`Label \${1}\`} className="no-words-here">
          Hello there
          {'Literal child'}
          {on ? 'Yes' : t('key')}
          <input placeholder={on && 'Type here'} />
          <span>{t('ok')} · ✓ 12</span>
        </div>
      );`;
    expect(findHardCodedText('sample.tsx', sample).map((s) => s.replace(/^sample\.tsx:\d+: /, ''))).toEqual([
      'title=Hover text',
      'aria-label=Label',
      'Hello there',
      'Literal child',
      'Yes',
      'placeholder=Type here',
    ]);
  });
});
