import type { AuditEntryResolvers } from '../../generated/resolvers-types';

export const AuditEntry = {
  actor: (e) => ({ id: e.actorId, name: e.actorName }),
} satisfies AuditEntryResolvers;
