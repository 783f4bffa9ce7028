import type { AuditEntryResolvers } from '../../generated/resolvers-types';

export const AuditEntry: AuditEntryResolvers = {
  actor: (e) => ({ id: e.actorId, name: e.actorName }),
};
