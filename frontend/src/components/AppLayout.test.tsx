import { screen, waitFor, within } from '@testing-library/react'
import { setupUser } from '../test/user'
import { describe, expect, it } from 'vitest'
import { json, mockFetch, problem } from '../test/fetchMock'
import { acme, clientMe, ownerMe } from '../test/fixtures'
import { renderApp } from '../test/render'

const location = () => screen.getByTestId('location').textContent

describe('signed-in shell', () => {
  it('shows the firm, the navigation and the accounts to staff', async () => {
    mockFetch({
      'GET /setup': json({ needed: false }),
      'GET /me': json(ownerMe),
      'GET /accounts': json({ items: [acme, { ...acme, id: 'a2', slug: 'globex', name: 'Globex', status: 'deactivated' }], next_cursor: null }),
    })
    renderApp('/')
    expect(await screen.findByRole('link', { name: /Northwind Automation: home/ })).toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page')
    expect(within(nav).getByRole('link', { name: 'Client accounts' })).toBeInTheDocument()
    expect(within(nav).getByRole('link', { name: 'Plan & license' })).toHaveAttribute('href', '/settings/license')
    expect(screen.getByText('Trial plan')).toBeInTheDocument()

    const table = await screen.findByRole('table', { name: 'Client accounts' })
    expect(within(table).getByText('Acme Corporation')).toBeInTheDocument()
    expect(within(table).getByText('acme-corporation')).toBeInTheDocument()
    expect(within(table).getByText('Active')).toBeInTheDocument()
    expect(within(table).getByText('Deactivated')).toBeInTheDocument()
  })

  it('shows an account-level person only their account, without the plan', async () => {
    mockFetch({
      'GET /setup': json({ needed: false }),
      'GET /me': json(clientMe),
      'GET /accounts': json({ items: [acme], next_cursor: null }),
      'GET /accounts/acme-corporation': json(acme),
    })
    renderApp('/')
    // Branding display name wins over the tenant name.
    expect(await screen.findByRole('link', { name: /Northwind: home/ })).toBeInTheDocument()
    // Their home is their account (the client portal).
    expect(await screen.findByRole('heading', { name: 'Acme Corporation', level: 1 })).toBeInTheDocument()
    expect(screen.getByTestId('location').textContent).toBe('/acme-corporation')
    expect(screen.queryByText(/plan$/)).not.toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).queryByRole('link', { name: 'Plan & license' })).not.toBeInTheDocument()
    expect(within(nav).queryByRole('link', { name: 'Client accounts' })).not.toBeInTheDocument()
    // Their own account's pages are in the navigation.
    expect(await within(nav).findByRole('link', { name: 'Overview' })).toHaveAttribute('href', '/acme-corporation')
  })

  it('shows an empty state when there are no accounts', async () => {
    mockFetch({
      'GET /setup': json({ needed: false }),
      'GET /me': json(ownerMe),
      'GET /accounts': json({ items: [], next_cursor: null }),
    })
    renderApp('/accounts')
    expect(await screen.findByRole('heading', { name: 'No client accounts yet' })).toBeInTheDocument()
  })

  it('offers a retry when the accounts cannot be loaded', async () => {
    let fail = true
    mockFetch({
      'GET /setup': json({ needed: false }),
      'GET /me': json(ownerMe),
      'GET /accounts': () => (fail ? problem(500, 'internal', 'Something went wrong on our side.') : json({ items: [acme], next_cursor: null })),
    })
    const user = setupUser()
    renderApp('/accounts')
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('Something went wrong')
    fail = false
    await user.click(within(alert).getByRole('button', { name: 'Retry' }))
    const table = await screen.findByRole('table', { name: 'Client accounts' })
    expect(within(table).getByText('Acme Corporation')).toBeInTheDocument()
  })

  it('answers unknown deep links with a 404 page inside the shell', async () => {
    mockFetch({ 'GET /setup': json({ needed: false }), 'GET /me': json(ownerMe), 'GET /accounts': json({ items: [], next_cursor: null }) })
    renderApp('/no/such/page')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: /Back to home/ })).toHaveAttribute('href', '/')
    expect(screen.getByRole('navigation', { name: 'Main navigation' })).toBeInTheDocument()
  })

  it('signs out from the user menu, by keyboard', async () => {
    let signedIn = true
    const m = mockFetch({
      'GET /setup': json({ needed: false }),
      'GET /auth/csrf': json({ token: 't' }),
      'GET /me': () => (signedIn ? json(ownerMe) : problem(401, 'unauthenticated', '')),
      'GET /accounts': json({ items: [acme], next_cursor: null }),
      'POST /auth/logout': () => {
        signedIn = false
        return { status: 204 }
      },
    })
    const user = setupUser()
    renderApp('/accounts')
    const menuButton = await screen.findByRole('button', { name: /Account menu: Ada Lovelace/ })
    menuButton.focus()
    await user.keyboard('{Enter}')
    const menu = await screen.findByRole('menu')
    expect(within(menu).getByText('ada@northwind.example')).toBeInTheDocument()
    expect(within(menu).getByText('Tenant Admin')).toBeInTheDocument()
    const item = within(menu).getByRole('menuitem', { name: 'Sign out' })
    item.focus()
    await user.keyboard('{Enter}')

    expect(await screen.findByText('You have signed out.')).toBeInTheDocument()
    await waitFor(() => expect(location()).toBe('/login'))
    expect(m.callsTo('POST /auth/logout')[0].headers['x-csrf-token']).toBe('t')
  })
})
