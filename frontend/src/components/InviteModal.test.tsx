import { screen, waitFor, within } from '@testing-library/react'
import { fill, setupUser } from '../test/user'
import { describe, expect, it } from 'vitest'
import type { Member } from '../api/people'
import { json, problem } from '../test/fetchMock'
import { accountAdminMe, peopleOwnerMe, peopleRoutes, pendingInvitee } from '../test/people'
import { renderApp } from '../test/render'

const invited = (email: string, i: number): Member => ({ ...pendingInvitee, user_id: `new-${i}`, invitation_id: `inv-${i}`, email, groups: [] })

async function openInvite() {
  const user = setupUser()
  renderApp('/acme-corporation/members')
  await screen.findByText('Road Runner')
  await user.click(screen.getByRole('button', { name: 'Invite people' }))
  const dialog = await screen.findByRole('dialog', { name: 'Invite people to Acme Corporation' })
  const addresses = within(dialog).getByRole('textbox', { name: /Email addresses/ })
  return { user, dialog, addresses }
}

describe('invite dialog', () => {
  it('puts each server error on the address it is about', async () => {
    const m = peopleRoutes(accountAdminMe, {
      'POST /accounts/acme-corporation/invitations': problem(409, 'already_member', 'Some people cannot be invited.', [
        { field: 'invites[1].email', code: 'already_member', message: 'Already a member of this account.' },
        { field: 'invites[2].email', code: 'other_account_member', message: 'This person belongs to another client account.' },
      ]),
    })
    const { user, dialog, addresses } = await openInvite()
    await user.click(addresses)
    await user.paste('ada@client.example, Road@acme.example\nbugs@other.example')
    expect(within(dialog).getByText('3 of 20 addresses')).toBeInTheDocument()
    await user.click(within(dialog).getByRole('button', { name: 'Send invitations' }))

    const report = await within(dialog).findByTestId('invite-address-problems')
    expect(report).toHaveTextContent('Nothing was sent: some of these people cannot be invited')
    const items = within(report).getAllByRole('listitem')
    expect(items).toHaveLength(2)
    expect(items[0]).toHaveTextContent('Road@acme.example: Already a member of this account.')
    expect(items[1]).toHaveTextContent('bugs@other.example: This person belongs to another client account.')
    expect(within(report).queryByText(/ada@client\.example/)).not.toBeInTheDocument()
    expect(addresses).toHaveAttribute('aria-invalid', 'true')
    expect(within(dialog).getByText('2 addresses have problems: see below.')).toBeInTheDocument()

    expect(m.callsTo('POST /accounts/acme-corporation/invitations')[0].body).toEqual({
      invites: [
        { email: 'ada@client.example', role: 'account_user', groups: [] },
        { email: 'Road@acme.example', role: 'account_user', groups: [] },
        { email: 'bugs@other.example', role: 'account_user', groups: [] },
      ],
    })

    // Removing an address takes it out of the list and its problem with it.
    await user.click(within(report).getByRole('button', { name: 'Remove Road@acme.example from the list' }))
    expect(addresses).toHaveValue('ada@client.example\nbugs@other.example')
    expect(within(dialog).getByTestId('invite-address-problems')).not.toHaveTextContent('Road@acme.example')
  })

  it('takes at most 20 addresses, and says so before sending', async () => {
    const m = peopleRoutes()
    const { user, dialog, addresses } = await openInvite()
    await user.click(addresses)
    await user.paste(Array.from({ length: 21 }, (_, i) => `person${i + 1}@client.example`).join(' '))
    expect(within(dialog).getByText('21 of 20 addresses')).toBeInTheDocument()
    expect(within(dialog).getByText(/You can invite at most 20 people at a time; this list has 21\. Remove 1/)).toBeInTheDocument()
    expect(within(dialog).getByRole('button', { name: 'Import a CSV file instead' })).toBeInTheDocument()
    await user.click(within(dialog).getByRole('button', { name: 'Send invitations' }))
    expect(addresses).toHaveFocus()
    expect(m.callsTo('POST /accounts/acme-corporation/invitations')).toHaveLength(0)
  })

  it('shows the server’s too_many_invites answer as it is', async () => {
    peopleRoutes(accountAdminMe, {
      'POST /accounts/acme-corporation/invitations': problem(422, 'too_many_invites', 'Invite at most 20 people at a time, or upload a CSV file.'),
    })
    const { user, dialog, addresses } = await openInvite()
    await fill(user, addresses, 'ada@client.example')
    await user.click(within(dialog).getByRole('button', { name: 'Send invitations' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Invite at most 20 people at a time, or upload a CSV file.')
  })

  it('checks the shape of addresses, and reads lists pasted from a mail client', async () => {
    const m = peopleRoutes()
    const { user, dialog, addresses } = await openInvite()
    await user.click(addresses)
    await user.paste('Ada Lovelace <ada@client.example>; "Hopper, Grace" <grace@client.example>, nope@, ADA@client.example')
    const chips = within(dialog).getByRole('list', { name: 'Addresses to invite' })
    expect(within(chips).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'ada@client.example',
      'grace@client.example',
      'nope@',
    ])
    await user.click(within(dialog).getByRole('button', { name: 'Send invitations' }))
    const report = within(dialog).getByTestId('invite-address-problems')
    expect(report).toHaveTextContent('nope@: This does not look like an email address.')
    expect(m.callsTo('POST /accounts/acme-corporation/invitations')).toHaveLength(0)
  })

  it('asks for at least one address', async () => {
    peopleRoutes()
    const { user, dialog } = await openInvite()
    await user.click(within(dialog).getByRole('button', { name: 'Send invitations' }))
    expect(within(dialog).getByText('Add at least one email address.')).toBeInTheDocument()
  })

  it('invites with a role and groups, and says when the emails went to the Outbox', async () => {
    const m = peopleRoutes(peopleOwnerMe, {
      'POST /accounts/acme-corporation/invitations': json(
        { items: [invited('ada@client.example', 1), invited('grace@client.example', 2)], emailed: 0, outbox: 2 },
        201,
      ),
    })
    const { user, dialog, addresses } = await openInvite()
    await fill(user, addresses, 'ada@client.example grace@client.example')
    await user.click(within(dialog).getByRole('radio', { name: /^Account Admin/ }))
    expect(within(dialog).getByText(/Full control of their account/)).toBeInTheDocument()
    await user.click(within(dialog).getByRole('combobox', { name: 'Groups' }))
    const listbox = await screen.findByRole('listbox')
    expect(within(listbox).queryByText('Everyone')).not.toBeInTheDocument()
    await user.click(within(listbox).getByRole('option', { name: /Finance/ }))
    await user.click(within(dialog).getByRole('button', { name: 'Send invitations' }))

    expect(await screen.findByText('2 people invited')).toBeInTheDocument()
    expect(screen.getByText(/The emails could not be sent and are in the Outbox/)).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'open the Outbox' })).toHaveAttribute('href', '/settings/outbox')
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Invite people to Acme Corporation' })).not.toBeInTheDocument())
    expect(m.callsTo('POST /accounts/acme-corporation/invitations')[0].body).toEqual({
      invites: [
        { email: 'ada@client.example', role: 'account_admin', groups: ['g3'] },
        { email: 'grace@client.example', role: 'account_admin', groups: ['g3'] },
      ],
    })
    // The list is asked again.
    await waitFor(() => expect(m.callsTo('GET /accounts/acme-corporation/members').length).toBeGreaterThan(1))
  })

  it('says plainly when the invitations were emailed', async () => {
    peopleRoutes(accountAdminMe, {
      'POST /accounts/acme-corporation/invitations': json({ items: [invited('ada@client.example', 1)], emailed: 1, outbox: 0 }, 201),
    })
    const { user, dialog, addresses } = await openInvite()
    await fill(user, addresses, 'ada@client.example')
    await user.click(within(dialog).getByRole('button', { name: 'Send invitations' }))
    expect(await screen.findByText('ada@client.example invited')).toBeInTheDocument()
    expect(screen.getByText(/The invitation is on the way/)).toBeInTheDocument()
  })
})
