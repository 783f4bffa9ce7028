/** GraphiQL's example operations are valid against schema.graphql (a renamed field fails here, not in front of a user). */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { EXAMPLE_TABS } from '../../dashboard/src/graphiql/examples';

const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'));

test('one tab per common task, each valid against the schema', () => {
  const names = EXAMPLE_TABS.map((t) => /(?:query|mutation) (\w+)/.exec(t.query)?.[1]);
  expect(names).toEqual(['ListPrompts', 'ResolvePrompt', 'CreateVersion', 'MoveLabel', 'VersionDiff']);
  for (const tab of EXAMPLE_TABS) {
    expect(validate(schema, parse(tab.query)).map((e) => e.message)).toEqual([]);
    if (tab.variables) expect(() => JSON.parse(tab.variables!)).not.toThrow();
  }
});
