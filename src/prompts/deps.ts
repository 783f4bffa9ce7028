/** What the prompt services need from the app: the database, the change notifier and defaults. */
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import type { ChangeNotifier } from './events';

export type PromptDeps = {
  db: Db;
  notify: ChangeNotifier;
  defaultModel: string;
  logger: Logger;
};
