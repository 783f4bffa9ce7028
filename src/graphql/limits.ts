/** Parse and validation limits shared by the HTTP and WebSocket paths, so neither is a way around the other. */
import { specifiedRules, type ValidationRule } from 'graphql';

/** Tokens per document: rejects oversized documents before validation runs. */
export const MAX_TOKENS = 3000;

export const parseOptions = { maxTokens: MAX_TOKENS };

export const validationRules: ValidationRule[] = [];

export const allValidationRules: readonly ValidationRule[] = [...specifiedRules, ...validationRules];
