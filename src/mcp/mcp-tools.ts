/**
 * The MCP tools: search prompts, read a version, diff two versions, create a version. Each calls the same
 * domain service as GraphQL with the caller's scope, so the same permissions bind it. No tool moves a
 * protected label: create_version refuses one even for a PUBLISHER (that stays a change request / deploy).
 */
import type { VersionRow } from '../db/schema';
import { BadInputError, ForbiddenError, NotFoundError } from '../errors';
import { versionDiff } from '../prompts/diff';
import { getPrompt, listPrompts } from '../prompts/prompt-service';
import { createVersion, versionByNumber } from '../prompts/version-service';
import { versionsAtLabel } from '../prompts/label-service';
import type { DomainServices } from '../services';
import type { RequestScope } from '../shared/request-scope';

type Args = Record<string, unknown>;
type ToolSpec = {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  run: (services: DomainServices, scope: RequestScope, args: Args) => Promise<unknown>;
};

const str = (a: Args, k: string, required = true): string | undefined => {
  const v = a[k];
  if (v === undefined || v === null) {
    if (required) throw new BadInputError(k, `"${k}" is required.`);
    return undefined;
  }
  if (typeof v !== 'string') throw new BadInputError(k, `"${k}" must be a string.`);
  return v;
};
const int = (a: Args, k: string): number | undefined => {
  const v = a[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new BadInputError(k, `"${k}" must be a whole number.`);
  return v;
};

/**
 * Which columns of a version a tool shows (true) or keeps back (false): its prompt's and workspace's ids, the creation
 * warnings and the creator's id stay in. Every column must be listed (`satisfies`), so a column added later fails
 * the typecheck here until someone decides whether agents see it.
 */
const VERSION_COLUMNS = {
  id: true,
  promptId: false,
  workspaceId: false,
  number: true,
  type: true,
  template: true,
  systemMessage: true,
  messages: true,
  variables: true,
  model: true,
  temperature: true,
  maxTokens: true,
  config: true,
  tools: true,
  responseFormat: true,
  message: true,
  contentHash: true,
  warnings: false,
  contractChanges: true,
  createdById: false,
  createdByName: false, // shown as createdBy
  createdAt: true,
} as const satisfies Record<keyof VersionRow, boolean>;

/** A version as a tool shows it (VERSION_COLUMNS, in the table's order); who made it by name. */
function showVersion(v: VersionRow) {
  const shown = Object.fromEntries(Object.entries(v).filter(([k]) => VERSION_COLUMNS[k as keyof VersionRow]));
  return { ...shown, createdBy: v.createdByName };
}

async function promptNamed(services: DomainServices, scope: RequestScope, name: string) {
  const p = await getPrompt(services.prompts, scope, name);
  if (!p) throw new NotFoundError(`No prompt named "${name}".`);
  return p;
}

async function versionOf(
  services: DomainServices,
  scope: RequestScope,
  name: string,
  number: number | undefined,
  label: string | undefined,
): Promise<VersionRow> {
  const p = await promptNamed(services, scope, name);
  if (number !== undefined) {
    const v = await versionByNumber(services.prompts, p.id, number);
    if (!v) throw new NotFoundError(`"${name}" has no version ${number}.`);
    return v;
  }
  const l = label ?? 'production';
  const v = (await versionsAtLabel(services.prompts, scope, [p.id], l)).get(p.id);
  if (!v) throw new NotFoundError(`"${name}" has no label "${l}".`);
  return v;
}

export const TOOLS: ToolSpec[] = [
  {
    name: 'search_prompts',
    description: "Search the workspace's prompts by text (name or description), tag or folder. Returns names, descriptions, tags and revisions.",
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string' },
        tag: { type: 'string' },
        folder: { type: 'string' },
        first: { type: 'integer', minimum: 1, maximum: 100 },
        after: { type: 'string', description: 'endCursor of the previous page' },
      },
    },
    async run(services, scope, a) {
      const page = await listPrompts(
        services.prompts,
        scope,
        { search: str(a, 'query', false), tag: str(a, 'tag', false), folder: str(a, 'folder', false) },
        int(a, 'first') ?? 20,
        str(a, 'after', false),
      );
      return {
        totalCount: page.totalCount,
        prompts: page.edges.map((e) => ({ name: e.node.name, description: e.node.description, tags: e.node.tags, revision: e.node.revision })),
        endCursor: page.pageInfo.endCursor,
        hasNextPage: page.pageInfo.hasNextPage,
      };
    },
  },
  {
    name: 'get_prompt_version',
    description: 'Read one version of a prompt: by number, or the version behind a label (default production).',
    inputSchema: {
      type: 'object',
      properties: { name: { type: 'string' }, version: { type: 'integer', minimum: 1 }, label: { type: 'string' } },
      required: ['name'],
    },
    run: async (services, scope, a) => showVersion(await versionOf(services, scope, str(a, 'name')!, int(a, 'version'), str(a, 'label', false))),
  },
  {
    name: 'diff_versions',
    description: 'A unified diff of two versions of a prompt (by number) and every other field that differs.',
    inputSchema: {
      type: 'object',
      properties: { name: { type: 'string' }, from: { type: 'integer', minimum: 1 }, to: { type: 'integer', minimum: 1 } },
      required: ['name', 'from', 'to'],
    },
    async run(services, scope, a) {
      const name = str(a, 'name')!;
      const [from, to] = [int(a, 'from'), int(a, 'to')];
      if (from === undefined || to === undefined) throw new BadInputError('from', '"from" and "to" are version numbers.');
      const [vf, vt] = await Promise.all([versionOf(services, scope, name, from, undefined), versionOf(services, scope, name, to, undefined)]);
      const d = await versionDiff(services.prompts, scope, vf.id, vt.id);
      return { from, to, templateDiff: d.templateDiff, changes: d.changes };
    },
  },
  {
    name: 'create_version',
    description:
      'Create a new version of an existing prompt (a template for TEXT or messages for CHAT, with optional variables, model settings, tools and responseFormat). Labels it may point at the new version exclude protected ones such as production: deploying stays a human decision.',
    inputSchema: {
      type: 'object',
      properties: {
        promptName: { type: 'string' },
        template: { type: 'string' },
        systemMessage: { type: 'string' },
        messages: {
          type: 'array',
          items: {
            type: 'object',
            properties: { role: { enum: ['SYSTEM', 'USER', 'ASSISTANT', 'PLACEHOLDER'] }, content: { type: 'string' } },
            required: ['role', 'content'],
          },
        },
        variables: { type: 'array', items: { type: 'object' } },
        model: { type: 'string' },
        temperature: { type: 'number' },
        maxTokens: { type: 'integer' },
        config: { type: 'object' },
        tools: { type: 'array' },
        responseFormat: { type: 'object' },
        message: { type: 'string', description: 'What changed, like a commit message' },
        labels: { type: 'array', items: { type: 'string' }, description: 'Unprotected labels to point at the new version' },
        expectedRevision: { type: 'integer' },
      },
      required: ['promptName'],
    },
    async run(services, scope, a) {
      const labels = Array.isArray(a.labels) ? (a.labels as unknown[]).map(String) : [];
      const protectedLabels = await services.workspaces.protectedLabels(scope);
      const refused = labels.filter((l) => protectedLabels.includes(l));
      if (refused.length) throw new ForbiddenError(`No MCP tool moves a protected label (${refused.join(', ')}): deploy it with setLabel or a change request.`);
      const variables = Array.isArray(a.variables)
        ? (a.variables as Record<string, unknown>[]).map((v) => ({
            name: String(v.name),
            type: (v.type ?? 'STRING') as 'STRING',
            values: (v.values as string[] | undefined) ?? null,
            required: v.required !== false,
            default: v.default ?? null,
            description: (v.description as string | undefined) ?? null,
          }))
        : null;
      const v = await createVersion(services.prompts, scope, {
        promptName: str(a, 'promptName')!,
        template: str(a, 'template', false) ?? null,
        systemMessage: str(a, 'systemMessage', false) ?? null,
        messages: (a.messages as never) ?? null,
        variables,
        model: str(a, 'model', false) ?? null,
        temperature: (a.temperature as number | undefined) ?? null,
        maxTokens: int(a, 'maxTokens') ?? null,
        config: a.config,
        tools: a.tools,
        responseFormat: a.responseFormat,
        message: str(a, 'message', false) ?? null,
        labels,
        expectedRevision: int(a, 'expectedRevision') ?? null,
      });
      return showVersion(v);
    },
  },
];
