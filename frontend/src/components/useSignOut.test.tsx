import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { LAST_TENANT_KEY } from '../lib/lastTenant'
import { json, mockFetch, problem } from '../test/fetchMock'
import { acme, ownerMe } from '../test/fixtures'
import { mockLocation } from '../test/location'
import { renderApp } from '../test/render'
import { setupUser, type User } from '../test/user'

const location = () => screen.getByTestId('location').textContent

function routes(logoutReply: { status?: number; body?: unknown }) {
  let signedIn = true
  return mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /auth/csrf': json({ token: 't' }),
    'GET /me': () => (signedIn ? json({ ...ownerMe, auth_method: 'oidc' }) : problem(401, 'unauthenticated', '')),
    'GET /accounts': json({ items: [acme], next_cursor: null }),
    'POST /auth/logout': () => {
      signedIn = false
      // What the answer's Clear-Site-Data: "cookies", "storage" does in a browser.
      localStorage.clear()
      return logoutReply
    },
  })
}

async function signOut(user: User) {
  await user.click(await screen.findByRole('button', { name: /Account menu: Ada Lovelace/ }))
  await user.click(within(await screen.findByRole('menu')).getByRole('menuitem', { name: 'Sign out' }))
}

describe('signing out', () => {
  it('sends a person from SSO to the provider’s sign-out page, with nothing of the session left', async () => {
    const m = routes(json({ end_session_url: 'https://login.example/logout?post_logout_redirect_uri=https%3A%2F%2Fbureau.example%2Flogin' }))
    const { assign } = mockLocation()
    const user = setupUser()
    const { queryClient } = renderApp('/accounts')
    expect(await screen.findByRole('table', { name: 'Client accounts' })).toBeInTheDocument()
    await signOut(user)

    await waitFor(() =>
      expect(assign).toHaveBeenCalledWith('https://login.example/logout?post_logout_redirect_uri=https%3A%2F%2Fbureau.example%2Flogin'),
    )
    expect(assign).toHaveBeenCalledTimes(1)
    expect(m.callsTo('POST /auth/logout')[0].headers['x-csrf-token']).toBe('t')
    // Not the sign-in page: the browser is on its way out.
    expect(await screen.findByText('Signing you out…')).toBeInTheDocument()
    expect(location()).toBe('/accounts')
    expect(screen.queryByRole('heading', { name: 'Sign in' })).not.toBeInTheDocument()
    expect(screen.queryByRole('table', { name: 'Client accounts' })).not.toBeInTheDocument()
    // Local state is gone; only the firm is kept for the next sign-in with SSO.
    expect(queryClient.getQueryData(['me'])).toBeNull()
    expect(queryClient.getQueryData(['accounts'])).toBeUndefined()
    expect(localStorage.getItem(LAST_TENANT_KEY)).toBe('northwind-automation')
  })

  it('goes to the sign-in page after a plain sign-out (204)', async () => {
    routes({ status: 204 })
    const { assign } = mockLocation()
    const user = setupUser()
    renderApp('/accounts')
    await signOut(user)
    expect(await screen.findByText('You have signed out.')).toBeInTheDocument()
    await waitFor(() => expect(location()).toBe('/login'))
    expect(assign).not.toHaveBeenCalled()
  })

  it('treats an already ended session (401) as signed out', async () => {
    routes(problem(401, 'unauthenticated', 'Sign in.'))
    const { assign } = mockLocation()
    const user = setupUser()
    renderApp('/accounts')
    await signOut(user)
    expect(await screen.findByText('You have signed out.')).toBeInTheDocument()
    await waitFor(() => expect(location()).toBe('/login'))
    expect(assign).not.toHaveBeenCalled()
  })
})
