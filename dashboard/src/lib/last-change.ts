/** "What changed last, and who": the newer of the latest version and the latest label move (pure). */

type Input = {
  latestVersion?: { number: number; createdAt: string; createdBy: { name: string } } | null;
  labelHistory: readonly { label: string; at: string; actor: { name: string }; toVersion?: { number: number } | null }[];
  updatedAt: string;
};

export type LastChange = { what: string; who: string | null; at: string };

export function lastChange(p: Input): LastChange {
  const move = p.labelHistory[0];
  const version = p.latestVersion;
  const moveAt = move ? Date.parse(move.at) : -Infinity;
  const versionAt = version ? Date.parse(version.createdAt) : -Infinity;
  if (move && moveAt >= versionAt)
    return { what: move.toVersion ? `${move.label} → v${move.toVersion.number}` : `${move.label} removed`, who: move.actor.name, at: move.at };
  if (version) return { what: `v${version.number} created`, who: version.createdBy.name, at: version.createdAt };
  return { what: 'created', who: null, at: p.updatedAt };
}
