import type { ApiKeyResolvers } from '../../generated/resolvers-types';

export const ApiKey = {
  createdBy: (k) => (k.createdByName ? { id: k.createdById, name: k.createdByName } : null),
} satisfies ApiKeyResolvers;
