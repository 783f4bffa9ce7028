/** The typed per-request context: the app's services, the caller and its request id, and DataLoaders. */
import type { Principal } from '../auth/principal';
import type { Logger } from '../logger';
import type { Services } from '../services';
import type { Loaders } from './loaders';

export type GraphQLContext = {
  services: Services;
  /** Null only while authentication failed; resolvers call `scopeOf(ctx)`, which throws UNAUTHENTICATED. */
  principal: Principal | null;
  /** Why there is no principal (bad key, or the database unreachable while checking it). */
  authError: Error | null;
  requestId: string;
  /** Where people reach the service (PUBLIC_URL, else the request's Host): the base of links we hand out. */
  baseUrl: string;
  logger: Logger;
  loaders: Loaders;
};
