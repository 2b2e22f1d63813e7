import { screen, waitFor, within } from '@testing-library/react'
import { fill, setupUser } from '../test/user'
import { describe, expect, it } from 'vitest'
import type { Session } from '../api/self'
import type { Me } from '../api/types'
import { json, mockFetch, problem } from '../test/fetchMock'
import { ownerMe } from '../test/fixtures'
import { renderApp } from '../test/render'

const location = () => screen.getByTestId('location').textContent
const ago = (mins: number) => new Date(Date.now() - mins * 60_000).toISOString()
const tenant = { slug: 'northwind-automation', name: 'Northwind Automation' }

const sessions: Session[] = [
  {
    id: 's-here',
    current: true,
    ip: '203.0.113.7',
    user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    auth_method: 'password',
    created_at: ago(90),
    last_seen_at: ago(0),
    tenant,
  },
  {
    id: 's-phone',
    current: false,
    ip: '198.51.100.23',
    user_agent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    auth_method: 'password',
    created_at: ago(60 * 26),
    last_seen_at: ago(180),
    tenant,
  },
  {
    id: 's-pc',
    current: false,
    ip: '192.0.2.44',
    user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
    auth_method: 'password',
    created_at: ago(60 * 24 * 3),
    last_seen_at: ago(60 * 24 * 2),
    tenant,
  },
]

function routes(me: Me = ownerMe, over: Parameters<typeof mockFetch>[0] = {}) {
  let live = [...sessions]
  const m = mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /me': json(me),
    'GET /auth/csrf': json({ token: 't' }),
    'GET /me/sessions': () => json({ items: live, next_cursor: null }),
    'DELETE /me/sessions/s-phone': () => {
      live = live.filter((s) => s.id !== 's-phone')
      return { status: 204 }
    },
    'DELETE /me/sessions/s-pc': () => {
      live = live.filter((s) => s.id !== 's-pc')
      return { status: 204 }
    },
    ...over,
  })
  return m
}

const sessionsTable = () => screen.findByRole('table', { name: 'Your sessions' })

describe('profile', () => {
  it('is in the user menu, and shows who the person is', async () => {
    routes()
    const user = setupUser()
    renderApp('/')
    await user.click(await screen.findByRole('button', { name: /Account menu: Ada Lovelace/ }))
    await user.click(await screen.findByRole('menuitem', { name: 'Profile' }))
    expect(await screen.findByRole('heading', { name: 'Your profile', level: 1 })).toBeInTheDocument()
    expect(location()).toBe('/profile')
    expect(screen.getByText('ada@northwind.example')).toBeInTheDocument()
    expect(screen.getByText('Your email cannot be changed.')).toBeInTheDocument()
    expect(screen.getByText('Tenant Admin at Northwind Automation')).toBeInTheDocument()
  })

  it('lists the sessions readably, marks this device, and signs one out', async () => {
    const m = routes()
    const user = setupUser()
    renderApp('/profile')
    const table = await sessionsTable()
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows).toHaveLength(3)
    expect(rows[0]).toHaveTextContent('Chrome on macOS')
    expect(within(rows[0]).getByText('This device')).toBeInTheDocument()
    expect(rows[0]).toHaveTextContent('203.0.113.7')
    expect(rows[1]).toHaveTextContent('Safari on iPhone')
    expect(rows[1]).toHaveTextContent('3 hours ago')
    expect(within(rows[1]).queryByText('This device')).not.toBeInTheDocument()
    expect(rows[2]).toHaveTextContent('Firefox on Windows')

    await user.click(within(rows[1]).getByRole('button', { name: /^Sign out Safari on iPhone/ }))
    expect(await screen.findByText('Session signed out')).toBeInTheDocument()
    expect(m.callsTo('DELETE /me/sessions/s-phone')).toHaveLength(1)
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3))
  })

  it('signs out every other session, never this one', async () => {
    const m = routes()
    const user = setupUser()
    renderApp('/profile')
    await sessionsTable()
    await user.click(screen.getByRole('button', { name: 'Sign out all other sessions' }))
    expect(await screen.findByText('Other sessions signed out')).toBeInTheDocument()
    expect(m.callsTo('DELETE /me/sessions/s-phone')).toHaveLength(1)
    expect(m.callsTo('DELETE /me/sessions/s-pc')).toHaveLength(1)
    expect(m.calls.filter((c) => c.path === '/me/sessions/s-here')).toHaveLength(0)
    await waitFor(() => expect(screen.getByText('You are signed in on this device only.')).toBeInTheDocument())
    expect(screen.getByRole('button', { name: 'Sign out all other sessions' })).toBeDisabled()
  })

  it('puts the server’s answers on the password fields', async () => {
    let reply = problem(422, 'validation_failed', 'Check the fields.', [
      { field: 'current_password', code: 'password_incorrect', message: 'Your current password is not correct.' },
    ])
    const m = routes(ownerMe, { 'POST /me/password': () => reply })
    const user = setupUser()
    renderApp('/profile')
    const current = await screen.findByLabelText(/^Current password/, { selector: 'input' })
    const fresh = screen.getByLabelText(/^New password/, { selector: 'input' })
    const confirm = screen.getByLabelText(/^Confirm new password/, { selector: 'input' })

    // Checked here first.
    await user.click(screen.getByRole('button', { name: 'Change password' }))
    expect(screen.getByText('Enter your current password.')).toBeInTheDocument()
    expect(screen.getByText('Choose a new password.')).toBeInTheDocument()
    expect(m.callsTo('POST /me/password')).toHaveLength(0)

    await fill(user, current, 'wrong one')
    await fill(user, fresh, 'meadow copper lantern')
    await fill(user, confirm, 'meadow copper lantern')
    await user.click(screen.getByRole('button', { name: 'Change password' }))
    expect(await screen.findByText('Your current password is not correct.')).toBeInTheDocument()
    expect(current).toHaveAttribute('aria-invalid', 'true')
    expect(current).toHaveValue('')
    expect(current).toHaveFocus()
    expect(m.callsTo('POST /me/password')[0].body).toEqual({ current_password: 'wrong one', new_password: 'meadow copper lantern' })

    reply = problem(422, 'validation_failed', 'Check the fields.', [
      { field: 'new_password', code: 'password_too_common', message: 'This password is too common.' },
    ])
    await fill(user, current, 'plum orbit canvas tundra')
    await user.click(screen.getByRole('button', { name: 'Change password' }))
    expect(await screen.findByText('This password is too common.')).toBeInTheDocument()
    expect(fresh).toHaveAttribute('aria-invalid', 'true')
    expect(screen.queryByText('Your current password is not correct.')).not.toBeInTheDocument()

    reply = { status: 204 } as never
    await user.clear(fresh)
    await fill(user, fresh, 'meadow copper lantern rises')
    await user.clear(confirm)
    await fill(user, confirm, 'meadow copper lantern rises')
    await user.click(screen.getByRole('button', { name: 'Change password' }))
    expect(await screen.findByText('Password changed')).toBeInTheDocument()
    expect(fresh).toHaveValue('')
  })

  it('has no password form for a person who signs in with SSO', async () => {
    routes({ ...ownerMe, has_password: false, auth_method: 'oidc' })
    renderApp('/profile')
    expect(await screen.findByRole('heading', { name: 'Password' })).toBeInTheDocument()
    expect(screen.getByText(/single sign-on, so you have no Bureau password/)).toBeInTheDocument()
    expect(screen.queryByLabelText(/^Current password/)).not.toBeInTheDocument()
    expect(screen.getByText('Single sign-on')).toBeInTheDocument()
  })
})
