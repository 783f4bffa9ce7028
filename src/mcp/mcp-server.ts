/**
 * One MCP server per session: the workspace's prompts as MCP prompts (`prompts/list` with each production
 * version's variables as arguments, `prompts/get` rendering production or the label given as an argument) and
 * the tools of mcp-tools.ts. Every handler runs with the scope of the request being served (its API key), through
 * the same domain services and permissions as GraphQL.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import type { VariableRow, VersionRow } from '../db/schema';
import { NotFoundError } from '../errors';
import { versionsAtLabel } from '../prompts/label-service';
import { getPrompt, listPrompts } from '../prompts/prompt-service';
import type { DomainServices } from '../services';
import type { RequestScope } from '../shared/request-scope';
import type { McpCall, McpFailures } from './mcp-failures';
import { argumentsOf, LABEL_ARGUMENT, variablesFrom } from './prompt-arguments';
import { TOOLS } from './mcp-tools';

const PAGE = 100;

const internalError = () => new McpError(ErrorCode.InternalError, 'INTERNAL_SERVER_ERROR: Internal error', { code: 'INTERNAL_SERVER_ERROR' });

/**
 * A failed request, counted and logged (mcp-failures.ts), as a JSON-RPC error: the message keeps our code (FORBIDDEN,
 * NOT_FOUND…), `data.code` too. A database that cannot answer (wrapped by Drizzle or not) is UNAVAILABLE, an internal
 * error of the server's, not of the request; anything unexpected is INTERNAL_SERVER_ERROR with no detail (as GraphQL).
 */
function toMcpError(failures: McpFailures, err: unknown, call: McpCall): never {
  const e = failures.record(err, call);
  if (!e) throw internalError();
  const rpc =
    e.code === 'BAD_USER_INPUT' || e.code === 'NOT_FOUND'
      ? ErrorCode.InvalidParams
      : e.code === 'UNAVAILABLE'
        ? ErrorCode.InternalError
        : ErrorCode.InvalidRequest;
  throw new McpError(rpc, `${e.code}: ${e.message}`, { code: e.code, ...e.details });
}

const roleOf = (role: string): 'user' | 'assistant' => (role === 'ASSISTANT' ? 'assistant' : 'user');

export function createMcpServer(services: DomainServices, scope: () => RequestScope, failures: McpFailures): Server {
  const call = (method: string, tool?: string): McpCall => ({ requestId: scope().requestId, method, ...(tool ? { tool } : {}) });
  const server = new Server(
    { name: 'prompt-service', version: '1.0.0' },
    {
      capabilities: { prompts: { listChanged: true }, tools: {} },
      instructions: "This workspace's prompts: list and render them as prompts; search, read, diff and create versions with the tools.",
    },
  );

  server.setRequestHandler(ListPromptsRequestSchema, async (req) => {
    try {
      const s = scope();
      const page = await listPrompts(services.prompts, s, {}, PAGE, req.params?.cursor ?? null);
      const production = await versionsAtLabel(
        services.prompts,
        s,
        page.edges.map((e) => e.node.id),
        'production',
      );
      return {
        prompts: page.edges.map(({ node }) => ({
          name: node.name,
          ...(node.description ? { description: node.description } : {}),
          arguments: argumentsOf((production.get(node.id)?.variables ?? []) as VariableRow[]),
        })),
        ...(page.pageInfo.hasNextPage && page.pageInfo.endCursor ? { nextCursor: page.pageInfo.endCursor } : {}),
      };
    } catch (err) {
      return toMcpError(failures, err, call('prompts/list'));
    }
  });

  server.setRequestHandler(GetPromptRequestSchema, async (req) => {
    try {
      const s = scope();
      const args = req.params.arguments ?? {};
      const prompt = await getPrompt(services.prompts, s, req.params.name);
      const labelArg = args[LABEL_ARGUMENT];
      const label = labelArg && prompt ? labelArg : 'production';
      const version: VersionRow | undefined = prompt ? (await versionsAtLabel(services.prompts, s, [prompt.id], label)).get(prompt.id) : undefined;
      const variables = variablesFrom((version?.variables ?? []) as VariableRow[], args);
      const r = await services.resolution.resolve(s, { name: req.params.name, variables, label });
      const messages = r.messages
        ? r.messages.map((m) => ({ role: roleOf(m.role), content: { type: 'text' as const, text: m.content } }))
        : [
            ...(r.systemMessage ? [{ role: 'user' as const, content: { type: 'text' as const, text: r.systemMessage } }] : []),
            { role: 'user' as const, content: { type: 'text' as const, text: r.text ?? '' } },
          ];
      return {
        description: `${r.promptName} v${r.versionNumber} (${r.label ?? 'version'}), model ${r.model}${r.systemMessage && !r.messages ? '; the first message is the system message' : ''}`,
        messages,
        _meta: {
          versionId: r.versionId,
          versionNumber: r.versionNumber,
          label: r.label,
          model: r.model,
          temperature: r.temperature,
          maxTokens: r.maxTokens,
          tools: r.tools,
          responseFormat: r.responseFormat,
          warnings: r.warnings,
        },
      };
    } catch (err) {
      return toMcpError(failures, err, call('prompts/get'));
    }
  });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: TOOLS.map(({ name, description, inputSchema }) => ({ name, description, inputSchema: inputSchema as { type: 'object' } })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const tool = TOOLS.find((t) => t.name === req.params.name);
    if (!tool) return toMcpError(failures, new NotFoundError(`Unknown tool "${req.params.name}".`), call('tools/call', req.params.name));
    try {
      const result = await tool.run(services, scope(), (req.params.arguments ?? {}) as Record<string, unknown>);
      return { content: [{ type: 'text' as const, text: JSON.stringify(result, null, 2) }], structuredContent: result as Record<string, unknown> };
    } catch (err) {
      // Tool failures are results the model can read (MCP convention), with our error code first.
      const e = failures.record(err, call('tools/call', tool.name));
      if (e) return { isError: true, content: [{ type: 'text' as const, text: `${e.code}: ${e.message}` }] };
      throw internalError();
    }
  });

  return server;
}
