/**
 * Constraint violations are mapped by constraint name, on both drivers (postgres.js and PGlite):
 * the statement names the constraints it can raise; another constraint's violation passes through
 * unchanged (no "any unique violation means the prompt exists").
 */
import { openDatabase, type Database } from '../../src/db/client';
import { onViolation, violatedConstraint } from '../../src/db/constraints';
import { abTests, prompts, promptVersions, workspaces } from '../../src/db/schema';
import { ConflictError } from '../../src/errors';
import { insertUser } from '../../src/people/user-store';
import { migratedPgliteTemplate } from '../helpers/pglite-template';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';

const PROMPT_EXISTS = () => new ConflictError('a prompt with this name exists');

async function caught(p: PromiseLike<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the statement to fail');
}

describe.each(['pglite', 'postgres'] as const)('%s', (kind) => {
  let database: Database;
  let pg: TestDatabase | undefined;
  let workspaceId: string;
  let promptId: string;

  beforeAll(async () => {
    if (kind === 'postgres') {
      pg = await createTestDatabase();
      database = await openDatabase({
        kind: 'postgres',
        url: pg.url,
        poolMax: 2,
        statementTimeoutMs: 10_000,
        connectTimeoutMs: 5_000,
        acquireTimeoutMs: 2_000,
        requestTimeoutMs: 15_000,
      });
      await database.migrate();
    } else {
      database = await openDatabase({ kind: 'pglite', dataDir: null }, { pgliteLoadDataDir: await migratedPgliteTemplate() });
    }
    const [w] = await database.db
      .insert(workspaces)
      .values({ name: `constraints-${kind}` })
      .returning();
    workspaceId = w!.id;
    const [p] = await database.db.insert(prompts).values({ workspaceId, name: 'taken', createdByName: 'test' }).returning();
    promptId = p!.id;
  });
  afterAll(async () => {
    await database?.close();
    await pg?.drop();
  });

  const version = (number: number) => ({
    promptId,
    workspaceId,
    number,
    type: 'TEXT' as const,
    template: 'hi',
    variables: [],
    model: 'm',
    temperature: 0,
    maxTokens: 1,
    contentHash: 'x',
    warnings: [],
    contractChanges: [],
    createdByName: 'test',
  });

  test('the driver error names the violated constraint', async () => {
    const err = await caught(database.db.insert(prompts).values({ workspaceId, name: 'taken', createdByName: 'test' }));
    expect(violatedConstraint(err)).toEqual({ code: '23505', constraint: 'prompts_workspace_name' });
    expect(violatedConstraint(new Error('connection reset'))).toBeNull();
  });

  test('prompts_workspace_name becomes the mapped CONFLICT', async () => {
    const err = await caught(
      onViolation(database.db.insert(prompts).values({ workspaceId, name: 'taken', createdByName: 'test' }), { prompts_workspace_name: PROMPT_EXISTS }),
    );
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ code: 'CONFLICT', message: 'a prompt with this name exists' });
  });

  test("another constraint's violation is not reported as the prompt existing", async () => {
    await database.db.insert(promptVersions).values(version(1));
    const err = await caught(onViolation(database.db.insert(promptVersions).values(version(1)), { prompts_workspace_name: PROMPT_EXISTS }));
    expect(err).not.toBeInstanceOf(ConflictError);
    expect(violatedConstraint(err)).toEqual({ code: '23505', constraint: 'prompt_versions_prompt_number' });
  });

  test('ab_tests_one_running: a second running test on the same prompt and label', async () => {
    const test = {
      workspaceId,
      promptId,
      label: 'production',
      status: 'RUNNING' as const,
      variants: [],
      allocation: [],
      weightHistory: [],
      salt: 's',
      metric: 'SUCCESS_RATE' as const,
      minSampleSize: 10,
      autoPromote: false,
      createdByName: 'test',
    };
    await database.db.insert(abTests).values(test);
    // A stopped test on the same label is allowed: the index covers running tests only.
    await database.db.insert(abTests).values({ ...test, status: 'STOPPED' });
    const err = await caught(
      onViolation(database.db.insert(abTests).values(test), { ab_tests_one_running: () => new ConflictError('An A/B test is already running.') }),
    );
    expect(err).toMatchObject({ code: 'CONFLICT', message: 'An A/B test is already running.' });
  });

  test('users: the email (any case) and the SSO identity each map to their own CONFLICT', async () => {
    await insertUser(database.db, { email: `ada-${kind}@example.com`, name: 'Ada', oidcIssuer: 'https://idp', oidcSubject: `sub-${kind}` });
    await expect(insertUser(database.db, { email: `ADA-${kind}@example.com`, name: 'Ada again' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'A person with this email already has an account.',
    });
    await expect(
      insertUser(database.db, { email: `other-${kind}@example.com`, name: 'Other', oidcIssuer: 'https://idp', oidcSubject: `sub-${kind}` }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'This sign-in identity is already linked to an account.' });
  });
});
