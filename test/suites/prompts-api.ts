/**
 * The prompts contract over HTTP, run against each storage mode (see prompts-*.test.ts): prompts,
 * versions, labels, rollback, diff, resolve, keys, isolation and error codes.
 */
import { fails, gql, ok } from '../helpers/graphql';
import { addVersion, createPromptWith, keyWith, newTenant, type Tenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';

const PROMPT_FIELDS =
  'id name revision tags description archivedAt labels { name protected version { number } } activeVersion { id number } latestVersion { number }';

export function promptsApiSuite(getServer: () => TestServer) {
  let url: string;
  let t: Tenant;
  beforeAll(async () => {
    url = getServer().url;
    t = await newTenant(url, getServer().adminKey);
  });

  describe('authentication', () => {
    test('no key, a malformed key and an unknown well-formed key are UNAUTHENTICATED', async () => {
      await fails(url, null, '{ me { id } }', undefined, 'UNAUTHENTICATED');
      await fails(url, 'nonsense', '{ me { id } }', undefined, 'UNAUTHENTICATED');
      const forged = t.key.replace(/_[0-9a-f]{8}$/, '_00000000');
      await fails(url, forged, '{ me { id } }', undefined, 'UNAUTHENTICATED');
    });

    test('me names the key, its role and its workspace', async () => {
      const d = await ok(url, t.key, '{ me { name role scopes isInstanceAdmin workspace { id protectedLabels } } }');
      expect(d.me).toMatchObject({ role: 'ADMIN', scopes: [], isInstanceAdmin: false, workspace: { id: t.workspaceId, protectedLabels: ['production'] } });
    });
  });

  describe('prompts', () => {
    test('createPrompt with a first version: production points at v1 and the defaults apply', async () => {
      const d = await ok(
        url,
        t.key,
        `mutation { createPrompt(input: { name: "support/classifier", description: "Routes tickets", tags: ["support"], version: { template: "Classify: {{ticket}}", message: "first" } }) { ${PROMPT_FIELDS} latestVersion { model temperature maxTokens message labels createdBy { name } contentHash variables { name type required } } } }`,
      );
      const p = d.createPrompt;
      expect(p).toMatchObject({
        name: 'support/classifier',
        revision: 2,
        tags: ['support'],
        description: 'Routes tickets',
        archivedAt: null,
        activeVersion: { number: 1 },
      });
      expect(p.labels).toEqual([{ name: 'production', protected: true, version: { number: 1 } }]);
      expect(p.latestVersion).toMatchObject({
        model: 'claude-sonnet-4-20250514',
        temperature: 0.7,
        maxTokens: 1000,
        message: 'first',
        labels: ['production', 'latest'],
        variables: [{ name: 'ticket', type: 'STRING', required: true }],
      });
      expect(p.latestVersion.contentHash).toMatch(/^[0-9a-f]{64}$/);
    });

    test('a bad name is BAD_USER_INPUT on input.name; a duplicate is CONFLICT', async () => {
      for (const name of ['Upper', '', '-x', 'a'.repeat(129), 'prоduction', 'a b', 'a//b', 'x\u0000']) {
        const err = await fails(url, t.key, 'mutation($n: String!) { createPrompt(input: { name: $n }) { id } }', { n: name }, 'BAD_USER_INPUT');
        expect(err.extensions!.field).toBe('input.name');
      }
      await ok(url, t.key, 'mutation { createPrompt(input: { name: "dup" }) { id } }');
      await fails(url, t.key, 'mutation { createPrompt(input: { name: "dup" }) { id } }', undefined, 'CONFLICT');
    });

    test('updatePrompt changes description and tags and raises the revision by one', async () => {
      await createPromptWith(url, t.key, 'upd', 'x');
      const d = await ok(url, t.key, 'mutation { updatePrompt(name: "upd", input: { description: "new", tags: ["a", "b"] }) { revision description tags } }');
      expect(d.updatePrompt).toEqual({ revision: 3, description: 'new', tags: ['a', 'b'] });
      const stale = await fails(
        url,
        t.key,
        'mutation { updatePrompt(name: "upd", input: { description: "x", expectedRevision: 2 }) { revision } }',
        undefined,
        'CONFLICT',
      );
      expect(stale.extensions!.currentRevision).toBe(3);
      await fails(url, t.key, 'mutation { updatePrompt(name: "nope", input: { description: "x" }) { revision } }', undefined, 'NOT_FOUND');
    });

    test('archive hides a prompt from listings (unless includeArchived) and is idempotent; it still resolves', async () => {
      await createPromptWith(url, t.key, 'old/thing', 'hi');
      const a = await ok(url, t.key, 'mutation { archivePrompt(name: "old/thing") { revision archivedAt } }');
      expect(a.archivePrompt.archivedAt).not.toBeNull();
      const again = await ok(url, t.key, 'mutation { archivePrompt(name: "old/thing") { revision } }');
      expect(again.archivePrompt.revision).toBe(a.archivePrompt.revision);
      const listed = await ok(
        url,
        t.key,
        '{ prompts(filter: { folder: "old" }) { totalCount } all: prompts(filter: { folder: "old", includeArchived: true }) { totalCount } }',
      );
      expect(listed.prompts.totalCount).toBe(0);
      expect(listed.all.totalCount).toBe(1);
      const r = await ok(url, t.key, '{ resolvePrompt(name: "old/thing") { text } }');
      expect(r.resolvePrompt.text).toBe('hi');
      const back = await ok(url, t.key, 'mutation { unarchivePrompt(name: "old/thing") { archivedAt } }');
      expect(back.unarchivePrompt.archivedAt).toBeNull();
    });

    test('listing: Relay pagination with totalCount, filters by text, tag and folder', async () => {
      const tenant = await newTenant(url, getServer().adminKey);
      for (const n of ['f/a', 'f/b', 'f/c', 'g/d', 'fx']) {
        await ok(url, tenant.key, 'mutation($n: String!, $t: [String!]) { createPrompt(input: { name: $n, tags: $t, description: "about cats" }) { id } }', {
          n,
          t: n.startsWith('f/') ? ['ft'] : [],
        });
      }
      const page1 = await ok(url, tenant.key, '{ prompts(first: 2) { totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }');
      expect(page1.prompts.totalCount).toBe(5);
      expect(page1.prompts.edges.map((e: any) => e.node.name)).toEqual(['f/a', 'f/b']);
      expect(page1.prompts.pageInfo.hasNextPage).toBe(true);
      const names: string[] = page1.prompts.edges.map((e: any) => e.node.name);
      let after = page1.prompts.pageInfo.endCursor;
      for (;;) {
        const p = await ok(
          url,
          tenant.key,
          'query($a: String) { prompts(first: 2, after: $a) { edges { node { name } } pageInfo { hasNextPage endCursor } } }',
          { a: after },
        );
        names.push(...p.prompts.edges.map((e: any) => e.node.name));
        if (!p.prompts.pageInfo.hasNextPage) break;
        after = p.prompts.pageInfo.endCursor;
      }
      expect(names).toEqual(['f/a', 'f/b', 'f/c', 'fx', 'g/d']);
      const byFolder = await ok(url, tenant.key, '{ prompts(filter: { folder: "f/" }) { edges { node { name } } } }');
      expect(byFolder.prompts.edges.map((e: any) => e.node.name)).toEqual(['f/a', 'f/b', 'f/c']);
      const byTag = await ok(url, tenant.key, '{ prompts(filter: { tag: "ft" }) { totalCount } }');
      expect(byTag.prompts.totalCount).toBe(3);
      const bySearch = await ok(
        url,
        tenant.key,
        '{ a: prompts(filter: { search: "CATS" }) { totalCount } b: prompts(filter: { search: "g/" }) { totalCount } c: prompts(filter: { search: "%" }) { totalCount } }',
      );
      expect([bySearch.a.totalCount, bySearch.b.totalCount, bySearch.c.totalCount]).toEqual([5, 1, 0]);
      for (const first of [0, -1, 501]) {
        const err = await fails(url, tenant.key, 'query($f: Int) { prompts(first: $f) { totalCount } }', { f: first }, 'BAD_USER_INPUT');
        expect(err.extensions!.field).toBe('first');
      }
      const forged = await fails(url, tenant.key, '{ prompts(after: "bm90LWEtY3Vyc29y") { totalCount } }', undefined, 'BAD_USER_INPUT');
      expect(forged.extensions!.field).toBe('after');
    });

    test('prompt(name) and version(id) return null for missing, malformed or foreign ids', async () => {
      const d = await ok(
        url,
        t.key,
        '{ prompt(name: "missing") { id } a: version(id: "1") { id } b: version(id: "00000000-0000-0000-0000-000000000000") { id } c: version(id: "\' OR 1=1 --") { id } }',
      );
      expect(d).toEqual({ prompt: null, a: null, b: null, c: null });
    });
  });

  describe('versions', () => {
    test('numbers run 1, 2, 3; each version keeps its content; contract changes are listed', async () => {
      await createPromptWith(url, t.key, 'ver', 'Hi {{name}}');
      const v2 = await addVersion(url, t.key, 'ver', 'Hi {{name}} from {{city}}', {
        message: 'add city',
        model: 'gpt-4o',
        temperature: 0.2,
        maxTokens: 50,
        config: { top_p: 0.9 },
      });
      const v3 = await addVersion(url, t.key, 'ver', 'Hello {{city}}');
      expect([v2.number, v3.number]).toEqual([2, 3]);
      const d = await ok(
        url,
        t.key,
        '{ prompt(name: "ver") { revision versions { number template message model temperature maxTokens config contractChanges } version(number: 2) { id } } }',
      );
      expect(d.prompt.revision).toBe(4);
      expect(d.prompt.versions.map((v: any) => v.number)).toEqual([3, 2, 1]);
      expect(d.prompt.versions[1]).toMatchObject({
        template: 'Hi {{name}} from {{city}}',
        message: 'add city',
        model: 'gpt-4o',
        temperature: 0.2,
        maxTokens: 50,
        config: { top_p: 0.9 },
      });
      expect(d.prompt.versions[1].contractChanges.join('\n')).toMatch(/city/);
      expect(d.prompt.versions[0].contractChanges.join('\n')).toMatch(/name/);
      expect(d.prompt.version.id).toBe(v2.id);
      const paged = await ok(url, t.key, '{ prompt(name: "ver") { versions(first: 1, after: 3) { number } } }');
      expect(paged.prompt.versions).toEqual([{ number: 2 }]);
    });

    test('expectedRevision: a stale revision is CONFLICT with currentRevision, and nothing is created', async () => {
      await createPromptWith(url, t.key, 'occ', 'a');
      const ok1 = await ok(url, t.key, 'mutation { createVersion(input: { promptName: "occ", template: "b", expectedRevision: 2 }) { number } }');
      expect(ok1.createVersion.number).toBe(2);
      const err = await fails(
        url,
        t.key,
        'mutation { createVersion(input: { promptName: "occ", template: "c", expectedRevision: 2 }) { number } }',
        undefined,
        'CONFLICT',
      );
      expect(err.extensions!.currentRevision).toBe(3);
      const d = await ok(url, t.key, '{ prompt(name: "occ") { latestVersion { number } } }');
      expect(d.prompt.latestVersion.number).toBe(2);
    });

    test('bad content is BAD_USER_INPUT naming the field (and line/column for templates)', async () => {
      await createPromptWith(url, t.key, 'bad', 'a');
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ template: 'Hello {{name' }, 'input.template'],
        [{ template: 'x\u0000y' }, 'input.template'],
        [{ template: 'x', temperature: 3 }, 'input.temperature'],
        [{ template: 'x', maxTokens: 0 }, 'input.maxTokens'],
        [{ template: 'x', config: [1, 2] }, 'input.config'],
        [{ template: 'x', labels: ['Bad Label'] }, 'input.labels.0'],
        [{ template: 'x', labels: ['latest'] }, 'label'],
        [{}, 'input.template'],
        [{ template: 'x', messages: [{ role: 'USER', content: 'y' }] }, 'input.template'],
      ];
      for (const [input, field] of cases) {
        const err = await fails(
          url,
          t.key,
          'mutation($i: CreateVersionInput!) { createVersion(input: $i) { number } }',
          { i: { promptName: 'bad', ...input } },
          'BAD_USER_INPUT',
        );
        expect(err.extensions!.field).toBe(field);
      }
      const unclosed = await fails(
        url,
        t.key,
        'mutation { createVersion(input: { promptName: "bad", template: "line one\\nHello {{name" }) { number } }',
        undefined,
        'BAD_USER_INPUT',
      );
      expect(unclosed.extensions).toMatchObject({ line: 2, column: 7 });
      const d = await ok(url, t.key, '{ prompt(name: "bad") { revision latestVersion { number } } }');
      expect(d.prompt).toEqual({ revision: 2, latestVersion: { number: 1 } });
      await fails(url, t.key, 'mutation { createVersion(input: { promptName: "nope", template: "x" }) { number } }', undefined, 'NOT_FOUND');
    });

    test('labels given at creation point at the new version at once', async () => {
      await createPromptWith(url, t.key, 'lab', 'a');
      await addVersion(url, t.key, 'lab', 'b', { labels: ['staging', 'production'] });
      const d = await ok(url, t.key, '{ prompt(name: "lab") { labels { name version { number } } } }');
      expect(d.prompt.labels).toEqual([
        { name: 'production', version: { number: 2 } },
        { name: 'staging', version: { number: 2 } },
      ]);
    });
  });

  describe('labels and rollback', () => {
    test('setLabel moves a label, records its history and raises the revision by one; latest cannot be set', async () => {
      const p = await createPromptWith(url, t.key, 'mv', 'v1');
      const v2 = await addVersion(url, t.key, 'mv', 'v2');
      const d = await ok(
        url,
        t.key,
        'mutation($v: ID!) { setLabel(promptName: "mv", label: "production", versionId: $v, reason: "ship it") { revision activeVersion { number } } }',
        { v: v2.id },
      );
      expect(d.setLabel).toEqual({ revision: 4, activeVersion: { number: 2 } });
      const same = await ok(url, t.key, 'mutation($v: ID!) { setLabel(promptName: "mv", label: "production", versionId: $v) { revision } }', { v: v2.id });
      expect(same.setLabel.revision).toBe(4);
      await fails(url, t.key, 'mutation($v: ID!) { setLabel(promptName: "mv", label: "latest", versionId: $v) { revision } }', { v: v2.id }, 'BAD_USER_INPUT');
      const h = await ok(url, t.key, '{ prompt(name: "mv") { labelHistory { label fromVersion { number } toVersion { number } actor { name } reason at } } }');
      expect(h.prompt.labelHistory.map((e: any) => [e.label, e.fromVersion?.number ?? null, e.toVersion.number, e.reason])).toEqual([
        ['production', 1, 2, 'ship it'],
        ['production', null, 1, 'first version'],
      ]);
      expect(p.createPrompt.activeVersion.number).toBe(1);
    });

    test('a version of another prompt cannot be labelled (NOT_FOUND)', async () => {
      await createPromptWith(url, t.key, 'x1', 'a');
      const other = await createPromptWith(url, t.key, 'x2', 'b');
      await fails(
        url,
        t.key,
        'mutation($v: ID!) { setLabel(promptName: "x1", label: "staging", versionId: $v) { revision } }',
        { v: other.createPrompt.activeVersion.id },
        'NOT_FOUND',
      );
      await fails(url, t.key, 'mutation { setLabel(promptName: "x1", label: "staging", versionId: "1") { revision } }', undefined, 'BAD_USER_INPUT');
    });

    test('rollback returns production to where it was before its last move, or to a named version', async () => {
      const p = await createPromptWith(url, t.key, 'rb', 'v1');
      await fails(url, t.key, 'mutation { rollback(promptName: "rb") { revision } }', undefined, 'BAD_USER_INPUT');
      await addVersion(url, t.key, 'rb', 'v2', { labels: ['production'] });
      await addVersion(url, t.key, 'rb', 'v3', { labels: ['production'] });
      const r1 = await ok(url, t.key, 'mutation { rollback(promptName: "rb") { activeVersion { number } } }');
      expect(r1.rollback.activeVersion.number).toBe(2);
      const text = await ok(url, t.key, '{ resolvePrompt(name: "rb") { text versionNumber } }');
      expect(text.resolvePrompt).toEqual({ text: 'v2', versionNumber: 2 });
      const r2 = await ok(
        url,
        t.key,
        'mutation($v: ID) { rollback(promptName: "rb", versionId: $v, reason: "bad output") { activeVersion { number } labelHistory(first: 1) { reason } } }',
        { v: p.createPrompt.activeVersion.id },
      );
      expect(r2.rollback.activeVersion.number).toBe(1);
      expect(r2.rollback.labelHistory[0].reason).toBe('rollback: bad output');
    });

    test('removeLabel removes a label; production cannot be removed', async () => {
      await createPromptWith(url, t.key, 'rm', 'v1', { labels: ['staging'] });
      const d = await ok(url, t.key, 'mutation { removeLabel(promptName: "rm", label: "staging") { labels { name } } }');
      expect(d.removeLabel.labels).toEqual([{ name: 'production' }]);
      await fails(url, t.key, 'mutation { removeLabel(promptName: "rm", label: "production") { revision } }', undefined, 'BAD_USER_INPUT');
      await fails(url, t.key, 'mutation { removeLabel(promptName: "rm", label: "staging") { revision } }', undefined, 'NOT_FOUND');
    });
  });

  describe('diff and resolve', () => {
    test('versionDiff gives a unified diff of the template and every other changed field', async () => {
      const p = await createPromptWith(url, t.key, 'df', 'line a\nline b\n');
      const v2 = await addVersion(url, t.key, 'df', 'line a\nline c\n', { model: 'gpt-4o', temperature: 0.1 });
      const d = await ok(
        url,
        t.key,
        'query($a: ID!, $b: ID!) { versionDiff(fromVersionId: $a, toVersionId: $b) { from { number } to { number } templateDiff changes { field from to } } }',
        { a: p.createPrompt.activeVersion.id, b: v2.id },
      );
      expect(d.versionDiff.templateDiff).toContain('-line b');
      expect(d.versionDiff.templateDiff).toContain('+line c');
      expect(d.versionDiff.changes).toEqual([
        { field: 'model', from: 'claude-sonnet-4-20250514', to: 'gpt-4o' },
        { field: 'temperature', from: 0.7, to: 0.1 },
      ]);
      await fails(
        url,
        t.key,
        'query($a: ID!) { versionDiff(fromVersionId: $a, toVersionId: "00000000-0000-0000-0000-000000000000") { templateDiff } }',
        { a: v2.id },
        'NOT_FOUND',
      );
    });

    test('resolvePrompt renders production by default, any label, or latest; missing ones are NOT_FOUND', async () => {
      await createPromptWith(url, t.key, 'res', 'Hi {{ who }}');
      await addVersion(url, t.key, 'res', 'Bye {{who}}', { labels: ['staging'] });
      const d = await ok(
        url,
        t.key,
        '{ p: resolvePrompt(name: "res", variables: { who: "Ann" }) { text label versionNumber promptName abTestId variant warnings } s: resolvePrompt(name: "res", label: "staging", variables: { who: "Bo", extra: 1 }) { text warnings } l: resolvePrompt(name: "res", label: "latest", variables: { who: "Cy" }) { text } }',
      );
      expect(d.p).toEqual({ text: 'Hi Ann', label: 'production', versionNumber: 1, promptName: 'res', abTestId: null, variant: null, warnings: [] });
      expect(d.s.text).toBe('Bye Bo');
      expect(d.s.warnings.join(' ')).toMatch(/extra/);
      expect(d.l.text).toBe('Bye Cy');
      await fails(url, t.key, '{ resolvePrompt(name: "nope") { text } }', undefined, 'NOT_FOUND');
      await fails(url, t.key, '{ resolvePrompt(name: "res", label: "canary") { text } }', undefined, 'NOT_FOUND');
      const missing = await fails(url, t.key, '{ resolvePrompt(name: "res") { text } }', undefined, 'BAD_USER_INPUT');
      expect(missing.extensions!.field).toBe('variables.who');
    });

    test('a label move is visible to the next resolve at once (the cache is evicted)', async () => {
      await createPromptWith(url, t.key, 'hot', 'one');
      expect((await ok(url, t.key, '{ resolvePrompt(name: "hot") { text } }')).resolvePrompt.text).toBe('one');
      await addVersion(url, t.key, 'hot', 'two', { labels: ['production'] });
      expect((await ok(url, t.key, '{ resolvePrompt(name: "hot") { text } }')).resolvePrompt.text).toBe('two');
    });
  });

  describe('keys, roles and isolation', () => {
    test('createApiKey shows the secret once; apiKeys lists metadata only; a revoked key stops working', async () => {
      const d = await ok(url, t.key, 'mutation { createApiKey(input: { name: "ci", role: EDITOR }) { key apiKey { id name prefix role scopes revokedAt } } }');
      const { key, apiKey } = d.createApiKey;
      expect(key.startsWith(apiKey.prefix)).toBe(true);
      expect(apiKey).toMatchObject({ name: 'ci', role: 'EDITOR', scopes: [], revokedAt: null });
      const list = await gql(url, t.key, '{ apiKeys { id prefix name } }');
      expect(JSON.stringify(list)).not.toContain(key);
      expect(list.data.apiKeys.map((k: any) => k.id)).toContain(apiKey.id);
      expect((await ok(url, key, '{ me { role } }')).me.role).toBe('EDITOR');
      const revoked = await ok(url, t.key, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: apiKey.id });
      expect(revoked.revokeApiKey.revokedAt).not.toBeNull();
      await fails(url, key, '{ me { role } }', undefined, 'UNAUTHENTICATED');
      await fails(url, t.key, 'mutation { createApiKey(input: { name: "x" }) { key } }', undefined, 'BAD_USER_INPUT');
      await fails(url, t.key, 'mutation { createApiKey(input: { name: "x", scopes: ["root"] }) { key } }', undefined, 'BAD_USER_INPUT');
    });

    test('a viewer reads but cannot write; an editor cannot move production; a publisher can', async () => {
      await createPromptWith(url, t.key, 'roles', 'a');
      const v2 = await addVersion(url, t.key, 'roles', 'b');
      const viewer = await keyWith(url, t.key, { role: 'VIEWER' });
      const editor = await keyWith(url, t.key, { role: 'EDITOR' });
      const publisher = await keyWith(url, t.key, { role: 'PUBLISHER' });
      expect((await ok(url, viewer, '{ prompt(name: "roles") { name } }')).prompt.name).toBe('roles');
      await fails(url, viewer, 'mutation { createPrompt(input: { name: "v" }) { id } }', undefined, 'FORBIDDEN');
      await fails(
        url,
        editor,
        'mutation($v: ID!) { setLabel(promptName: "roles", label: "production", versionId: $v) { revision } }',
        { v: v2.id },
        'FORBIDDEN',
      );
      await ok(url, editor, 'mutation($v: ID!) { setLabel(promptName: "roles", label: "staging", versionId: $v) { revision } }', { v: v2.id });
      await fails(url, editor, 'mutation { rollback(promptName: "roles") { revision } }', undefined, 'FORBIDDEN');
      await ok(url, publisher, 'mutation($v: ID!) { setLabel(promptName: "roles", label: "production", versionId: $v) { revision } }', { v: v2.id });
      await fails(url, editor, '{ apiKeys { id } }', undefined, 'FORBIDDEN');
      await fails(url, t.key, 'mutation { createWorkspace(name: "nope") { adminKey } }', undefined, 'FORBIDDEN');
    });

    test("another workspace's objects behave exactly like missing ones", async () => {
      const other = await newTenant(url, getServer().adminKey);
      const p = await createPromptWith(url, t.key, 'secret/one', 'private');
      const vid = p.createPrompt.activeVersion.id;
      const d = await ok(url, other.key, 'query($v: ID!) { prompt(name: "secret/one") { id } version(id: $v) { id } prompts { totalCount } }', { v: vid });
      expect(d).toEqual({ prompt: null, version: null, prompts: { totalCount: 0 } });
      await fails(url, other.key, '{ resolvePrompt(name: "secret/one") { text } }', undefined, 'NOT_FOUND');
      await fails(url, other.key, 'query($v: ID!) { renderVersion(versionId: $v) { text } }', { v: vid }, 'NOT_FOUND');
      await fails(url, other.key, 'mutation { createVersion(input: { promptName: "secret/one", template: "x" }) { id } }', undefined, 'NOT_FOUND');
      await fails(url, other.key, 'query($v: ID!) { versionDiff(fromVersionId: $v, toVersionId: $v) { templateDiff } }', { v: vid }, 'NOT_FOUND');
      const keys = await ok(url, t.key, '{ apiKeys { id } }');
      await fails(url, other.key, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: keys.apiKeys[0].id }, 'NOT_FOUND');
      expect((await ok(url, t.key, '{ resolvePrompt(name: "secret/one") { text } }')).resolvePrompt.text).toBe('private');
    });
  });

  describe('errors and audit', () => {
    test('errors carry a code and a request id, never a stack trace', async () => {
      const r = await gql(url, t.key, '{ resolvePrompt(name: "nope") { text } }', undefined, { 'x-request-id': 'req-123' });
      expect(r.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', requestId: 'req-123' });
      expect(JSON.stringify(r)).not.toMatch(/stacktrace|at \/|\.ts:/);
    });

    test('every change is in the audit log, newest first, with actor and request id', async () => {
      await ok(url, t.key, 'mutation { createPrompt(input: { name: "audited", version: { template: "x" } }) { id } }');
      const d = await ok(
        url,
        t.key,
        '{ auditLog(first: 3) { totalCount edges { node { action actor { name } target requestId before after } } pageInfo { hasNextPage } } }',
      );
      expect(d.auditLog.edges.map((e: any) => e.node.action)).toEqual(['version.create', 'label.set', 'prompt.create']);
      expect(d.auditLog.edges[0].node.target).toBe('audited#1');
      expect(d.auditLog.pageInfo.hasNextPage).toBe(true);
    });
  });
}
