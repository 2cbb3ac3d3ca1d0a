import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import weft from './tools/eslint/layers.js';

const root = import.meta.dirname;

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/.turbo/**',
      '**/.weft/**',
      'packages/db/src/generated/**',
      'apps/proxy/dist/**',
      'e2e/artifacts/**',
      '**/next-env.d.ts',
      'tools/eslint/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { weft },
    settings: { weftRoot: root },
    rules: {
      // The layering of DESIGN.md, as errors from the first commit.
      'weft/layers': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
