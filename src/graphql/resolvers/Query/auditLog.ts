import type { QueryResolvers } from '../../generated/resolvers-types';
import { assertPageSize } from '../../../shared/pagination';
import { scopeOf } from '../../scope';

export const auditLog: NonNullable<QueryResolvers['auditLog']> = async (_parent, { filter, first, after }, ctx) => {
  const page = await ctx.services.audit.list(scopeOf(ctx), filter ?? {}, assertPageSize(first), after ?? null);
  const edges = page.rows.map((node) => ({ cursor: page.cursorOf(node), node }));
  return { edges, totalCount: page.totalCount, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
};
