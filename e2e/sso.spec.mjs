// Staff single sign-on against a stand-alone identity provider process
// (bin/devoidc): the Tenant Admin configures SSO, a consultant clicks
// "Use single sign-on", passes the provider's page and lands signed in
// with the role their group maps to.

import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { api, openPage, screenshot, startProvider, useBureau, visible } from './harness.mjs'

const FIRM = { name: 'Northwind Automation', slug: 'northwind' }
const OWNER = { name: 'Ada Lovelace', email: 'ada@northwind.example' }
const PASSWORD = 'plum orbit canvas tundra 47'
const KEN = { email: 'ken@northwind.example', group: 'bureau-consultants' }

describe('staff single sign-on', () => {
  const ctx = useBureau()
  let provider
  before(async () => {
    provider = await startProvider({ email: KEN.email, groups: KEN.group })
  })
  after(async () => {
    await provider?.stop()
  })

  test('the Tenant Admin sets up the firm and its SSO', async () => {
    const { page } = ctx.tab
    await page.goto('/login')
    const setup = await api(page, 'POST', '/setup', {
      tenant_name: FIRM.name, tenant_slug: FIRM.slug, owner_name: OWNER.name, owner_email: OWNER.email,
      owner_password: PASSWORD, account_name: 'Acme Corporation', account_slug: 'acme',
    })
    assert.equal(setup.status, 201)
    const sso = await api(page, 'PUT', '/tenant/sso', {
      issuer: provider.issuer, client_id: provider.client_id, client_secret: provider.client_secret,
      allowed_domains: ['northwind.example'], group_roles: { [KEN.group]: 'consultant', 'bureau-admins': 'tenant_admin' },
    })
    assert.equal(sso.status, 200)
    await page.goto('/settings/sso')
    await visible(page.getByRole('heading', { name: 'Single sign-on', level: 1 }))

    // A test sign-in: through the provider and back, signing nobody in.
    await page.getByRole('button', { name: 'Test sign-in' }).first().click()
    await visible(page.getByRole('heading', { name: 'Dev identity provider' }))
    await page.getByRole('button', { name: `Continue as ${KEN.email}` }).click()
    await page.waitForURL((u) => u.pathname === '/settings/sso' && u.searchParams.has('test'))
    await visible(page.getByText(`Test sign-in worked: ${KEN.email} would sign in as Consultant`))
    await screenshot(page, 'sso-settings')
    const me = await api(page, 'GET', '/me')
    assert.equal(me.body.user.email, OWNER.email, 'the test signed nobody in')
    ctx.tab.assertClean()
  })

  test('a consultant signs in through the provider and lands with their role', async () => {
    const ken = await openPage(ctx.browser, ctx.server)
    try {
      const { page } = ken
      await page.goto('/login')
      await page.getByRole('button', { name: 'Use single sign-on (SSO)' }).click()
      await page.getByLabel('Firm').fill(FIRM.slug)
      await screenshot(page, 'sso-login')
      await page.getByRole('button', { name: 'Continue', exact: true }).click()
      await visible(page.getByRole('heading', { name: 'Dev identity provider' }))
      await page.getByRole('button', { name: `Continue as ${KEN.email}` }).click()
      await page.waitForURL((u) => u.origin === ctx.server.url && !u.pathname.startsWith('/login'))
      const me = await api(page, 'GET', '/me')
      assert.equal(me.status, 200)
      assert.equal(me.body.membership.role, 'consultant')
      assert.equal(me.body.auth_method, 'oidc')
      assert.equal(me.body.user.email, KEN.email)
      await visible(page.getByText('Consultant').first())
      ken.assertClean()
    } finally {
      await ken.close()
    }
  })
})
