// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Workflow code is replayed deterministically inside an isolate: it may import only
// @temporalio/workflow, domain/ and other workflow modules.
const forbiddenInWorkflows = {
  patterns: [
    { group: ['node:*'], message: 'Workflow code must not use Node builtins (non-deterministic).' },
    // Activity *types* are how proxyActivities is typed; only runtime imports are forbidden.
    {
      group: [
        '**/db/**',
        '**/db',
        '**/api/**',
        '**/api',
        '**/integrations/**',
        '**/integrations',
        '**/activities/**',
        '**/worker.js',
        '**/server.js',
      ],
      message: 'Workflows reach I/O only through activities (proxyActivities).',
      allowTypeImports: true,
    },
    {
      group: [
        'zod',
        'drizzle-orm',
        'drizzle-orm/*',
        'postgres',
        'fastify',
        'nodemailer',
        '@temporalio/client',
        '@temporalio/worker',
        '@temporalio/activity',
      ],
      message: 'Not allowed in workflow code.',
    },
  ],
  paths: [
    'fs',
    'path',
    'crypto',
    'http',
    'https',
    'net',
    'os',
    'child_process',
    'events',
    'stream',
    'url',
    'util',
    'timers',
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', '.test-results/', 'db/migrations/', 'test/.artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/only-throw-error': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', forbiddenInWorkflows] },
  },
  {
    // Fastify plugins are async by contract, whether or not they await.
    files: ['api/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // Tests read JSON response bodies as `any` on purpose: the assertions are the type check.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  // Layout is prettier's (npm run format); eslint checks meaning only.
  prettier,
);
