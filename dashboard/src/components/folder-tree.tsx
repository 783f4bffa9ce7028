/** Folders from prompt names (`support/classifier` sits in `support`); choosing one filters the list. */
import type { FolderNode } from '../lib/folders';

export function FolderTree({ root, selected, onSelect }: { root: FolderNode; selected: string; onSelect: (path: string) => void }) {
  return (
    <nav aria-label="Folders" className="tree">
      <ul role="list">
        <li>
          <button className={`tree-item ${selected === '' ? 'active' : ''}`} aria-current={selected === '' ? 'true' : undefined} onClick={() => onSelect('')}>
            <span>All prompts</span>
            <span className="count">{root.count}</span>
          </button>
        </li>
        {root.children.map((c) => (
          <Branch key={c.path} node={c} depth={0} selected={selected} onSelect={onSelect} />
        ))}
      </ul>
    </nav>
  );
}

function Branch({ node, depth, selected, onSelect }: { node: FolderNode; depth: number; selected: string; onSelect: (path: string) => void }) {
  const active = selected === node.path;
  return (
    <li>
      <button
        className={`tree-item ${active ? 'active' : ''}`}
        style={{ paddingLeft: `${0.5 + depth * 0.9}rem` }}
        aria-current={active ? 'true' : undefined}
        onClick={() => onSelect(node.path)}
        data-testid={`folder-${node.path}`}
      >
        <span>
          <span aria-hidden="true" className="folder-icon">
            ▸
          </span>
          {node.name}/
        </span>
        <span className="count">{node.count}</span>
      </button>
      {node.children.length > 0 && (
        <ul role="list">
          {node.children.map((c) => (
            <Branch key={c.path} node={c} depth={depth + 1} selected={selected} onSelect={onSelect} />
          ))}
        </ul>
      )}
    </li>
  );
}
