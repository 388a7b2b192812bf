// Flat config: the rules that catch real bugs, nothing decorative.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import pluginQuery from '@tanstack/eslint-plugin-query';
import globals from 'globals';
import { readdirSync } from 'node:fs';

/** The SDK and zod rules every app file keeps (a later block replaces the rule, it does not merge). */
const appImportRules = {
  paths: [
    { name: 'zod', message: "Import { z } from '@/lib/zod.ts' (jitless for the CSP)." },
    { name: 'zod/v4', message: "Import { z } from '@/lib/zod.ts' (jitless for the CSP)." },
  ],
  patterns: [{ group: ['purecloud-platform-client-v2', 'purecloud-platform-client-v2/*'], message: 'Only src/lib/genesys/ talks to the SDK.' }],
};

/**
 * A feature never imports another feature (house style: features are independent; `src/app`
 * composes them, shared code lives in `src/lib` and `src/components`). Tests may compare features.
 */
const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const featureBoundaries = features.map((feature) => {
  const others = features.filter((f) => f !== feature);
  return {
    files: [`src/features/${feature}/**/*.{ts,tsx}`],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...appImportRules,
          patterns: [
            ...appImportRules.patterns,
            {
              regex: `^(@/features/|(\\.\\./)+)(${others.join('|')})(/|$)`,
              message: `A feature does not import another feature: move shared code to src/lib or src/components, or compose in src/app (${feature}).`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist', 'dist-e2e*', 'test-results*', 'docs', 'public/spark', 'node_modules', 'test-results', 'playwright-report', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/only-throw-error': 'off',
      'no-restricted-syntax': ['error', { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Platform text must render as text.' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks, '@tanstack/query': pluginQuery },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...pluginQuery.configs.recommended.rules,
      'no-restricted-imports': ['error', appImportRules],
    },
  },
  ...featureBoundaries,
  {
    files: ['src/lib/genesys/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'zod', message: "Import { z } from '@/lib/zod.ts'." }] }] },
  },
  {
    files: ['src/lib/zod.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
