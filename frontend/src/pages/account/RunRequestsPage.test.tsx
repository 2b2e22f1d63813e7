import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { json, problem } from '../../test/fetchMock'
import { estateClientMe, estateRoutes, okJob, page, pendingRequest, rejectedRequest, request, FIRST_PAINT, SLOW } from '../../test/estate'
import { renderApp } from '../../test/render'
import { fill, setupUser } from '../../test/user'

const A = '/accounts/acme-corporation'
const table = () => screen.getByRole('table', { name: 'Run requests' })

async function openPage() {
  const user = setupUser()
  renderApp('/acme-corporation/run-requests')
  expect(await screen.findByRole('heading', { name: /^Run requests/, level: 1 }, { timeout: FIRST_PAINT })).toBeInTheDocument()
  await waitFor(() => expect(within(table()).getAllByRole('row')).toHaveLength(3))
  return { user }
}

const pendingRow = () => within(table()).getAllByRole('row')[1]

describe('run requests page', { timeout: SLOW }, () => {
  it('lists pending requests first, with the requester, arguments and a countdown', async () => {
    estateRoutes()
    await openPage()
    const rows = within(table()).getAllByRole('row')
    expect(rows[1]).toHaveAttribute('data-status', 'pending')
    expect(within(rows[1]).getByText('Wile E. Coyote')).toBeInTheDocument()
    expect(within(rows[1]).getByText('{"invoice":42}')).toBeInTheDocument()
    expect(within(rows[1]).getByText(/^Expires in 49 min|^Expires in 50 min/)).toBeInTheDocument()
    expect(within(rows[1]).getByRole('button', { name: 'Approve' })).toBeInTheDocument()
    expect(rows[2]).toHaveAttribute('data-status', 'rejected')
    expect(within(rows[2]).getByText(/Rejected by Grace Hopper/)).toBeInTheDocument()
    expect(within(rows[2]).getByText('“Not during the month-end close.”')).toBeInTheDocument()
    expect(within(rows[2]).queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument()
    // The navigation counts what waits for a decision.
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(await within(nav).findByRole('link', { name: 'Run requests 1 waiting for approval' })).toHaveAttribute('aria-current', 'page')
  })

  it('approves a request and links to the job it started', async () => {
    const m = estateRoutes(undefined, {
      [`POST ${A}/run-requests/rr1/approve`]: json({ run_request: { ...pendingRequest, status: 'approved' }, job: { ...okJob, id: 'j42' } }),
    })
    const { user } = await openPage()
    await user.click(within(pendingRow()).getByRole('button', { name: 'Approve' }))
    expect(await screen.findByText('Run approved')).toBeInTheDocument()
    expect(m.callsTo(`POST ${A}/run-requests/rr1/approve`)).toHaveLength(1)
    await user.click(screen.getByRole('link', { name: 'View the job' }))
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/acme-corporation/jobs/j42'))
  })

  it('says when a request expired before it was approved (410)', async () => {
    const m = estateRoutes(undefined, {
      [`POST ${A}/run-requests/rr1/approve`]: problem(410, 'run_request_expired', 'The request expired.'),
    })
    const { user } = await openPage()
    const before = m.callsTo(`GET ${A}/run-requests`).length
    await user.click(within(pendingRow()).getByRole('button', { name: 'Approve' }))
    expect(await screen.findByText('This request expired')).toBeInTheDocument()
    // The list is read again to show the outcome.
    await waitFor(() => expect(m.callsTo(`GET ${A}/run-requests`).length).toBeGreaterThan(before))
  })

  it('says when someone else decided first (409)', async () => {
    estateRoutes(undefined, {
      [`POST ${A}/run-requests/rr1/approve`]: problem(409, 'run_request_decided', 'Already decided.'),
    })
    const { user } = await openPage()
    await user.click(within(pendingRow()).getByRole('button', { name: 'Approve' }))
    expect(await screen.findByText('Already decided')).toBeInTheDocument()
  })

  it('rejects with a reason', async () => {
    const m = estateRoutes(undefined, {
      [`POST ${A}/run-requests/rr1/reject`]: json({ run_request: { ...pendingRequest, status: 'rejected' } }),
    })
    const { user } = await openPage()
    await user.click(within(pendingRow()).getByRole('button', { name: 'Reject' }))
    const dialog = await screen.findByRole('dialog', { name: 'Reject the run of Invoice processing?' })
    await fill(user, within(dialog).getByRole('textbox', { name: /Reason/ }), 'Wait for the new invoices.')
    await user.click(within(dialog).getByRole('button', { name: 'Reject request' }))
    expect(await screen.findByText('Request rejected')).toBeInTheDocument()
    expect(m.callsTo(`POST ${A}/run-requests/rr1/reject`)[0].body).toEqual({ reason: 'Wait for the new invoices.' })
  })

  it('closes the reject dialog when the request expired meanwhile (410)', async () => {
    estateRoutes(undefined, { [`POST ${A}/run-requests/rr1/reject`]: problem(410, 'run_request_expired', 'The request expired.') })
    const { user } = await openPage()
    await user.click(within(pendingRow()).getByRole('button', { name: 'Reject' }))
    const dialog = await screen.findByRole('dialog', { name: 'Reject the run of Invoice processing?' })
    await user.click(within(dialog).getByRole('button', { name: 'Reject request' }))
    expect(await screen.findByText('This request expired')).toBeInTheDocument()
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
  })

  it('shows a lapsed request as expired, without buttons', async () => {
    estateRoutes(undefined, {
      [`GET ${A}/run-requests`]: page([request({ id: 'rr5', expires_at: new Date(Date.now() - 1000).toISOString() }), rejectedRequest]),
    })
    await openPage()
    expect(pendingRow()).toHaveAttribute('data-status', 'expired')
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument()
  })

  it('offers no decision to a Client, and no count in the navigation', async () => {
    const m = estateRoutes(estateClientMe)
    await openPage()
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Reject' })).not.toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).getByRole('link', { name: 'Run requests' })).toBeInTheDocument()
    expect(m.calls.some((c) => c.path === `${A}/run-requests` && c.query.get('status') === 'pending')).toBe(false)
  })

  it('shows only pending requests on request', async () => {
    const m = estateRoutes()
    const { user } = await openPage()
    await user.click(screen.getByRole('radio', { name: 'Pending' }))
    await waitFor(() =>
      expect(m.callsTo(`GET ${A}/run-requests`).some((c) => c.query.get('status') === 'pending' && c.query.get('limit') === '50')).toBe(true),
    )
  })
})
