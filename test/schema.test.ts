/** The schema file is the contract: generated types must follow it, and every type and field is described. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isEnumType, isInputObjectType, isObjectType } from 'graphql';
import { buildSchema } from '../src/graphql/schema';

const ROOT = path.resolve(__dirname, '..');
const GENERATED = 'src/graphql/generated/resolvers-types.ts';

test('the committed resolver types are what codegen makes of schema.graphql today', () => {
  // Codegen runs in a scratch copy so the check never rewrites the working tree.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-codegen-'));
  try {
    for (const f of ['schema.graphql', 'codegen.ts']) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/@graphql-codegen/cli/cjs/bin.js'), '--config', 'codegen.ts', '--silent'], {
      cwd: dir,
      stdio: 'pipe',
    });
    const fresh = fs.readFileSync(path.join(dir, GENERATED), 'utf8');
    const committed = fs.readFileSync(path.join(ROOT, GENERATED), 'utf8');
    if (fresh !== committed) throw new Error(`${GENERATED} is stale: run \`npm run codegen\` and commit the result.`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('every type, field, argument and enum value of the schema has a description', () => {
  const schema = buildSchema();
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
    if (!type.description && !['Query', 'Mutation', 'Subscription'].includes(type.name)) missing.push(type.name);
    if (isObjectType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
    }
    if (isEnumType(type)) for (const v of type.getValues()) if (!v.description) missing.push(`${type.name}.${v.name}`);
  }
  expect(missing).toEqual([]);
});
