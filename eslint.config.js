// Lint rules, including the process boundaries of docs/architecture.md:
// the renderer imports only the shared contract; the shared contract is pure
// TypeScript; model code imports only tfjs; only app code imports electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

const srcMainFolders = '(app|host|ml|trainer|services|cli|dicom|workspace)';

// Type-only imports are erased at build time, so they never load electron.
const electronOnlyInApp = { name: 'electron', allowTypeImports: true, message: 'Only src-main/app may import electron at run time (tests and services must run in plain Node).' };
const nodeBuiltins = { group: ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'net', 'stream'], message: 'This code must stay free of Node built-ins.' };

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'release/**', 'node_modules/**', 'test-output/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [electronOnlyInApp] }],
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    files: ['src-renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [electronOnlyInApp],
        patterns: [
          { regex: `src-main/(?!shared/)`, message: 'The renderer may import only src-main/shared (the contract).' },
          { group: ['@tensorflow/*', 'ws', 'webgpu'], message: 'The renderer never loads compute or server packages.' },
          nodeBuiltins,
        ],
      }],
    },
  },
  {
    files: ['src-main/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [electronOnlyInApp],
        patterns: [
          { regex: `(^|/)\\.\\./${srcMainFolders}(/|$)`, message: 'The shared contract imports nothing from the rest of src-main.' },
          { group: ['@tensorflow/*', 'ws', 'webgpu', 'vue', 'pinia'], message: 'The shared contract is pure TypeScript.' },
          nodeBuiltins,
        ],
      }],
    },
  },
  {
    files: ['src-main/ml/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [electronOnlyInApp],
        patterns: [
          { regex: `(^|/)\\.\\./(shared|app|host|trainer|services|cli|dicom|workspace)(/|$)`, message: 'Model code imports only tfjs (and other ml/ files).' },
          { group: ['ws', 'webgpu', 'vue', 'pinia', 'zod'], message: 'Model code imports only tfjs.' },
          nodeBuiltins,
        ],
      }],
    },
  },
  {
    files: ['src-main/app/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'tests/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Plain CommonJS files that Node starts as they are (worker_threads scripts).
    files: ['src-main/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
