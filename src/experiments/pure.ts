/** Barrel of the pure (no I/O) A/B testing code: assignment, allocation, statistics and the decision rule. */
export * from './allocation';
export * from './assignment';
export * from './decision';
export * from './distributions';
export * from './hash';
export * from './sequential';
export * from './statistics';
export * from './weights';
