/** What the A/B test services need from the app: the prompt services' deps plus the event bus for `abTestUpdated`. */
import type { PromptDeps } from '../prompts/deps';
import type { EventBus } from '../pubsub/event-bus';

export type ExperimentDeps = PromptDeps & { bus: EventBus };
