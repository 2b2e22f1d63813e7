import { describe, expect, it } from 'vitest'
import type { SsoTestResult } from '../api/tenantSettings'
import {
  isMultiTenantIssuer,
  mappingOf,
  newRow,
  placeSsoErrors,
  ssoInput,
  ssoTestAdvice,
  ssoTestUrl,
  testRefusal,
  validateSso,
  withMapping,
  type SsoValues,
} from './ssoForm'

const values = (over: Partial<SsoValues> = {}): SsoValues => ({
  issuer: 'https://login.microsoftonline.com/0b9a5f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/v2.0/',
  client_id: ' app ',
  client_secret: '',
  secret_action: 'keep',
  allowed_domains: ['@Northwind.Example'],
  groups_claim: '',
  group_roles: [newRow(' g1 ', 'tenant_admin')],
  entra_tenant_ids: ['0b9a5f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b'],
  ...over,
})

describe('sso form', () => {
  it('knows Entra’s multi-tenant issuers', () => {
    expect(isMultiTenantIssuer('https://login.microsoftonline.com/organizations/v2.0')).toBe(true)
    expect(isMultiTenantIssuer('https://login.microsoftonline.com/common/v2.0/')).toBe(true)
    expect(isMultiTenantIssuer('https://login.microsoftonline.com/0b9a5f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/v2.0')).toBe(false)
    expect(isMultiTenantIssuer('https://idp.example/common/v2.0')).toBe(false)
  })

  it('builds the PUT body: cleaned, secret only when it changes', () => {
    const body = ssoInput(values())
    expect(body).toEqual({
      issuer: 'https://login.microsoftonline.com/0b9a5f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/v2.0',
      client_id: 'app',
      allowed_domains: ['northwind.example'],
      groups_claim: 'groups',
      group_roles: { g1: 'tenant_admin' },
      entra_tenant_ids: [],
    })
    expect(ssoInput(values({ secret_action: 'remove' })).client_secret).toBe('')
    expect(ssoInput(values({ client_secret: 'new', secret_action: 'remove' })).client_secret).toBe('new')
  })

  it('catches empty and repeated mapping rows before the server does', () => {
    const a = newRow('g1')
    const b = newRow('g1 ')
    const c = newRow('')
    const e = validateSso(values({ group_roles: [a, b, c] }))
    expect(e.rowValue[a.id]).toBeUndefined()
    expect(e.rowValue[b.id]).toMatch(/mapped twice/)
    expect(e.rowValue[c.id]).toMatch(/Enter a group/)
  })

  it('names the list entry a server error is about', () => {
    const v = values()
    const sent = { ...ssoInput(v), allowed_domains: ['a.example', 'bad'] }
    const { errors, unplaced } = placeSsoErrors(
      { 'allowed_domains[1]': 'Enter a domain like consultancy.example.', 'group_roles.g1': 'Too long.', other: 'Something else.' },
      {},
      sent,
      v,
    )
    expect(errors.allowed_domains).toBe('“bad”: Enter a domain like consultancy.example.')
    expect(errors.rowValue[v.group_roles[0].id]).toBe('Too long.')
    expect(unplaced).toEqual(['Something else.'])
  })

  it('builds the test sign-in URL', () => {
    expect(ssoTestUrl('northwind-automation')).toBe('/api/v1/auth/oidc/northwind-automation/login?test=1')
  })

  it('maps a received group: a new row, the blank row, or the row already holding it', () => {
    const a = newRow('g1', 'consultant')
    expect(mappingOf([a, newRow(' '), newRow(' g2 ', 'tenant_admin'), newRow('g1', 'tenant_admin')])).toEqual({ g1: 'consultant', g2: 'tenant_admin' })

    const added = withMapping([a], 'g2', 'tenant_admin')
    expect(added.rows.map((r) => [r.value, r.role])).toEqual([['g1', 'consultant'], ['g2', 'tenant_admin']])
    expect(added.rows[1].id).toBe(added.id)

    const blank = newRow('')
    const filled = withMapping([a, blank], 'g2', 'consultant')
    expect(filled.rows.map((r) => [r.value, r.role])).toEqual([['g1', 'consultant'], ['g2', 'consultant']])
    expect(filled.id).toBe(blank.id)

    const changed = withMapping([a], ' g1', 'tenant_admin')
    expect(changed.rows).toEqual([{ ...a, role: 'tenant_admin' }])
    expect(changed.id).toBe(a.id)
  })

  it('knows when a test that mapped would still be refused', () => {
    const r: SsoTestResult = { ok: true, email: 'Ada@Northwind.Example', groups: ['g'], role: 'consultant', at: '' }
    expect(testRefusal(r, { allowed_domains: ['northwind.example'] })).toBeNull()
    expect(testRefusal(r, { allowed_domains: [] })).toBeNull()
    expect(testRefusal(r, { allowed_domains: ['partner.example'] })).toMatch(/“northwind.example” is not one of the allowed email domains/)
    expect(testRefusal({ ...r, email: '' }, { allowed_domains: [] })).toMatch(/no email address/)
    expect(testRefusal({ ...r, ok: false, code: 'sso_no_role' }, { allowed_domains: ['partner.example'] })).toBeNull()
  })

  it('says what to do after a failed test', () => {
    expect(ssoTestAdvice('sso_no_role', 'groups', 2)).toMatch(/^Map one of these groups below/)
    expect(ssoTestAdvice('sso_no_role', 'roles', 0)).toMatch(/nothing in the “roles” claim/)
    expect(ssoTestAdvice('sso_exchange_failed', 'groups', 0)).toMatch(/\(client\) id and the client secret/)
    expect(ssoTestAdvice('sso_group_overage', 'groups', 0)).toMatch(/app roles/)
    expect(ssoTestAdvice('sso_something_new', 'groups', 0)).toMatch(/Check the settings below/)
  })
})
