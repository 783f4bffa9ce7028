import type { FleetResolvers } from '../../generated/resolvers-types';

/** Instances are read only when a query asks for them (the counts come with the view). */
export const Fleet = {
  instances: (f, _a, ctx) => ctx.services.fleet.instancesOf(f),
  instancePage: (f, args, ctx) => ctx.services.fleet.instancePage(f, args),
} satisfies FleetResolvers;
