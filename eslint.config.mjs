// ESLint (flat config): the design's dependency rules (see README "Contributor's map"), on top of
// ESLint's and typescript-eslint's recommended sets. `npm run lint`; CI runs it (.ci/run).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Domain folders of src/: db/, pubsub/, shared/ and templates/ import none of them. */
const DOMAINS = [
  'prompts',
  'prompt-files',
  'experiments',
  'metrics',
  'auth',
  'audit',
  'people',
  'releases',
  'webhooks',
  'alerts',
  'fleet',
  'graphql',
  'server',
  'client',
  'cli',
  'mcp',
  'ratelimit',
];
const domainsExcept = (...own) => DOMAINS.filter((d) => !own.includes(d)).map((d) => `./src/${d}`);
/** Edges reach data through a domain's service (`*-service.ts` and the like), never its store. */
const EDGE_NO_STORES = { group: ['**/*-store'], message: 'Edges call domain services, never stores (*-store.ts): add or reuse a service function.' };

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'src/graphql/generated/**',
      'dashboard/dist/**',
      'packages/*/dist/**',
      'dashboard/src/gql/**',
      '**/*.js',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      // The code base's own conventions (not design rules): `_`-prefixed names are deliberately unused.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Validation rejects NUL and other control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests and benches read loosely typed JSON responses.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Design rules for the service's source.
    files: ['src/**/*.ts'],
    rules: {
      // No import cycles (runtime imports; `import type` cannot create one at run time).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Config is parsed once (src/config.ts); everything else receives it.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration in src/config.ts only; take it from Config.' }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/db', from: DOMAINS.map((d) => `./src/${d}`), message: 'db/ never imports a domain.' },
            { target: './src/pubsub', from: domainsExcept('auth'), message: 'pubsub/ never imports a domain (only the Actor type of auth).' },
            { target: './src/shared', from: domainsExcept('auth'), message: 'shared/ never imports a domain (only the Principal type of auth).' },
            { target: './src/templates', from: DOMAINS.map((d) => `./src/${d}`), message: 'templates/ is pure and imports no domain.' },
            // Newer domains depend on older ones; an older one declares a port (prompts/label-policy.ts) that app.ts wires.
            {
              target: './src/prompts',
              from: ['./src/experiments', './src/releases', './src/webhooks', './src/metrics'],
              message: 'prompts never imports a newer domain: declare a port in prompts/ and wire it in app.ts.',
            },
            // Domains never import the GraphQL edge or the transport.
            {
              target: DOMAINS.filter((d) => d !== 'graphql' && d !== 'server').map((d) => `./src/${d}`),
              from: ['./src/graphql', './src/server'],
              message: 'Domains never import the GraphQL edge or the transport.',
            },
          ],
        },
      ],
    },
  },
  {
    // config.ts reads the environment; runtime-mode.ts (imported first by main.ts) only defaults
    // NODE_ENV before graphql loads: it writes no configuration anyone reads.
    files: ['src/config.ts', 'src/runtime-mode.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // SQL lives only in stores (`*-store.ts`, one per domain) and db/: services, loaders and resolvers call
    // store functions. Row types (`import type … from '../db/schema'`) may go anywhere.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*-store.ts', 'src/db/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['drizzle-orm', 'drizzle-orm/*'], message: 'SQL lives in the stores (*-store.ts): call a store function.' },
            {
              group: ['**/db/schema', './schema'],
              allowTypeImports: true,
              message: 'Tables are for the stores (*-store.ts); elsewhere import only row types (import type).',
            },
          ],
        },
      ],
    },
  },
  {
    // Edges (MCP, the HTTP transport, resolvers) call domain services, never the stores behind them.
    files: ['src/mcp/**/*.ts', 'src/server/**/*.ts', 'src/graphql/resolvers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [EDGE_NO_STORES] }] },
  },
  {
    // Resolvers are glue: they call services; the database is behind the stores. (This entry replaces the
    // rule's options of the one above for resolvers, so it repeats the stores' pattern.)
    files: ['src/graphql/resolvers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['drizzle-orm', 'drizzle-orm/*', 'postgres', '@electric-sql/*'], message: 'Resolvers never touch the database: call a service.' },
            { group: ['**/db/*', '**/db'], message: 'Resolvers never import the database: call a service.' },
            EDGE_NO_STORES,
          ],
        },
      ],
    },
  },
);
