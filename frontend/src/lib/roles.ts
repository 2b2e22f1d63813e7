import type { Role } from '../api/types'

/** What each role may do, in one line, for invitations and role pickers. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  tenant_admin: 'Everything: firm settings, staff, plan, and every client account.',
  consultant: 'Works inside every client account; no firm settings or staff.',
  account_admin: 'Full control of the account: settings, connection, people and runs.',
  account_user: 'Sees the processes assigned to them, with their jobs and schedules.',
  client: 'A read-only view of the account: dashboards, run history, robots and schedules.',
}

export function roleDescription(role: Role | null | undefined): string {
  return role ? (ROLE_DESCRIPTIONS[role] ?? '') : ''
}
