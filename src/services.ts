/** The app's service bag, built once by createApp and shared by every request. */
import type { Config } from './config';
import type { Db } from './db/client';
import type { Logger } from './logger';
import type { MetricsService } from './metrics/service';
import type { EventBus } from './pubsub/event-bus';
import type { KeyService } from './auth/key-service';
import type { WorkspaceService } from './auth/workspace-service';
import type { People } from './people/people';
import type { PromptDeps } from './prompts/deps';
import type { ResolutionCache } from './prompts/resolution-cache';
import type { ABRuntime } from './experiments/ab-runtime';
import type { ExperimentDeps } from './experiments/deps';
import type { ClientBundles } from './prompts/client-bundle';
import type { EventObjects } from './prompts/event-objects';
import type { WebhookDeps } from './webhooks/webhook-service';
import type { Dispatcher } from './webhooks/dispatcher';
import type { AlertDeps } from './alerts/alert-service';
import type { AlertEvaluator } from './alerts/alert-evaluator';
import type { FleetService } from './fleet/fleet-service';

export type Services = {
  config: Config;
  db: Db;
  logger: Logger;
  bus: EventBus;
  keys: KeyService;
  /** Workspace creation (instance admins) and protected labels. */
  workspaces: WorkspaceService;
  /** People: sessions, memberships, invitations, SSO (src/people/). */
  people: People;
  prompts: PromptDeps;
  /** The prompt resolution cache of this instance (resolvePrompt, renderVersion, includes). */
  resolution: ResolutionCache;
  /** A/B tests: the lifecycle services' deps and the per-instance runtime (coverage of calls, auto-promotion). */
  experiments: ExperimentDeps;
  abRuntime: ABRuntime;
  /** The client library's bundle and revision queries. */
  clientBundles: ClientBundles;
  /** Objects named by change events, loaded once per event for all subscribers. */
  eventObjects: EventObjects;
  /** Call ingestion, prices, aggregates and metricsUpdated (src/metrics/). */
  metrics: MetricsService;
  /** Webhook endpoints, deliveries and the per-instance dispatcher (src/webhooks/). */
  webhooks: WebhookDeps;
  dispatcher: Dispatcher;
  /** Alert rules and their scheduled evaluation (src/alerts/). */
  alerts: AlertDeps;
  alertEvaluator: AlertEvaluator;
  /** Client instance reports and the fleet view (src/fleet/). */
  fleet: FleetService;
};

/** What an edge (GraphQL, MCP) gets of the app: the domain services, never the database handle or the raw bus. */
export type DomainServices = Omit<Services, 'db' | 'bus'>;
