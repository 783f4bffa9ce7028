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
import { domainErrorOf } from '../db/failures';
import { versionsAtLabel } from '../prompts/label-store';
import { getPrompt, listPrompts } from '../prompts/prompt-service';
import type { Services } from '../services';
import type { RequestScope } from '../shared/request-scope';
import { argumentsOf, LABEL_ARGUMENT, variablesFrom } from './prompt-arguments';
import { TOOLS } from './mcp-tools';

const PAGE = 100;

/**
 * A domain error as a JSON-RPC error: the message keeps our code (FORBIDDEN, NOT_FOUND…), `data.code` too. A database
 * that cannot answer (wrapped by Drizzle or not) is UNAVAILABLE, an internal error of the server's, not of the request.
 */
function toMcpError(err: unknown): never {
  const e = domainErrorOf(err);
  if (e) {
    const rpc =
      e.code === 'BAD_USER_INPUT' || e.code === 'NOT_FOUND'
        ? ErrorCode.InvalidParams
        : e.code === 'UNAVAILABLE'
          ? ErrorCode.InternalError
          : ErrorCode.InvalidRequest;
    throw new McpError(rpc, `${e.code}: ${e.message}`, { code: e.code, ...e.details });
  }
  throw err;
}

const roleOf = (role: string): 'user' | 'assistant' => (role === 'ASSISTANT' ? 'assistant' : 'user');

export function createMcpServer(services: Services, scope: () => RequestScope): Server {
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
        services.db,
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
      return toMcpError(err);
    }
  });

  server.setRequestHandler(GetPromptRequestSchema, async (req) => {
    try {
      const s = scope();
      const args = req.params.arguments ?? {};
      const prompt = await getPrompt(services.prompts, s, req.params.name);
      const labelArg = args[LABEL_ARGUMENT];
      const label = labelArg && prompt ? labelArg : 'production';
      const version: VersionRow | undefined = prompt ? (await versionsAtLabel(services.db, [prompt.id], label)).get(prompt.id) : undefined;
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
      return toMcpError(err);
    }
  });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: TOOLS.map(({ name, description, inputSchema }) => ({ name, description, inputSchema: inputSchema as { type: 'object' } })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const tool = TOOLS.find((t) => t.name === req.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${req.params.name}".`);
    try {
      const result = await tool.run(services, scope(), (req.params.arguments ?? {}) as Record<string, unknown>);
      return { content: [{ type: 'text' as const, text: JSON.stringify(result, null, 2) }], structuredContent: result as Record<string, unknown> };
    } catch (err) {
      // Tool failures are results the model can read (MCP convention), with our error code first.
      const e = domainErrorOf(err);
      if (e) return { isError: true, content: [{ type: 'text' as const, text: `${e.code}: ${e.message}` }] };
      throw err;
    }
  });

  return server;
}
