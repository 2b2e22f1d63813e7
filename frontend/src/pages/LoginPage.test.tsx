import { screen, waitFor } from '@testing-library/react'
import { fill, setupUser } from '../test/user'
import { describe, expect, it } from 'vitest'
import { json, mockFetch, problem } from '../test/fetchMock'
import { acme, ownerMe } from '../test/fixtures'
import { renderApp } from '../test/render'

const location = () => screen.getByTestId('location').textContent
const emailField = () => screen.getByRole('textbox', { name: /^Email/ })
const passwordField = () => screen.getByLabelText(/^Password/, { selector: 'input' })

function loginRoutes(loginReply: Parameters<typeof mockFetch>[0][string]) {
  let signedIn = false
  const m = mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /auth/csrf': json({ token: 'anon' }),
    'GET /me': () => (signedIn ? json(ownerMe) : problem(401, 'unauthenticated', 'Sign in.')),
    'GET /accounts': json({ items: [acme], next_cursor: null }),
    'POST /auth/login': (call) => {
      const r = typeof loginReply === 'function' ? (loginReply as (c: typeof call) => { status?: number })(call) : loginReply
      if ((r as { status?: number }).status === 200) signedIn = true
      return r as never
    },
  })
  return m
}

describe('sign-in page', () => {
  it('says "Email or password is incorrect." for wrong credentials, and nothing more', async () => {
    loginRoutes(problem(401, 'invalid_credentials', 'The email or password is wrong (server text).'))
    const user = setupUser()
    renderApp('/login')
    await fill(user, await screen.findByRole('textbox', { name: /^Email/ }), 'ada@northwind.example')
    await fill(user, passwordField(), 'not the right password')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('Email or password is incorrect.')
    expect(alert).not.toHaveTextContent('server text')
    // The password is cleared for the next try; the email stays.
    expect(passwordField()).toHaveValue('')
    expect(emailField()).toHaveValue('ada@northwind.example')
    expect(location()).toBe('/login')
  })

  it('shows the rate limit with the seconds from Retry-After and blocks the button', async () => {
    loginRoutes(problem(429, 'rate_limited', 'Too many requests.', undefined, { 'Retry-After': '30' }))
    const user = setupUser()
    renderApp('/login')
    await fill(user, await screen.findByRole('textbox', { name: /^Email/ }), 'ada@northwind.example')
    await fill(user, passwordField(), 'whatever it is here')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 30 seconds.')
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled()
  })

  it('asks for missing fields without calling the server', async () => {
    const m = loginRoutes(json({}, 200))
    const user = setupUser()
    renderApp('/login')
    await screen.findByRole('textbox', { name: /^Email/ })
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(screen.getByText('Enter your email address.')).toBeInTheDocument()
    expect(screen.getByText('Enter your password.')).toBeInTheDocument()
    expect(m.callsTo('POST /auth/login')).toHaveLength(0)
  })

  it('signs in with Enter and returns to the remembered deep link', async () => {
    const m = loginRoutes(json({ user: ownerMe.user, tenant: ownerMe.tenant, csrf_token: 'session' }, 200))
    const user = setupUser()
    renderApp('/accounts')
    // Not signed in: sent to /login with the page remembered.
    await screen.findByRole('heading', { name: 'Sign in' })
    expect(location()).toBe('/login?next=%2Faccounts')

    await fill(user, emailField(), 'ada@northwind.example')
    await fill(user, passwordField(), 'plum orbit canvas tundra{Enter}')
    expect(await screen.findByRole('heading', { name: /Client accounts/ })).toBeInTheDocument()
    await waitFor(() => expect(location()).toBe('/accounts'))
    expect(m.callsTo('POST /auth/login')[0].body).toEqual({
      email: 'ada@northwind.example',
      password: 'plum orbit canvas tundra',
    })
  })

  it('never follows a next link off the site', async () => {
    loginRoutes(json({ user: ownerMe.user, tenant: ownerMe.tenant, csrf_token: 'session' }, 200))
    const user = setupUser()
    renderApp('/login?next=%2F%2Fevil.example%2Fx')
    await fill(user, await screen.findByRole('textbox', { name: /^Email/ }), 'ada@northwind.example')
    await fill(user, passwordField(), 'plum orbit canvas tundra{Enter}')
    await waitFor(() => expect(location()).toBe('/'))
  })

  it('goes to the setup wizard while setup is needed', async () => {
    mockFetch({ 'GET /setup': json({ needed: true }), 'GET /me': problem(401, 'unauthenticated', '') })
    renderApp('/login')
    expect(await screen.findByRole('heading', { name: 'Set up Bureau' })).toBeInTheDocument()
    expect(location()).toBe('/setup')
  })
})
