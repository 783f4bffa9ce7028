/** The folder tree of prompt names (slashes make folders), pure. */

export type FolderNode = { path: string; name: string; count: number; children: FolderNode[] };

/** Folders only (a prompt is a leaf, not shown); `count` is the number of prompts beneath. */
export function folderTree(names: readonly string[]): FolderNode {
  const root: FolderNode = { path: '', name: '', count: 0, children: [] };
  for (const name of names) {
    root.count++;
    const parts = name.split('/').slice(0, -1);
    let node = root;
    let path = '';
    for (const part of parts) {
      path = path ? `${path}/${part}` : part;
      let child = node.children.find((c) => c.name === part);
      if (!child) {
        child = { path, name: part, count: 0, children: [] };
        node.children.push(child);
      }
      child.count++;
      node = child;
    }
  }
  const sort = (n: FolderNode) => {
    n.children.sort((a, b) => a.name.localeCompare(b.name));
    n.children.forEach(sort);
  };
  sort(root);
  return root;
}

/** Every tag with how many prompts carry it, most used first. */
export function tagCounts(prompts: readonly { tags: readonly string[] }[]): { tag: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const p of prompts) for (const t of p.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
}
