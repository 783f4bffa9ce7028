/** What the prompt services need from the app: the unit of work's parts, the label policy (a port) and defaults. */
import type { Logger } from '../logger';
import type { UnitOfWorkDeps } from '../shared/unit-of-work';
import type { LabelPolicy } from './label-policy';

export type PromptDeps = UnitOfWorkDeps & {
  defaultModel: string;
  logger: Logger;
  /** Rules of newer domains on labels (experiments: a running test owns its label). */
  labelPolicy: LabelPolicy;
};
