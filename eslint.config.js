// Lint: ESLint's recommended rules plus typescript-eslint's, on the TypeScript sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'web/dist/**', 'node_modules/**', 'src/gpu/shaders.generated.ts', 'src/wasm/*.generated.ts', 'src/codecs/*.generated.ts', 'bench/results/**', 'coverage/**'] },
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
    files: ['src/codecs/**', 'src/filters/**', 'src/cpu/**', 'src/gpu/**', 'src/wasm/**', 'src/render/**', 'src/synthetic/**', 'src/*.ts', 'web/src/**'],
    ignores: ['src/render/canvas.ts', 'src/node.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'browser-safe modules must not import Node built-ins (see DESIGN.md)' }] }],
      'no-restricted-globals': ['error', ...['Buffer', 'process', '__dirname', '__filename', 'require'].map((name) => ({ name, message: 'browser-safe modules must not use Node globals' }))],
    },
  },
  {
    // The Electron example is CommonJS: a sandboxed preload script cannot be an ES module.
    files: ['examples/electron/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
