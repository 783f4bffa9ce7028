/** The caller of a resolver: its principal and request id, or UNAUTHENTICATED. */
import { UnauthenticatedError } from '../errors';
import type { RequestScope } from '../shared/request-scope';
import type { GraphQLContext } from './context';

export function scopeOf(ctx: GraphQLContext): RequestScope {
  if (!ctx.principal) throw ctx.authError ?? new UnauthenticatedError();
  return { principal: ctx.principal, requestId: ctx.requestId };
}
