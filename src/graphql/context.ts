/** The typed per-request context: the domain services, the caller and its request id, and DataLoaders. */
import type { AuditReader } from '../audit/audit-log';
import type { Principal } from '../auth/principal';
import type { Logger } from '../logger';
import type { EventBus } from '../pubsub/event-bus';
import type { DomainServices } from '../services';
import type { Loaders } from './loaders';

/**
 * What resolvers get of the app: domain services, never the database handle or the raw bus. Of the
 * bus only the typed subscribe (subscriptions); reads go through services and loaders.
 */
export type EdgeServices = DomainServices & {
  events: Pick<EventBus, 'subscribe'>;
  /** The audit trail's reader (auditLog). */
  audit: AuditReader;
};

export type GraphQLContext = {
  services: EdgeServices;
  /** Null only while authentication failed; resolvers call `scopeOf(ctx)`, which throws UNAUTHENTICATED. */
  principal: Principal | null;
  /** Why there is no principal (bad key, or the database unreachable while checking it). */
  authError: Error | null;
  requestId: string;
  /** Where people reach the service (PUBLIC_URL, else the request's Host): the base of links we hand out. */
  baseUrl: string;
  logger: Logger;
  loaders: Loaders;
  /** A new set of loaders for the same caller (each event of a subscription resolves with its own). */
  freshLoaders: () => Loaders;
};
