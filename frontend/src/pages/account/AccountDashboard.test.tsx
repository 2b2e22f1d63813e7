import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { Dashboard } from '../../api/dashboard'
import {
  dashAccountUserMe,
  dashboard,
  dashRoutes,
  dashStaffMe,
  demoConnection,
  emptyDashboard,
  noConnection,
} from '../../test/dashboard'
import { json, problem } from '../../test/fetchMock'
import { renderApp } from '../../test/render'
import { setupUser } from '../../test/user'
import { trendSummary } from '../../lib/dashboard'
import { DASHBOARD_POLL } from './AccountDashboard'

const DASH = 'GET /accounts/acme-corporation/dashboard'
const location = () => screen.getByTestId('location').textContent
const byDays = (c: { query: URLSearchParams }) => json(dashboard(c.query.get('days') === '30' ? 30 : 7))

const waitingMs = DASHBOARD_POLL.waitingMs
afterEach(() => {
  DASHBOARD_POLL.waitingMs = waitingMs
})

// A busy machine mounts the whole app slowly: generous limits, the waits end as soon as they can.
describe('account dashboard', { timeout: 30_000 }, () => {
  it('shows the KPIs, the daily trend, failures by process, robots and the last sync', async () => {
    dashRoutes(dashStaffMe, { [DASH]: byDays })
    renderApp('/acme-corporation')
    const section = await screen.findByRole('region', { name: 'Dashboard' }, { timeout: 10_000 })
    const runs = await within(section).findByTestId('kpi-runs', {}, { timeout: 10_000 })
    expect(runs).toHaveTextContent('105')
    expect(runs).toHaveTextContent('In the last 7 days')
    expect(within(section).getByTestId('kpi-success-rate')).toHaveTextContent('91%')
    expect(within(section).getByTestId('kpi-success-rate')).toHaveTextContent('91 successful runs')
    const failures = within(section).getByTestId('kpi-failures')
    expect(failures).toHaveTextContent('6')
    expect(within(failures).getByRole('link', { name: 'View faulted jobs' })).toHaveAttribute('href', '/acme-corporation/jobs?state=faulted')
    expect(within(section).getByTestId('kpi-running-now')).toHaveTextContent('3')
    expect(within(section).getByTestId('kpi-running-now')).toHaveTextContent('2 pending')

    // The chart: an image named by its summary, and the same figures as a table.
    const chart = within(section).getByRole('img', { name: /^Runs per day over the last 7 days: 105 runs, 91 successful, 6 faulted, 3 stopped, 5 other\. Busiest day/ })
    expect(chart).toHaveAccessibleName(trendSummary(dashboard(7).daily))
    const table = within(section).getByRole('table', { name: 'Runs per day over the last 7 days, by state' })
    expect(within(table).getAllByRole('row')).toHaveLength(8)
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Day', 'Successful', 'Faulted', 'Stopped', 'Other', 'Total'])

    // Failures by process lead to that process's faulted jobs.
    const list = within(section).getByRole('list', { name: 'Processes with the most failures in the last 7 days' })
    const items = within(list).getAllByRole('listitem')
    expect(items[0]).toHaveTextContent('Invoice intake')
    expect(items[0]).toHaveTextContent('4 of 40 runs')
    expect(within(list).getByRole('link', { name: 'Invoice intake' })).toHaveAttribute('href', '/acme-corporation/jobs?process=p-invoices&state=faulted')

    expect(within(section).getByRole('img', { name: '8 robots: 5 available, 2 busy, 1 offline' })).toBeInTheDocument()
    const sync = within(section).getByTestId('last-sync')
    expect(sync).toHaveTextContent('Failed')
    expect(sync).toHaveTextContent('5 minutes ago')
    expect(sync).toHaveTextContent('the client secret has expired')
    expect(within(sync).getByRole('link', { name: /Sync history/ })).toHaveAttribute('href', '/acme-corporation/sync-runs')
    expect(within(sync).getByRole('button', { name: 'Sync now' })).toBeInTheDocument()
    // The account's own facts stay below, as before.
    expect(screen.getByRole('heading', { name: 'People and activity' })).toBeInTheDocument()
    expect(screen.getByRole('heading', { name: 'Details' })).toBeInTheDocument()
  })

  it('switches to 30 days: the address bar keeps it and the figures are asked again', async () => {
    const m = dashRoutes(dashStaffMe, { [DASH]: byDays })
    const user = setupUser()
    renderApp('/acme-corporation')
    await screen.findByRole('img', { name: /^Runs per day over the last 7 days/ }, { timeout: 10_000 })
    expect(m.callsTo(DASH).map((c) => c.query.get('days'))).toEqual(['7'])
    await user.click(screen.getByRole('radio', { name: 'Last 30 days' }))
    expect(await screen.findByRole('img', { name: /^Runs per day over the last 30 days/ })).toBeInTheDocument()
    expect(m.callsTo(DASH).map((c) => c.query.get('days'))).toContain('30')
    expect(location()).toBe('/acme-corporation?days=30')
    expect(screen.getByRole('table', { name: /last 30 days/ }).querySelectorAll('tbody tr')).toHaveLength(30)
    expect(screen.getByTestId('kpi-runs')).toHaveTextContent('In the last 30 days')

    await user.click(screen.getByRole('radio', { name: 'Last 7 days' }))
    await waitFor(() => expect(location()).toBe('/acme-corporation'))
  })

  it('opens on the period in the address bar', async () => {
    const m = dashRoutes(dashStaffMe, { [DASH]: byDays })
    renderApp('/acme-corporation?days=30')
    expect(await screen.findByRole('img', { name: /last 30 days/ }, { timeout: 10_000 })).toBeInTheDocument()
    expect(screen.getByRole('radio', { name: 'Last 30 days' })).toBeChecked()
    expect(m.callsTo(DASH).every((c) => c.query.get('days') === '30')).toBe(true)
  })

  it('reads each day of the chart out with the arrow keys', async () => {
    dashRoutes(dashStaffMe, { [DASH]: byDays })
    renderApp('/acme-corporation')
    const chart = await screen.findByRole('img', { name: /^Runs per day/ }, { timeout: 10_000 })
    act(() => chart.focus())
    const tip = await screen.findByTestId('chart-tooltip')
    const last = dashboard(7).daily[6]
    expect(tip).toHaveTextContent(String(last.successful))
    fireEvent.keyDown(chart, { key: 'Home' })
    const first = dashboard(7).daily[0]
    await waitFor(() => expect(screen.getByText(new RegExp(`: ${first.successful + first.faulted + first.stopped} runs \\(`))).toBeInTheDocument())
    fireEvent.keyDown(chart, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByTestId('chart-tooltip')).not.toBeInTheDocument())
  })

  it('sends an unconnected account to its connection', async () => {
    dashRoutes(dashStaffMe, {
      [DASH]: json(emptyDashboard),
      'GET /accounts/acme-corporation/connection': json(noConnection),
    })
    renderApp('/acme-corporation')
    const empty = await screen.findByTestId('dashboard-empty', {}, { timeout: 10_000 })
    expect(await within(empty).findByRole('heading', { name: 'Not connected yet' })).toBeInTheDocument()
    expect(within(empty).getByRole('link', { name: 'Set up the connection' })).toHaveAttribute('href', '/acme-corporation/connection')
    expect(screen.queryByTestId('kpi-runs')).not.toBeInTheDocument()
  })

  it('waits for the first sync of a connected account, looking again until the runs arrive', async () => {
    DASHBOARD_POLL.waitingMs = 50
    let reply: Dashboard = emptyDashboard
    const m = dashRoutes(dashStaffMe, {
      [DASH]: () => json(reply),
      'GET /accounts/acme-corporation/connection': json(demoConnection),
    })
    renderApp('/acme-corporation')
    const empty = await screen.findByTestId('dashboard-empty', {}, { timeout: 10_000 })
    expect(await within(empty).findByRole('heading', { name: 'The first sync is on its way' })).toBeInTheDocument()
    await waitFor(() => expect(m.callsTo(DASH).length).toBeGreaterThanOrEqual(3), { timeout: 10_000 })
    reply = dashboard(7)
    expect(await screen.findByTestId('kpi-runs', {}, { timeout: 10_000 })).toHaveTextContent('105')
    expect(screen.queryByTestId('dashboard-empty')).not.toBeInTheDocument()
  })

  it('tells an Account User that runs come later, without asking for the connection', async () => {
    const m = dashRoutes(dashAccountUserMe, { [DASH]: json(emptyDashboard) })
    renderApp('/acme-corporation')
    const empty = await screen.findByTestId('dashboard-empty', {}, { timeout: 10_000 })
    expect(within(empty).getByRole('heading', { name: 'No runs yet' })).toBeInTheDocument()
    expect(m.callsTo('GET /accounts/acme-corporation/connection')).toHaveLength(0)
  })

  it('tells an Account User the account is not connected when the dashboard says so', async () => {
    const m = dashRoutes(dashAccountUserMe, { [DASH]: json({ ...emptyDashboard, connected: false }) })
    renderApp('/acme-corporation')
    const empty = await screen.findByTestId('dashboard-empty', {}, { timeout: 10_000 })
    expect(await within(empty).findByRole('heading', { name: 'Not connected yet' })).toBeInTheDocument()
    expect(within(empty).queryByRole('link', { name: 'Set up the connection' })).not.toBeInTheDocument()
    expect(m.callsTo('GET /accounts/acme-corporation/connection')).toHaveLength(0)
  })

  it('says when there were no failures, and offers a retry when loading fails', async () => {
    const quiet: Dashboard = { ...dashboard(7), failures_by_process: [], totals: { ...dashboard(7).totals, faulted: 0 } }
    // A 4xx is not retried on its own: the person retries.
    dashRoutes(dashStaffMe, { [DASH]: [problem(400, 'days_invalid', 'Try again.'), json(quiet)] })
    const user = setupUser()
    renderApp('/acme-corporation')
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 })
    expect(alert).toHaveTextContent('Could not load the dashboard')
    await user.click(within(alert).getByRole('button', { name: 'Retry' }))
    expect(await screen.findByText('No failed runs in the last 7 days.')).toBeInTheDocument()
    expect(screen.getByTestId('kpi-failures')).toHaveTextContent('No faulted runs')
  })

  it('is not shown to people without the dashboard', async () => {
    const m = dashRoutes({ ...dashStaffMe, permissions: dashStaffMe.permissions.filter((p) => p !== 'dashboard:read') })
    renderApp('/acme-corporation')
    expect(await screen.findByRole('heading', { name: 'Acme Corporation', level: 1 }, { timeout: 10_000 })).toBeInTheDocument()
    expect(screen.queryByRole('region', { name: 'Dashboard' })).not.toBeInTheDocument()
    expect(m.callsTo(DASH)).toHaveLength(0)
  })
})
