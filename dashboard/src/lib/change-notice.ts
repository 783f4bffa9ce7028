/** The short notice for a change event ("production → v5 by Kira"), or null for changes not worth one (pure). */

type Event = { kind: string; promptName: string; label?: string | null; version?: { number: number } | null; actor: { name: string } };

export function changeNotice(e: Event): string | null {
  const by = ` by ${e.actor.name}`;
  switch (e.kind) {
    case 'LABEL_MOVED':
      return e.version ? `${e.promptName}: ${e.label} → v${e.version.number}${by}` : `${e.promptName}: ${e.label} removed${by}`;
    case 'ROLLED_BACK':
      return `${e.promptName}: production rolled back${e.version ? ` to v${e.version.number}` : ''}${by}`;
    case 'VERSION_CREATED':
      return `${e.promptName}: v${e.version?.number ?? '?'} created${by}`;
    case 'PROMPT_CREATED':
      return `${e.promptName} created${by}`;
    case 'PROMPT_ARCHIVED':
      return `${e.promptName} archived${by}`;
    case 'PROMPT_DELETED':
      return `${e.promptName} deleted${by}`;
    // AB_TEST_STARTED also means "ramped": either way the split of the label's traffic changed.
    case 'AB_TEST_STARTED':
      return `${e.promptName}: A/B split on ${e.label ?? 'production'} changed${by}`;
    case 'AB_TEST_STOPPED':
      return e.version ? `${e.promptName}: A/B test stopped, ${e.label} → v${e.version.number}${by}` : `${e.promptName}: A/B test on ${e.label} stopped${by}`;
    case 'AB_TEST_CONCLUDED':
      return `${e.promptName}: A/B test concluded, ${e.label} → v${e.version?.number ?? '?'}${e.actor.name === 'system' ? ' (automatic promotion)' : by}`;
    default:
      return null;
  }
}
