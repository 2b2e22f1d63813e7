import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { json, mockFetch, problem } from '../test/fetchMock'
import { acme, ownerMe } from '../test/fixtures'
import { renderApp } from '../test/render'
import { fill, setupUser, type User } from '../test/user'

// The setup wizard's "Add sample data" option: off unless chosen, then sent as sample_data.

const PASSWORD = 'plum orbit canvas tundra'

function routes() {
  let signedIn = false
  return mockFetch({
    'GET /setup': json({ needed: true }),
    'GET /auth/csrf': json({ token: 'anon-token' }),
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
}

/** toClientStep fills the first two steps and stops on the client step. */
async function toClientStep(user: User) {
  await fill(user, await screen.findByRole('textbox', { name: /^Firm name/ }, { timeout: 10_000 }), 'Northwind Automation')
  await user.click(screen.getByRole('button', { name: /Continue/ }))
  await fill(user, await screen.findByRole('textbox', { name: /^Your name/ }), 'Ada Lovelace')
  await fill(user, screen.getByRole('textbox', { name: /^Email/ }), 'ada@northwind.example')
  await fill(user, screen.getByLabelText(/^Password/, { selector: 'input' }), PASSWORD)
  await fill(user, screen.getByLabelText(/^Confirm password/, { selector: 'input' }), PASSWORD)
  await user.click(screen.getByRole('button', { name: /Continue/ }))
  await fill(user, await screen.findByRole('textbox', { name: /^Client name/ }), 'Acme Corporation')
}

describe('setup wizard sample data', { timeout: 30_000 }, () => {
  it('is off by default and then not sent', async () => {
    const m = routes()
    const user = setupUser()
    renderApp('/setup')
    await toClientStep(user)
    const option = screen.getByRole('switch', { name: /^Add sample data/ })
    expect(option).not.toBeChecked()
    expect(option).toHaveAccessibleDescription(/Three demo clients with a simulated RPA estate, so you can explore dashboards right away/)
    await user.click(screen.getByRole('button', { name: /Continue/ }))
    const review = (await screen.findByRole('heading', { name: 'Review and create' })).parentElement!
    expect(within(review).getByText('Sample data').nextElementSibling).toHaveTextContent('None')
    await user.click(screen.getByRole('button', { name: /Create workspace/ }))
    await waitFor(() => expect(m.callsTo('POST /setup')).toHaveLength(1))
    expect(m.callsTo('POST /setup')[0].body).not.toHaveProperty('sample_data')
  })

  it('sends sample_data when chosen, and says so on the review step', async () => {
    const m = routes()
    const user = setupUser()
    renderApp('/setup')
    await toClientStep(user)
    await user.click(screen.getByRole('switch', { name: /^Add sample data/ }))
    expect(screen.getByRole('switch', { name: /^Add sample data/ })).toBeChecked()
    await user.click(screen.getByRole('button', { name: /Continue/ }))
    const review = (await screen.findByRole('heading', { name: 'Review and create' })).parentElement!
    expect(within(review).getByText('Sample data').nextElementSibling).toHaveTextContent('Three demo clients')
    await user.click(screen.getByRole('button', { name: /Create workspace/ }))
    await waitFor(() => expect(m.callsTo('POST /setup')).toHaveLength(1))
    expect(m.callsTo('POST /setup')[0].body).toMatchObject({ account_slug: 'acme-corporation', sample_data: true })
    expect(await screen.findByText(/three demo clients to explore/)).toBeInTheDocument()
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/'))
  })
})
