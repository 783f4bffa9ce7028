import { compileChat, compileVersionContent, type ChatMessageInput } from '../../src/templates';
import { badInput, json, str } from './helpers';

const messages: ChatMessageInput[] = [
  { role: 'SYSTEM', content: 'You are {{persona}}.' },
  { role: 'PLACEHOLDER', content: 'history' },
  { role: 'USER', content: '{{question}}' },
];

describe('chat prompts', () => {
  it('renders messages and splices placeholder messages with normalized roles', () => {
    const c = compileVersionContent({ type: 'CHAT', messages });
    expect(c.variables).toEqual([str('persona'), json('history', true), str('question')]);
    const r = c.render({
      persona: 'a pirate',
      question: 'Where is {{gold}}?',
      history: [
        { role: 'user', content: 'hi {{persona}}' },
        { role: 'Assistant', content: 'arr', extra: 'dropped' },
        { role: 'SYSTEM', content: '' },
      ],
    });
    expect(r).toEqual({
      text: null,
      systemMessage: null,
      warnings: [],
      messages: [
        { role: 'SYSTEM', content: 'You are a pirate.' },
        { role: 'USER', content: 'hi {{persona}}' },
        { role: 'ASSISTANT', content: 'arr' },
        { role: 'SYSTEM', content: '' },
        { role: 'USER', content: 'Where is {{gold}}?' },
      ],
    });
  });

  it('splices nothing for an optional placeholder that is not given', () => {
    const c = compileVersionContent({ type: 'CHAT', messages, variables: [str('persona'), json('history'), str('question')] });
    expect(c.render({ persona: 'p', question: 'q' }).messages).toEqual([
      { role: 'SYSTEM', content: 'You are p.' },
      { role: 'USER', content: 'q' },
    ]);
  });

  it.each<[unknown, RegExp]>([
    ['text', /it is not a list/],
    [{ role: 'user', content: 'x' }, /it is not a list/],
    [[1], /item 0 is not an object/],
    [[{ role: 'tool', content: 'x' }], /item 0 has role "tool"/],
    [[{ role: 'user', content: 'ok' }, { role: 'user' }], /item 1 has no string content/],
    [[{ role: 'user', content: 3 }], /item 0 has no string content/],
    [[{ role: 'constructor', content: 'x' }], /item 0 has role "constructor"/],
  ])('rejects a placeholder value %j naming the variable', (history, message) => {
    const c = compileVersionContent({ type: 'CHAT', messages });
    const e = badInput(() => c.render({ persona: 'p', question: 'q', history }));
    expect(e.field).toBe('variables.history');
    expect(e.message).toMatch(/Variable "history" fills a chat placeholder/);
    expect(e.message).toMatch(message);
  });

  it('reports compile errors on the message at fault', () => {
    expect(
      badInput(() =>
        compileChat([
          { role: 'USER', content: 'ok' },
          { role: 'USER', content: 'x {{#a}}' },
        ]),
      ).field,
    ).toBe('messages.1.content');
    expect(badInput(() => compileChat([{ role: 'PLACEHOLDER', content: '{{history}}' }])).field).toBe('messages.0.content');
    expect(badInput(() => compileChat([{ role: 'TOOL' as never, content: 'x' }])).field).toBe('messages.0.role');
    expect(badInput(() => compileVersionContent({ type: 'CHAT', messages: [] })).field).toBe('messages');
  });
});

describe('compileVersionContent for TEXT', () => {
  it('renders the template and the system message', () => {
    const c = compileVersionContent({ type: 'TEXT', template: 'Q: {{q}}', systemMessage: 'Be {{tone}}.' });
    expect(c.render({ q: 'why', tone: 'brief' })).toEqual({ text: 'Q: why', systemMessage: 'Be brief.', messages: null, warnings: [] });
  });

  it('reports the field of a syntax error', () => {
    expect(badInput(() => compileVersionContent({ type: 'TEXT', template: 'ok', systemMessage: '{{' })).field).toBe('systemMessage');
    expect(badInput(() => compileVersionContent({ type: 'TEXT' })).field).toBe('template');
  });

  it('does not re-parse at render: the compiled form renders many times with different values', () => {
    const c = compileVersionContent({ type: 'TEXT', template: '{{a}}' });
    expect([c.render({ a: '1' }).text, c.render({ a: '2' }).text]).toEqual(['1', '2']);
  });
});
