/** What the prompt services need from the app: the database, the change notifier and defaults. */
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import type { ChangeNotifier } from './events';
import type { EventBus } from '../pubsub/event-bus';

export type PromptDeps = {
  db: Db;
  notify: ChangeNotifier;
  defaultModel: string;
  logger: Logger;
  /** For `abTestUpdated` when a rollback ends a test (the A/B services need it; set by createApp). */
  bus?: EventBus;
};
