import { screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { POLL } from '../../api/estate'
import { json, problem } from '../../test/fetchMock'
import { estateClientMe, estateRoutes, page, syncRun, syncRuns, FIRST_PAINT, SLOW } from '../../test/estate'
import { renderApp } from '../../test/render'
import { setupUser } from '../../test/user'

const A = '/accounts/acme-corporation'

const defaultPoll = POLL.syncMs
beforeEach(() => {
  POLL.syncMs = 30
})
afterEach(() => {
  POLL.syncMs = defaultPoll
})

describe('robots and schedules', { timeout: SLOW }, () => {
  it('lists robots with their status, machine and last contact', async () => {
    estateRoutes()
    renderApp('/acme-corporation/robots')
    const table = await screen.findByRole('table', { name: 'Robots' }, { timeout: FIRST_PAINT })
    const bot2 = (await within(table).findByText('Bot 02')).closest('tr') as HTMLElement
    expect(within(bot2).getByText('Offline')).toBeInTheDocument()
    expect(within(bot2).getByText('Disconnected')).toBeInTheDocument()
    expect(within(bot2).getByText('ACME-VM-02')).toBeInTheDocument()
    expect(within(bot2).getByText('3 days ago')).toBeInTheDocument()
    expect(within(table).getByText('Available')).toBeInTheDocument()
  })

  it('lists schedules with their process, state, timing and next run', async () => {
    estateRoutes()
    renderApp('/acme-corporation/schedules')
    const table = await screen.findByRole('table', { name: 'Schedules' }, { timeout: FIRST_PAINT })
    const on = (await within(table).findByText('Invoices every morning')).closest('tr') as HTMLElement
    expect(within(on).getByRole('link', { name: 'Invoice processing' })).toHaveAttribute('href', '/acme-corporation/jobs?process=p1')
    expect(within(on).getByText('Enabled')).toBeInTheDocument()
    expect(within(on).getByText('Weekdays at 07:00')).toBeInTheDocument()
    expect(within(on).getByText('0 0 7 ? * MON-FRI')).toBeInTheDocument()
    expect(within(on).getByText('in 5 hours')).toBeInTheDocument()
    const off = within(table).getByText('Payroll monthly').closest('tr') as HTMLElement
    expect(within(off).getByText('Disabled')).toBeInTheDocument()
    expect(within(off).getByText('Not while disabled')).toBeInTheDocument()
  })

  it('explains empty lists', async () => {
    estateRoutes(undefined, { [`GET ${A}/robots`]: page([]) })
    renderApp('/acme-corporation/robots')
    expect(await screen.findByText('No robots yet')).toBeInTheDocument()
  })
})

describe('sync', { timeout: SLOW }, () => {
  it('shows the sync history: trigger, status, counts, changes and errors', async () => {
    estateRoutes(estateClientMe)
    renderApp('/acme-corporation/sync-runs')
    const table = await screen.findByRole('table', { name: 'Sync history' }, { timeout: FIRST_PAINT })
    const failed = (await within(table).findByText('Failed')).closest('tr') as HTMLElement
    expect(within(failed).getByText('Manual')).toBeInTheDocument()
    expect(within(failed).getByText('3 attempts')).toBeInTheDocument()
    expect(within(failed).getByText('30 s')).toBeInTheDocument()
    expect(within(failed).getByText(/UiPath answered 401: invalid_client/)).toBeInTheDocument()
    const ok = within(table).getByText('Succeeded').closest('tr') as HTMLElement
    expect(within(ok).getByText('Scheduled')).toBeInTheDocument()
    expect(within(ok).getByText('2 processes · 40 jobs · 2 robots · 2 schedules')).toBeInTheDocument()
    // A Client reads the history but may not sync.
    expect(screen.queryByRole('button', { name: 'Sync now' })).not.toBeInTheDocument()
  })

  it('starts a sync and follows it until it ends', async () => {
    const m = estateRoutes(undefined, {
      [`POST ${A}/sync`]: json(syncRun({ id: 'sr3', status: 'running', trigger: 'manual', ended_at: null, counts: null }), 202),
      [`GET ${A}/sync-runs`]: [
        page(syncRuns),
        page([syncRun({ id: 'sr3', status: 'running', trigger: 'manual', ended_at: null, counts: null }), ...syncRuns]),
        page([syncRun({ id: 'sr3', status: 'running', trigger: 'manual', ended_at: null, counts: null }), ...syncRuns]),
        page([syncRun({ id: 'sr3', status: 'running', trigger: 'manual', ended_at: null, counts: null }), ...syncRuns]),
        page([syncRun({ id: 'sr3', status: 'succeeded', trigger: 'manual', changed: 7 }), ...syncRuns]),
      ],
    })
    const user = setupUser()
    renderApp('/acme-corporation/sync-runs')
    await screen.findByRole('table', { name: 'Sync history' }, { timeout: FIRST_PAINT })
    await user.click(screen.getByRole('button', { name: 'Sync now' }))
    expect(await screen.findByRole('button', { name: /Syncing/ })).toBeDisabled()
    expect(await screen.findByText('Sync finished')).toBeInTheDocument()
    expect(screen.getByText('Read 2 processes, 40 jobs, 2 robots and 2 schedules; 7 records changed.')).toBeInTheDocument()
    expect(m.callsTo(`POST ${A}/sync`)).toHaveLength(1)
    expect(m.callsTo(`GET ${A}/sync-runs`).length).toBeGreaterThanOrEqual(3)
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sync now' })).toBeEnabled())
  })

  it('says when a sync is already running, and follows that one', async () => {
    estateRoutes(undefined, {
      [`POST ${A}/sync`]: problem(409, 'sync_running', 'A sync of this account is running.'),
      [`GET ${A}/sync-runs`]: [
        page([syncRun({ id: 'sr9', status: 'running', ended_at: null, counts: null })]),
        page([syncRun({ id: 'sr9', status: 'running', ended_at: null, counts: null })]),
        page([syncRun({ id: 'sr9', status: 'failed', error: 'Orchestrator timed out.' })]),
      ],
    })
    const user = setupUser()
    renderApp('/acme-corporation/robots')
    await screen.findByRole('table', { name: 'Robots' }, { timeout: FIRST_PAINT })
    await user.click(screen.getByRole('button', { name: 'Sync now' }))
    expect(await screen.findByText('A sync is already running')).toBeInTheDocument()
    expect(await screen.findByText('Sync failed')).toBeInTheDocument()
    expect(screen.getByText('Orchestrator timed out.')).toBeInTheDocument()
  })

  it('asks to connect first when there is no connection', async () => {
    estateRoutes(undefined, {
      [`POST ${A}/sync`]: problem(409, 'connection_missing', 'This account has no connection yet.'),
    })
    const user = setupUser()
    renderApp('/acme-corporation/schedules')
    await screen.findByRole('table', { name: 'Schedules' }, { timeout: FIRST_PAINT })
    await user.click(screen.getByRole('button', { name: 'Sync now' }))
    expect(await screen.findByText('Connect the account first')).toBeInTheDocument()
    expect(screen.getByText('This account has no connection yet.')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Sync now' })).toBeEnabled()
  })
})
