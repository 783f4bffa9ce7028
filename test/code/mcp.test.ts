/**
 * MCP at POST /mcp with a real MCP client (@modelcontextprotocol/sdk, Streamable HTTP): prompts listed with their
 * variables as arguments, rendered (production, or a label), refused by permissions, tools, failures counted by
 * code at GET /metrics, and the prompts-list-changed notification on promptChanged.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { PromptListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { ok } from '../helpers/graphql';
import { usePostgresServer } from '../helpers/postgres';
import { keyWith, newTenant, type Tenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';

let server: TestServer;
let t: Tenant;
let other: Tenant;
const clients: Client[] = [];
usePostgresServer((s) => {
  server = s;
});

const mcpUrl = () => new URL('/mcp', server.url);

async function connect(key: string): Promise<Client> {
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(mcpUrl(), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
  clients.push(client);
  return client;
}

beforeAll(async () => {
  t = await newTenant(server.url, server.adminKey);
  other = await newTenant(server.url, server.adminKey);
  await ok(server.url, t.key, 'mutation($i: CreatePromptInput!) { createPrompt(input: $i) { id } }', {
    i: {
      name: 'support/triage',
      description: 'Triage a ticket',
      version: {
        template: 'Ticket: {{ticket}} ({{priority}}, urgent: {{urgent}})',
        systemMessage: 'You triage.',
        variables: [
          { name: 'ticket', description: 'The ticket text' },
          { name: 'priority', type: 'NUMBER', default: 3 },
          { name: 'urgent', type: 'BOOLEAN', required: false },
        ],
      },
    },
  });
  await ok(
    server.url,
    t.key,
    'mutation { createVersion(input: { promptName: "support/triage", template: "STAGING {{ticket}}", labels: ["staging"] }) { id } }',
  );
  await ok(server.url, t.key, 'mutation($i: CreatePromptInput!) { createPrompt(input: $i) { id } }', {
    i: {
      name: 'chat',
      version: {
        messages: [
          { role: 'SYSTEM', content: 'Be brief about {{topic}}.' },
          { role: 'USER', content: 'Hi' },
        ],
      },
    },
  });
  await ok(server.url, other.key, 'mutation { createPrompt(input: { name: "secret", version: { template: "other workspace" } }) { id } }');
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
});

test("prompts/list: the workspace's prompts (slashes in names), each production version's variables as arguments", async () => {
  const client = await connect(t.key);
  const { prompts } = await client.listPrompts();
  expect(prompts.map((p) => p.name)).toEqual(['chat', 'support/triage']); // not the other workspace's
  const triage = prompts.find((p) => p.name === 'support/triage')!;
  expect(triage.description).toBe('Triage a ticket');
  expect(triage.arguments).toEqual([
    { name: 'ticket', description: 'The ticket text (text)', required: true },
    { name: 'priority', description: '(number; default 3)', required: false },
    { name: 'urgent', description: '(boolean)', required: false },
    { name: 'label', description: 'The label to render (default production).', required: false },
  ]);
});

test('prompts/get renders production with typed arguments, or the label given', async () => {
  const client = await connect(t.key);
  const r = await client.getPrompt({ name: 'support/triage', arguments: { ticket: 'printer on fire', urgent: 'true' } });
  expect(r.messages).toEqual([
    { role: 'user', content: { type: 'text', text: 'You triage.' } },
    { role: 'user', content: { type: 'text', text: 'Ticket: printer on fire (3, urgent: true)' } },
  ]);
  expect(r._meta).toMatchObject({ versionNumber: 1, label: 'production' });
  const staged = await client.getPrompt({ name: 'support/triage', arguments: { ticket: 'x', label: 'staging' } });
  expect(staged.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'STAGING x' } }]);
  const chat = await client.getPrompt({ name: 'chat', arguments: { topic: 'tea' } });
  expect(chat.messages).toEqual([
    { role: 'user', content: { type: 'text', text: 'Be brief about tea.' } },
    { role: 'user', content: { type: 'text', text: 'Hi' } },
  ]);
  await expect(client.getPrompt({ name: 'support/triage', arguments: {} })).rejects.toThrow(/BAD_USER_INPUT.*ticket/);
  await expect(client.getPrompt({ name: 'support/triage', arguments: { ticket: 'x', priority: 'high' } })).rejects.toThrow(/must be a number/);
  await expect(client.getPrompt({ name: 'secret', arguments: {} })).rejects.toThrow(/NOT_FOUND/); // another workspace's
});

test('refused by permissions: no key is 401, a resolve-only key cannot list, a VIEWER cannot create a version, no tool moves production', async () => {
  const res = await fetch(mcpUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    }),
  });
  expect(res.status).toBe(401);
  expect(((await res.json()) as any).error.data.code).toBe('UNAUTHENTICATED');
  await expect(connect('pm_live_not_a_key')).rejects.toThrow();

  const resolver = await connect(await keyWith(server.url, t.key, { scopes: ['prompts:resolve'] }));
  await expect(resolver.listPrompts()).rejects.toThrow(/FORBIDDEN/);

  const viewer = await connect(await keyWith(server.url, t.key, { role: 'VIEWER' }));
  expect((await viewer.listPrompts()).prompts).toHaveLength(2);
  const denied = await viewer.callTool({ name: 'create_version', arguments: { promptName: 'chat', messages: [{ role: 'USER', content: 'x' }] } });
  expect(denied.isError).toBe(true);
  expect((denied.content as { text: string }[])[0]!.text).toMatch(/^FORBIDDEN/);

  const admin = await connect(t.key);
  const prod = await admin.callTool({
    name: 'create_version',
    arguments: { promptName: 'chat', messages: [{ role: 'USER', content: 'x' }], labels: ['production'] },
  });
  expect(prod.isError).toBe(true);
  expect((prod.content as { text: string }[])[0]!.text).toMatch(/FORBIDDEN: No MCP tool moves a protected label/);
  const chat = await ok(server.url, t.key, '{ prompt(name: "chat") { versions { number } activeVersion { number } } }');
  expect(chat.prompt).toEqual({ versions: [{ number: 1 }], activeVersion: { number: 1 } });

  // A session is bound to its key: another key cannot ride on it.
  const sessionId = (admin.transport as StreamableHTTPClientTransport).sessionId!;
  const hijack = await fetch(mcpUrl(), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${other.key}`,
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'prompts/list' }),
  });
  expect(hijack.status).toBe(403);
});

test('tools: search prompts, read a version, diff, create a version (an unprotected label allowed)', async () => {
  const client = await connect(t.key);
  expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['search_prompts', 'get_prompt_version', 'diff_versions', 'create_version']);
  const found = await client.callTool({ name: 'search_prompts', arguments: { query: 'triage' } });
  expect((found.structuredContent as any).prompts.map((p: any) => p.name)).toEqual(['support/triage']);
  const v = await client.callTool({ name: 'get_prompt_version', arguments: { name: 'support/triage', label: 'staging' } });
  expect(v.structuredContent as any).toMatchObject({ number: 2, template: 'STAGING {{ticket}}' });
  // Every column but the prompt's and workspace's ids, the warnings and the creator's id; the creator by name.
  expect(Object.keys(v.structuredContent as object)).toEqual([
    'id',
    'number',
    'type',
    'template',
    'systemMessage',
    'messages',
    'variables',
    'model',
    'temperature',
    'maxTokens',
    'config',
    'tools',
    'responseFormat',
    'message',
    'contentHash',
    'contractChanges',
    'createdAt',
    'createdBy',
  ]);
  const d = await client.callTool({ name: 'diff_versions', arguments: { name: 'support/triage', from: 1, to: 2 } });
  expect((d.structuredContent as any).templateDiff).toContain('+STAGING {{ticket}}');
  const created = await client.callTool({
    name: 'create_version',
    arguments: { promptName: 'support/triage', template: 'Agent draft {{ticket}}', labels: ['agent-draft'], message: 'from an agent' },
  });
  expect(created.isError).toBeFalsy();
  expect(created.structuredContent as any).toMatchObject({ number: 3, message: 'from an agent' });
  const bad = await client.callTool({ name: 'create_version', arguments: { promptName: 'support/triage', template: 'x {{y' } });
  expect(bad.isError).toBe(true);
  expect((bad.content as { text: string }[])[0]!.text).toMatch(/^BAD_USER_INPUT/);
});

/** `mcp_errors_total{code}` at GET /metrics (0 before the first failure of that code). */
async function mcpErrorsCounted(code: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', server.url))).text();
  return Number(new RegExp(`^mcp_errors_total\\{code="${code}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

test('failures inside a session are counted by code at GET /metrics: a failing tool call (isError) and a JSON-RPC error', async () => {
  const client = await connect(t.key);
  const notFound = await mcpErrorsCounted('NOT_FOUND');
  const missing = await client.callTool({ name: 'get_prompt_version', arguments: { name: 'no/such-prompt' } });
  expect(missing.isError).toBe(true);
  expect((missing.content as { text: string }[])[0]!.text).toMatch(/^NOT_FOUND: No prompt named "no\/such-prompt"/);
  expect(await mcpErrorsCounted('NOT_FOUND')).toBe(notFound + 1);
  await expect(client.getPrompt({ name: 'no/such-prompt', arguments: {} })).rejects.toThrow(/NOT_FOUND/);
  expect(await mcpErrorsCounted('NOT_FOUND')).toBe(notFound + 2);
  const badInput = await mcpErrorsCounted('BAD_USER_INPUT');
  const bad = await client.callTool({ name: 'diff_versions', arguments: { name: 'chat', from: 1 } });
  expect(bad.isError).toBe(true);
  expect(await mcpErrorsCounted('BAD_USER_INPUT')).toBe(badInput + 1);
  expect(await mcpErrorsCounted('NOT_FOUND')).toBe(notFound + 2); // each failure under its own code only
});

test('promptChanged becomes notifications/prompts/list_changed for sessions of that workspace only', async () => {
  const mine = await connect(t.key);
  const theirs = await connect(other.key);
  const got: string[] = [];
  mine.setNotificationHandler(PromptListChangedNotificationSchema, () => void got.push('mine'));
  theirs.setNotificationHandler(PromptListChangedNotificationSchema, () => void got.push('theirs'));
  await mine.listPrompts(); // the session is in use (its notification stream opens after initialize)
  // Keep changing until the first notification arrives (the GET stream opens asynchronously).
  for (let i = 0; !got.includes('mine') && i < 50; i++) {
    await ok(server.url, t.key, 'mutation($n: String!) { createPrompt(input: { name: $n, version: { template: "new {{x}}" } }) { id } }', { n: `fresh-${i}` });
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(got).toContain('mine');
  expect(got).not.toContain('theirs');
  expect((await mine.listPrompts()).prompts.map((p) => p.name)).toContain('fresh-0');
});
