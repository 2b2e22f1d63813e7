import { screen, waitFor, within } from '@testing-library/react'
import { fill, setupUser } from '../test/user'
import { describe, expect, it } from 'vitest'
import { json, mockFetch, problem } from '../test/fetchMock'
import { consultantMe, ownerMe, trialUsage } from '../test/fixtures'
import { renderApp } from '../test/render'

const noLicense = { plan: 'trial', accounts_limit: 10, state: 'none' }

function routes(over: Record<string, Parameters<typeof mockFetch>[0][string]> = {}, me = ownerMe) {
  return mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /me': json(me),
    'GET /auth/csrf': json({ token: 't' }),
    'GET /accounts': json({ items: [], next_cursor: null }),
    'GET /tenant/usage': json(trialUsage),
    'GET /tenant/license': json(noLicense),
    ...over,
  })
}

describe('plan & license page', () => {
  it('shows the plan, its usage and the counts in human units', async () => {
    routes()
    renderApp('/settings/license')
    expect(await screen.findByRole('heading', { name: 'Plan & license', level: 1 })).toBeInTheDocument()
    expect(await screen.findByTestId('accounts-usage')).toHaveTextContent('3 of 10 active client accounts')
    expect(screen.getByRole('progressbar', { name: '3 of 10 active accounts used' })).toBeInTheDocument()
    expect(screen.getByText('4.2 MB')).toBeInTheDocument()
    expect(screen.getByText('Room to grow')).toBeInTheDocument()
    expect(screen.getByText('7 more accounts can be created. Deactivated accounts don’t count.')).toBeInTheDocument()
    expect(await screen.findByTestId('license-state')).toHaveTextContent('No license')
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).getByRole('link', { name: 'Plan & license' })).toHaveAttribute('aria-current', 'page')
  })

  it('makes a full plan plain', async () => {
    routes({ 'GET /tenant/usage': json({ ...trialUsage, accounts_used: 10 }) })
    renderApp('/settings/license')
    expect(await screen.findByText('Limit reached')).toBeInTheDocument()
    expect(screen.getByText(/No account can be created or reactivated until one is deactivated/)).toBeInTheDocument()
  })

  it('shows an expired license with its message and date', async () => {
    routes({
      'GET /tenant/usage': json({ ...trialUsage, plan: 'starter', accounts_limit: 1, license_state: 'expired' }),
      'GET /tenant/license': json({
        plan: 'starter',
        accounts_limit: 1,
        state: 'expired',
        message: 'The license expired on 2026-01-31; the starter plan applies.',
        tenant: 'northwind',
        max_accounts: 40,
        issued: '2025-01-01',
        expires: '2026-01-31',
      }),
    })
    renderApp('/settings/license')
    expect(await screen.findByTestId('license-state')).toHaveTextContent('Expired')
    expect(await screen.findByText('The license expired on 2026-01-31; the starter plan applies.')).toBeInTheDocument()
    expect(screen.getByText('northwind')).toBeInTheDocument()
  })

  it('puts a refused license’s error on the field', async () => {
    const m = routes({
      'PUT /tenant/license': problem(422, 'validation_failed', 'Check the license.', [
        { field: 'license', code: 'license_invalid', message: 'This license could not be verified.' },
      ]),
    })
    const user = setupUser()
    renderApp('/settings/license')
    const field = await screen.findByLabelText('License file')
    await user.click(screen.getByRole('button', { name: 'Upload license' }))
    expect(screen.getByText(/Paste the license file/)).toBeInTheDocument()
    expect(m.callsTo('PUT /tenant/license')).toHaveLength(0)

    await fill(user, field, 'garbage')
    await user.click(screen.getByRole('button', { name: 'Upload license' }))
    expect(await screen.findByText('This license could not be verified.')).toBeInTheDocument()
    expect(field).toHaveAttribute('aria-invalid', 'true')
    await waitFor(() => expect(field).toHaveFocus())
    expect(m.callsTo('PUT /tenant/license')[0].body).toEqual({ license: 'garbage' })
  })

  it('installs a valid license and says what it gives', async () => {
    const installed = { plan: 'consulting', accounts_limit: 40, state: 'valid', tenant: 'northwind', max_accounts: 40, issued: '2026-11-01', expires: '2027-12-31' }
    const m = routes({ 'PUT /tenant/license': json(installed) })
    const user = setupUser()
    renderApp('/settings/license')
    const field = await screen.findByLabelText('License file')
    await fill(user, field, 'Bureau license\ntenant: northwind')
    await user.click(screen.getByRole('button', { name: 'Upload license' }))
    expect(await screen.findByText(/Your firm is on the Consulting plan: up to 40 active client accounts/)).toBeInTheDocument()
    expect(field).toHaveValue('')
    expect(screen.getByTestId('license-state')).toHaveTextContent('Valid')
    // The plan shown everywhere comes from /me: it is asked again.
    await waitFor(() => expect(m.callsTo('GET /me').length).toBeGreaterThan(1))
  })

  it('shows a consultant the plan but no upload', async () => {
    const m = routes({}, consultantMe)
    renderApp('/settings/license')
    expect(await screen.findByTestId('accounts-usage')).toBeInTheDocument()
    expect(screen.queryByLabelText('License file')).not.toBeInTheDocument()
    expect(screen.getByText('Only a Tenant Admin can upload a license.')).toBeInTheDocument()
    expect(m.callsTo('GET /tenant/license')).toHaveLength(0)
  })
})
