import { contractChanges, type VariableDeclaration } from '../../src/templates';

const v = (name: string, type: VariableDeclaration['type'], required: boolean, extra: Partial<VariableDeclaration> = {}): VariableDeclaration => ({
  name,
  type,
  required,
  ...extra,
});

describe('contractChanges', () => {
  it('is empty without a previous contract or without changes', () => {
    expect(contractChanges(null, [v('a', 'STRING', true)])).toEqual([]);
    expect(contractChanges([v('a', 'STRING', true)], [v('a', 'STRING', true, { description: 'new text' })])).toEqual([]);
  });

  it('describes every kind of change', () => {
    const prev = [
      v('tone', 'ENUM', true, { values: ['formal', 'casual'] }),
      v('n', 'STRING', true),
      v('x', 'STRING', false),
      v('y', 'STRING', true),
      v('gone', 'STRING', false),
      v('d', 'STRING', false, { default: 'a' }),
    ];
    const next = [
      v('tone', 'ENUM', true, { values: ['casual', 'pirate'] }),
      v('n', 'NUMBER', true),
      v('x', 'STRING', true),
      v('y', 'STRING', false),
      v('d', 'STRING', false, { default: 'b' }),
      v('ticket', 'STRING', true),
      v('opt', 'JSON', false),
    ];
    expect(contractChanges(prev, next)).toEqual([
      'enum values of "tone" changed: removed "formal"; added "pirate"',
      'changed type of "n" from STRING to NUMBER',
      '"x" became required',
      '"y" became optional',
      'default of "d" changed from "a" to "b"',
      'added required variable "ticket" (STRING)',
      'added optional variable "opt" (JSON)',
      'removed variable "gone"',
    ]);
  });

  it('judges requiredness by what callers must pass: a default makes a required variable optional', () => {
    expect(contractChanges([v('a', 'STRING', true, { default: 'x' })], [v('a', 'STRING', true)])).toEqual([
      '"a" became required',
      'default of "a" removed (was "x")',
    ]);
    expect(contractChanges([], [v('a', 'STRING', true, { default: 'x' })])).toEqual(['added optional variable "a" (STRING)']);
  });
});
