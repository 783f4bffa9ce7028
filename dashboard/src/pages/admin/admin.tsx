/**
 * The Admin area (/ui/admin/<section>): members, invitations, API keys, protected labels, model
 * prices and the audit log, one section at a time beside a section menu. Loaded on demand (not part
 * of the first page's JavaScript). Sections that only an ADMIN may read say so to everyone else;
 * the others show, with every action a role may not use disabled and the reason beside it.
 */
import type { ComponentType } from 'react';
import { Link, useParams } from 'wouter';
import { useWorkspace } from '../../workspace';
import { cannotAdminister } from '../../lib/permissions';
import { ApiKeysSection } from './api-keys';
import { AuditLogSection } from './audit-log';
import { InvitationsSection } from './invitations';
import { MembersSection } from './members';
import { ModelPricesSection } from './model-prices';
import { ProtectedLabelsSection } from './protected-labels';

type Section = { slug: string; title: string; component: ComponentType; adminOnly: boolean };

const SECTIONS: Section[] = [
  { slug: 'members', title: 'Members', component: MembersSection, adminOnly: true },
  { slug: 'invitations', title: 'Invitations', component: InvitationsSection, adminOnly: true },
  { slug: 'api-keys', title: 'API keys', component: ApiKeysSection, adminOnly: false },
  { slug: 'protected-labels', title: 'Protected labels', component: ProtectedLabelsSection, adminOnly: false },
  { slug: 'model-prices', title: 'Model prices', component: ModelPricesSection, adminOnly: false },
  { slug: 'audit-log', title: 'Audit log', component: AuditLogSection, adminOnly: true },
];

export default function AdminPage() {
  const params = useParams<{ '*': string }>();
  const { me } = useWorkspace();
  const slug = (params['*'] ?? '').split('/')[0] || 'members';
  const section = SECTIONS.find((s) => s.slug === slug);
  const blocked = section?.adminOnly ? cannotAdminister(me.role, `The ${section.title.toLowerCase()} page`) : null;
  const Body = section?.component;
  return (
    <div className="admin-layout">
      <nav className="admin-nav" aria-label="Admin sections">
        <h1 className="admin-title">Admin</h1>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.slug}>
              <Link href={`/admin/${s.slug}`} className={`admin-link${s.slug === slug ? ' active' : ''}`} aria-current={s.slug === slug ? 'page' : undefined}>
                {s.title}
                {s.adminOnly && me.role !== 'ADMIN' && <span className="sr-only"> (needs the ADMIN role)</span>}
                {s.adminOnly && me.role !== 'ADMIN' && (
                  <span className="lock" aria-hidden="true" title="Needs the ADMIN role">
                    ADMIN
                  </span>
                )}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section className="admin-body" aria-labelledby="admin-section-title">
        {!section || !Body ? (
          <>
            <h2 id="admin-section-title">No such admin page</h2>
            <p>
              <Link href="/admin/members">Go to the members</Link>
            </p>
          </>
        ) : (
          <>
            <h2 id="admin-section-title">{section.title}</h2>
            {blocked ? (
              <div className="card" data-testid="admin-blocked">
                <p className="reason" data-testid="disabled-reason">
                  {blocked}
                </p>
                <p className="muted">Ask an ADMIN of this workspace if you need it.</p>
              </div>
            ) : (
              <Body />
            )}
          </>
        )}
      </section>
    </div>
  );
}
