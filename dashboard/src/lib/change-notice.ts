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
    default:
      return null;
  }
}
