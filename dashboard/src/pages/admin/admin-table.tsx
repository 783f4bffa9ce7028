/** An admin section's list: loading, failed (with Retry), empty (with what to do), or its table, the columns named and a last one for the row's actions. */
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { queryState } from '../../components/query-state';

type Column = string | { label: string; className: string };

export function AdminTable(props: {
  result: { fetching: boolean; error?: CombinedError; data?: unknown };
  /** What loads, for "Loading …". */
  what: string;
  retry: () => void;
  rowCount: number;
  empty: ReactNode;
  testId: string;
  columns: Column[];
  children: ReactNode;
}) {
  const waiting = queryState(props.result, { what: props.what, retry: props.retry });
  if (waiting) return waiting;
  if (props.rowCount === 0)
    return (
      <p className="state" data-testid="empty">
        {props.empty}
      </p>
    );
  return (
    <div className="table-wrap">
      <table className="admin-table" data-testid={props.testId}>
        <thead>
          <tr>
            {props.columns.map((c) =>
              typeof c === 'string' ? (
                <th key={c} scope="col">
                  {c}
                </th>
              ) : (
                <th key={c.label} scope="col" className={c.className}>
                  {c.label}
                </th>
              ),
            )}
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
