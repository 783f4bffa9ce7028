/**
 * Every GraphQL operation the README and the dashboard send passes the limits (tokens, depth, aliases, directives,
 * cost) at their default page sizes, and is valid against schema.graphql: the operations are extracted from the
 * files themselves (README: `graphql` blocks, the bodies of its curl commands with their variables, the commented
 * one-line queries of its `sh` blocks, gql/graphql template literals of its `ts` blocks; dashboard: every
 * `graphql(…)` document under dashboard/src), so a new example or screen is checked too. The same checks run on
 * HTTP (Apollo) and WebSocket: parseOptions, validateDocument, assertCostWithinBudget.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { buildSchema } from '../../src/graphql/schema';
import { LIMITS, assertCostWithinBudget, operationCost, parseOptions, validateDocument } from '../../src/graphql/limits';

const ROOT = path.resolve(__dirname, '../..');
type Op = { source: string; query: string; variables: Record<string, unknown> };

function readmeOperations(): Op[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const ops: Op[] = [];
  for (const [, lang, body] of readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)) {
    if (lang === 'graphql') ops.push({ source: 'README graphql block', query: body!, variables: {} });
    if (lang === 'sh') {
      for (const [, json] of body!.matchAll(/ -d '(\{[\s\S]*?\})'/g)) {
        const parsed = JSON.parse(json!) as { query?: string; variables?: Record<string, unknown> };
        if (typeof parsed.query === 'string') ops.push({ source: 'README curl', query: parsed.query, variables: parsed.variables ?? {} });
      }
      for (const [, q] of body!.matchAll(/--data-urlencode 'query=([^']+)'/g)) ops.push({ source: 'README curl GET', query: q!, variables: {} });
      for (const [, q] of body!.matchAll(/^#\s+(\{.*\})\s*$/gm)) ops.push({ source: 'README sh comment', query: q!, variables: {} });
    }
    if (lang === 'ts' || lang === 'js' || lang === 'tsx') {
      for (const [, q] of body!.matchAll(/(?:gql|graphql)\s*\(?\s*`([\s\S]*?)`/g)) ops.push({ source: `README ${lang} block`, query: q!, variables: {} });
    }
  }
  return ops;
}

function dashboardOperations(): Op[] {
  const dir = path.join(ROOT, 'dashboard/src');
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f) && !f.startsWith('gql'));
  return files.flatMap((f) =>
    [...readFileSync(path.join(dir, f), 'utf8').matchAll(/graphql\(\s*`([\s\S]*?)`/g)].map((m) => ({
      source: `dashboard/src/${f}`,
      query: m[1]!,
      variables: {},
    })),
  );
}

const schema = buildSchema();
const readme = readmeOperations();
const dashboard = dashboardOperations();

test('the extraction finds the documented operations', () => {
  expect(readme.length).toBeGreaterThanOrEqual(10);
  expect(readme.some((o) => /prompts\s*\{[\s\S]*versions\s*\{/.test(o.query))).toBe(true); // the listing with versions
  expect(dashboard.length).toBeGreaterThanOrEqual(4);
  expect(dashboard.some((o) => /query PromptList/.test(o.query))).toBe(true);
});

describe.each([
  ['README', readme],
  ['dashboard', dashboard],
])('%s operations', (_where, ops) => {
  test.each(ops.map((o, i) => [`${o.source} #${i}: ${o.query.replace(/\s+/g, ' ').slice(0, 90)}`, o] as const))('%s', (_name, op) => {
    const document = parse(op.query, parseOptions);
    expect(validateDocument(schema, document).map((e) => e.message)).toEqual([]);
    for (const operation of document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)) {
      expect(() => assertCostWithinBudget(schema, document, operation, op.variables)).not.toThrow();
      // Not by a hair: the default page sizes leave room for a few more fields.
      expect(operationCost(schema, document, operation, op.variables)).toBeLessThanOrEqual(LIMITS.maxCost * 0.8);
    }
  });
});
