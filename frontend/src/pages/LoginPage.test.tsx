import { screen, waitFor } from '@testing-library/react'
import { fill, setupUser } from '../test/user'
import { describe, expect, it } from 'vitest'
import { json, mockFetch, problem } from '../test/fetchMock'
import { acme, ownerMe } from '../test/fixtures'
import { mockLocation } from '../test/location'
import { renderApp } from '../test/render'
import { LAST_TENANT_KEY } from '../lib/lastTenant'
import { SSO_ERRORS } from './LoginPage'

const location = () => screen.getByTestId('location').textContent
const emailField = () => screen.getByRole('textbox', { name: /^Email/ })
const passwordField = () => screen.getByLabelText(/^Password/, { selector: 'input' })
const firmField = () => screen.getByRole('textbox', { name: /^Firm/ })
const SSO_BUTTON = 'Use single sign-on (SSO)'

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

  it('remembers the firm of whoever signs in, for the next sign-in with SSO', async () => {
    loginRoutes(json({ user: ownerMe.user, tenant: ownerMe.tenant, csrf_token: 'session' }, 200))
    const user = setupUser()
    renderApp('/login')
    await fill(user, await screen.findByRole('textbox', { name: /^Email/ }), 'ada@northwind.example')
    await fill(user, passwordField(), 'plum orbit canvas tundra{Enter}')
    await waitFor(() => expect(location()).toBe('/'))
    expect(localStorage.getItem(LAST_TENANT_KEY)).toBe('northwind-automation')
  })
})

describe('sign-in with single sign-on', () => {
  it('reveals the firm field and goes to the firm’s identity provider', async () => {
    const m = loginRoutes(json({}, 200))
    const { assign } = mockLocation()
    const user = setupUser()
    renderApp('/login')
    await screen.findByRole('textbox', { name: /^Email/ })
    expect(screen.queryByRole('textbox', { name: /^Firm/ })).not.toBeInTheDocument()
    // Secondary, and never mistaken for the password form's button.
    expect(screen.getAllByRole('button', { name: /sign in/i }).map((b) => b.textContent)).toEqual(['Sign in'])

    await user.click(screen.getByRole('button', { name: SSO_BUTTON }))
    expect(firmField()).toHaveValue('')
    expect(firmField()).toHaveFocus()
    expect(screen.queryByRole('button', { name: SSO_BUTTON })).not.toBeInTheDocument()

    // Nothing to go to yet.
    await user.click(screen.getByRole('button', { name: 'Continue' }))
    expect(screen.getByText('Enter your firm’s short name in Bureau.')).toBeInTheDocument()
    expect(assign).not.toHaveBeenCalled()

    await fill(user, firmField(), ' Northwind-Automation {Enter}')
    expect(assign).toHaveBeenCalledTimes(1)
    expect(assign).toHaveBeenCalledWith('/api/v1/auth/oidc/northwind-automation/login')
    // A browser navigation, not an API call; the password form sent nothing.
    expect(m.calls.filter((c) => c.path.includes('oidc'))).toHaveLength(0)
    expect(m.callsTo('POST /auth/login')).toHaveLength(0)
  })

  it('encodes the firm into the path', async () => {
    loginRoutes(json({}, 200))
    const { assign } = mockLocation()
    const user = setupUser()
    renderApp('/login')
    await user.click(await screen.findByRole('button', { name: SSO_BUTTON }))
    await fill(user, firmField(), 'a/b?c')
    await user.click(screen.getByRole('button', { name: 'Continue' }))
    expect(assign).toHaveBeenCalledWith('/api/v1/auth/oidc/a%2Fb%3Fc/login')
  })

  it('prefills the firm from ?tenant=', async () => {
    loginRoutes(json({}, 200))
    const { assign } = mockLocation()
    const user = setupUser()
    localStorage.setItem(LAST_TENANT_KEY, 'remembered-firm')
    renderApp('/login?tenant=contoso-rpa')
    await user.click(await screen.findByRole('button', { name: SSO_BUTTON }))
    expect(firmField()).toHaveValue('contoso-rpa')
    await user.click(screen.getByRole('button', { name: 'Continue' }))
    expect(assign).toHaveBeenCalledWith('/api/v1/auth/oidc/contoso-rpa/login')
  })

  it('prefills the firm last signed in to on this browser', async () => {
    loginRoutes(json({}, 200))
    const user = setupUser()
    localStorage.setItem(LAST_TENANT_KEY, 'northwind-automation')
    renderApp('/login')
    await user.click(await screen.findByRole('button', { name: SSO_BUTTON }))
    expect(firmField()).toHaveValue('northwind-automation')
  })

  const cases: Array<[string, RegExp]> = [
    ['sso_not_configured', /not set up for this firm.*Check the firm.*email and password/],
    ['sso_state_invalid', /expired.*another browser.*Try again/],
    ['sso_no_role', /none of your groups.*Ask a Tenant Admin.*map one of your groups/],
    ['sso_domain_not_allowed', /email domain.*ask a Tenant Admin to allow your domain/],
    ['sso_account_member', /firm’s staff.*Client people sign in with their email and password/],
    ['sso_group_overage', /Too many groups.*app roles.*fewer groups/],
    ['sso_tenant_not_allowed', /organisation is not allowed.*directory/],
    ['sso_email_missing', /No email address.*email claim/],
    ['sso_exchange_failed', /could not be completed.*Try again/],
    ['sso_token_invalid', /could not be verified.*Try again/],
    ['sso_provider_unreachable', /did not answer.*Try again in a moment/],
    ['sso_cancelled', /cancelled.*Try again, or sign in with your email and password/],
    ['sso_failed', /did not work.*Try again/],
    ['sso_something_new', /Single sign-on did not work.*Try again/],
  ]

  it('explains every code the server sends back', () => {
    // The table covers each code the server knows, and nothing else.
    expect(Object.keys(SSO_ERRORS).sort()).toEqual(cases.map(([c]) => c).filter((c) => c !== 'sso_something_new').sort())
  })

  it.each(cases)('explains %s, with the firm prefilled to try again', async (code, text) => {
    loginRoutes(json({}, 200))
    mockLocation()
    renderApp(`/login?sso_error=${code}&tenant=northwind-automation`)
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent(text)
    expect(alert).toHaveTextContent(`Reference: ${code}`)
    // The single sign-on part is open, with the firm it was for.
    expect(firmField()).toHaveValue('northwind-automation')
    expect(screen.getByRole('button', { name: 'Continue' })).toBeInTheDocument()
    // The password form stays available.
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument()
  })

  it('points staff whose firm turned passwords off to single sign-on', async () => {
    const m = loginRoutes(
      problem(403, 'password_login_disabled', 'Staff sign in with single sign-on. Use “Sign in with SSO”.'),
    )
    const { assign } = mockLocation()
    const user = setupUser()
    localStorage.setItem(LAST_TENANT_KEY, 'northwind-automation')
    renderApp('/login')
    await fill(user, await screen.findByRole('textbox', { name: /^Email/ }), 'ada@northwind.example')
    await fill(user, passwordField(), 'plum orbit canvas tundra{Enter}')

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Your firm’s staff sign in with single sign-on: passwords are turned off. Continue with single sign-on below.',
    )
    expect(m.callsTo('POST /auth/login')).toHaveLength(1)
    await waitFor(() => expect(firmField()).toHaveFocus())
    expect(firmField()).toHaveValue('northwind-automation')
    expect(passwordField()).toHaveValue('')
    await user.keyboard('{Enter}')
    expect(assign).toHaveBeenCalledWith('/api/v1/auth/oidc/northwind-automation/login')
  })
})
