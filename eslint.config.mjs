import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import prettier from 'eslint-config-prettier/flat';

/**
 * Next's rules (React, hooks, a11y, typescript-eslint) plus the house's layering: arrows point
 * down (app → lib/web → lib/<domain> → lib/platform → db), so no import cycle anywhere, only
 * lib/web and app/ may use Next, and db/ never imports lib/.
 */
const nextOnlyInWeb = {
  patterns: [
    {
      group: ['next', 'next/*', 'next-auth', 'next-auth/*'],
      message: 'Only lib/web (and app/) may import Next: keep the domain framework-free.',
    },
    { group: ['react', 'react-dom'], message: 'Only lib/web (and app/, components/) may import React.' },
    { group: ['@/app/*', '@/components/*'], message: 'lib/ sits below app/ and components/.' },
  ],
};

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
  {
    files: ['lib/**/*.ts'],
    ignores: ['lib/web/**', 'lib/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', nextOnlyInWeb] },
  },
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
