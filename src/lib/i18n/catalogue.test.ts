/// <reference types="node" />
/**
 * Localisation guard (issue 8): every German key exists, and no component carries literal UI text.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { resources } from './resources.ts';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** A key's interpolation variables, e.g. "Hello {{user}}" → ["user"]. */
const vars = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1]).sort();

export function missingTranslations(): string[] {
  const problems: string[] = [];
  for (const ns of Object.keys(resources.de)) if (!(ns in resources.en)) problems.push(`de:${ns} not in English`);
  for (const [ns, tree] of Object.entries(resources.en)) {
    const en = flatten(tree);
    const de = flatten((resources.de as Record<string, Tree>)[ns] ?? {});
    for (const [key, text] of en) {
      const translated = de.get(key);
      if (translated === undefined || translated.trim() === '') problems.push(`de:${ns}:${key} missing`);
      else if (vars(translated).join() !== vars(text).join()) problems.push(`de:${ns}:${key} variables differ`);
    }
    for (const key of de.keys()) if (!en.has(key)) problems.push(`de:${ns}:${key} not in English`);
  }
  return problems;
}

/**
 * Words the glossary (docs/glossary.md) rules out: one word per concept. Interpolations (`{{x}}`)
 * and permission names (`conversation:participant:wrapup`) are not words.
 */
const AVOID: Record<'en' | 'de', readonly RegExp[]> = {
  de: [/\bWrap-up(?! Desk)/, /Nachbereitung/, /Abwicklung/, /[Aa]ngewendet/, /zuweisen/, /Interaktion/, /(?<!Audit-)\bProtokoll\b/, /\bQueue\b/],
  en: [/\binteractions?\b/i, /\bwrapup\b/i, /\bACW\b/],
};

export function glossaryViolations(): string[] {
  const problems: string[] = [];
  for (const lng of ['en', 'de'] as const) {
    for (const [ns, tree] of Object.entries(resources[lng])) {
      for (const [key, text] of flatten(tree)) {
        const words = text.replace(/\{\{[^}]*\}\}/g, ' ').replace(/\b[\w-]+(?::[\w-]+)+\b/g, ' ');
        for (const re of AVOID[lng]) if (re.test(words)) problems.push(`${lng}:${ns}:${key} uses ${re.source}: ${text}`);
      }
    }
  }
  return problems;
}

const TEXT_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-placeholder', 'title', 'placeholder', 'alt', 'label']);
/** Text that is not language: product names, symbols. */
const ALLOWED = new Set(['Wrap-up Desk', 'CSV', 'ID', '×', '—', '…']);

/** Literal user-facing text in TSX: JSX text with letters, and string literals in text attributes. */
export function literalStrings(fileName: string, source: string): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      const text = node.text.replace(/\s+/g, ' ').trim();
      if (/\p{L}{2,}/u.test(text) && !ALLOWED.has(text)) found.push(text);
    } else if (ts.isJsxAttribute(node) && node.initializer && ts.isStringLiteral(node.initializer)) {
      const name = node.name.getText(sf);
      const text = node.initializer.text.trim();
      if (TEXT_ATTRIBUTES.has(name) && /\p{L}{2,}/u.test(text) && !ALLOWED.has(text)) found.push(`${name}="${text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function tsxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name: string) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsxFiles(p);
    return p.endsWith('.tsx') && !p.endsWith('.test.tsx') ? [p] : [];
  });
}

describe('translation catalogues', () => {
  it('German has every English key with the same variables', () => {
    expect(missingTranslations()).toEqual([]);
  });

  it('the guard finds a missing German key', () => {
    const de = resources.de.common as unknown as Record<string, unknown>;
    const saved = de.appName;
    delete de.appName;
    try {
      expect(missingTranslations()).toContain('de:common:appName missing');
    } finally {
      de.appName = saved;
    }
  });
});

describe('one word per concept (docs/glossary.md)', () => {
  it('no catalogue uses a word the glossary rules out', () => {
    expect(glossaryViolations()).toEqual([]);
  });

  it('the guard finds one', () => {
    const de = resources.de.common.nav as unknown as { audit: string };
    const saved = de.audit;
    de.audit = 'Protokoll';
    try {
      expect(glossaryViolations()).toContain('de:common:nav.audit uses (?<!Audit-)\\bProtokoll\\b: Protokoll');
    } finally {
      de.audit = saved;
    }
  });
});

describe('no literal UI text in components', () => {
  it('detects literal text and text attributes, ignores expressions', () => {
    const src = `export const A = () => <div aria-label="Close it" title={t('x')}><p>Hello there</p>{t('ok')} <span>—</span></div>;`;
    expect(literalStrings('a.tsx', src)).toEqual(['aria-label="Close it"', 'Hello there']);
  });

  it('finds none in src/', () => {
    // A string, not `new URL(...)`: under jsdom the global URL resolves '../..' against http://localhost.
    const root = join(fileURLToPath(import.meta.url), '../../..');
    const offenders = tsxFiles(root).flatMap((f) => literalStrings(f, readFileSync(f, 'utf8')).map((s) => `${relative(root, f)}: ${s}`));
    expect(offenders).toEqual([]);
  });
});
