/** A <select> of roles (weakest first), e.g. every role or only those up to the caller's. */
import { ROLES, type RoleName } from '../../lib/permissions';

type Props = { value: string; onChange: (role: RoleName) => void; roles?: readonly RoleName[]; 'aria-label'?: string; 'data-testid'?: string };

export function RoleSelect({ value, onChange, roles = ROLES, ...rest }: Props) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as RoleName)} {...rest}>
      {roles.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}
