/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // PGlite instances and child server processes take seconds to boot.
  testTimeout: 60000,
  // tsconfig has isolatedModules: ts-jest transpiles per file; `npm run typecheck` type-checks.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Two cores: more workers only add contention with the servers the tests start.
  maxWorkers: 2,
};
