import { describe, expect, it } from 'vitest'
import type { Role } from '../api/types'
import { ROLE_DESCRIPTIONS, ROLE_LABELS, roleDescription, roleLabel } from './roles'

const ALL: Role[] = ['tenant_admin', 'consultant', 'account_admin', 'account_user', 'client']

describe('roles', () => {
  it('labels roles', () => {
    expect(roleLabel('tenant_admin')).toBe('Tenant Admin')
    expect(roleLabel('consultant')).toBe('Consultant')
    expect(roleLabel('account_admin')).toBe('Account Admin')
    expect(roleLabel('account_user')).toBe('Account User')
    expect(roleLabel('client')).toBe('Client')
    expect(roleLabel(null)).toBe('No role')
    expect(roleLabel(undefined)).toBe('No role')
  })
  it('explains every role in one line, in the SPEC’s words', () => {
    for (const r of ALL) {
      expect(ROLE_LABELS[r]).toBeTruthy()
      expect(roleDescription(r)).toBe(ROLE_DESCRIPTIONS[r])
      expect(ROLE_DESCRIPTIONS[r]).not.toMatch(/\n/)
    }
    expect(roleDescription('account_admin')).toMatch(/^Full control of their account: settings, connection, members, groups, API keys, runs, approvals/)
    expect(roleDescription('account_user')).toMatch(/^View only, and only the processes assigned to them/)
    expect(roleDescription('client')).toMatch(/^Read-only portal: .*may trigger a manual run and rotate the connection’s secret/)
    expect(roleDescription('tenant_admin')).toMatch(/^Everything, including firm settings, staff, licence and account lifecycle/)
    expect(roleDescription('consultant')).toMatch(/^Works inside every account, no firm settings/)
    expect(roleDescription(null)).toBe('')
  })
})
