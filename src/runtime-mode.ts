/**
 * Imported first by main.ts. graphql-js runs expensive development-mode `instanceOf` checks unless
 * NODE_ENV is "production" (they cost ~10% of resolvePrompt throughput in bench:resolve). Nothing
 * of our security posture depends on NODE_ENV: config sets it explicitly. An explicit NODE_ENV wins.
 */
process.env.NODE_ENV ??= 'production';
export {};
