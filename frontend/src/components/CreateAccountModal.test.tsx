import { screen, waitFor, within } from '@testing-library/react'
import { fill, setupUser } from '../test/user'
import { describe, expect, it } from 'vitest'
import { json, mockFetch, problem } from '../test/fetchMock'
import { acme, ownerMe, trialUsage } from '../test/fixtures'
import { renderApp } from '../test/render'

const location = () => screen.getByTestId('location').textContent

function routes(over: Record<string, Parameters<typeof mockFetch>[0][string]> = {}) {
  return mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /me': json(ownerMe),
    'GET /auth/csrf': json({ token: 't' }),
    'GET /accounts': json({ items: [acme], next_cursor: null }),
    'GET /tenant/usage': json(trialUsage),
    'GET /accounts/slug-availability': (c) =>
      json(c.query.get('slug') === 'acme-corporation' ? { available: false, reason: 'slug_taken' } : { available: true }),
    ...over,
  })
}

async function openDialog() {
  const user = setupUser()
  renderApp('/accounts')
  await user.click(await screen.findByRole('button', { name: 'New client account' }))
  const dialog = await screen.findByRole('dialog', { name: 'New client account' })
  return { user, dialog }
}

describe('create account dialog', () => {
  it('fills the slug from the name and checks it once typing pauses', async () => {
    const m = routes()
    const { user, dialog } = await openDialog()
    await user.type(within(dialog).getByLabelText(/Client name/), 'Globex Corporation')
    expect(within(dialog).getByLabelText(/^Slug/)).toHaveValue('globex-corporation')
    expect(within(dialog).getByText('Checking availability…')).toBeInTheDocument()
    expect(await within(dialog).findByText('Available')).toBeInTheDocument()
    // Debounced: one question for the slug typing ended on, not one per key.
    expect(m.callsTo('GET /accounts/slug-availability').map((c) => c.query.get('slug'))).toEqual(['globex-corporation'])
  })

  it('says when the slug is taken, and does not send the form', async () => {
    const m = routes()
    const { user, dialog } = await openDialog()
    await fill(user, within(dialog).getByLabelText(/Client name/), 'Acme Corporation')
    expect(await within(dialog).findByText('Taken: another client account uses this slug')).toBeInTheDocument()
    await user.click(within(dialog).getByRole('button', { name: 'Create client account' }))
    const slug = within(dialog).getByLabelText(/^Slug/)
    expect(slug).toHaveAttribute('aria-invalid', 'true')
    expect(within(dialog).getByText(/“acme-corporation” is already used/)).toBeInTheDocument()
    expect(m.callsTo('POST /accounts')).toHaveLength(0)
  })

  it('says at once when a slug is reserved or invalid, without asking the server', async () => {
    const m = routes()
    const { user, dialog } = await openDialog()
    const slug = within(dialog).getByLabelText(/^Slug/)
    await user.type(slug, 'settings')
    expect(within(dialog).getByText(/^Reserved/)).toBeInTheDocument()
    await user.clear(slug)
    await user.type(slug, 'acme-')
    expect(within(dialog).getByText(/^Invalid/)).toBeInTheDocument()
    await user.clear(slug)
    await user.type(slug, 'a')
    expect(within(dialog).getByText('At least 2 characters')).toBeInTheDocument()
    expect(m.callsTo('GET /accounts/slug-availability')).toHaveLength(0)
  })

  it('keeps a slug typed by hand when the name changes', async () => {
    routes()
    const { user, dialog } = await openDialog()
    const name = within(dialog).getByLabelText(/Client name/)
    const slug = within(dialog).getByLabelText(/^Slug/)
    await user.type(name, 'Acme')
    await user.clear(slug)
    await user.type(slug, 'Acme EMEA')
    expect(slug).toHaveValue('acme-emea')
    await user.type(name, ' Europe')
    expect(slug).toHaveValue('acme-emea')
  })

  it('puts the server’s field errors on their fields', async () => {
    const m = routes({
      'POST /accounts': problem(422, 'validation_failed', 'Check the highlighted fields.', [
        { field: 'contact_email', code: 'email_invalid', message: 'Enter an email address like name@example.com.' },
        { field: 'external_ref', code: 'external_ref_invalid', message: 'Use at most 100 characters on one line.' },
      ]),
    })
    const { user, dialog } = await openDialog()
    await fill(user, within(dialog).getByLabelText(/Client name/), 'Globex')
    await fill(user, within(dialog).getByLabelText('Contact email'), 'hank@globex.example')
    await fill(user, within(dialog).getByLabelText('External reference'), 'CRM-1')
    await within(dialog).findByText('Available')
    await user.click(within(dialog).getByRole('button', { name: 'Create client account' }))

    const email = within(dialog).getByLabelText('Contact email')
    await waitFor(() => expect(email).toHaveAttribute('aria-invalid', 'true'))
    expect(within(dialog).getByText('Enter an email address like name@example.com.')).toBeInTheDocument()
    expect(within(dialog).getByLabelText('External reference')).toHaveAttribute('aria-invalid', 'true')
    expect(email).toHaveFocus()
    expect(m.callsTo('POST /accounts')[0].body).toEqual({
      name: 'Globex',
      slug: 'globex',
      contact_email: 'hank@globex.example',
      external_ref: 'CRM-1',
    })
    // Editing the field clears its error.
    await user.type(email, 'x')
    expect(email).not.toHaveAttribute('aria-invalid')
  })

  it('shows a slug taken meanwhile (409) on the slug field', async () => {
    routes({
      'POST /accounts': problem(409, 'slug_taken', 'Taken.', [{ field: 'slug', code: 'slug_taken', message: 'Another account uses this slug.' }]),
    })
    const { user, dialog } = await openDialog()
    await fill(user, within(dialog).getByLabelText(/Client name/), 'Globex')
    await within(dialog).findByText('Available')
    await user.click(within(dialog).getByRole('button', { name: 'Create client account' }))
    expect(await within(dialog).findByText('Another account uses this slug.')).toBeInTheDocument()
    expect(within(dialog).getByLabelText(/^Slug/)).toHaveAttribute('aria-invalid', 'true')
  })

  it('explains a full plan before anyone types, with the way forward', async () => {
    routes({ 'GET /tenant/usage': json({ ...trialUsage, accounts_used: 10 }) })
    const { dialog } = await openDialog()
    const notice = await within(dialog).findByTestId('plan-limit')
    expect(notice).toHaveTextContent('The Trial plan allows 10 active client accounts, and all 10 are in use.')
    expect(notice).toHaveTextContent(/deactivate an account you no longer serve/)
    expect(within(notice).getByRole('link', { name: /Upload a license/ })).toHaveAttribute('href', '/settings/license')
    expect(within(notice).getByRole('link', { name: 'Review active accounts' })).toHaveAttribute('href', '/accounts?status=active')
    expect(within(dialog).queryByLabelText(/Client name/)).not.toBeInTheDocument()
  })

  it('warns about the last account the plan allows', async () => {
    routes({ 'GET /tenant/usage': json({ ...trialUsage, accounts_used: 9 }) })
    const { dialog } = await openDialog()
    expect(await within(dialog).findByText(/This is the last account your Trial plan allows \(9 of 10 in use\)/)).toBeInTheDocument()
  })

  it('handles a plan limit reached meanwhile (409) the same way', async () => {
    const detail =
      'The trial plan allows 10 active client account(s) and 10 are in use. Deactivate an account or upload a license with more accounts.'
    routes({ 'POST /accounts': problem(409, 'plan_limit_reached', detail) })
    const { user, dialog } = await openDialog()
    await fill(user, within(dialog).getByLabelText(/Client name/), 'Globex')
    await within(dialog).findByText('Available')
    await user.click(within(dialog).getByRole('button', { name: 'Create client account' }))
    const notice = await within(dialog).findByTestId('plan-limit')
    expect(notice).toHaveTextContent(detail)
    expect(within(notice).getByRole('link', { name: /Upload a license/ })).toBeInTheDocument()
    expect(within(dialog).getByRole('button', { name: 'Create client account' })).toBeDisabled()
  })

  it('creates the account, then opens it with a notification', async () => {
    const created = { ...acme, id: 'a9', slug: 'globex', name: 'Globex', contact_email: '', external_ref: '', notes: '' }
    const m = routes({
      'POST /accounts': json(created, 201),
      'GET /accounts/globex': json(created),
    })
    const { user, dialog } = await openDialog()
    await fill(user, within(dialog).getByLabelText(/Client name/), 'Globex')
    await fill(user, within(dialog).getByLabelText('Notes'), 'Renewal in March.')
    await within(dialog).findByText('Available')
    await user.click(within(dialog).getByRole('button', { name: 'Create client account' }))
    await waitFor(() => expect(location()).toBe('/globex'))
    expect(await screen.findByText('Client account created')).toBeInTheDocument()
    expect(await screen.findByRole('heading', { name: 'Globex', level: 1 })).toBeInTheDocument()
    expect(m.callsTo('POST /accounts')[0].body).toEqual({ name: 'Globex', slug: 'globex', notes: 'Renewal in March.' })
    expect(m.callsTo('POST /accounts')[0].headers['x-csrf-token']).toBe('t')
  })
})
