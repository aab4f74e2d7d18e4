import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import prettier from 'eslint-config-prettier/flat';

/**
 * Next's rules (React, hooks, a11y, typescript-eslint) plus the house's layering: arrows point
 * down (app → lib/web → lib/<domain> → lib/ledger → lib/platform → db), with no import cycle anywhere; only
 * lib/web and app/ may use Next, and db/ never imports lib/.
 */
const frameworkFree = [
  {
    group: ['next', 'next/*', 'next-auth', 'next-auth/*'],
    message: 'Only lib/web (and app/) may import Next: keep the domain framework-free.',
  },
  { group: ['react', 'react-dom'], message: 'Only lib/web (and app/, components/) may import React.' },
  { group: ['@/app/*', '@/components/*'], message: 'lib/ sits below app/ and components/.' },
];
const below = (...folders) => ({
  group: folders.flatMap((f) => [`@/lib/${f}/*`, `../${f}/*`, `../../${f}/*`]),
  message: `Imports point down only: this layer may not import lib/{${folders.join(',')}}.`,
});
const DOMAINS = ['keys', 'identity', 'second-factor', 'messaging', 'api', 'admin'];
const layer = (files, ...forbidden) => ({
  files,
  ignores: ['lib/**/*.test.ts'],
  rules: { 'no-restricted-imports': ['error', { patterns: [...frameworkFree, ...forbidden] }] },
});

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  prettier,
  globalIgnores(['.next/**', 'node_modules/**', 'data/**', 'test-results/**', 'playwright-report/**', 'db/migrations/**', 'next-env.d.ts']),
  {
    settings: { 'import/resolver': { typescript: { project: './tsconfig.json' } }, 'import/ignore': ['node_modules'] },
    rules: {
      'import/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // `typeof import(…)` stays allowed: vitest's importOriginal<…>() is typed that way.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // Vitest's useTestDatabase() and Playwright's `use` fixture are not React hooks.
    files: ['test/**', 'e2e/**', '**/*.test.ts'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  // app → lib/web → lib/{keys, identity, second-factor, messaging, api, admin} → lib/ledger → lib/platform → db
  layer(
    DOMAINS.map((d) => `lib/${d}/**/*.ts`),
    below('web'),
  ),
  layer(['lib/ledger/**/*.ts'], below('web', ...DOMAINS)),
  layer(['lib/platform/**/*.ts'], below('web', ...DOMAINS, 'ledger')),
  {
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@/lib/*', '../lib/*'], message: 'db/ is the bottom layer: it never imports lib/.' }] },
      ],
    },
  },
]);
