import js from '@eslint/js'
import solid from 'eslint-plugin-solid/configs/typescript'
import tseslint from 'typescript-eslint'

/** Outside src/core, the library is reached through its entries only. */
const coreEntriesOnly = {
  group: ['**/core/*', '!**/core/tools', '!**/core/index'],
  message: 'Import from core/index (the auth client) or core/tools (building blocks).',
}

export default tseslint.config(
  {
    ignores: [
      'dist',
      'dist-consumer',
      'dist-bench',
      'dist-lib',
      'node_modules',
      'test-results',
      'playwright-report',
      '*.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => void promise` and `(x) => set(x)` are clear in this codebase.
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  // Arrows point one way: only src/ui may use Solid or the DOM document.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/ui/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['solid-js', 'solid-js/*', '../ui/*'] }],
      'no-restricted-globals': ['error', 'document'],
    },
  },
  // The library (shared/library.md) takes every global from one environment object, built in
  // src/core/browser.ts alone.
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/browser.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'location',
        'navigator',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'history',
        'sessionStorage',
        'localStorage',
        'indexedDB',
      ],
    },
  },
  { files: ['src/core/browser.ts'], rules: { 'no-restricted-globals': 'off' } },
  // The console and the UI use the library as any app would: its two entries, core/index.ts (the
  // auth client) and core/tools.ts (the building blocks), never a file behind them.
  {
    files: ['src/console/**/*.ts', 'src/offline/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['solid-js', 'solid-js/*', '../ui/*'] }, coreEntriesOnly] },
      ],
    },
  },
  {
    files: ['src/ui/**', 'src/main.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [coreEntriesOnly] }] },
  },
  { files: ['src/ui/**/*.tsx', 'src/**/*.tsx'], ...solid },
  {
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      'no-empty-pattern': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      '@typescript-eslint/no-misused-spread': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  // The plain-JS test servers, bench and scripts (run by Node 20 without a build): recommended
  // rules only.
  {
    files: ['tests/providers/**/*.js', 'tests/bench/**/*.js', 'scripts/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        Buffer: 'readonly',
        TextEncoder: 'readonly',
        crypto: 'readonly',
        structuredClone: 'readonly',
        window: 'readonly',
        document: 'readonly',
        performance: 'readonly',
        MutationObserver: 'readonly',
        Response: 'readonly',
      },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/no-unused-vars': 'error',
    },
  },
)
