import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed documents for the dashboard from the local schema (introspection stays off on the server). `npm run codegen`. */
const config: CodegenConfig = {
  schema: './schema.graphql',
  documents: ['dashboard/src/**/*.{ts,tsx}', '!dashboard/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    './dashboard/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown', TokenCount: 'number' },
      },
    },
  },
};

export default config;
