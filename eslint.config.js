// Lint: ESLint's recommended rules plus typescript-eslint's, on the TypeScript sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/gpu/shaders.generated.ts', 'src/wasm/*.generated.ts', 'bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // What a browser or Electron renderer loads (src/index.ts) must not need Node: Node-only code
    // lives in io/, platform/, pipeline/, cli/ and bench/ (render/canvas.ts wraps a Node add-on).
    files: ['src/codecs/**', 'src/filters/**', 'src/cpu/**', 'src/gpu/**', 'src/wasm/**', 'src/render/**', 'src/synthetic/**', 'src/*.ts'],
    ignores: ['src/render/canvas.ts', 'src/node.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'browser-safe modules must not import Node built-ins (see DESIGN.md)' }] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
