import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { dashRoutes, dashStaffMe, overviewRows } from '../test/dashboard'
import { json } from '../test/fetchMock'
import { ownerMe } from '../test/fixtures'
import { renderApp } from '../test/render'
import { setupUser } from '../test/user'

const OVERVIEW = 'GET /overview'
const location = () => screen.getByTestId('location').textContent

function overviewRoutes() {
  // The server sorts; the mock answers by name when asked, worst first otherwise.
  return dashRoutes(dashStaffMe, {
    [OVERVIEW]: (c) =>
      json({
        items: c.query.get('sort') === 'name' ? [...overviewRows].sort((a, b) => a.account.name.localeCompare(b.account.name)) : overviewRows,
      }),
  })
}

const table = () => screen.getByRole('table', { name: /Client accounts by health/ })
const names = () =>
  within(table())
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('link')[0].textContent)

// A busy machine mounts the whole app slowly: generous limits, the waits end as soon as they can.
describe('staff overview', { timeout: 30_000 }, () => {
  it('is where staff land: every client with its health, worst first', async () => {
    const m = overviewRoutes()
    renderApp('/')
    expect(await screen.findByRole('heading', { name: 'Client health' }, { timeout: 10_000 })).toBeInTheDocument()
    await waitFor(() => expect(names()).toEqual(['Globex', 'Initech', 'Acme Corporation', 'Umbrella']), { timeout: 10_000 })
    expect(m.callsTo(OVERVIEW)[0].query.get('sort')).toBe('health')
    expect(screen.getByTestId('health-counts')).toHaveTextContent('1 critical · 1 warning · 1 OK · 1 unknown')

    const [globex, initech, acme, umbrella] = within(table()).getAllByRole('row').slice(1)
    expect(within(globex).getByText('Critical')).toBeInTheDocument()
    expect(within(globex).getByText('Blue Prism')).toBeInTheDocument()
    expect(globex).toHaveTextContent('3 hours ago')
    expect(globex).toHaveTextContent('Failed: Blue Prism refused the credentials.')
    expect(globex).toHaveTextContent('14')
    expect(globex).toHaveTextContent('61%')
    expect(within(initech).getByText('Warning')).toBeInTheDocument()
    expect(within(initech).getByText('Demo estate')).toBeInTheDocument()
    expect(within(acme).getByText('OK')).toBeInTheDocument()
    expect(acme).toHaveTextContent('98%')
    expect(within(umbrella).getByText('Unknown')).toBeInTheDocument()
    expect(umbrella).toHaveTextContent('Not connected')
    expect(umbrella).toHaveTextContent('Never')
    expect(umbrella).toHaveTextContent('No runs')

    // Rows lead to the account's dashboard.
    expect(within(globex).getByRole('link', { name: 'Globex' })).toHaveAttribute('href', '/globex')
    const health = within(table()).getByRole('columnheader', { name: /Health/ })
    expect(health).toHaveAttribute('aria-sort', 'descending')
  })

  it('sorts through the API, keeping the order in the address bar', async () => {
    const m = overviewRoutes()
    const user = setupUser()
    renderApp('/')
    await waitFor(() => expect(names()[0]).toBe('Globex'), { timeout: 10_000 })
    await user.click(within(table()).getByRole('button', { name: 'Client' }))
    await waitFor(() => expect(names()).toEqual(['Acme Corporation', 'Globex', 'Initech', 'Umbrella']))
    expect(m.callsTo(OVERVIEW).at(-1)!.query.get('sort')).toBe('name')
    expect(location()).toBe('/?sort=name')
    expect(within(table()).getByRole('columnheader', { name: /Client/ })).toHaveAttribute('aria-sort', 'ascending')
    expect(within(table()).getByRole('columnheader', { name: /Health/ })).not.toHaveAttribute('aria-sort')

    await user.click(within(table()).getByRole('button', { name: 'Failures 24 h' }))
    await waitFor(() => expect(m.callsTo(OVERVIEW).at(-1)!.query.get('sort')).toBe('failures'))
    expect(location()).toBe('/?sort=failures')
    await user.click(within(table()).getByRole('button', { name: 'Success 7 d' }))
    await waitFor(() => expect(m.callsTo(OVERVIEW).at(-1)!.query.get('sort')).toBe('success_rate'))
    await user.click(within(table()).getByRole('button', { name: 'Last sync' }))
    await waitFor(() => expect(m.callsTo(OVERVIEW).at(-1)!.query.get('sort')).toBe('last_sync'))
    await user.click(within(table()).getByRole('button', { name: 'Health' }))
    await waitFor(() => expect(location()).toBe('/'))
  })

  it('opens on the order in the address bar', async () => {
    const m = overviewRoutes()
    renderApp('/?sort=name')
    await waitFor(() => expect(names()[0]).toBe('Acme Corporation'), { timeout: 10_000 })
    expect(m.callsTo(OVERVIEW).every((c) => c.query.get('sort') === 'name')).toBe(true)
  })

  it('invites staff to add a client when there is none', async () => {
    dashRoutes(dashStaffMe, { [OVERVIEW]: json({ items: [] }) })
    renderApp('/')
    expect(await screen.findByRole('heading', { name: 'No client accounts yet' }, { timeout: 10_000 })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Go to client accounts' })).toHaveAttribute('href', '/accounts')
  })

  it('is not asked for without overview:read: the accounts table stays', async () => {
    const m = dashRoutes(ownerMe)
    renderApp('/')
    expect(await screen.findByRole('heading', { name: 'Client accounts', level: 2 }, { timeout: 10_000 })).toBeInTheDocument()
    expect(screen.queryByRole('heading', { name: 'Client health' })).not.toBeInTheDocument()
    expect(m.callsTo(OVERVIEW)).toHaveLength(0)
  })
})
