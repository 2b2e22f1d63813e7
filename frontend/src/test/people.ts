import type { Group, Member } from '../api/people'
import type { Me } from '../api/types'
import { acme, ownerMe, trialUsage } from './fixtures'
import { json, mockFetch } from './fetchMock'

// Fixtures for the people pages (issue 4): an Account Admin of Acme, its
// members in every state, and its groups.

const HOUR = 3_600_000
const DAY = 24 * HOUR
export const ago = (ms: number) => new Date(Date.now() - ms).toISOString()
export const ahead = (ms: number) => new Date(Date.now() + ms).toISOString()

/** Wile administers Acme; he is in the members list himself. */
export const accountAdminMe: Me = {
  ...ownerMe,
  user: { id: 'u10', email: 'wile@acme.example', name: 'Wile E. Coyote' },
  membership: { ...ownerMe.membership, role: 'account_admin', account: { slug: 'acme-corporation', name: 'Acme Corporation' } },
  permissions: ['accounts:list', 'account:read', 'settings:read', 'settings:update', 'members:manage'],
}

/** A Tenant Admin who may also read the outbox. */
export const peopleOwnerMe: Me = {
  ...ownerMe,
  permissions: [...ownerMe.permissions, 'members:manage', 'staff:manage', 'tenant:outbox'],
}

export const wile: Member = {
  user_id: 'u10',
  invitation_id: null,
  email: 'wile@acme.example',
  name: 'Wile E. Coyote',
  role: 'account_admin',
  groups: [{ id: 'g2', name: 'Administrators' }],
  status: 'active',
  last_active: ago(2 * HOUR),
  invited_at: null,
  expires_at: null,
}

export const road: Member = {
  user_id: 'u11',
  invitation_id: null,
  email: 'road@acme.example',
  name: 'Road Runner',
  role: 'account_user',
  groups: [
    { id: 'g3', name: 'Finance' },
    { id: 'g4', name: 'Operations' },
  ],
  status: 'active',
  last_active: null,
  invited_at: null,
  expires_at: null,
}

export const pendingInvitee: Member = {
  user_id: 'u12',
  invitation_id: 'i1',
  email: 'pending@acme.example',
  name: '',
  role: 'client',
  groups: [{ id: 'g3', name: 'Finance' }],
  status: 'pending',
  last_active: null,
  invited_at: ago(DAY),
  expires_at: ahead(6 * DAY),
}

export const expiredInvitee: Member = {
  user_id: 'u13',
  invitation_id: 'i2',
  email: 'late@acme.example',
  name: '',
  role: 'account_user',
  groups: [],
  status: 'expired',
  last_active: null,
  invited_at: ago(9 * DAY),
  expires_at: ago(2 * DAY),
}

export const members: Member[] = [road, wile, expiredInvitee, pendingInvitee]

const created = '2026-11-24T10:00:00Z'

export const everyone: Group = {
  id: 'g1',
  name: 'Everyone',
  role: null,
  builtin: 'everyone',
  member_count: 4,
  members: members.map((m) => ({ user_id: m.user_id, name: m.name, email: m.email })),
  created_at: created,
}

export const administrators: Group = {
  id: 'g2',
  name: 'Administrators',
  role: 'account_admin',
  builtin: 'administrators',
  member_count: 1,
  members: [{ user_id: 'u10', name: 'Wile E. Coyote', email: 'wile@acme.example' }],
  created_at: created,
}

export const finance: Group = {
  id: 'g3',
  name: 'Finance',
  role: 'account_user',
  builtin: null,
  member_count: 2,
  members: [
    { user_id: 'u11', name: 'Road Runner', email: 'road@acme.example' },
    { user_id: 'u12', name: '', email: 'pending@acme.example' },
  ],
  created_at: created,
}

export const operations: Group = {
  id: 'g4',
  name: 'Operations',
  role: null,
  builtin: null,
  member_count: 1,
  members: [{ user_id: 'u11', name: 'Road Runner', email: 'road@acme.example' }],
  created_at: created,
}

export const groups: Group[] = [everyone, administrators, finance, operations]

const detail = (({ people: _p, clients: _c, last_activity: _l, ...rest }) => rest)(acme)

type Routes = Parameters<typeof mockFetch>[0]

/** peopleRoutes mocks the API for the people pages of Acme, as `me`. */
export function peopleRoutes(me: Me = accountAdminMe, over: Routes = {}) {
  return mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /me': json(me),
    'GET /auth/csrf': json({ token: 't' }),
    'GET /accounts': json({ items: [acme], next_cursor: null }),
    'GET /tenant/usage': json(trialUsage),
    'GET /accounts/acme-corporation': json(detail),
    'GET /accounts/acme-corporation/members': json({ items: members, next_cursor: null }),
    'GET /accounts/acme-corporation/groups': json({ items: groups, next_cursor: null }),
    ...over,
  })
}
