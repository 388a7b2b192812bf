/**
 * Genesys Spark, self-hosted (house style §8): the web-components build is copied from the installed
 * package into `public/spark/` before dev and build, so no request ever goes to Genesys's CDN.
 * The copy is git-ignored and refreshed whenever the installed Spark version changes.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

export function sparkSourceDir(): string {
  const pkg = require.resolve('genesys-spark-components/package.json');
  return join(dirname(pkg), 'dist', 'genesys-webcomponents');
}

export function sparkVersion(): string {
  const pkg = require.resolve('genesys-spark-components/package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/** Copies Spark into public/spark/ unless the same version is already there. Returns the target dir. */
export function copySpark(target = join(root, 'public', 'spark')): string {
  const stamp = join(target, '.version');
  const version = sparkVersion();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === version) return target;
  rmSync(target, { recursive: true, force: true });
  cpSync(sparkSourceDir(), target, { recursive: true });
  writeFileSync(stamp, version);
  return target;
}

/**
 * Spark's Stencil loader injects one inline <style> when it registers its components:
 * optional slot fallback rules, then every tag it defines (sorted, comma-joined), then the hydration rule.
 * We rebuild that exact text from the installed loader's component table and hash it, so the CSP
 * allows that style and nothing else. The e2e guard fails on any CSP violation, which proves the hash.
 */
export function sparkHydrationStyle(dir = sparkSourceDir()): string {
  const loader = readFileSync(join(dir, 'genesys-webcomponents.esm.js'), 'utf8');
  const match = /JSON\.parse\('(\[.*\])'\)/s.exec(loader);
  if (!match?.[1]) throw new Error('Spark loader: component table not found; the CSP hash cannot be computed');
  const table = JSON.parse(match[1].replace(/\\'/g, "'")) as [string, [number, string, ...unknown[]][]][];
  let scoped = false;
  const tags: string[] = [];
  for (const [, components] of table) {
    for (const [flags, tag] of components) {
      if (flags & 4) scoped = true;
      tags.push(tag);
    }
  }
  const core = readdirCore(dir);
  const slotFix = /"(slot-fb\{display:contents\}slot-fb\[hidden\]\{display:none\})"/.exec(core)?.[1];
  if (!core.includes('"{visibility:hidden}[hydrated]{visibility:inherit}"'))
    throw new Error('Spark loader: hydration rule not found; the CSP hash cannot be computed');
  return (scoped && slotFix ? slotFix : '') + tags.sort().join(',') + '{visibility:hidden}[hydrated]{visibility:inherit}';
}

function readdirCore(dir: string): string {
  const loader = readFileSync(join(dir, 'genesys-webcomponents.esm.js'), 'utf8');
  const core = /from"\.\/(p-[A-Za-z0-9_-]+\.js)"/.exec(loader)?.[1];
  if (!core) throw new Error('Spark loader: core module not found');
  return readFileSync(join(dir, core), 'utf8');
}

export function sparkStyleHash(): string {
  return `'sha256-${createHash('sha256').update(sparkHydrationStyle()).digest('base64')}'`;
}

export function sparkAssets(): Plugin {
  return {
    name: 'wud:spark-assets',
    configResolved(config) {
      if (config.mode === 'test') return;
      copySpark();
    },
  };
}
