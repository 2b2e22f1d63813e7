// The one place roles are named and explained (SPEC §2). Every badge, menu,
// role picker and invitation uses these; nothing else spells a role out.

import type { Role } from '../api/types'

/** What each role is called. */
export const ROLE_LABELS: Record<Role, string> = {
  tenant_admin: 'Tenant Admin',
  consultant: 'Consultant',
  account_admin: 'Account Admin',
  account_user: 'Account User',
  client: 'Client',
}

/** What each role may do, in one line, wherever a role is chosen or offered. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  tenant_admin: 'Everything, including firm settings, staff, licence and account lifecycle.',
  consultant: 'Works inside every account, no firm settings.',
  account_admin: 'Full control of their account: settings, connection, members, groups, API keys, runs, approvals.',
  account_user: 'View only, and only the processes assigned to them.',
  client: 'Read-only portal: dashboards, history, robots, schedules, shared reports; may trigger a manual run and rotate the connection’s secret.',
}

/** roleLabel names a role: "Tenant Admin"; "No role" when there is none. */
export function roleLabel(role: Role | null | undefined): string {
  if (!role) return 'No role'
  return ROLE_LABELS[role] ?? role
}

/** roleDescription is the role's one-line explanation; '' when there is none. */
export function roleDescription(role: Role | null | undefined): string {
  return role ? (ROLE_DESCRIPTIONS[role] ?? '') : ''
}
