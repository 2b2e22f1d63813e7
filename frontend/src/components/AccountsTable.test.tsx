import { screen, waitFor, within } from '@testing-library/react'
import { setupUser } from '../test/user'
import { describe, expect, it } from 'vitest'
import { json, mockFetch } from '../test/fetchMock'
import { account, acme, clientMe, ownerMe, trialUsage } from '../test/fixtures'
import { renderApp } from '../test/render'

const location = () => screen.getByTestId('location').textContent

const items = [
  acme,
  account({ slug: 'globex', name: 'Globex', people: 12, clients: 3, contact_email: 'hank@globex.example', external_ref: 'CRM-7', last_activity: null }),
  account({ slug: 'initech', name: 'Initech', people: 0, clients: 0, contact_email: '', external_ref: '', status: 'deactivated' }),
]

function routes(me = ownerMe, list = items) {
  return mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /me': json(me),
    'GET /accounts': json({ items: list, next_cursor: null }),
    'GET /tenant/usage': json(trialUsage),
    'GET /accounts/globex': json(list[1] ?? acme),
  })
}

async function table() {
  const t = await screen.findByRole('table', { name: 'Client accounts' })
  await within(t).findByText('Globex')
  return t
}
const names = (t: HTMLElement) => Array.from(t.querySelectorAll('tbody .account-row-name')).map((e) => e.textContent)

describe('client accounts table', () => {
  it('shows staff every column, with links, badges and relative times', async () => {
    routes()
    renderApp('/accounts')
    const t = await table()
    const headers = within(t).getAllByRole('columnheader').map((h) => h.textContent)
    expect(headers).toEqual(['Name', 'Contact & reference', 'People', 'Clients', 'Status', 'Last activity'])
    expect(within(t).getByRole('link', { name: 'Globex' })).toHaveAttribute('href', '/globex')
    expect(within(t).getByText('hank@globex.example')).toBeInTheDocument()
    expect(within(t).getByText('Ref. CRM-7')).toBeInTheDocument()
    expect(within(t).getByText('Deactivated')).toBeInTheDocument()
    expect(within(t).getByLabelText('No activity yet')).toHaveTextContent('—')
    expect(screen.getByText(/active accounts ·/)).toHaveTextContent('3 of 10 active accounts · Trial plan')
    expect(screen.getByRole('link', { name: 'Trial plan' })).toHaveAttribute('href', '/settings/license')
  })

  it('sends an account-level person from the list to their own account', async () => {
    const mine = { ...acme, contact_email: undefined, external_ref: undefined, notes: undefined }
    routes(clientMe, [mine])
    renderApp('/accounts')
    // No list of client accounts for them, not even of one: their account is their home.
    await waitFor(() => expect(location()).toBe('/acme-corporation'))
    expect(screen.queryByRole('table', { name: 'Client accounts' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'New client account' })).not.toBeInTheDocument()
  })

  it('sorts by a column header, by mouse or keyboard, and says so with aria-sort', async () => {
    routes()
    const user = setupUser()
    renderApp('/accounts')
    const t = await table()
    const name = within(t).getByRole('columnheader', { name: 'Name' })
    expect(name).toHaveAttribute('aria-sort', 'ascending')
    expect(names(t)).toEqual(['Acme Corporation', 'Globex', 'Initech'])

    const people = within(t).getByRole('columnheader', { name: 'People' })
    await user.click(within(people).getByRole('button'))
    expect(people).toHaveAttribute('aria-sort', 'descending')
    expect(name).not.toHaveAttribute('aria-sort')
    expect(names(t)).toEqual(['Globex', 'Acme Corporation', 'Initech'])

    within(name).getByRole('button').focus()
    await user.keyboard('{Enter}')
    expect(name).toHaveAttribute('aria-sort', 'ascending')
    await user.keyboard(' ')
    expect(name).toHaveAttribute('aria-sort', 'descending')
    expect(names(t)).toEqual(['Initech', 'Globex', 'Acme Corporation'])
  })

  it('filters by name, slug or reference, and by status', async () => {
    routes()
    const user = setupUser()
    renderApp('/accounts')
    const t = await table()
    const search = screen.getByRole('textbox', { name: 'Search accounts' })
    await user.type(search, 'crm-7')
    expect(names(t)).toEqual(['Globex'])
    await waitFor(() => expect(location()).toBe('/accounts?q=crm-7'))
    await user.clear(search)
    await user.type(search, 'acme-corp')
    expect(names(t)).toEqual(['Acme Corporation'])
    await user.clear(search)

    await user.click(screen.getByRole('radio', { name: /^Deactivated/ }))
    expect(names(t)).toEqual(['Initech'])
    await user.type(search, 'globex')
    expect(await screen.findByRole('heading', { name: 'No matching accounts' })).toBeInTheDocument()
    expect(screen.getByText('No deactivated account matches “globex”.')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Clear filters' }))
    expect(search).toHaveValue('')
    expect(names(await table())).toHaveLength(3)
  })

  it('reads its filters from the address', async () => {
    routes()
    renderApp('/accounts?status=active&q=glo')
    const t = await screen.findByRole('table', { name: 'Client accounts' })
    await within(t).findByText('Globex')
    expect(names(t)).toEqual(['Globex'])
    expect(screen.getByRole('radio', { name: /^Active/ })).toBeChecked()
  })

  it('invites creating the first account when there is none', async () => {
    routes(ownerMe, [])
    const user = setupUser()
    renderApp('/accounts')
    expect(await screen.findByRole('heading', { name: 'No client accounts yet' })).toBeInTheDocument()
    expect(screen.queryByRole('textbox', { name: 'Search accounts' })).not.toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Create your first client account' }))
    expect(await screen.findByRole('dialog', { name: 'New client account' })).toBeInTheDocument()
  })

  it('jumps to an account from the header switcher', async () => {
    routes()
    const user = setupUser()
    renderApp('/accounts')
    await table()
    const switcher = screen.getByRole('combobox', { name: 'Switch client account' })
    await user.click(switcher)
    await user.type(switcher, 'crm')
    // Matches the name or the slug, not the reference.
    expect(screen.queryByRole('option', { name: /Globex/ })).not.toBeInTheDocument()
    await user.clear(switcher)
    await user.type(switcher, 'glob')
    await user.click(await screen.findByRole('option', { name: /Globex/ }))
    await waitFor(() => expect(location()).toBe('/globex'))
    expect(await screen.findByRole('heading', { name: 'Globex', level: 1 })).toBeInTheDocument()
  })
})
