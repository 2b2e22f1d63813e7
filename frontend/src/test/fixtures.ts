import type { Account, Me } from '../api/types'

export const ownerMe: Me = {
  user: { id: 'u1', email: 'ada@northwind.example', name: 'Ada Lovelace' },
  tenant: {
    id: 't1',
    slug: 'northwind-automation',
    name: 'Northwind Automation',
    plan: 'trial',
    branding: { display_name: '', color: '', logo: '', support_email: '' },
  },
  membership: { role: 'tenant_admin', account: null },
  permissions: ['tenant:read', 'tenant:update', 'accounts:list', 'accounts:create', 'account:read'],
}

export const clientMe: Me = {
  user: { id: 'u2', email: 'wile@acme.example', name: 'Wile E. Coyote' },
  tenant: { ...ownerMe.tenant, branding: { display_name: 'Northwind', color: '#aa3366' } },
  membership: { role: 'client', account: { slug: 'acme-corporation', name: 'Acme Corporation' } },
  permissions: ['accounts:list', 'account:read'],
}

export const acme: Account = {
  id: 'a1',
  slug: 'acme-corporation',
  name: 'Acme Corporation',
  status: 'active',
  created_at: '2026-11-24T10:00:00Z',
}
