import { screen, waitFor, within } from '@testing-library/react'
import { setupUser } from '../test/user'
import { describe, expect, it } from 'vitest'
import type { Me } from '../api/types'
import { json, mockFetch, problem } from '../test/fetchMock'
import { acme, clientMe, ownerMe } from '../test/fixtures'
import { renderApp } from '../test/render'

const location = () => screen.getByTestId('location').textContent
const detail = (({ people: _p, clients: _c, last_activity: _l, contact_email: _e, external_ref: _r, notes: _n, ...rest }) => rest)(acme)

const goneMe: Me = {
  ...clientMe,
  membership: { role: null, roles: [], account: null },
  permissions: [],
}

describe('client portal', () => {
  it('takes an account-level person from / to their account, without picker or firm pages', async () => {
    mockFetch({
      'GET /setup': json({ needed: false }),
      'GET /me': json(clientMe),
      'GET /accounts': json({ items: [{ ...acme, contact_email: undefined }], next_cursor: null }),
      'GET /accounts/acme-corporation': json(detail),
    })
    renderApp('/')
    expect(await screen.findByRole('heading', { name: 'Acme Corporation', level: 1 })).toBeInTheDocument()
    expect(location()).toBe('/acme-corporation')
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).queryByRole('link', { name: 'Home' })).not.toBeInTheDocument()
    expect(within(nav).queryByRole('link', { name: 'Client accounts' })).not.toBeInTheDocument()
    expect(within(nav).queryByRole('link', { name: 'Staff' })).not.toBeInTheDocument()
    expect(within(nav).queryByRole('link', { name: 'Outbox' })).not.toBeInTheDocument()
    expect(within(nav).queryByRole('link', { name: 'Plan & license' })).not.toBeInTheDocument()
    expect(within(nav).getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page')
    expect(screen.queryByRole('combobox', { name: 'Switch client account' })).not.toBeInTheDocument()
    // The firm's name in the header leads home, which is their account.
    expect(screen.getByRole('link', { name: 'Northwind: home' })).toHaveAttribute('href', '/')
  })

  it('shows a person whose membership is gone only a plain screen with a way out', async () => {
    let signedIn = true
    const m = mockFetch({
      'GET /setup': json({ needed: false }),
      'GET /auth/csrf': json({ token: 't' }),
      'GET /me': () => (signedIn ? json(goneMe) : problem(401, 'unauthenticated', '')),
      'POST /auth/logout': () => {
        signedIn = false
        return { status: 204 }
      },
    })
    const user = setupUser()
    renderApp('/acme-corporation/settings')
    const screenCard = await screen.findByTestId('no-membership')
    expect(screenCard).toHaveTextContent(
      'You no longer have access to Northwind. Ask your contact at Northwind if this is a mistake.',
    )
    expect(screen.getByRole('heading', { name: 'You no longer have access to Northwind' })).toBeInTheDocument()
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument()
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Account menu/ })).not.toBeInTheDocument()
    // Nothing of the account was asked for.
    expect(m.calls.filter((c) => c.path.startsWith('/accounts'))).toHaveLength(0)

    await user.click(screen.getByRole('button', { name: 'Sign out' }))
    expect(await screen.findByText('You have signed out.')).toBeInTheDocument()
    await waitFor(() => expect(location()).toBe('/login'))
  })

  it('lets a person of several firms switch from the user menu', async () => {
    const twoFirms: Me = {
      ...ownerMe,
      tenants: [
        { slug: 'northwind-automation', name: 'Northwind Automation' },
        { slug: 'contoso-rpa', name: 'Contoso RPA' },
      ],
    }
    const contosoMe: Me = {
      ...twoFirms,
      tenant: { ...ownerMe.tenant, id: 't2', slug: 'contoso-rpa', name: 'Contoso RPA' },
    }
    let current = twoFirms
    const m = mockFetch({
      'GET /setup': json({ needed: false }),
      'GET /auth/csrf': json({ token: 't' }),
      'GET /me': () => json(current),
      'GET /accounts': json({ items: [acme], next_cursor: null }),
      'GET /tenant/usage': json({ plan: 'trial', accounts_used: 1, accounts_limit: 10, accounts_deactivated: 0, people: 1, api_keys: 0, jobs: 0, license_state: 'none' }),
      'POST /me/tenant': () => {
        current = contosoMe
        return json(contosoMe)
      },
    })
    const user = setupUser()
    renderApp('/accounts')
    await user.click(await screen.findByRole('button', { name: /Account menu: Ada Lovelace/ }))
    const menu = await screen.findByRole('menu')
    expect(within(menu).getByText('Switch firm')).toBeInTheDocument()
    expect(within(menu).queryByRole('menuitem', { name: 'Switch to Northwind Automation' })).not.toBeInTheDocument()
    await user.click(within(menu).getByRole('menuitem', { name: 'Switch to Contoso RPA' }))
    expect(await screen.findByRole('link', { name: 'Contoso RPA: home' })).toBeInTheDocument()
    await waitFor(() => expect(location()).toBe('/'))
    expect(m.callsTo('POST /me/tenant')[0].body).toEqual({ tenant: 'contoso-rpa' })
  })

  it('offers no switch to a person of one firm', async () => {
    mockFetch({ 'GET /setup': json({ needed: false }), 'GET /me': json(ownerMe), 'GET /accounts': json({ items: [], next_cursor: null }) })
    const user = setupUser()
    renderApp('/accounts')
    await user.click(await screen.findByRole('button', { name: /Account menu: Ada Lovelace/ }))
    const menu = await screen.findByRole('menu')
    expect(within(menu).getByRole('menuitem', { name: 'Profile' })).toHaveAttribute('href', '/profile')
    expect(within(menu).queryByText('Switch firm')).not.toBeInTheDocument()
  })
})
