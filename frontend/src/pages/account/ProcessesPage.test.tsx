import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { json, problem } from '../../test/fetchMock'
import { estateClientMe, estateRoutes, estateUserMe, invoices, page, request, runningJob, FIRST_PAINT, SLOW } from '../../test/estate'
import { renderApp } from '../../test/render'
import { fill, setupUser } from '../../test/user'

const A = '/accounts/acme-corporation'
const rowOf = (text: string) => within(screen.getByRole('table', { name: 'Processes' })).getByText(text).closest('tr') as HTMLElement

async function openPage() {
  const user = setupUser()
  const r = renderApp('/acme-corporation/processes')
  expect(await screen.findByRole('heading', { name: /^Processes/, level: 1 }, { timeout: FIRST_PAINT })).toBeInTheDocument()
  await screen.findByText('Invoice processing')
  return { user, ...r }
}

async function openRunDialog(user: ReturnType<typeof setupUser>) {
  await user.click(within(rowOf('Invoice processing')).getByRole('button', { name: 'Run' }))
  return screen.findByRole('dialog', { name: 'Run Invoice processing' })
}

describe('processes page', { timeout: SLOW }, () => {
  it('lists processes with their folder, last run and the last 7 days', async () => {
    estateRoutes()
    await openPage()
    const r = rowOf('Invoice processing')
    expect(within(r).getByText('Finance')).toBeInTheDocument()
    expect(within(r).getByText('Faulted')).toBeInTheDocument()
    expect(within(r).getByText('2 hours ago')).toBeInTheDocument()
    expect(within(r).getByText('42')).toBeInTheDocument()
    expect(within(r).getByText('3')).toBeInTheDocument()
    expect(within(r).getByRole('link', { name: 'Invoice processing' })).toHaveAttribute('href', '/acme-corporation/jobs?process=p1')
    expect(within(r).getByRole('link', { name: 'Last job of Invoice processing' })).toHaveAttribute('href', '/acme-corporation/jobs/j2')
    expect(within(rowOf('Payroll export')).getByText('Never run')).toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).getByRole('link', { name: 'Processes' })).toHaveAttribute('aria-current', 'page')
    for (const name of ['Jobs', 'Robots', 'Schedules', 'Sync history']) expect(within(nav).getByRole('link', { name })).toBeInTheDocument()
  })

  it('searches on the server', async () => {
    const m = estateRoutes()
    const { user } = await openPage()
    await user.type(screen.getByRole('textbox', { name: 'Search processes' }), 'pay')
    await waitFor(() => expect(m.callsTo(`GET ${A}/processes`).some((c) => c.query.get('q') === 'pay')).toBe(true))
    expect(m.callsTo(`GET ${A}/processes`)[0].query.get('limit')).toBe('50')
  })

  it('explains an empty estate: connect and sync', async () => {
    estateRoutes(undefined, { [`GET ${A}/processes`]: page([]) })
    renderApp('/acme-corporation/processes')
    const empty = await screen.findByTestId('processes-empty', {}, { timeout: FIRST_PAINT })
    expect(within(empty).getByText('Connect the account and run a sync')).toBeInTheDocument()
    expect(within(empty).getByRole('link', { name: 'Open the connection' })).toHaveAttribute('href', '/acme-corporation/connection')
    expect(within(empty).getByRole('button', { name: 'Sync now' })).toBeInTheDocument()
  })

  it('tells an Account User that nothing is assigned to them, and offers no actions', async () => {
    estateRoutes(estateUserMe, { [`GET ${A}/processes`]: page([]) })
    renderApp('/acme-corporation/processes')
    const empty = await screen.findByTestId('processes-empty', {}, { timeout: FIRST_PAINT })
    expect(within(empty).getByText('No processes assigned to you yet')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Sync now' })).not.toBeInTheDocument()
  })

  // ISO-12: the server scopes an Account User's lists; the page offers them no action they lack.
  it('hides Run, Assign and Sync now from people without those rights', async () => {
    estateRoutes(estateUserMe)
    await openPage()
    expect(screen.queryByRole('button', { name: 'Run' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Assign' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Sync now' })).not.toBeInTheDocument()
    expect(screen.queryByRole('columnheader', { name: 'Actions' })).not.toBeInTheDocument()
  })

  it('lets a Client run but not assign', async () => {
    estateRoutes(estateClientMe)
    await openPage()
    expect(within(rowOf('Invoice processing')).getByRole('button', { name: 'Run' })).toBeEnabled()
    expect(screen.queryByRole('button', { name: 'Assign' })).not.toBeInTheDocument()
  })

  it('starts a run with JSON arguments (201) and links to the job', async () => {
    const m = estateRoutes(undefined, {
      [`POST ${A}/processes/p1/runs`]: json({ job: { ...runningJob, id: 'j9', state: 'pending' } }, 201),
    })
    const { user } = await openPage()
    const dialog = await openRunDialog(user)
    const args = within(dialog).getByRole('textbox', { name: /Arguments/ })
    await fill(user, args, '[1, 2]')
    await user.click(within(dialog).getByRole('button', { name: 'Start run' }))
    expect(await within(dialog).findByText(/must be a JSON object/)).toBeInTheDocument()
    expect(m.callsTo(`POST ${A}/processes/p1/runs`)).toHaveLength(0)

    await user.clear(args)
    await fill(user, args, '{"invoice": 42}')
    await user.click(within(dialog).getByRole('button', { name: 'Start run' }))
    expect(await screen.findByText('Run started')).toBeInTheDocument()
    expect(m.callsTo(`POST ${A}/processes/p1/runs`)[0].body).toEqual({ arguments: { invoice: 42 } })
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    await user.click(screen.getByRole('link', { name: 'View the job' }))
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/acme-corporation/jobs/j9'))
  })

  it('says a run was sent for approval (202), and until when', async () => {
    const m = estateRoutes(estateClientMe, { [`POST ${A}/processes/p1/runs`]: json({ run_request: request({ id: 'rr1' }) }, 202) })
    const { user } = await openPage()
    const dialog = await openRunDialog(user)
    await user.click(within(dialog).getByRole('button', { name: 'Start run' }))
    expect(await screen.findByText('Sent for approval')).toBeInTheDocument()
    expect(screen.getByText(/an Account Admin or your consultants decide .* The request expires in 50 minutes/)).toBeInTheDocument()
    expect(m.callsTo(`POST ${A}/processes/p1/runs`)[0].body).toEqual({})
  })

  it('shows the vendor’s words when the RPA tool refuses the run (502)', async () => {
    estateRoutes(undefined, {
      [`POST ${A}/processes/p1/runs`]: problem(502, 'vendor_unavailable', 'UiPath: The robot Bot 01 is not connected to Orchestrator.'),
    })
    const { user } = await openPage()
    const dialog = await openRunDialog(user)
    await user.click(within(dialog).getByRole('button', { name: 'Start run' }))
    const alert = await within(dialog).findByRole('alert')
    expect(alert).toHaveTextContent('The RPA tool refused the run')
    expect(alert).toHaveTextContent('UiPath: The robot Bot 01 is not connected to Orchestrator. (vendor_unavailable)')
    expect(screen.queryByText('Run started')).not.toBeInTheDocument()
  })

  it('assigns a process to members and groups', async () => {
    const m = estateRoutes(undefined, {
      [`PUT ${A}/processes/p1/assignments`]: json({ ...invoices, assignees: { user_ids: ['u11', 'u10'], group_ids: ['g3'] } }),
    })
    const { user } = await openPage()
    await user.click(within(rowOf('Invoice processing')).getByRole('button', { name: 'Assign' }))
    const dialog = await screen.findByRole('dialog', { name: 'Assign Invoice processing' })
    // The current assignees are chosen.
    await waitFor(() => expect(within(dialog).getAllByText('Road Runner (road@acme.example)')[0]).toBeInTheDocument())
    expect(within(dialog).getAllByText('Finance')[0]).toBeInTheDocument()
    await user.click(within(dialog).getByRole('combobox', { name: 'Members' }))
    await user.click(await screen.findByRole('option', { name: /Wile E. Coyote/ }))
    await user.click(within(dialog).getByRole('button', { name: 'Save assignments' }))
    expect(await screen.findByText('Assignments saved')).toBeInTheDocument()
    expect(m.callsTo(`PUT ${A}/processes/p1/assignments`)[0].body).toEqual({ user_ids: ['u11', 'u10'], group_ids: ['g3'] })
  })

  it('shows an error with retry', async () => {
    estateRoutes(undefined, {
      [`GET ${A}/processes`]: [problem(500, 'internal'), problem(500, 'internal'), problem(500, 'internal'), page([invoices])],
    })
    const user = setupUser()
    renderApp('/acme-corporation/processes')
    expect(await screen.findByRole('table', { name: 'Processes' }, { timeout: FIRST_PAINT })).toHaveAttribute('aria-busy', 'true')
    expect(await screen.findByText('Could not load the processes')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Retry' }))
    expect(await screen.findByText('Invoice processing')).toBeInTheDocument()
  })
})
