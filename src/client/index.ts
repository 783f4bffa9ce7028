/** The client library for services (`<package>/client`): local resolution, push invalidation, fallbacks, batched metrics. */
export { createPromptClient, type PromptClient } from './client';
export type { ClientStats, FallbackPrompt, PromptClientOptions, ResolvedPrompt, ResolveOptions, TrackedCall } from './types';
export { DomainError as PromptClientError } from '../errors';
