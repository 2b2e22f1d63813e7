import { screen, waitFor, within } from '@testing-library/react'
import { fill, setupUser } from '../test/user'
import { describe, expect, it } from 'vitest'
import type { StaffMember } from '../api/self'
import { json, mockFetch, problem } from '../test/fetchMock'
import { consultantMe, ownerMe } from '../test/fixtures'
import { renderApp } from '../test/render'

const inDays = (d: number) => new Date(Date.now() + d * 86400_000).toISOString()

const staff: StaffMember[] = [
  {
    user_id: 'u1',
    invitation_id: null,
    email: 'ada@northwind.example',
    name: 'Ada Lovelace',
    role: 'tenant_admin',
    status: 'active',
    last_active: new Date().toISOString(),
    invited_at: null,
    expires_at: null,
  },
  {
    user_id: 'u3',
    invitation_id: null,
    email: 'grace@northwind.example',
    name: 'Grace Hopper',
    role: 'consultant',
    status: 'active',
    last_active: inDays(-2),
    invited_at: null,
    expires_at: null,
  },
  {
    user_id: 'u9',
    invitation_id: 'inv-9',
    email: 'alan@northwind.example',
    name: '',
    role: 'consultant',
    status: 'pending',
    last_active: null,
    invited_at: inDays(-1),
    expires_at: inDays(6),
  },
  {
    user_id: 'u8',
    invitation_id: 'inv-8',
    email: 'edsger@northwind.example',
    name: '',
    role: 'tenant_admin',
    status: 'expired',
    last_active: null,
    invited_at: inDays(-9),
    expires_at: inDays(-2),
  },
]

function routes(over: Parameters<typeof mockFetch>[0] = {}) {
  return mockFetch({
    'GET /setup': json({ needed: false }),
    'GET /me': json(ownerMe),
    'GET /auth/csrf': json({ token: 't' }),
    'GET /tenant/staff': json({ items: staff, next_cursor: null }),
    ...over,
  })
}

const row = (email: string) => screen.getByTestId(`staff-row-${email}`)

describe('staff page', () => {
  it('lists the staff with role, status and last activity, and protects the person’s own row', async () => {
    routes()
    renderApp('/settings/staff')
    const table = await screen.findByRole('table', { name: 'Staff' })
    await within(table).findByText('Grace Hopper')
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).getByRole('link', { name: 'Staff' })).toHaveAttribute('aria-current', 'page')
    expect(within(nav).getByRole('link', { name: 'Plan & license' })).not.toHaveAttribute('aria-current')

    const mine = row('ada@northwind.example')
    expect(within(mine).getByText('You')).toBeInTheDocument()
    expect(within(mine).getByText('Tenant Admin')).toBeInTheDocument()
    expect(within(mine).getByText('Active')).toBeInTheDocument()
    expect(within(mine).getByText('That’s you')).toBeInTheDocument()
    expect(within(mine).queryByRole('button')).not.toBeInTheDocument()

    expect(within(row('grace@northwind.example')).getByRole('button', { name: 'Actions for Grace Hopper' })).toBeInTheDocument()
    const pending = row('alan@northwind.example')
    expect(within(pending).getByText('Pending', { selector: '.mantine-Badge-label' })).toBeInTheDocument()
    expect(within(pending).getByText('Not yet accepted')).toBeInTheDocument()
    expect(within(pending).getByText(/Link expires in 6 days/)).toBeInTheDocument()
    expect(within(row('edsger@northwind.example')).getByText('Expired', { selector: '.mantine-Badge-label' })).toBeInTheDocument()
  })

  it('changes another person’s role, by keyboard', async () => {
    const m = routes({ 'PATCH /tenant/staff/u3': json({ ...staff[1], role: 'tenant_admin' }) })
    const user = setupUser()
    renderApp('/settings/staff')
    await screen.findByRole('table', { name: 'Staff' })
    const actions = await within(row('grace@northwind.example')).findByRole('button', { name: 'Actions for Grace Hopper' })
    actions.focus()
    await user.keyboard('{Enter}')
    await user.click(await screen.findByRole('menuitem', { name: 'Change role…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Change the role of Grace Hopper' })
    await user.click(within(dialog).getByRole('radio', { name: /Tenant Admin/ }))
    await user.click(within(dialog).getByRole('button', { name: 'Save role' }))
    expect(await screen.findByText('Grace Hopper is now Tenant Admin.')).toBeInTheDocument()
    expect(m.callsTo('PATCH /tenant/staff/u3')[0].body).toEqual({ role: 'tenant_admin' })
  })

  it('resends and revokes invitations', async () => {
    const m = routes({
      'POST /tenant/staff/invitations/inv-9/resend': json({ ...staff[2], expires_at: inDays(7) }),
      'DELETE /tenant/staff/invitations/inv-8': { status: 204 },
    })
    const user = setupUser()
    renderApp('/settings/staff')
    await screen.findByRole('table', { name: 'Staff' })
    await user.click(await within(row('alan@northwind.example')).findByRole('button', { name: 'Actions for alan@northwind.example' }))
    await user.click(await screen.findByRole('menuitem', { name: 'Resend invitation' }))
    expect(await screen.findByText('Invitation sent again')).toBeInTheDocument()
    expect(m.callsTo('POST /tenant/staff/invitations/inv-9/resend')).toHaveLength(1)

    await user.click(within(row('edsger@northwind.example')).getByRole('button', { name: 'Actions for edsger@northwind.example' }))
    expect(screen.queryByRole('menuitem', { name: /Remove from staff/ })).not.toBeInTheDocument()
    await user.click(await screen.findByRole('menuitem', { name: 'Revoke invitation…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Revoke this invitation?' })
    await user.click(within(dialog).getByRole('button', { name: 'Revoke invitation' }))
    expect(await screen.findByText('Invitation revoked')).toBeInTheDocument()
    expect(m.callsTo('DELETE /tenant/staff/invitations/inv-8')).toHaveLength(1)
  })

  it('invites several addresses, and puts each refusal on its address', async () => {
    let reply = problem(409, 'already_invited', 'Some addresses cannot be invited.', [
      { field: 'invites[1].email', code: 'already_invited', message: 'This address already has an open invitation.' },
      { field: 'invites[2].email', code: 'staff_client_conflict', message: 'This person is a client of an account.' },
    ])
    const m = routes({ 'POST /tenant/staff': () => reply })
    const user = setupUser()
    renderApp('/settings/staff')
    await screen.findByRole('table', { name: 'Staff' })
    await user.click(screen.getByRole('button', { name: 'Invite staff' }))
    const dialog = await screen.findByRole('dialog', { name: 'Invite staff' })
    const box = within(dialog).getByRole('textbox', { name: /Email addresses/ })
    expect(within(dialog).getByRole('radio', { name: /^Tenant Admin/ })).toHaveAccessibleDescription(
      'Everything, including firm settings, staff, licence and account lifecycle.',
    )
    expect(within(dialog).getByRole('radio', { name: /^Consultant/ })).toBeChecked()

    // Checked here first: repeats are dropped, typos reported.
    await user.click(box)
    await user.paste('new@northwind.example, nope, NEW@northwind.example')
    expect(within(dialog).getByText('2 addresses')).toBeInTheDocument()
    await user.click(within(dialog).getByRole('button', { name: 'Send 2 invitations' }))
    expect(within(dialog).getByText('1 address needs attention.')).toBeInTheDocument()
    expect(within(dialog).getByTestId('invite-address-problems')).toHaveTextContent('nope: This is not an email address.')
    expect(within(dialog).getByTestId('invite-address-problems')).not.toHaveTextContent('new@northwind.example')
    expect(m.callsTo('POST /tenant/staff')).toHaveLength(0)

    await user.clear(box)
    await fill(user, box, 'new@northwind.example\nalan@northwind.example\nwile@acme.example')
    await user.click(within(dialog).getByRole('radio', { name: /Tenant Admin/ }))
    await user.click(within(dialog).getByRole('button', { name: 'Send 3 invitations' }))
    const problems = await within(dialog).findByTestId('invite-address-problems')
    expect(problems).toHaveTextContent('alan@northwind.example: This address already has an open invitation.')
    expect(problems).toHaveTextContent('wile@acme.example: This person is a client of an account.')
    expect(problems).not.toHaveTextContent('new@northwind.example')
    expect(box).toHaveAttribute('aria-invalid', 'true')
    expect(box).toHaveAccessibleDescription(/2 addresses could not be invited/)
    expect(m.callsTo('POST /tenant/staff')[0].body).toEqual({
      invites: [
        { email: 'new@northwind.example', role: 'tenant_admin' },
        { email: 'alan@northwind.example', role: 'tenant_admin' },
        { email: 'wile@acme.example', role: 'tenant_admin' },
      ],
    })

    reply = json({ items: [{ ...staff[2], email: 'new@northwind.example' }], emailed: 0, outbox: 1 }, 201)
    await user.clear(box)
    await fill(user, box, 'new@northwind.example')
    await user.click(within(dialog).getByRole('button', { name: 'Send invitation' }))
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Invite staff' })).not.toBeInTheDocument())
    expect(await screen.findByText('Invited 1 person')).toBeInTheDocument()
    expect(screen.getByText(/could not be emailed and is waiting in the outbox/)).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'open the outbox' })).toHaveAttribute('href', '/settings/outbox')
  })

  it('is not there for a consultant', async () => {
    mockFetch({ 'GET /setup': json({ needed: false }), 'GET /me': json(consultantMe), 'GET /accounts': json({ items: [], next_cursor: null }) })
    renderApp('/settings/staff')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).queryByRole('link', { name: 'Staff' })).not.toBeInTheDocument()
    expect(within(nav).queryByRole('link', { name: 'Outbox' })).not.toBeInTheDocument()
  })
})
