/**
 * Benchmark: our compiled renderer vs the naive `text.replaceAll('{{name}}', value)` loop.
 * Run: npx tsx bench/render.ts
 *
 * - "ours (section)": a ~2 KB TEXT template with 10 variables and one section over a 5-item array, rendered with
 *   compiled.render(values): that INCLUDES checking every value against the typed contract on every call.
 * - "naive": the same template WITHOUT the section (the naive loop cannot do sections), so the naive side does
 *   strictly less work; one replaceAll per variable over the whole text.
 * - "ours (no section)": our renderer on exactly the naive template, for an apples-to-apples ratio.
 * Each case is warmed up, then run for a fixed time; ops/s = iterations / elapsed seconds.
 */
import { compileVersionContent } from '../src/templates';

const NAMES = ['customer', 'company', 'product', 'ticket', 'tone', 'agent', 'language', 'plan', 'region', 'deadline'];
const values: Record<string, unknown> = {
  customer: 'Ada Lovelace',
  company: 'Analytical Engines Ltd',
  product: 'Difference Engine 2',
  ticket: 'T-42917',
  tone: 'friendly',
  agent: 'Charles',
  language: 'English',
  plan: 'Enterprise',
  region: 'eu-west',
  deadline: '2025-07-01',
};
const items = [
  { title: 'Reset the crank', minutes: 5 },
  { title: 'Check the gears', minutes: 10 },
  { title: 'Oil the columns', minutes: 3 },
  { title: 'Print a table', minutes: 8 },
  { title: 'Ship the result', minutes: 2 },
];

const filler =
  'You are a helpful support assistant. Answer precisely, cite the knowledge base when you can, and never invent ' +
  'facts about pricing or availability. Keep paragraphs short and use plain language. ';
let body = '';
NAMES.forEach((n, i) => {
  body += `Paragraph ${i + 1}: ${filler}The ${n} for this conversation is {{${n}}}.\n`;
});
const section = 'Steps to follow:\n{{#items}}\n- {{title}} ({{minutes}} min) for {{customer}}\n{{/items}}\n';
const withSection = body + section + 'Reply in {{language}} with a {{tone}} tone.\n';
const withoutSection = body + 'Reply in {{language}} with a {{tone}} tone.\n';

const declarations = [
  ...NAMES.map((name) => ({ name, type: 'STRING' as const, required: true })),
  { name: 'items', type: 'JSON' as const, required: true },
];
const ours = compileVersionContent({ type: 'TEXT', template: withSection, variables: declarations });
const oursPlain = compileVersionContent({ type: 'TEXT', template: withoutSection, variables: declarations.slice(0, 10) });
const withItems = { ...values, items };

function naive(text: string, vars: Record<string, unknown>): string {
  for (const name of NAMES) text = text.replaceAll('{{' + name + '}}', String(vars[name]));
  return text;
}

// Sanity: both produce the same text on the common template.
if (oursPlain.render(values).text !== naive(withoutSection, values)) throw new Error('renderers disagree');

/** Forces V8 to flatten a rope (indexing a char of a cons string flattens it), as JSON serialization would. */
function flatten(s: string): string {
  sink += s.charCodeAt(s.length >> 1);
  return s;
}

let sink = 0;
function measure(fn: () => string, ms: number): number {
  const warmEnd = performance.now() + 300;
  while (performance.now() < warmEnd) sink += fn().length;
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let k = 0; k < 100; k++) sink += fn().length;
    n += 100;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

const MS = Number(process.env.BENCH_MS ?? 2000);
const rows = [
  { case: 'ours (section, with type checks)', bytes: withSection.length, opsPerSec: measure(() => ours.render(withItems).text!, MS) },
  { case: 'naive replaceAll (no section)', bytes: withoutSection.length, opsPerSec: measure(() => naive(withoutSection, values), MS) },
  { case: 'ours (no section, with type checks)', bytes: withoutSection.length, opsPerSec: measure(() => oursPlain.render(values).text!, MS) },
  // Our output is a V8 rope (cheap concatenations); whoever sends it flattens it. Same case with that cost included:
  { case: 'ours (section) + flatten', bytes: withSection.length, opsPerSec: measure(() => flatten(ours.render(withItems).text!), MS) },
];
const naiveOps = rows[1]!.opsPerSec;
console.table(rows.map((r) => ({ ...r, opsPerSec: Math.round(r.opsPerSec), 'ours/naive': (r.opsPerSec / naiveOps).toFixed(2) })));
console.log(`node ${process.version}; ${MS} ms per case; sink ${sink % 10}`);
