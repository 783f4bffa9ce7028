/** Test helpers for the template module. */
import { BadInputError } from '../../src/errors';
import { compileVersionContent, type RenderOptions, type VariableDeclaration } from '../../src/templates';

export const json = (name: string, required = false): VariableDeclaration => ({ name, type: 'JSON', required });
export const str = (name: string, required = true): VariableDeclaration => ({ name, type: 'STRING', required });

/** Renders a TEXT template; declarations default to "infer". */
export function render(template: string, values: unknown, variables?: VariableDeclaration[], options?: RenderOptions): string {
  return compileVersionContent({ type: 'TEXT', template, variables: variables ?? null }).render(values, options).text!;
}

/** Runs fn, expects a BadInputError, returns it. */
export function badInput(fn: () => unknown): BadInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BadInputError) return e;
    throw e;
  }
  throw new Error('expected a BadInputError');
}
