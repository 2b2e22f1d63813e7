import { describe, expect, it } from 'vitest'
import { isMultiTenantIssuer, newRow, placeSsoErrors, ssoInput, validateSso, type SsoValues } from './ssoForm'

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
})
