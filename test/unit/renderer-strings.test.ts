// No user-visible text is written into the renderer's TSX: every word goes through i18n (en + zh-CN).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const RENDERER = fileURLToPath(new URL('../../renderer/src/', import.meta.url));
const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-roledescription', 'aria-placeholder', 'title', 'placeholder', 'alt', 'label']);
const LETTER = /\p{L}/u;

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsxFiles(path);
    return entry.name.endsWith('.tsx') ? [path] : [];
  });
}

/** Text a person would read that is written directly in JSX (text nodes, string literals, visible attributes). */
export function hardCodedText(source: string, fileName = 'file.tsx'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && LETTER.test(node.text)) found.push(node.text.trim());
    if (ts.isJsxExpression(node) && node.expression !== undefined && ts.isJsxElement(node.parent) && (ts.isStringLiteral(node.expression) || ts.isNoSubstitutionTemplateLiteral(node.expression)) && LETTER.test(node.expression.text)) {
      found.push(node.expression.text);
    }
    if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText()) && node.initializer !== undefined) {
      const value = ts.isStringLiteral(node.initializer)
        ? node.initializer.text
        : ts.isJsxExpression(node.initializer) && node.initializer.expression !== undefined && ts.isStringLiteral(node.initializer.expression)
          ? node.initializer.expression.text
          : '';
      if (LETTER.test(value)) found.push(`${node.name.getText()}="${value}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('renderer strings', () => {
  it('finds hard-coded text in a TSX snippet (the check can fail)', () => {
    const snippet = `const A = () => <div title="Close"><p>Reject application</p>{'Approve'}<span aria-label={'Zoom in'}>{t('ok')}</span> × </div>;`;
    expect(hardCodedText(snippet)).toEqual(['title="Close"', 'Reject application', 'Approve', 'aria-label="Zoom in"']);
  });

  it('has no hard-coded user-visible text in any renderer component', () => {
    const files = tsxFiles(RENDERER);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.flatMap((path) => hardCodedText(readFileSync(path, 'utf8'), path).map((text) => `${path.slice(RENDERER.length)}: ${text}`));
    expect(offenders).toEqual([]);
  });
});
