/** Each test its own tenant: a fresh workspace and its ADMIN key, created through the API. */
import { randomBytes } from 'node:crypto';
import { ok } from './graphql';

export type Tenant = { key: string; workspaceId: string };

export async function newTenant(url: string, instanceAdminKey: string): Promise<Tenant> {
  const d = await ok(url, instanceAdminKey, 'mutation($n: String!) { createWorkspace(name: $n) { workspace { id } adminKey } }', {
    n: `t-${randomBytes(4).toString('hex')}`,
  });
  return { key: d.createWorkspace.adminKey, workspaceId: d.createWorkspace.workspace.id };
}

/** A key of the tenant with a role or scopes. */
export async function keyWith(url: string, adminKey: string, input: { role?: string; scopes?: string[] }): Promise<string> {
  const d = await ok(url, adminKey, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }', {
    i: { name: `k-${randomBytes(3).toString('hex')}`, ...input },
  });
  return d.createApiKey.key;
}

export async function createPromptWith(url: string, key: string, name: string, template: string, extra: Record<string, unknown> = {}) {
  return ok(url, key, 'mutation($i: CreatePromptInput!) { createPrompt(input: $i) { id name revision activeVersion { id number } } }', {
    i: { name, version: { template, ...extra } },
  });
}

export async function addVersion(url: string, key: string, promptName: string, template: string, extra: Record<string, unknown> = {}) {
  const d = await ok(url, key, 'mutation($i: CreateVersionInput!) { createVersion(input: $i) { id number } }', { i: { promptName, template, ...extra } });
  return d.createVersion as { id: string; number: number };
}
