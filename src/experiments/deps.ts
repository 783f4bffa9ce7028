/** What the A/B test services need from the app: the unit of work's parts (events go through it) and a logger. */
import type { Logger } from '../logger';
import type { UnitOfWorkDeps } from '../shared/unit-of-work';

export type ExperimentDeps = UnitOfWorkDeps & { logger: Logger };
