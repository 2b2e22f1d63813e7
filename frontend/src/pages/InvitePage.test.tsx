import { screen, waitFor, within } from '@testing-library/react'
import { fill, setupUser } from '../test/user'
import { describe, expect, it } from 'vitest'
import type { Invitation } from '../api/self'
import { json, mockFetch, problem } from '../test/fetchMock'
import { acme, clientMe, ownerMe } from '../test/fixtures'
import { mockLocation } from '../test/location'
import { renderApp } from '../test/render'

const location = () => screen.getByTestId('location').textContent

const accountInvite: Invitation = {
  email: 'wile@acme.example',
  role: 'client',
  account: { name: 'Acme Corporation' },
  tenant: { name: 'Northwind Automation', branding: { display_name: 'Northwind', color: '#aa3366', logo: '', support_email: '' } },
  expires_at: new Date(Date.now() + 6 * 86400_000).toISOString(),
  existing_user: false,
}

const staffInvite: Invitation = {
  ...accountInvite,
  email: 'grace@northwind.example',
  role: 'consultant',
  account: null,
  existing_user: true,
}

type Route = Parameters<typeof mockFetch>[0][string]

function routes(invite: Route, accept: Route = json({}), after = clientMe) {
  let signedIn = false
  const m = mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /auth/csrf': json({ token: 'anon' }),
    'GET /me': () => (signedIn ? json(after) : problem(401, 'unauthenticated', 'Sign in.')),
    'GET /invitations/tok-1': invite,
    'POST /invitations/tok-1/accept': async (call) => {
      const r = typeof accept === 'function' ? await accept(call) : (accept as { status?: number })
      if ((r.status ?? 200) === 200) signedIn = true
      return r as never
    },
    'GET /accounts': json({ items: [acme], next_cursor: null }),
    'GET /accounts/acme-corporation': json(acme),
    'POST /things': json({}),
  })
  return m
}

describe('invitation page', () => {
  it('shows a new person the firm, the account, their email and role, and signs them in', async () => {
    const m = routes(json(accountInvite), json({ user: clientMe.user, tenant: clientMe.tenant, csrf_token: 'session-tok' }))
    const user = setupUser()
    renderApp('/invite/tok-1')

    expect(await screen.findByRole('heading', { name: 'Join Acme Corporation' })).toBeInTheDocument()
    // Branded: the firm's display name, not Bureau's.
    expect(screen.getByText('Northwind')).toBeInTheDocument()
    expect(screen.getByText(/Northwind invited you to Acme Corporation/)).toBeInTheDocument()
    const email = screen.getByRole('textbox', { name: 'Email' })
    expect(email).toHaveValue('wile@acme.example')
    expect(email).toHaveAttribute('readonly')
    expect(screen.getByTestId('invite-role')).toHaveTextContent('Client')
    expect(screen.getByText(/^Read-only portal: dashboards, history, robots, schedules, shared reports/)).toBeInTheDocument()
    expect(screen.getByText(/expires in 6 days/)).toBeInTheDocument()
    expect(screen.getByText(/At least 15 characters/)).toBeInTheDocument()

    // Too short: said before anything is sent.
    await fill(user, screen.getByRole('textbox', { name: /Your name/ }), 'Wile E. Coyote')
    const pw = screen.getByLabelText(/Choose a password/, { selector: 'input' })
    await fill(user, pw, 'short')
    expect(screen.getByText('10 more characters needed.')).toBeInTheDocument()
    // The hint is the field's description: screen readers hear it with the field.
    expect(pw).toHaveAccessibleDescription(/10 more characters needed/)
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }))
    expect(screen.getByText(/Use at least 15 characters/)).toBeInTheDocument()
    expect(m.callsTo('POST /invitations/tok-1/accept')).toHaveLength(0)

    await user.clear(pw)
    await fill(user, pw, 'anvil rocket canyon mesa')
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }))

    // Signed in: the client lands on their account.
    await waitFor(() => expect(location()).toBe('/acme-corporation'))
    expect(await screen.findByRole('heading', { name: 'Acme Corporation', level: 1 })).toBeInTheDocument()
    expect(m.callsTo('POST /invitations/tok-1/accept')[0].body).toEqual({ name: 'Wile E. Coyote', password: 'anvil rocket canyon mesa' })
    // The session's token from the answer is used from now on.
    const { api } = await import('../api/client')
    await api.post('/things', {})
    expect(m.callsTo('POST /things')[0].headers['x-csrf-token']).toBe('session-tok')
  })

  it('puts the server’s field errors on the right inputs', async () => {
    routes(
      json(accountInvite),
      problem(422, 'validation_failed', 'Check the fields.', [
        { field: 'name', code: 'name_invalid', message: 'Use 1 to 100 characters.' },
        { field: 'password', code: 'password_too_common', message: 'This password is too common.' },
      ]),
    )
    const user = setupUser()
    renderApp('/invite/tok-1')
    await fill(user, await screen.findByRole('textbox', { name: /Your name/ }), 'Wile')
    await fill(user, screen.getByLabelText(/Choose a password/, { selector: 'input' }), 'password password password')
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }))
    expect(await screen.findByText('Use 1 to 100 characters.')).toBeInTheDocument()
    expect(screen.getByText('This password is too common.')).toBeInTheDocument()
    expect(screen.getByText('Long enough, but easy to guess.')).toBeInTheDocument()
    expect(screen.getByRole('textbox', { name: /Your name/ })).toHaveAttribute('aria-invalid', 'true')
    expect(location()).toBe('/invite/tok-1')
  })

  it('asks an existing user only for their Bureau password, and says when it is wrong', async () => {
    const m = routes(json(staffInvite), problem(401, 'invalid_credentials', 'Wrong password.'))
    const user = setupUser()
    renderApp('/invite/tok-1')
    expect(await screen.findByRole('heading', { name: 'Join Northwind as staff' })).toBeInTheDocument()
    expect(screen.getByTestId('invite-role')).toHaveTextContent('Consultant')
    expect(screen.getByText('Works inside every account, no firm settings.')).toBeInTheDocument()
    expect(screen.queryByRole('textbox', { name: /Your name/ })).not.toBeInTheDocument()
    expect(screen.queryByLabelText(/Choose a password/)).not.toBeInTheDocument()
    const pw = screen.getByLabelText(/Your Bureau password/, { selector: 'input' })
    expect(screen.getByRole('link', { name: 'Forgot password?' })).toHaveAttribute('href', '/forgot-password')

    await fill(user, pw, 'not my password')
    await user.click(screen.getByRole('button', { name: 'Accept invitation' }))
    expect(await screen.findByText(/That is not your Bureau password/)).toBeInTheDocument()
    expect(pw).toHaveValue('')
    expect(m.callsTo('POST /invitations/tok-1/accept')[0].body).toEqual({ name: '', password: 'not my password' })
  })

  it('signs an existing staff member in and takes them home', async () => {
    routes(json(staffInvite), json({ user: ownerMe.user, tenant: ownerMe.tenant, csrf_token: 's' }), ownerMe)
    const user = setupUser()
    renderApp('/invite/tok-1')
    await fill(user, await screen.findByLabelText(/Your Bureau password/, { selector: 'input' }), 'plum orbit canvas tundra{Enter}')
    expect(await screen.findByRole('link', { name: /Northwind Automation: home/ })).toBeInTheDocument()
    expect(location()).toBe('/')
    expect(await screen.findByText('Welcome to Northwind')).toBeInTheDocument()
  })

  it.each([
    ['invitation_expired', 410, 'This invitation has expired', /Ask whoever invited you to resend it/],
    ['invitation_used', 410, 'This invitation has already been accepted', /If you accepted it, sign in/],
    ['invitation_revoked', 410, 'This invitation is no longer valid', /ask whoever invited you to resend it/],
    ['not_found', 404, 'This invitation link does not work', /ask whoever invited you to send a new invitation/],
  ])('explains %s and what to do next', async (code, status, title, next) => {
    routes(problem(status, code, code === 'invitation_revoked' ? 'A newer invitation was sent to this address.' : 'Gone.'))
    renderApp('/invite/tok-1')
    expect(await screen.findByRole('heading', { name: title })).toBeInTheDocument()
    const card = screen.getByTestId('invitation-gone')
    expect(card).toHaveTextContent(next)
    expect(within(card).getByRole('link', { name: 'Go to sign in' })).toHaveAttribute('href', '/login')
    expect(screen.queryByRole('button', { name: 'Accept invitation' })).not.toBeInTheDocument()
    if (code === 'invitation_revoked') expect(card).toHaveTextContent('A newer invitation was sent to this address.')
    if (code === 'invitation_used') expect(within(card).getByRole('link', { name: 'Forgot password?' })).toBeInTheDocument()
  })

  it('turns into the expired page when the link dies before accepting', async () => {
    routes(json(staffInvite), problem(410, 'invitation_expired', 'Expired.'))
    const user = setupUser()
    renderApp('/invite/tok-1')
    await fill(user, await screen.findByLabelText(/Your Bureau password/, { selector: 'input' }), 'plum orbit canvas tundra{Enter}')
    expect(await screen.findByRole('heading', { name: 'This invitation has expired' })).toBeInTheDocument()
  })

  it('warns a person signed in as someone else', async () => {
    mockFetch({
      'GET /setup': json({ needed: false }),
      'GET /me': json(ownerMe),
      'GET /invitations/tok-1': json(accountInvite),
    })
    renderApp('/invite/tok-1')
    expect(
      await screen.findByText('You are signed in as ada@northwind.example. Accepting signs you in as wile@acme.example instead.'),
    ).toBeInTheDocument()
  })

  describe('single sign-on', () => {
    const ssoInvite: Invitation = {
      ...staffInvite,
      existing_user: false,
      tenant: { ...staffInvite.tenant, slug: 'northwind-automation' },
      sso: true,
      staff_passwords_enabled: true,
    }

    it('offers it next to the password form while staff passwords are on', async () => {
      const m = routes(json(ssoInvite))
      const { assign } = mockLocation()
      const user = setupUser()
      renderApp('/invite/tok-1')
      const sso = await screen.findByRole('button', { name: 'Accept with single sign-on' })
      // The password form stays, and stays the main way.
      expect(screen.getByRole('textbox', { name: /Your name/ })).toBeInTheDocument()
      expect(screen.getByLabelText(/Choose a password/, { selector: 'input' })).toBeInTheDocument()
      expect(screen.getByRole('button', { name: 'Accept invitation' })).toHaveAttribute('type', 'submit')
      expect(sso).toHaveAttribute('type', 'button')
      expect(screen.getByTestId('invite-sso')).toHaveTextContent(
        /organisation account, the one for grace@northwind\.example.*matches this invitation to that email address/,
      )

      await user.click(sso)
      expect(assign).toHaveBeenCalledWith('/api/v1/auth/oidc/northwind-automation/login')
      expect(m.callsTo('POST /invitations/tok-1/accept')).toHaveLength(0)
    })

    it('is the only way when the firm turned staff passwords off', async () => {
      const m = routes(json({ ...ssoInvite, existing_user: true, staff_passwords_enabled: false }))
      const { assign } = mockLocation()
      const user = setupUser()
      renderApp('/invite/tok-1')
      const sso = await screen.findByRole('button', { name: 'Accept with single sign-on' })
      expect(screen.getByRole('heading', { name: 'Join Northwind as staff' })).toBeInTheDocument()
      expect(screen.getByRole('textbox', { name: 'Email' })).toHaveValue('grace@northwind.example')
      // No password to give: the server would refuse it (409 sso_required).
      expect(screen.queryByRole('button', { name: 'Accept invitation' })).not.toBeInTheDocument()
      expect(screen.queryByRole('textbox', { name: /Your name/ })).not.toBeInTheDocument()
      expect(screen.queryByLabelText(/password/i, { selector: 'input' })).not.toBeInTheDocument()
      expect(screen.queryByText(/already has a Bureau account/)).not.toBeInTheDocument()
      expect(screen.getByTestId('invite-sso')).toHaveTextContent(
        /Northwind signs its staff in with single sign-on\..*organisation account.*matches this invitation to that email address/,
      )

      await user.click(sso)
      expect(assign).toHaveBeenCalledTimes(1)
      expect(assign).toHaveBeenCalledWith('/api/v1/auth/oidc/northwind-automation/login')
      // Enter in the form does the same, and never posts a password.
      screen.getByRole('textbox', { name: 'Email' }).focus()
      await user.keyboard('{Enter}')
      expect(assign).toHaveBeenCalledTimes(2)
      expect(m.callsTo('POST /invitations/tok-1/accept')).toHaveLength(0)
    })

    it('is not offered for a client invitation, nor without SSO', async () => {
      routes(json({ ...accountInvite, tenant: { ...accountInvite.tenant, slug: 'northwind-automation' }, sso: false }))
      renderApp('/invite/tok-1')
      expect(await screen.findByRole('button', { name: 'Accept invitation' })).toBeInTheDocument()
      expect(screen.queryByRole('button', { name: 'Accept with single sign-on' })).not.toBeInTheDocument()
    })

    it('points to it when accepting with a password is refused', async () => {
      routes(json(ssoInvite), problem(409, 'sso_required', 'Staff sign in with SSO.'))
      const user = setupUser()
      renderApp('/invite/tok-1')
      await fill(user, await screen.findByRole('textbox', { name: /Your name/ }), 'Grace Hopper')
      await fill(user, screen.getByLabelText(/Choose a password/, { selector: 'input' }), 'anvil rocket canyon mesa{Enter}')
      expect(await screen.findByRole('alert')).toHaveTextContent(/staff passwords are turned off\. Accept with single sign-on instead\./)
    })
  })
})
