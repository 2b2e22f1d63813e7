import { screen, waitFor, within } from '@testing-library/react'
import { fill, setupUser, type User } from '../test/user'
import { describe, expect, it } from 'vitest'
import { json, mockFetch, problem } from '../test/fetchMock'
import { acme, ownerMe } from '../test/fixtures'
import { renderApp } from '../test/render'

const PASSWORD = 'plum orbit canvas tundra'

function setupRoutes(extra: Parameters<typeof mockFetch>[0] = {}) {
  return mockFetch({
    'GET /setup': json({ needed: true }),
    'GET /auth/csrf': json({ token: 'anon-token' }),
    'GET /me': problem(401, 'unauthenticated', 'Sign in.'),
    ...extra,
  })
}

const field = (name: RegExp) => screen.getByRole('textbox', { name })
const passwordField = () => screen.getByLabelText(/^Password/, { selector: 'input' })
const confirmField = () => screen.getByLabelText(/^Confirm password/, { selector: 'input' })
const location = () => screen.getByTestId('location').textContent

async function fillAll(user: User) {
  await fill(user, field(/^Firm name/), 'Northwind Automation')
  await user.click(screen.getByRole('button', { name: /Continue/ }))
  await fill(user, await screen.findByRole('textbox', { name: /^Your name/ }), 'Ada Lovelace')
  await fill(user, field(/^Email/), 'ada@northwind.example')
  await fill(user, passwordField(), PASSWORD)
  await fill(user, confirmField(), PASSWORD)
  await user.click(screen.getByRole('button', { name: /Continue/ }))
  await fill(user, await screen.findByRole('textbox', { name: /^Client name/ }), 'Acme Corporation')
  await user.click(screen.getByRole('button', { name: /Continue/ }))
  await screen.findByRole('heading', { name: 'Review and create' })
}

describe('setup wizard', () => {
  it('is where a fresh installation sends every page', async () => {
    setupRoutes()
    renderApp('/accounts')
    expect(await screen.findByRole('heading', { name: 'Set up Bureau' })).toBeInTheDocument()
    expect(location()).toBe('/setup')
  })

  it('fills the slug from the name until the slug is edited by hand', async () => {
    setupRoutes()
    const user = setupUser()
    renderApp('/setup')
    const name = await screen.findByRole('textbox', { name: /^Firm name/ })
    await fill(user, name, 'Société Générale')
    expect(field(/^Firm slug/)).toHaveValue('societe-generale')

    await user.clear(field(/^Firm slug/))
    await fill(user, field(/^Firm slug/), 'sg')
    await fill(user, name, ' Robotics')
    expect(field(/^Firm slug/)).toHaveValue('sg')
  })

  it('checks each step before moving on', async () => {
    const m = setupRoutes()
    const user = setupUser()
    renderApp('/setup')
    await screen.findByRole('textbox', { name: /^Firm name/ })
    await user.click(screen.getByRole('button', { name: /Continue/ }))
    expect(await screen.findByText("Enter your firm's name.")).toBeInTheDocument()
    expect(field(/^Firm name/)).toHaveAttribute('aria-invalid', 'true')

    await fill(user, field(/^Firm name/), 'Northwind')
    await user.clear(field(/^Firm slug/))
    await fill(user, field(/^Firm slug/), 'api')
    await user.click(screen.getByRole('button', { name: /Continue/ }))
    expect(await screen.findByText(/“api” is reserved/)).toBeInTheDocument()

    await user.clear(field(/^Firm slug/))
    await fill(user, field(/^Firm slug/), 'northwind')
    await user.click(screen.getByRole('button', { name: /Continue/ }))
    await fill(user, await screen.findByRole('textbox', { name: /^Your name/ }), 'Ada')
    await fill(user, field(/^Email/), 'ada@northwind.example')
    await fill(user, passwordField(), 'too short')
    await fill(user, confirmField(), 'different')
    await user.click(screen.getByRole('button', { name: /Continue/ }))
    expect(await screen.findByText(/Use at least 15 characters/)).toBeInTheDocument()
    expect(screen.getByText('The passwords do not match.')).toBeInTheDocument()
    expect(m.callsTo('POST /setup')).toHaveLength(0)
  })

  it('sends the form and puts server field errors on the right step and field', async () => {
    const m = setupRoutes({
      'POST /setup': problem(422, 'validation_failed', 'Check the highlighted fields.', [
        { field: 'owner_password', code: 'password_too_common', message: 'This password is too easy to guess.' },
        { field: 'tenant_slug', code: 'slug_reserved', message: 'This slug is taken by Bureau itself.' },
      ]),
    })
    const user = setupUser()
    renderApp('/setup')
    await screen.findByRole('textbox', { name: /^Firm name/ })
    await fillAll(user)

    const review = screen.getByRole('heading', { name: 'Review and create' }).closest('div')!
    expect(within(review.parentElement!).getByText('northwind-automation')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: /Create workspace/ }))

    // Back on the first step that has an error, with the server's message on the field.
    const slug = await screen.findByRole('textbox', { name: /^Firm slug/ })
    expect(slug).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByText('This slug is taken by Bureau itself.')).toBeInTheDocument()
    expect(slug).toHaveFocus()

    expect(m.callsTo('POST /setup')).toHaveLength(1)
    const sent = m.callsTo('POST /setup')[0]
    expect(sent.headers['x-csrf-token']).toBe('anon-token')
    expect(sent.body).toEqual({
      tenant_name: 'Northwind Automation',
      tenant_slug: 'northwind-automation',
      owner_name: 'Ada Lovelace',
      owner_email: 'ada@northwind.example',
      owner_password: PASSWORD,
      account_name: 'Acme Corporation',
      account_slug: 'acme-corporation',
    })

    // Fix the slug; the next step shows the password error from the server.
    await user.clear(slug)
    await fill(user, slug, 'northwind')
    await user.click(screen.getByRole('button', { name: /Continue/ }))
    expect(await screen.findByText('This password is too easy to guess.')).toBeInTheDocument()
    expect(passwordField()).toHaveAttribute('aria-invalid', 'true')
  })

  it('jumps to the client step when only the client fields are refused', async () => {
    setupRoutes({
      'POST /setup': problem(422, 'validation_failed', 'Check.', [
        { field: 'account_slug', code: 'slug_invalid', message: 'Use 2–50 lower-case letters.' },
      ]),
    })
    const user = setupUser()
    renderApp('/setup')
    await screen.findByRole('textbox', { name: /^Firm name/ })
    await fillAll(user)
    await user.click(screen.getByRole('button', { name: /Create workspace/ }))
    const slug = await screen.findByRole('textbox', { name: /^Client slug/ })
    expect(slug).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByText('Use 2–50 lower-case letters.')).toBeInTheDocument()
  })

  it('sends the person to sign in when somebody else finished setup first', async () => {
    setupRoutes({ 'POST /setup': problem(409, 'setup_done', 'Bureau is already set up.') })
    const user = setupUser()
    renderApp('/setup')
    await screen.findByRole('textbox', { name: /^Firm name/ })
    await fillAll(user)
    await user.click(screen.getByRole('button', { name: /Create workspace/ }))
    expect(await screen.findByText('Bureau is already set up. Sign in instead.')).toBeInTheDocument()
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeInTheDocument()
    expect(location()).toBe('/login')
  })

  it('lands signed in on the home page after success', async () => {
    let signedIn = false
    const m = setupRoutes({
      'POST /setup': () => {
        signedIn = true
        return json(
          {
            tenant: { id: 't1', slug: 'northwind-automation', name: 'Northwind Automation', plan: 'trial' },
            account: { id: 'a1', slug: 'acme-corporation', name: 'Acme Corporation', status: 'active' },
            user: { id: 'u1', email: 'ada@northwind.example', name: 'Ada Lovelace' },
            csrf_token: 'owner-token',
          },
          201,
        )
      },
      'GET /me': () => (signedIn ? json(ownerMe) : problem(401, 'unauthenticated', 'Sign in.')),
      'GET /accounts': json({ items: [acme], next_cursor: null }),
    })
    const user = setupUser()
    renderApp('/setup')
    await screen.findByRole('textbox', { name: /^Firm name/ })
    await fillAll(user)
    await user.click(screen.getByRole('button', { name: /Create workspace/ }))
    expect(await screen.findByRole('heading', { name: /Ada$/ })).toBeInTheDocument()
    expect(await screen.findByRole('cell', { name: /Acme Corporation/ })).toBeInTheDocument()
    await waitFor(() => expect(location()).toBe('/'))
    expect(m.callsTo('POST /setup')).toHaveLength(1)
  })
})
