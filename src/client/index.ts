/** The client library for services (`<package>/client`): local resolution, push invalidation, fallbacks, batched metrics. */
export { createPromptClient, type PromptClient } from './client';
export type { FleetReportOptions } from './fleet-report';
export type {
  ClientStats,
  FallbackPrompt,
  PromptClientOptions,
  PromptName,
  PromptVariablesMap,
  ResolveArgs,
  ResolvedPrompt,
  ResolveOptions,
  TrackedCall,
} from './types';
export { DomainError as PromptClientError } from '../errors';
export { verifyWebhook, signWebhook, WebhookVerificationError, type VerifiedWebhook, type VerifyWebhookOptions, type WebhookHeaders } from './verify-webhook';
