import { screen, waitFor, within } from '@testing-library/react'
import { fill, setupUser } from '../../test/user'
import { describe, expect, it } from 'vitest'
import type { Me } from '../../api/types'
import { json, mockFetch, problem } from '../../test/fetchMock'
import { acme, clientMe, consultantMe, ownerMe, trialUsage } from '../../test/fixtures'
import { renderApp } from '../../test/render'

const location = () => screen.getByTestId('location').textContent
const settings = { beta_features: true, approval_timeout_seconds: 86400, require_run_approval: false, sync_interval: '5m' }
const detail = (({ people: _p, clients: _c, last_activity: _l, ...rest }) => rest)(acme)
const deactivated = { ...detail, status: 'deactivated' as const, deactivated_at: '2026-11-25T09:00:00Z' }

function routes(me: Me, over: Record<string, Parameters<typeof mockFetch>[0][string]> = {}) {
  return mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /me': json(me),
    'GET /auth/csrf': json({ token: 't' }),
    'GET /accounts': json({ items: [acme], next_cursor: null }),
    'GET /tenant/usage': json(trialUsage),
    'GET /accounts/acme-corporation': json(detail),
    'GET /accounts/acme-corporation/settings': json(settings),
    ...over,
  })
}

describe('account overview', () => {
  it('shows staff the account, its firm-only details, counts and lifecycle actions', async () => {
    routes(ownerMe, { 'GET /accounts/acme-corporation': json({ ...detail, notes: 'Line one.\nLine two.' }) })
    renderApp('/acme-corporation')
    expect(await screen.findByRole('heading', { name: 'Acme Corporation', level: 1 })).toBeInTheDocument()
    expect(screen.getAllByText('acme-corporation').length).toBeGreaterThan(0)
    const details = screen.getByRole('heading', { name: 'Details' }).closest('.mantine-Card-root') as HTMLElement
    expect(within(details).getByRole('link', { name: 'it@acme.example' })).toHaveAttribute('href', 'mailto:it@acme.example')
    expect(within(details).getByText('CRM-1042')).toBeInTheDocument()
    expect(within(details).getByText(/Line one\./)).toBeInTheDocument()
    expect(await screen.findByText('4')).toBeInTheDocument() // people, from the list
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Settings' })).toHaveAttribute('href', '/acme-corporation/settings')
    expect(screen.getByRole('button', { name: 'Deactivate…' })).toBeEnabled()
    expect(screen.getByRole('button', { name: 'Delete…' })).toBeDisabled()
    expect(screen.getByText(/Deactivate it first/)).toBeInTheDocument()
    // The sub-navigation of the account.
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page')
  })

  it('shows a client only what the server sends, and no actions', async () => {
    const { contact_email: _e, external_ref: _r, notes: _n, ...forClient } = detail
    routes(clientMe, {
      'GET /accounts/acme-corporation': json(forClient),
      'GET /accounts': json({ items: [{ ...acme, contact_email: undefined, external_ref: undefined, notes: undefined }], next_cursor: null }),
    })
    renderApp('/acme-corporation')
    expect(await screen.findByRole('heading', { name: 'Acme Corporation', level: 1 })).toBeInTheDocument()
    expect(screen.queryByRole('heading', { name: 'Details' })).not.toBeInTheDocument()
    expect(screen.queryByRole('heading', { name: 'Account lifecycle' })).not.toBeInTheDocument()
    expect(screen.queryByRole('link', { name: /Settings/ })).not.toBeInTheDocument()
    // No picker: just the person's account.
    expect(screen.queryByRole('combobox', { name: 'Switch client account' })).not.toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Your account: Acme Corporation' })).toHaveAttribute('href', '/acme-corporation')
    expect(screen.queryByRole('link', { name: 'Client accounts' })).not.toBeInTheDocument()
  })

  it('answers an unknown account with the in-shell 404', async () => {
    routes(ownerMe, { 'GET /accounts/nope': problem(404, 'not_found', 'Not found.') })
    renderApp('/nope')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
    expect(screen.getByRole('navigation', { name: 'Main navigation' })).toBeInTheDocument()
  })

  it('hides lifecycle actions from a consultant', async () => {
    routes(consultantMe)
    renderApp('/acme-corporation')
    expect(await screen.findByRole('heading', { name: 'Acme Corporation', level: 1 })).toBeInTheDocument()
    expect(screen.getByRole('heading', { name: 'Details' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Deactivate/ })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Delete/ })).not.toBeInTheDocument()
  })

  it('deactivates after explaining the consequences', async () => {
    let current = detail
    const m = routes(ownerMe, {
      'GET /accounts/acme-corporation': () => json(current),
      'POST /accounts/acme-corporation/deactivate': () => {
        current = deactivated
        return json(deactivated)
      },
    })
    const user = setupUser()
    renderApp('/acme-corporation')
    await user.click(await screen.findByRole('button', { name: 'Deactivate…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Deactivate Acme Corporation?' })
    expect(within(dialog).getByText(/Its 4 people are signed out at once and cannot sign in/)).toBeInTheDocument()
    expect(within(dialog).getByText(/Nothing is deleted/)).toBeInTheDocument()
    await user.click(within(dialog).getByRole('button', { name: 'Deactivate account' }))
    const banner = await screen.findByTestId('deactivated-banner')
    expect(banner).toHaveTextContent('Its people cannot sign in')
    expect(banner).toHaveTextContent('its history is kept')
    expect(within(banner).getByRole('button', { name: 'Reactivate' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Delete…' })).toBeEnabled()
    expect(m.callsTo('POST /accounts/acme-corporation/deactivate')).toHaveLength(1)
  })

  it('explains a full plan when reactivating is refused', async () => {
    routes(ownerMe, {
      'GET /accounts/acme-corporation': json(deactivated),
      'POST /accounts/acme-corporation/reactivate': problem(409, 'plan_limit_reached', 'The trial plan allows 10 active client account(s) and 10 are in use.'),
    })
    const user = setupUser()
    renderApp('/acme-corporation')
    const banner = await screen.findByTestId('deactivated-banner')
    await user.click(within(banner).getByRole('button', { name: 'Reactivate' }))
    const dialog = await screen.findByRole('dialog', { name: 'Acme Corporation cannot be reactivated yet' })
    expect(within(dialog).getByTestId('plan-limit')).toHaveTextContent('10 are in use')
  })
})

describe('delete confirmation', () => {
  async function openDelete(over: Record<string, Parameters<typeof mockFetch>[0][string]> = {}) {
    const m = routes(ownerMe, { 'GET /accounts/acme-corporation': json(deactivated), ...over })
    const user = setupUser()
    renderApp('/acme-corporation')
    await user.click(await screen.findByRole('button', { name: 'Delete…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Delete Acme Corporation permanently?' })
    return { m, user, dialog, input: within(dialog).getByLabelText(/To confirm, type the account’s name/), button: within(dialog).getByRole('button', { name: 'Delete this account' }) }
  }

  it('stays disabled until the exact name is typed', async () => {
    const { user, dialog, input, button } = await openDelete()
    expect(button).toBeDisabled()
    await fill(user, input, 'Acme')
    expect(button).toBeDisabled()
    await user.clear(input)
    await fill(user, input, 'acme corporation')
    expect(button).toBeDisabled()
    expect(within(dialog).getByText('Type the name exactly as shown, with the same capitals.')).toBeInTheDocument()
    await user.clear(input)
    await fill(user, input, 'Acme Corporation ')
    expect(button).toBeDisabled()
    await user.type(input, '{Backspace}')
    expect(button).toBeEnabled()
  })

  it('shows the server’s refusal on the field', async () => {
    const { user, dialog, input, button } = await openDelete({
      'DELETE /accounts/acme-corporation': problem(422, 'validation_failed', 'Check the field.', [
        { field: 'confirm_name', code: 'confirm_name_mismatch', message: 'Type the account’s name exactly as shown to confirm.' },
      ]),
    })
    await fill(user, input, 'Acme Corporation')
    await user.click(button)
    expect(await within(dialog).findByText('Type the account’s name exactly as shown to confirm.')).toBeInTheDocument()
    expect(input).toHaveAttribute('aria-invalid', 'true')
  })

  it('deletes, then goes back to the list with a notification', async () => {
    const { m, user, input, button } = await openDelete({ 'DELETE /accounts/acme-corporation': { status: 204 } })
    await fill(user, input, 'Acme Corporation')
    await user.click(button)
    await waitFor(() => expect(location()).toBe('/accounts'))
    expect(await screen.findByText('Account deleted')).toBeInTheDocument()
    expect(m.callsTo('DELETE /accounts/acme-corporation')[0].body).toEqual({ confirm_name: 'Acme Corporation' })
  })
})

describe('account settings', () => {
  it('validates the approval timeout: 1 minute to 7 days', async () => {
    const m = routes(ownerMe, { 'PATCH /accounts/acme-corporation/settings': (c) => json({ ...settings, ...(c.body as object) }) })
    const user = setupUser()
    renderApp('/acme-corporation/settings')
    const timeout = await screen.findByRole('spinbutton', { name: 'Approval timeout' })
    expect(timeout).toHaveValue(1)
    expect(screen.getByRole('combobox', { name: 'Approval timeout unit' })).toHaveValue('days')

    await user.clear(timeout)
    await user.type(timeout, '8')
    expect(screen.getByText('Choose between 1 minute and 7 days.')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(m.callsTo('PATCH /accounts/acme-corporation/settings')).toHaveLength(0)
    expect(timeout).toHaveFocus()

    await user.clear(timeout)
    expect(screen.getByText('Enter a number.')).toBeInTheDocument()
    await user.type(timeout, '30')
    await user.click(screen.getByRole('combobox', { name: 'Approval timeout unit' }))
    await user.click(await screen.findByRole('option', { name: 'minutes' }))
    expect(screen.queryByText(/Choose between/)).not.toBeInTheDocument()

    await user.clear(timeout)
    await user.type(timeout, '0.5')
    expect(screen.getByText('Choose between 1 minute and 7 days.')).toBeInTheDocument()
    await user.clear(timeout)
    await user.type(timeout, '90')
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved')).toBeInTheDocument()
    expect(m.callsTo('PATCH /accounts/acme-corporation/settings')[0].body).toEqual({ approval_timeout_seconds: 5400 })
    // Saved: the form shows the server's answer in its largest unit.
    await waitFor(() => expect(screen.queryByText('Unsaved changes')).not.toBeInTheDocument())
  })

  it('shows the server’s field errors on the right control', async () => {
    routes(ownerMe, {
      'PATCH /accounts/acme-corporation/settings': problem(422, 'validation_failed', 'Check.', [
        { field: 'sync_interval', code: 'sync_interval_invalid', message: 'Use whole minutes between 1m and 24h, like 5m, 15m or 1h.' },
      ]),
    })
    const user = setupUser()
    renderApp('/acme-corporation/settings')
    await user.click(await screen.findByRole('combobox', { name: 'Sync interval' }))
    await user.click(await screen.findByRole('option', { name: 'Every 15 minutes' }))
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Use whole minutes between 1m and 24h, like 5m, 15m or 1h.')).toBeInTheDocument()
    expect(screen.getByRole('combobox', { name: 'Sync interval' })).toHaveAttribute('aria-invalid', 'true')
  })

  it('saves details, sending only what changed', async () => {
    const m = routes(ownerMe, { 'PATCH /accounts/acme-corporation': (c) => json({ ...detail, ...(c.body as object) }) })
    const user = setupUser()
    renderApp('/acme-corporation/settings')
    const ref = await screen.findByLabelText('External reference')
    expect(ref).toHaveValue('CRM-1042')
    await user.clear(ref)
    await fill(user, ref, ' CRM-2000 ')
    await user.click(screen.getByRole('button', { name: 'Save details' }))
    expect(await screen.findByText('Details saved')).toBeInTheDocument()
    expect(m.callsTo('PATCH /accounts/acme-corporation')[0].body).toEqual({ external_ref: 'CRM-2000' })
  })

  it('lets only those who may rename change the name', async () => {
    routes(consultantMe)
    renderApp('/acme-corporation/settings')
    const name = await screen.findByLabelText(/Account name/)
    expect(name).toBeDisabled()
    expect(screen.getByText('Only a Tenant Admin can rename an account.')).toBeInTheDocument()
    expect(screen.getByLabelText('Contact email')).toBeEnabled()
  })

  it('is read-only without settings:update', async () => {
    const viewer: Me = {
      ...clientMe,
      membership: { role: 'account_admin', account: { slug: 'acme-corporation', name: 'Acme Corporation' } },
      permissions: ['accounts:list', 'account:read', 'settings:read'],
    }
    routes(viewer)
    renderApp('/acme-corporation/settings')
    expect(await screen.findByRole('switch', { name: /^Beta features/ })).toBeDisabled()
    expect(screen.getByRole('spinbutton', { name: 'Approval timeout' })).toBeDisabled()
    expect(screen.getByText(/You can see these settings/)).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Save settings' })).not.toBeInTheDocument()
    expect(screen.queryByRole('heading', { name: 'Details' })).not.toBeInTheDocument()
  })

  it('asks before leaving with unsaved changes', async () => {
    routes(ownerMe)
    const user = setupUser()
    renderApp('/acme-corporation/settings')
    await user.click(await screen.findByRole('switch', { name: /^Beta features/ }))
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    await user.click(within(nav).getByRole('link', { name: 'Home' }))
    const ask = await screen.findByRole('dialog', { name: 'Discard unsaved changes?' })
    await user.click(within(ask).getByRole('button', { name: 'Keep editing' }))
    expect(location()).toBe('/acme-corporation/settings')
    await user.click(within(nav).getByRole('link', { name: 'Home' }))
    await user.click(within(await screen.findByRole('dialog', { name: 'Discard unsaved changes?' })).getByRole('button', { name: 'Discard changes' }))
    await waitFor(() => expect(location()).toBe('/'))
  })
})
