/**
 * The one shape of a subscription resolver: authorize and validate before the iterator exists (a
 * throw refuses the subscription), stream one topic of the event bus through the subscriber's
 * filter, and resolve each event with fresh loaders. A subscription's context lives as long as the
 * socket: with the loaders of the first event, nested fields would show that event's data forever.
 */
import type { Topic, Topics } from '../pubsub/topics';
import type { GraphQLContext } from './context';

export type LiveSubscriptionSpec<T extends Topic, Args, Result> = {
  /** Runs once, at subscribe: authorizes, validates `args`, and returns which events this subscriber receives. */
  accept: (args: Args, ctx: GraphQLContext) => (payload: Topics[T]) => boolean;
  /** Runs per event, with loaders of its own. */
  resolve: (payload: Topics[T], args: Args, ctx: GraphQLContext) => Result | Promise<Result>;
};

export function liveSubscription<T extends Topic, Args, Result>(topic: T, spec: LiveSubscriptionSpec<T, Args, Result>) {
  return {
    subscribe: (_parent: unknown, args: Args, ctx: GraphQLContext) => ctx.services.events.subscribe(topic, spec.accept(args, ctx)),
    resolve: (payload: Topics[T], args: Args, ctx: GraphQLContext) => {
      ctx.loaders = ctx.freshLoaders();
      return spec.resolve(payload, args, ctx);
    },
  };
}
