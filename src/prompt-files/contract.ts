/**
 * How a file's contract differs from a server version's, exactly as the server will count it in
 * `contractChanges` (variables, tools, response format), and which of those changes break callers.
 */
import { isBreakingChange, toolContractChanges } from '../prompts/tool-schemas';
import { contractChanges, type VariableDeclaration } from '../templates';
import { normalizeVariable, type PromptFileContent } from './format';
import type { ServerVersion } from './server-version';

export type ContractDiff = { changes: string[]; breaking: string[] };

export function contractDiff(from: ServerVersion | PromptFileContent, to: PromptFileContent): ContractDiff {
  const changes = [
    ...contractChanges(from.variables.map(normalizeVariable) as VariableDeclaration[], to.variables as VariableDeclaration[]),
    ...toolContractChanges({ tools: from.tools, responseFormat: from.responseFormat }, { tools: to.tools, responseFormat: to.responseFormat }),
  ];
  return { changes, breaking: changes.filter(isBreakingChange) };
}
