// ESLint flat config: typescript-eslint's strict and stylistic type-checked rules on the TypeScript (typed linting
// through the project's own tsconfigs), the plain recommended rules on the JavaScript, which no tsconfig checks.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      'dist/',
      'site/',
      'public/',
      'training/',
      'test-results/',
      'playwright-report/',
      'bench/.tmp/',
      'e2e/.artifacts/',
      'e2e/consumer*/dist/',
      'src/registry/*.generated.mjs',
      'src/registry/*.generated.d.mts',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  {
    // Destructuring a property out to leave it out of `...rest` is the idiom for omitting one.
    rules: { 'no-unused-vars': ['error', { ignoreRestSiblings: true }] },
  },
  {
    files: ['**/*.ts', '**/*.mts'],
    extends: [tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        project: ['tsconfig.json', 'tsconfig.node.json', 'test/tsconfig.json', 'e2e/tsconfig.json', 'demo/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Counts, sizes and indices in messages print as themselves; other types must still be converted on purpose.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Passing on a caught `unknown` as it came is right; new rejections must still be Errors.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Off: engine and task methods are async to honour their Promise-returning interfaces, and `async` turns a
      // synchronous throw into a rejection, which callers rely on.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    // The consumer apps build against the packed tarball, which only exists while e2e/consumer.spec.ts runs.
    files: ['e2e/consumer*/**'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Code that runs in a page: the bench and e2e fixture pages (which load the IIFE build's `Inpage` global), the
    // consumer apps, and the functions the bench hands to page.evaluate().
    files: ['bench/**', 'e2e/fixtures/**', 'e2e/consumer*/**'],
    languageOptions: { globals: { ...globals.browser, Inpage: 'readonly' } },
  },
  {
    files: ['demo/public/sw.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
);
