import type { AccountListItem, Me, Usage } from '../api/types'

export const ownerMe: Me = {
  user: { id: 'u1', email: 'ada@northwind.example', name: 'Ada Lovelace' },
  tenant: {
    id: 't1',
    slug: 'northwind-automation',
    name: 'Northwind Automation',
    plan: 'trial',
    branding: { display_name: '', color: '', logo: '', support_email: '' },
  },
  membership: { role: 'tenant_admin', roles: ['tenant_admin'], account: null },
  auth_method: 'password',
  has_password: true,
  tenants: [{ slug: 'northwind-automation', name: 'Northwind Automation' }],
  permissions: [
    'tenant:read',
    'tenant:update',
    'tenant:usage',
    'tenant:license',
    'accounts:list',
    'accounts:create',
    'account:read',
    'account:update',
    'account:rename',
    'account:lifecycle',
    'settings:read',
    'settings:update',
    'members:manage',
    'staff:manage',
    'tenant:outbox',
  ],
}

export const clientMe: Me = {
  user: { id: 'u2', email: 'wile@acme.example', name: 'Wile E. Coyote' },
  tenant: { ...ownerMe.tenant, branding: { display_name: 'Northwind', color: '#aa3366' } },
  membership: { role: 'client', roles: ['client'], account: { slug: 'acme-corporation', name: 'Acme Corporation' } },
  permissions: ['accounts:list', 'account:read'],
  auth_method: 'password',
  has_password: true,
  tenants: [{ slug: 'northwind-automation', name: 'Northwind Automation' }],
}

/** A consultant: works in every account, no lifecycle, no renaming, no license. */
export const consultantMe: Me = {
  ...ownerMe,
  user: { id: 'u3', email: 'grace@northwind.example', name: 'Grace Hopper' },
  membership: { role: 'consultant', roles: ['consultant'], account: null },
  permissions: ['tenant:read', 'tenant:usage', 'accounts:list', 'account:read', 'account:update', 'settings:read', 'settings:update'],
}

export const acme: AccountListItem = {
  id: 'a1',
  slug: 'acme-corporation',
  name: 'Acme Corporation',
  status: 'active',
  created_at: '2026-11-24T10:00:00Z',
  updated_at: '2026-11-24T10:00:00Z',
  deactivated_at: null,
  contact_email: 'it@acme.example',
  external_ref: 'CRM-1042',
  notes: '',
  people: 4,
  clients: 2,
  last_activity: '2026-11-24T10:00:00Z',
}

/** account makes a list item from a few fields. */
export function account(fields: Partial<AccountListItem> & { slug: string; name: string }): AccountListItem {
  return { ...acme, id: `id-${fields.slug}`, ...fields }
}

export const trialUsage: Usage = {
  plan: 'trial',
  accounts_used: 3,
  accounts_limit: 10,
  accounts_deactivated: 1,
  people: 12,
  api_keys: 0,
  jobs: 0,
  db_bytes: 4_404_019,
  license_state: 'none',
}
