// Type-aware lint. The rules that guard Vigil's architecture:
// - no floating promises (an unawaited store write is a lost write);
// - raw ipcMain/ipcRenderer only in the two IPC wrappers;
// - the renderer never imports main/, shared/ never imports Node, DOM-only or Electron modules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const electronIpcBan = {
  paths: [
    {
      name: 'electron',
      importNames: ['ipcMain', 'ipcRenderer'],
      message: 'Register handlers through main/ipc (main/app/ipcBridge.ts) and call them through window.vigil.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-output/**', 'main/cli/vigil.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        {
          // The cache is keyed by the factory: a function written inline is a new key at every call, so each
          // call would prepare every statement again and leave one more repository behind on the connection.
          selector: "CallExpression[callee.name='repositoryFor'] > :matches(ArrowFunctionExpression, FunctionExpression)",
          message: 'Pass a module-level factory (createXRepository) to repositoryFor, never an inline function.',
        },
      ],
      'no-restricted-imports': ['error', electronIpcBan],
    },
  },
  {
    // The two places that may touch Electron's raw IPC.
    files: ['main/app/ipcBridge.ts', 'main/preload/preload.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/main/**', 'electron', 'node:*'], message: 'The renderer reaches main only through window.vigil.' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'electron', 'react', 'react-dom', '**/main/**', '**/renderer/**', 'better-sqlite3*'], message: 'shared/ holds contracts both sides agree on: nothing environment-specific.' },
          ],
        },
      ],
    },
  },
  {
    // Tool config files must default-export; they carry no app logic.
    files: ['*.config.{js,ts}'],
    ...tseslint.configs.disableTypeChecked,
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-restricted-syntax': 'off' },
  },
);
