import { screen, waitFor, within } from '@testing-library/react'
import { setupUser } from '../../test/user'
import { describe, expect, it } from 'vitest'
import { json, problem } from '../../test/fetchMock'
import { clientMe } from '../../test/fixtures'
import {
  accountAdminMe,
  expiredInvitee,
  members,
  peopleOwnerMe,
  peopleRoutes,
  pendingInvitee,
  road,
  wile,
} from '../../test/people'
import { renderApp } from '../../test/render'

const rowOf = (text: string) => within(screen.getByRole('table', { name: 'Members' })).getByText(text).closest('tr') as HTMLElement

async function openPage(path = '/acme-corporation/members') {
  const user = setupUser()
  renderApp(path)
  expect(await screen.findByRole('heading', { name: /^Members/, level: 1 })).toBeInTheDocument()
  await screen.findByText('Road Runner')
  return { user }
}

describe('members page', () => {
  it('lists members and invitations with their role, groups, status and last activity', async () => {
    peopleRoutes()
    await openPage()
    const table = screen.getByRole('table', { name: 'Members' })
    // header + 4 people
    expect(within(table).getAllByRole('row')).toHaveLength(5)

    const r = rowOf('Road Runner')
    expect(within(r).getByText('road@acme.example')).toBeInTheDocument()
    expect(within(r).getByText('Account User')).toBeInTheDocument()
    expect(within(r).getByText('Finance')).toBeInTheDocument()
    expect(within(r).getByText('Operations')).toBeInTheDocument()
    expect(within(r).getByText('Active')).toBeInTheDocument()
    expect(within(r).getByText('Not yet')).toBeInTheDocument()

    const w = rowOf('Wile E. Coyote')
    expect(within(w).getByText('You')).toBeInTheDocument()
    expect(within(w).getByText('2 hours ago')).toBeInTheDocument()

    const p = rowOf('pending@acme.example')
    expect(within(p).getByText('Not yet accepted')).toBeInTheDocument()
    expect(within(p).getByText('Client')).toBeInTheDocument()
    expect(p).toHaveAttribute('data-status', 'pending')
    expect(within(p).getAllByText('Pending')).toHaveLength(2) // the badge and Last active
    expect(within(p).getByText(/Link expires in 6 days/)).toBeInTheDocument()

    const e = rowOf('late@acme.example')
    expect(within(e).getAllByText('Expired')).toHaveLength(2)
    expect(within(e).getByText('Link expired 2 days ago')).toBeInTheDocument()
    expect(within(e).getByLabelText('No groups')).toBeInTheDocument()

    expect(screen.getByText('2 members · 2 invitations not accepted yet')).toBeInTheDocument()
    // The account's navigation leads here.
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).getByRole('link', { name: 'Members' })).toHaveAttribute('aria-current', 'page')
    expect(within(nav).getByRole('link', { name: 'Groups' })).toHaveAttribute('href', '/acme-corporation/groups')
  })

  it('protects your own row: no selection, no role, groups or removal', async () => {
    peopleRoutes()
    const { user } = await openPage()
    const own = rowOf('Wile E. Coyote')
    expect(within(own).getByRole('checkbox', { name: 'You cannot select yourself' })).toBeDisabled()
    expect(within(rowOf('Road Runner')).getByRole('checkbox', { name: 'Select Road Runner' })).toBeEnabled()

    await user.click(within(own).getByRole('button', { name: 'Actions for Wile E. Coyote' }))
    const menu = await screen.findByRole('menu')
    expect(within(menu).getByText(/You cannot change your own role or groups, or remove yourself/)).toBeInTheDocument()
    expect(within(menu).getByRole('menuitem', { name: 'Change role…' })).toBeDisabled()
    expect(within(menu).getByRole('menuitem', { name: 'Edit groups…' })).toBeDisabled()
    expect(within(menu).getByRole('menuitem', { name: 'Remove from account…' })).toBeDisabled()

    // "Select all" leaves you out.
    await user.keyboard('{Escape}')
    await user.click(screen.getByRole('checkbox', { name: 'Select all members' }))
    expect(screen.getByText('3 selected')).toBeInTheDocument()
    expect(within(own).getByRole('checkbox', { name: 'You cannot select yourself' })).not.toBeChecked()
  })

  it('removes the selected people after a confirmation naming how many', async () => {
    const m = peopleRoutes(accountAdminMe, {
      'POST /accounts/acme-corporation/members/remove': json({ removed: 2 }),
      'GET /accounts/acme-corporation/members': [
        json({ items: members, next_cursor: null }),
        json({ items: [wile, expiredInvitee], next_cursor: null }),
      ],
    })
    const { user } = await openPage()
    await user.click(screen.getByRole('checkbox', { name: 'Select Road Runner' }))
    await user.click(screen.getByRole('checkbox', { name: 'Select pending@acme.example' }))
    expect(screen.getByText('2 selected')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Remove selected' }))

    const dialog = await screen.findByRole('dialog', { name: 'Remove 2 members?' })
    expect(within(dialog).getByText('Road Runner (road@acme.example)')).toBeInTheDocument()
    expect(within(dialog).getByText('pending@acme.example')).toBeInTheDocument()
    expect(within(dialog).getByText(/invitations not yet accepted stop working/)).toBeInTheDocument()
    expect(m.callsTo('POST /accounts/acme-corporation/members/remove')).toHaveLength(0)
    await user.click(within(dialog).getByRole('button', { name: 'Remove 2 members' }))

    expect(await screen.findByText('2 members removed')).toBeInTheDocument()
    expect(m.callsTo('POST /accounts/acme-corporation/members/remove')[0].body).toEqual({ user_ids: ['u11', 'u12'] })
    await waitFor(() => expect(screen.queryByText('Road Runner')).not.toBeInTheDocument())
    expect(screen.queryByText(/selected$/)).not.toBeInTheDocument()
  })

  it('keeps the dialog open with the server’s reason when a removal is refused', async () => {
    peopleRoutes(accountAdminMe, {
      'POST /accounts/acme-corporation/members/remove': problem(403, 'self_delete', 'You cannot remove yourself.'),
    })
    const { user } = await openPage()
    await user.click(screen.getByRole('checkbox', { name: 'Select Road Runner' }))
    await user.click(screen.getByRole('button', { name: 'Remove selected' }))
    const dialog = await screen.findByRole('dialog', { name: 'Remove 1 member?' })
    await user.click(within(dialog).getByRole('button', { name: 'Remove 1 member' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('You cannot remove yourself.')
    expect(screen.getByText('Road Runner')).toBeInTheDocument()
  })

  it('resends and revokes invitations from the row menu', async () => {
    const m = peopleRoutes(accountAdminMe, {
      'POST /accounts/acme-corporation/invitations/i2/resend': json({ ...expiredInvitee, status: 'pending', invitation_id: 'i3' }),
      'DELETE /accounts/acme-corporation/invitations/i1': { status: 204 },
    })
    const { user } = await openPage()
    await user.click(screen.getByRole('button', { name: 'Actions for late@acme.example' }))
    let menu = await screen.findByRole('menu')
    expect(within(menu).queryByRole('menuitem', { name: /Remove from account/ })).not.toBeInTheDocument()
    await user.click(within(menu).getByRole('menuitem', { name: 'Resend invitation' }))
    expect(await screen.findByText('Invitation sent again')).toBeInTheDocument()
    expect(m.callsTo('POST /accounts/acme-corporation/invitations/i2/resend')).toHaveLength(1)

    await user.click(screen.getByRole('button', { name: 'Actions for pending@acme.example' }))
    menu = await screen.findByRole('menu')
    await user.click(within(menu).getByRole('menuitem', { name: 'Revoke invitation…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Revoke the invitation of pending@acme.example?' })
    await user.click(within(dialog).getByRole('button', { name: 'Revoke invitation' }))
    expect(await screen.findByText('Invitation revoked')).toBeInTheDocument()
    expect(m.callsTo('DELETE /accounts/acme-corporation/invitations/i1')).toHaveLength(1)
  })

  it('changes a member’s role, and shows the server’s refusal', async () => {
    const m = peopleRoutes(accountAdminMe, {
      'PATCH /accounts/acme-corporation/members/u11': [
        problem(403, 'self_role_change', 'You cannot change your own role or groups. Ask another administrator.'),
        json({ ...road, role: 'client' }),
      ],
    })
    const { user } = await openPage()
    await user.click(screen.getByRole('button', { name: 'Actions for Road Runner' }))
    await user.click(await screen.findByRole('menuitem', { name: 'Change role…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Change the role of Road Runner' })
    expect(within(dialog).getByRole('radio', { name: /Account User/ })).toBeChecked()
    const save = within(dialog).getByRole('button', { name: 'Save role' })
    expect(save).toBeDisabled()
    await user.click(within(dialog).getByRole('radio', { name: /^Client/ }))
    await user.click(save)
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('You cannot change your own role or groups.')
    await user.click(save)
    expect(await screen.findByText('Road Runner is now Client.')).toBeInTheDocument()
    expect(m.callsTo('PATCH /accounts/acme-corporation/members/u11').map((c) => c.body)).toEqual([{ role: 'client' }, { role: 'client' }])
  })

  it('edits a pending invitee’s groups (Everyone is implicit)', async () => {
    const m = peopleRoutes(accountAdminMe, {
      'PATCH /accounts/acme-corporation/members/u12': json({ ...pendingInvitee, groups: [] }),
    })
    const { user } = await openPage()
    await user.click(screen.getByRole('button', { name: 'Actions for pending@acme.example' }))
    await user.click(await screen.findByRole('menuitem', { name: 'Edit groups…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Groups of pending@acme.example' })
    const input = within(dialog).getByRole('combobox', { name: 'Groups' })
    await user.click(input)
    const listbox = await screen.findByRole('listbox')
    expect(within(listbox).queryByText('Everyone')).not.toBeInTheDocument()
    expect(within(listbox).getByText('Administrators')).toBeInTheDocument()
    // Finance is chosen: deselect it.
    await user.click(within(listbox).getByRole('option', { name: /Finance/ }))
    await user.click(within(dialog).getByRole('button', { name: 'Save groups' }))
    expect(await screen.findByText('Groups saved')).toBeInTheDocument()
    expect(m.callsTo('PATCH /accounts/acme-corporation/members/u12')[0].body).toEqual({ groups: [] })
  })

  it('filters by name or email', async () => {
    peopleRoutes()
    const { user } = await openPage()
    const search = screen.getByRole('textbox', { name: 'Search members' })
    await user.type(search, 'PENDING@')
    expect(screen.queryByText('Road Runner')).not.toBeInTheDocument()
    expect(screen.getByText('pending@acme.example')).toBeInTheDocument()
    await user.clear(search)
    await user.type(search, 'nobody')
    expect(screen.getByText('No matching members')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Show all members' }))
    expect(screen.getByText('Road Runner')).toBeInTheDocument()
  })

  it('invites the first people from the empty state', async () => {
    peopleRoutes(peopleOwnerMe, { 'GET /accounts/acme-corporation/members': json({ items: [], next_cursor: null }) })
    const user = setupUser()
    renderApp('/acme-corporation/members')
    expect(await screen.findByText('No members yet — invite the first people')).toBeInTheDocument()
    const main = screen.getByRole('main')
    expect(within(main).getAllByRole('button', { name: 'Invite people' })).toHaveLength(2)
    await user.click(within(main).getAllByRole('button', { name: 'Import CSV' })[1])
    expect(await screen.findByRole('dialog', { name: 'Import people into Acme Corporation' })).toBeInTheDocument()
  })

  it('shows a skeleton while loading, then an error with retry', async () => {
    peopleRoutes(accountAdminMe, {
      'GET /accounts/acme-corporation/members': [
        problem(500, 'internal', 'The server could not answer.'),
        problem(500, 'internal', 'The server could not answer.'),
        problem(500, 'internal', 'The server could not answer.'),
        json({ items: members, next_cursor: null }),
      ],
    })
    const user = setupUser()
    renderApp('/acme-corporation/members')
    expect(await screen.findByRole('table', { name: 'Members' })).toHaveAttribute('aria-busy', 'true')
    expect(await screen.findByText('Could not load the members')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Retry' }))
    expect(await screen.findByText('Road Runner')).toBeInTheDocument()
  })

  it('is not there for people who may not manage members', async () => {
    peopleRoutes(clientMe)
    renderApp('/acme-corporation/members')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
    const nav = screen.getByRole('navigation', { name: 'Main navigation' })
    expect(within(nav).queryByRole('link', { name: 'Members' })).not.toBeInTheDocument()
    expect(within(nav).queryByRole('link', { name: 'Groups' })).not.toBeInTheDocument()
  })
})
