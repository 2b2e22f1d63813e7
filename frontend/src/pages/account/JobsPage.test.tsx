import { screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { POLL } from '../../api/estate'
import { json, problem } from '../../test/fetchMock'
import { estateRoutes, estateUserMe, faultedJob, jobs, okJob, page, runningJob, FIRST_PAINT, SLOW } from '../../test/estate'
import { renderApp } from '../../test/render'
import { setupUser } from '../../test/user'

const A = '/accounts/acme-corporation'
const table = () => screen.getByRole('table', { name: 'Jobs' })
const rowOf = (el: HTMLElement) => el.closest('tr') as HTMLElement
const location = () => screen.getByTestId('location').textContent ?? ''

async function openPage(path = '/acme-corporation/jobs') {
  const user = setupUser()
  renderApp(path)
  expect(await screen.findByRole('heading', { name: /^Jobs/, level: 1 }, { timeout: FIRST_PAINT })).toBeInTheDocument()
  await waitFor(() => expect(table()).not.toHaveAttribute('aria-busy'))
  return { user }
}

const defaultPoll = POLL.jobsMs
afterEach(() => {
  POLL.jobsMs = defaultPoll
})

describe('jobs page', { timeout: SLOW }, () => {
  it('lists jobs with state, robot, duration and the error', async () => {
    estateRoutes()
    await openPage()
    const faulted = rowOf(within(table()).getByText('Faulted'))
    expect(within(faulted).getByRole('link', { name: 'Invoice processing' })).toHaveAttribute('href', '/acme-corporation/jobs/j2')
    expect(within(faulted).getByText('Bot 01')).toBeInTheDocument()
    expect(within(faulted).getByText('2 min 5 s')).toBeInTheDocument()
    expect(within(faulted).getByText(/mailbox invoices@acme.example is not reachable/)).toBeInTheDocument()
    const running = rowOf(within(table()).getByText('Running'))
    expect(within(running).getByText(/so far$/)).toBeInTheDocument()
    expect(within(table()).getByText('Successful').closest('[data-state]')).toHaveAttribute('data-state', 'successful')
  })

  it('sends the filters in the address bar to the API, and exports the same rows', async () => {
    const m = estateRoutes()
    await openPage('/acme-corporation/jobs?state=faulted,stopped&process=p1&robot=r-1&from=2026-11-01&to=2026-11-02')
    const q = m.callsTo(`GET ${A}/jobs`)[0].query
    expect(q.get('state')).toBe('faulted,stopped')
    expect(q.get('process')).toBe('p1')
    expect(q.get('robot')).toBe('r-1')
    expect(q.get('from')).toBe(new Date(2026, 10, 1).toISOString())
    expect(q.get('to')).toBe(new Date(2026, 10, 3).toISOString())
    expect(q.get('limit')).toBe('50')
    // The controls show them.
    expect(screen.getByRole('combobox', { name: 'Process' })).toHaveValue('Invoice processing')
    expect(screen.getByRole('combobox', { name: 'Robot' })).toHaveValue('Bot 01')
    expect(screen.getByLabelText('From')).toHaveValue('2026-11-01')

    const csv = new URL(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href')!, 'http://x')
    expect(csv.pathname).toBe(`/api/v1${A}/jobs`)
    expect(csv.searchParams.get('format')).toBe('csv')
    expect(csv.searchParams.get('state')).toBe('faulted,stopped')
    expect(csv.searchParams.get('process')).toBe('p1')
    expect(csv.searchParams.get('from')).toBe(q.get('from'))
  })

  it('puts a chosen filter into the address bar and asks again', async () => {
    const m = estateRoutes()
    const { user } = await openPage()
    await user.click(screen.getByRole('combobox', { name: 'State' }))
    await user.click(await screen.findByRole('option', { name: 'Faulted' }))
    await waitFor(() => expect(location()).toBe('/acme-corporation/jobs?state=faulted'))
    await waitFor(() => expect(m.callsTo(`GET ${A}/jobs`).some((c) => c.query.get('state') === 'faulted')).toBe(true))
    await user.click(screen.getByRole('button', { name: 'Clear filters' }))
    await waitFor(() => expect(location()).toBe('/acme-corporation/jobs'))
  })

  it('says when no job matches, and offers to clear the filters', async () => {
    estateRoutes(undefined, { [`GET ${A}/jobs`]: page([]) })
    const user = setupUser()
    renderApp('/acme-corporation/jobs?state=stopped')
    expect(await screen.findByText('No jobs match these filters')).toBeInTheDocument()
    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0])
    expect(await screen.findByText('No jobs yet')).toBeInTheDocument()
  })

  it('shows the server’s refusal of a filter', async () => {
    estateRoutes(undefined, { [`GET ${A}/jobs`]: problem(400, 'filter_invalid', 'Unknown robot r-9.') })
    renderApp('/acme-corporation/jobs?robot=r-9')
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('These filters are not valid')
    expect(alert).toHaveTextContent('Unknown robot r-9.')
  })

  it('loads the next page with the cursor', async () => {
    const m = estateRoutes(undefined, {
      [`GET ${A}/jobs`]: (c) => (c.query.get('cursor') === 'c2' ? page([faultedJob]) : page([okJob], 'c2')),
    })
    const { user } = await openPage()
    expect(screen.getByText('Showing the first 1 job')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Load more' }))
    expect(await within(table()).findByText('Faulted')).toBeInTheDocument()
    expect(m.callsTo(`GET ${A}/jobs`).map((c) => c.query.get('cursor'))).toEqual([null, 'c2'])
    expect(screen.getByText('2 jobs')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument()
  })

  it('refreshes while a job shown is still running, and stops once it has ended', async () => {
    POLL.jobsMs = 50
    const m = estateRoutes(undefined, {
      [`GET ${A}/jobs`]: [page([runningJob]), page([{ ...runningJob, state: 'successful', raw_state: 'Successful', duration_seconds: 130 }])],
    })
    await openPage()
    expect(await within(table()).findByText('Successful')).toBeInTheDocument()
    const n = m.callsTo(`GET ${A}/jobs`).length
    await new Promise((r) => setTimeout(r, 200))
    expect(m.callsTo(`GET ${A}/jobs`).length).toBe(n)
  })

  // ISO-12: the page shows what the (scoped) API returns, nothing more.
  it('is what an Account User’s scope allows, without sync', async () => {
    estateRoutes(estateUserMe, { [`GET ${A}/jobs`]: page(jobs.slice(1)) })
    await openPage()
    expect(within(table()).getAllByRole('row')).toHaveLength(3)
    expect(screen.queryByRole('button', { name: 'Sync now' })).not.toBeInTheDocument()
  })
})

describe('job page', { timeout: SLOW }, () => {
  it('shows every field, the error in full and the vendor’s raw record', async () => {
    estateRoutes()
    const user = setupUser()
    renderApp('/acme-corporation/jobs/j2')
    expect(await screen.findByRole('heading', { name: 'Invoice processing', level: 2 }, { timeout: FIRST_PAINT })).toBeInTheDocument()
    expect(screen.getAllByText('Faulted').length).toBeGreaterThanOrEqual(2) // the badge and the raw state
    expect(screen.getByText('job-j2')).toBeInTheDocument()
    expect(screen.getByTestId('job-error')).toHaveTextContent('System.IO.IOException: The mailbox invoices@acme.example is not reachable. at Mail.Open()')
    await user.click(screen.getByRole('button', { name: 'Raw data from the RPA tool' }))
    expect(await screen.findByTestId('job-raw')).toHaveTextContent('"Info": "The mailbox is not reachable."')
    expect(screen.getByRole('link', { name: 'All jobs' })).toHaveAttribute('href', '/acme-corporation/jobs')
  })

  it('is not found for a job the person may not see', async () => {
    estateRoutes(estateUserMe, { [`GET ${A}/jobs/j7`]: problem(404, 'not_found') })
    renderApp('/acme-corporation/jobs/j7')
    expect(await screen.findByRole('heading', { name: 'Page not found' }, { timeout: FIRST_PAINT })).toBeInTheDocument()
  })

  it('follows a running job until it ends', async () => {
    POLL.jobsMs = 400
    estateRoutes(undefined, {
      [`GET ${A}/jobs/j3`]: [
        json({ ...runningJob, vendor_updated_at: null, raw: null }),
        json({ ...runningJob, state: 'successful', raw_state: 'Successful', ended_at: new Date().toISOString(), duration_seconds: 130, vendor_updated_at: null, raw: null }),
      ],
    })
    renderApp('/acme-corporation/jobs/j3')
    expect(await screen.findByText(/this page refreshes every/)).toBeInTheDocument()
    expect(await screen.findByText('2 min 10 s')).toBeInTheDocument()
    expect(screen.getAllByText('Successful')).toHaveLength(2) // the badge and the raw state
    expect(screen.queryByText(/this page refreshes every/)).not.toBeInTheDocument()
  })
})
