// Lint rules, including the process boundaries of docs/architecture.md:
// the renderer imports only the shared contract; the shared contract is pure
// TypeScript; model code imports only tfjs; only app code imports electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const srcMainFolders = '(app|host|ml|trainer|services|cli|dicom|nifti|importing|labels|pacs|session|eval|workspace)';

// Type-only imports are erased at build time, so they never load electron.
const electronOnlyInApp = { name: 'electron', allowTypeImports: true, message: 'Only src-main/app may import electron at run time (tests and services must run in plain Node).' };
const nodeBuiltins = { group: ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'net', 'stream'], message: 'This code must stay free of Node built-ins.' };

// The layers of the main process, lowest first: shared, ml; workspace; dicom, nifti;
// importing; labels, pacs; trainer, session; services; eval; cli, host, app.
// A folder imports only folders below it (docs/architecture.md has the picture).
function noUpwardImports(files, above, why) {
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [electronOnlyInApp],
        patterns: [{ regex: `(^|/)\\.\\./(${above.join('|')})(/|$)`, message: why }],
      }],
    },
  };
}

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
          { regex: `(^|/)\\.\\./(shared|app|host|trainer|services|cli|dicom|nifti|importing|labels|pacs|session|eval|workspace)(/|$)`, message: 'Model code imports only tfjs (and other ml/ files).' },
          { group: ['ws', 'webgpu', 'vue', 'pinia', 'zod'], message: 'Model code imports only tfjs.' },
          nodeBuiltins,
        ],
      }],
    },
  },
  noUpwardImports(['src-main/workspace/**/*.ts'], ['dicom', 'nifti', 'importing', 'labels', 'pacs', 'session', 'trainer', 'services', 'eval', 'cli', 'host', 'app'],
    'The workspace (files on disk) imports only shared and ml.'),
  noUpwardImports(['src-main/dicom/**/*.ts', 'src-main/nifti/**/*.ts'], ['ml', 'importing', 'labels', 'pacs', 'session', 'trainer', 'services', 'eval', 'cli', 'host', 'app'],
    'File formats (dicom/, nifti/) import only shared, workspace and other format code.'),
  noUpwardImports(['src-main/dicom/header/**/*.ts'], ['pixels', 'series', 'seg', 'ml', 'importing', 'labels', 'pacs', 'session', 'trainer', 'services', 'eval', 'cli', 'host', 'app'],
    'Header parsing is the bottom of dicom/: pixels, series and SEG build on it, not the reverse.'),
  noUpwardImports(['src-main/importing/**/*.ts'], ['ml', 'labels', 'pacs', 'session', 'trainer', 'services', 'eval', 'cli', 'host', 'app'],
    'Importing builds on the file formats and the workspace only.'),
  noUpwardImports(['src-main/labels/**/*.ts', 'src-main/pacs/**/*.ts'], ['ml', 'session', 'trainer', 'services', 'eval', 'cli', 'host', 'app'],
    'The label store and PACS sit below sessions, the trainer and the services.'),
  noUpwardImports(['src-main/session/**/*.ts'], ['ml', 'trainer', 'services', 'eval', 'cli', 'host', 'app'],
    'Sessions talk to the trainer through the contract in shared/contract/trainer/, never its code.'),
  noUpwardImports(['src-main/trainer/**/*.ts'], ['pacs', 'session', 'services', 'eval', 'cli', 'host', 'app'],
    'The trainer process does not load the app side (sessions, services) or the commands.'),
  // The one exception: a pre-training on a PACS query fetches its pixels in the trainer
  // process, through the PACS client (docs/security.md, docs/pacs.md).
  noUpwardImports(['src-main/trainer/jobs/pacsArchiveSource.ts'], ['session', 'services', 'eval', 'cli', 'host', 'app'],
    'The PACS archive source may use src-main/pacs/, nothing above the trainer.'),
  noUpwardImports(['src-main/services/**/*.ts'], ['eval', 'cli', 'host', 'app'],
    'Services are what the hosts serve; they do not import the hosts or the commands.'),
  noUpwardImports(['src-main/eval/**/*.ts'], ['cli', 'host', 'app'],
    'Evaluation and benchmarks are driven by the CLI, not the reverse.'),
  noUpwardImports(['src-main/cli/**/*.ts'], ['host', 'app'],
    'The CLI runs without the Electron app or the browser host.'),
  noUpwardImports(['src-main/host/**/*.ts'], ['cli', 'app'],
    'The browser host runs without Electron or the CLI.'),
  {
    files: ['src-main/app/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    // No import cycles in either process (type-only imports are erased and do not count),
    // components included: import-x parses a .vue file it follows with vue-eslint-parser,
    // which needs the TypeScript parser for the script blocks; import-x hands it the parser
    // options of the file being linted, so every file here carries that parser in them.
    files: ['src-main/**/*.ts', 'src-renderer/**/*.{ts,vue}'],
    plugins: { 'import-x': importX },
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
    settings: {
      'import-x/extensions': ['.ts', '.vue', '.mjs', '.js', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'], 'vue-eslint-parser': ['.vue'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.vue', '.mjs', '.js', '.cjs', '.json'] })],
    },
    rules: { 'import-x/no-cycle': 'error' },
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
